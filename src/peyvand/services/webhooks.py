"""Webhook endpoints: where a platform posts to one workspace, and the secrets that prove it is that platform.

An admin creates an endpoint of one kind:

- `generic`: any sender that signs the Standard Webhooks way (`peyvand.domain.webhook_signature`); Peyvand
  makes the `whsec_…` secret;
- `meta`: Instagram / Facebook Messenger; the admin gives the Meta app's App Secret (Meta signs each POST
  with it), and Peyvand makes the verify token for the subscription handshake;
- `telegram`: a Telegram bot; Peyvand makes the secret token to pass to `setWebhook`, which Telegram sends
  back in `X-Telegram-Bot-Api-Secret-Token`.

Generated secrets are returned once, at creation; lists never show them. Verifying a request needs them,
so they are kept, encrypted at rest (`peyvand.storage.sealed`); they are never logged.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from peyvand.domain.webhook_signature import new_secret
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.dialect import storable
from peyvand.storage.sealed import secret_box
from peyvand.storage.tables_api import WEBHOOK_KINDS, WebhookDelivery, WebhookEndpoint

DELIVERIES_KEPT = timedelta(days=2)  # far beyond the 5-minute replay window
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class EndpointInfo:
    id: int
    public_id: str
    kind: str
    name: str
    source: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def path(self) -> str:
        return f"/api/v1/webhooks/{self.kind}/{self.public_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewEndpoint:
    """An endpoint just created, with the secrets Peyvand made for it (shown once)."""

    info: EndpointInfo
    secret: str | None = field(repr=False)
    verify_token: str | None = field(repr=False)


@dataclass(frozen=True)
class EndpointKeys:
    """What verifying a request to an endpoint needs (internal: never rendered or logged)."""

    id: int
    workspace_id: int
    kind: str
    name: str
    secret: str
    verify_token: str | None
    source: str | None

    def __repr__(self) -> str:  # keep secrets out of tracebacks and logs
        return f"EndpointKeys(id={self.id}, kind={self.kind!r})"

    @property
    def actor(self) -> Actor:
        """Who a verified delivery acts as: the workspace's operator, limited to what the routes call."""
        return Actor.operator(self.workspace_id)


def _info(row: WebhookEndpoint) -> EndpointInfo:
    return EndpointInfo(
        row.id,
        row.public_id,
        row.kind,
        row.name,
        row.source,
        row.created_at,
        row.last_used_at,
        row.revoked_at,
    )


def _secrets_for(kind: str, app_secret: str | None) -> tuple[str, str | None]:
    if kind == "meta":
        if not app_secret or not app_secret.strip() or len(app_secret.strip()) > 256 or "\x00" in app_secret:
            raise InvalidInput("a Meta webhook needs the app's App Secret (Meta app dashboard → Basic)")
        return app_secret.strip(), secrets.token_urlsafe(24)
    if kind == "telegram":
        return secrets.token_urlsafe(32), None
    return new_secret(), None


def create_endpoint(
    store: Store,
    actor: Actor,
    *,
    kind: str,
    name: str,
    app_secret: str | None = None,
    source: str | None = None,
) -> NewEndpoint:
    """Create a webhook endpoint for the actor's workspace."""
    require(actor, "workspace.admin")
    if kind not in WEBHOOK_KINDS:
        raise InvalidInput(f"webhook kind must be one of {', '.join(WEBHOOK_KINDS)}")
    name = name.strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise InvalidInput("a webhook needs a name (up to 200 characters)")
    if source and not _SOURCE.match(source):
        raise InvalidInput("source: lower-case letters, digits, '.', '_' or '-' (up to 64)")
    secret, verify_token = _secrets_for(kind, app_secret)
    box = secret_box(store)
    with store.transaction() as session:
        row = WebhookEndpoint(
            workspace_id=actor.workspace_id,
            public_id="wh_" + secrets.token_urlsafe(12),
            kind=kind,
            name=name,
            secret=box.seal(secret),
            verify_token=box.seal(verify_token) if verify_token else None,
            source=source or None,
            created_at=utcnow(),
            created_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        shown = None if kind == "meta" else secret
        return NewEndpoint(_info(row), shown, verify_token)


def list_endpoints(store: Store, actor: Actor) -> list[EndpointInfo]:
    require(actor, "workspace.admin")
    with store.read() as session:
        rows = session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.workspace_id == actor.workspace_id)
            .order_by(WebhookEndpoint.id.desc())
        )
        return [_info(row) for row in rows]


def revoke_endpoint(store: Store, actor: Actor, *, endpoint_id: int) -> EndpointInfo:
    require(actor, "workspace.admin")
    with store.transaction() as session:
        row = session.get(WebhookEndpoint, endpoint_id)
        if row is None or row.workspace_id != actor.workspace_id:
            raise NotFound(f"no webhook {endpoint_id} in this workspace")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        return _info(row)


def endpoint_keys(store: Store, *, kind: str, public_id: str) -> EndpointKeys:
    """The keys of an active endpoint of that kind, decrypted; `NotFound` otherwise (the same for every
    miss)."""
    box = secret_box(store)
    with store.read() as session:
        row = session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.public_id == public_id[:64]))
        if row is None or row.kind != kind or row.revoked_at is not None:
            raise NotFound("no such webhook")
        return EndpointKeys(
            row.id,
            row.workspace_id,
            row.kind,
            row.name,
            box.open(row.secret),
            box.open_optional(row.verify_token),
            row.source,
        )


def mark_used(store: Store, *, endpoint_id: int) -> None:
    with store.transaction() as session:
        session.execute(
            update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).values(last_used_at=utcnow())
        )


def previous_delivery(store: Store, *, endpoint_id: int, delivery_id: str) -> dict[str, Any] | None:
    """The outcome already given to this delivery id, or None when it is new."""
    with store.read() as session:
        outcome = session.scalar(
            select(WebhookDelivery.outcome).where(
                WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.delivery_id == delivery_id
            )
        )
        return dict(outcome) if outcome is not None else None


def record_delivery(store: Store, keys: EndpointKeys, *, delivery_id: str, outcome: dict[str, Any]) -> None:
    """Keep the delivery's outcome for its retries (a concurrent twin that got there first wins), and
    forget deliveries older than the replay window can reach."""
    now = utcnow()
    try:
        with store.transaction() as session:
            session.add(
                WebhookDelivery(
                    workspace_id=keys.workspace_id,
                    endpoint_id=keys.id,
                    delivery_id=delivery_id,
                    received_at=now,
                    outcome=storable(outcome),
                )
            )
            session.flush()
            session.execute(
                delete(WebhookDelivery).where(
                    WebhookDelivery.endpoint_id == keys.id,
                    WebhookDelivery.received_at < now - DELIVERIES_KEPT,
                )
            )
            session.execute(
                update(WebhookEndpoint).where(WebhookEndpoint.id == keys.id).values(last_used_at=now)
            )
    except IntegrityError:
        return
