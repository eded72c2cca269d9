"""The PR desk's inbox: notes, state-change events, SLA policies and the SLAs applied to conversations,
assignment settings and the people in the rotation, saved filters, and outbound replies' webhook
integration and deliveries. (Conversations, items, handoffs and routing-rule overrides live in `tables`.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peyvand.storage.tables import Base


def _ws() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


def _conversation() -> Mapped[int]:
    return mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)


def _user() -> Mapped[int | None]:
    return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class InboxNote(Base):
    """An internal note on a conversation: seen by the team, never sent out."""

    __tablename__ = "inbox_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws()
    conversation_id: Mapped[int] = _conversation()
    user_id: Mapped[int | None] = _user()
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class InboxEvent(Base):
    """A reporting event at each state change of a conversation (assigned, status, priority, unit, reply,
    note, escalated, handoff), by a person or by Peyvand (`actor`: person, assignment, sla, rules, ingest)."""

    __tablename__ = "inbox_events"
    __table_args__ = (Index(None, "workspace_id", "kind", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = _conversation()
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = _user()
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


class SlaPolicyRecord(Base):
    """An SLA policy: targets in business minutes, the week it runs on and the holidays it skips."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws()
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(16))
    first_response_minutes: Mapped[float | None] = mapped_column(Float)
    next_response_minutes: Mapped[float | None] = mapped_column(Float)
    resolution_minutes: Mapped[float | None] = mapped_column(Float)
    escalate_after_minutes: Mapped[float | None] = mapped_column(Float)
    week: Mapped[str] = mapped_column(String(16), default="iranian")
    thursday: Mapped[str] = mapped_column(String(8), default="half")
    opens_minute: Mapped[int] = mapped_column(Integer, default=8 * 60)
    closes_minute: Mapped[int] = mapped_column(Integer, default=16 * 60)
    iranian_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AppliedSlaRecord(Base):
    """The SLA applied to one conversation as last evaluated: each target's status and due time."""

    __tablename__ = "applied_slas"
    __table_args__ = (Index(None, "workspace_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    first_response_status: Mapped[str] = mapped_column(String(16))
    first_response_due_at: Mapped[datetime | None]
    next_response_status: Mapped[str] = mapped_column(String(16))
    next_response_due_at: Mapped[datetime | None]
    next_response_breaches: Mapped[int] = mapped_column(default=0)
    resolution_status: Mapped[str] = mapped_column(String(16))
    resolution_due_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]
    waiting_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    escalated_at: Mapped[datetime | None]
    evaluated_at: Mapped[datetime]


class AssignmentSettings(Base):
    """How new conversations are given to people: round robin or least load, with a per-person cap."""

    __tablename__ = "assignment_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True)
    strategy: Mapped[str] = mapped_column(String(16), default="round_robin")
    cap: Mapped[int | None] = mapped_column(Integer)
    auto_assign: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = _user()


class InboxAgent(Base):
    """A person in the assignment rotation and the units (media, advertising, none) they take."""

    __tablename__ = "inbox_agents"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    units: Mapped[list[Any]] = mapped_column(default=list)
    in_rotation: Mapped[bool] = mapped_column(Boolean, default=True)
    last_assigned_at: Mapped[datetime | None]


class SavedFilter(Base):
    """A person's named inbox filter."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class OutboundIntegration(Base):
    """Where a workspace's replies are sent: one signed webhook endpoint (Standard Webhooks scheme)."""

    __tablename__ = "outbound_integrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(Text)  # sealed (storage.sealed): encrypted at rest
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = _user()


class OutboundDelivery(Base):
    """One reply's delivery through the outbound integration: queued, delivered, failed or not sent."""

    __tablename__ = "outbound_deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _ws()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = _conversation()
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    response_status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = _user()
