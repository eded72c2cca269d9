"""Installs the HTTP ingest API on the app: the size limit, the token pepper, the rate limits per token and
per webhook endpoint,
the API and webhook routes, and the imports and integrations pages (one call from `create_app`)."""

from __future__ import annotations

from fastapi import FastAPI

from peyvand.services.api_tokens import token_pepper
from peyvand.settings import Settings
from peyvand.storage.db import Store
from peyvand.web.limits import BodyLimit, RateLimiter
from peyvand.web.routes import api_items, api_webhooks, imports, integrations


def install_ingest_api(app: FastAPI, settings: Settings, store: Store) -> None:
    configured = settings.token_pepper.get_secret_value() if settings.token_pepper else None
    app.state.token_pepper = token_pepper(store, configured)
    app.state.api_rate = RateLimiter(settings.api_rate_per_minute)
    app.state.webhook_rate = RateLimiter(settings.webhook_rate_per_minute)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    for module in (api_items, api_webhooks, imports, integrations):
        app.include_router(module.router)
