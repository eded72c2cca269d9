"""Text understanding, Persian first: language, normalisation, sentiment, intent, audience, attributes."""
