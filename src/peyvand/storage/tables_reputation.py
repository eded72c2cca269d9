"""The PR desk's reputation tables: crises found in the brand's conversation, and content pickups.

A **crisis** is a window of local days in which negative volume rose and net sentiment fell together
(`analysis.reputation.crisis_candidates` over the signal engine's changes). The detection job writes it as
`suggested`; PR confirms or dismisses it, and closes a confirmed one when it is over. `evidence` keeps the
numbers the suggestion rests on (the two changes, the counts in the window), never message text.

A **content pickup** is a later mention that links to or repeats a PR piece (`analysis.spread`); the
spread job stores them so the pages read a table instead of matching text on every request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peyvand.storage.tables import Base

CRISIS_STATUSES = ("suggested", "confirmed", "dismissed", "closed")


class Crisis(Base):
    """A suspected or confirmed crisis: its window (local dates), status, and the evidence behind it."""

    __tablename__ = "crises"
    __table_args__ = (UniqueConstraint("workspace_id", "start"), Index(None, "workspace_id", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="suggested")
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    detected_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ContentPickup(Base):
    """One mention that picked up one piece of PR content, by `link` or near-duplicate `text`."""

    __tablename__ = "content_pickups"
    __table_args__ = (UniqueConstraint("content_id", "item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("content.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    match: Mapped[str] = mapped_column(String(8))
    similarity: Mapped[float | None] = mapped_column(Float)
    reach: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(64))
    found_at: Mapped[datetime]
