"""The HTTP ingest API's tables: webhook endpoints and their deliveries, browser uploads waiting for the
worker, and the index that finds items still waiting for enrichment.

API tokens live in `tables.ApiToken` (name, visible prefix, the HMAC of the token, scopes, last use,
revocation). A **webhook endpoint** is where one platform posts to one workspace: its public id is in the
URL, its secret (the HMAC key of a generic webhook, Meta's app secret, Telegram's secret token) is kept so
requests can be verified, and Meta's verify token answers the subscription handshake; both are encrypted at
rest (`storage.sealed`). A **delivery** is one
generic webhook request, kept by its `webhook-id` so a retried delivery is answered once. An **upload** is a
file sent through the imports page, kept here until the worker has ingested it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from peyvand.storage.tables import Base, Item

WEBHOOK_KINDS = ("generic", "meta", "telegram")


class WebhookEndpoint(Base):
    """Where one platform posts to one workspace (`/api/v1/webhooks/<kind>/<public_id>`)."""

    __tablename__ = "webhook_endpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(Text)  # sealed (storage.sealed): encrypted at rest
    verify_token: Mapped[str | None] = mapped_column(Text)  # sealed
    source: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One generic webhook delivery, by its `webhook-id`: a retry of it is answered with this outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "delivery_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    delivery_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(index=True)
    outcome: Mapped[dict[str, Any]] = mapped_column(default=dict)


class IngestUpload(Base):
    """A file sent through the imports page; the worker ingests it and links the import run."""

    __tablename__ = "ingest_uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(32), default="auto")
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    mapping: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


# Items stored by the API before their text is understood have no `enriched_at`; the enrichment job finds
# them through this partial index (it holds only those rows, so it stays small).
PENDING_ENRICHMENT = Index(
    "ix_items_pending_enrichment",
    Item.workspace_id,
    Item.id,
    sqlite_where=text("enriched_at IS NULL"),
    postgresql_where=text("enriched_at IS NULL"),
)
