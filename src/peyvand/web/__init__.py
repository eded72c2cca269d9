"""The web app: server-rendered pages over the services."""
