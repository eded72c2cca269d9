"""The marketing desk's tables: where the signal job has got to, saved target markets and segments, and
loops (nurture sequences) with their steps and events.

**Signal cursors** make the signal job incremental: per series and grain, the last period the engine has
evaluated; the next run tests only the periods after it (the history before still feeds the baseline).
The signals themselves live in `tables.Signal`.

An **audience** is a saved definition, either a `target_market` (who a marketing campaign sells to) or a
`segment` (who a loop sends to): a name and a `dims` filter over metric dimensions and contact data
(`domain.audiences.matches`). A **loop** sends its ordered **steps** to a segment until the contact
converts; `status` is `active` or `paused`, with who paused it (`person` or `crisis`) and the reason.
**Loop events** are sends, opens, clicks, conversions and unsubscribes, unique per workspace on a
fingerprint of (loop, contact, step, event, at), so importing a file twice adds nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peyvand.storage.tables import Base

AUDIENCE_KINDS = ("target_market", "segment")
LOOP_STATUSES = ("active", "paused")


def _workspace() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


class SignalCursor(Base):
    """How far the signal job has evaluated one series at one grain (the start of the last period tested)."""

    __tablename__ = "signal_cursors"
    __table_args__ = (UniqueConstraint("series_id", "grain"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    series_id: Mapped[int] = mapped_column(ForeignKey("metric_series.id", ondelete="CASCADE"), index=True)
    grain: Mapped[str] = mapped_column(String(8))
    evaluated_through: Mapped[datetime]
    ran_at: Mapped[datetime]


class Audience(Base):
    """A saved target market or segment: a name and a filter over metric dimensions and contact data."""

    __tablename__ = "audiences"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    dims: Mapped[dict[str, Any]] = mapped_column(default=dict)
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MarketingLoop(Base):
    """A nurture sequence: ordered steps sent to a segment until conversion; paused by a person or by a
    PR crisis (unless `crisis_safe`)."""

    __tablename__ = "loops"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str | None] = mapped_column(String(32))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("audiences.id", ondelete="SET NULL"))
    crisis_safe: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    paused_by: Mapped[str | None] = mapped_column(String(16))
    pause_reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    paused_at: Mapped[datetime | None]
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]


class LoopStep(Base):
    """One step of a loop, in order; `key` is what events name as their step."""

    __tablename__ = "loop_steps"
    __table_args__ = (UniqueConstraint("loop_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    loop_id: Mapped[int] = mapped_column(ForeignKey("loops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    content_key: Mapped[str | None] = mapped_column(String(64))
    wait_days: Mapped[int | None] = mapped_column(Integer)


class LoopEventRecord(Base):
    """A send, open, click, conversion or unsubscribe of one contact; a conversion may name no loop."""

    __tablename__ = "loop_events"
    __table_args__ = (
        UniqueConstraint("workspace_id", "fingerprint"),
        Index(None, "workspace_id", "contact"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    loop_id: Mapped[int | None] = mapped_column(ForeignKey("loops.id", ondelete="CASCADE"), index=True)
    contact: Mapped[str] = mapped_column(String(128))
    step: Mapped[str | None] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    value: Mapped[float | None] = mapped_column(Float)
    fingerprint: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
