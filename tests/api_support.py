"""Helpers for the HTTP ingest API tests: tokens, webhook endpoints, signed requests, sample payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from fastapi.testclient import TestClient

from peyvand.domain.webhook_signature import signed_headers
from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services.access import Actor
from peyvand.services.api_tokens import create_token
from peyvand.services.webhooks import NewEndpoint, create_endpoint
from peyvand.storage.db import Store


def token_for(client: TestClient, actor: Actor, *scopes: str, name: str = "script") -> str:
    app: Any = client.app
    new = create_token(
        app.state.store, actor, name=name, scopes=list(scopes or ("ingest",)), pepper=app.state.token_pepper
    )
    return new.secret


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def endpoint(client: TestClient, actor: Actor, kind: str, **kwargs: Any) -> NewEndpoint:
    app: Any = client.app
    return create_endpoint(app.state.store, actor, kind=kind, name=f"{kind} hook", **kwargs)


def signed(secret: str, body: bytes, *, delivery: str = "msg_1", at: int | None = None) -> dict[str, str]:
    return signed_headers(secret, delivery, int(time.time()) if at is None else at, body)


def meta_signature(app_secret: str, body: bytes) -> dict[str, str]:
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def run_jobs(store: Store) -> int:
    return run_pending(store, HANDLERS, limit=1000)


def ndjson(*objs: Any) -> bytes:
    return b"".join(
        (o if isinstance(o, bytes) else json.dumps(o, ensure_ascii=False).encode()) + b"\n" for o in objs
    )


def comment(ident: str, text: str = "چای سبز نیلوفر عالیه", **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-01T10:00:00Z",
        "text": text,
        "author": {"handle": f"user-{ident}"},
        **extra,
    }


def telegram_update(
    update_id: int, text: str, *, chat: dict[str, Any] | None = None, **message: Any
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": 5001, "is_bot": False, "first_name": "Sara", "username": "sara_k"},
            "chat": chat or {"id": 5001, "type": "private", "first_name": "Sara", "username": "sara_k"},
            "date": 1772348400 + update_id,
            "text": text,
            **message,
        },
    }


def instagram_comment(
    comment_id: str, text: str, *, parent: str | None = None, ad: bool = False
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "from": {"id": "17841400000000001", "username": "sara.k"},
        "media": {"id": "18000000000000001", "media_product_type": "AD" if ad else "FEED"},
        "id": comment_id,
        "text": text,
    }
    if parent:
        value["parent_id"] = parent
    return {
        "object": "instagram",
        "entry": [
            {
                "id": "17841400000009999",
                "time": 1772348400,
                "changes": [{"field": "comments", "value": value}],
            }
        ],
    }


def instagram_message(mid: str, text: str, *, echo: bool = False) -> dict[str, Any]:
    customer, brand = "9001", "17841400000009999"
    return {
        "object": "instagram",
        "entry": [
            {
                "id": brand,
                "time": 1772348400123,
                "messaging": [
                    {
                        "sender": {"id": brand if echo else customer},
                        "recipient": {"id": customer if echo else brand},
                        "timestamp": 1772348400123,
                        "message": {"mid": mid, "text": text, **({"is_echo": True} if echo else {})},
                    }
                ],
            }
        ],
    }
