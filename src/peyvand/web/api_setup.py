"""Installs the HTTP ingest API on the app: the size limit, the token pepper, the rate limits per token and
per webhook endpoint,
the API and webhook routes, and the imports and integrations pages (one call from `create_app`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

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
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


# The answer to a request value of the wrong type (`app.api_validation_answer`), in place of FastAPI's
# default list, so that every API error has a `detail` sentence.
VALIDATION_ERROR = {
    "title": "HTTPValidationError",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {
            "type": "array",
            "title": "Errors",
            "items": {
                "type": "object",
                "required": ["field", "reason"],
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = VALIDATION_ERROR
            schemas.pop("ValidationError", None)
        app.openapi_schema = schema
    return app.openapi_schema
