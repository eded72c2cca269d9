"""Page and API routes: each validates input, calls one service, renders."""
