"""One conversation as the PR person works it: the thread (inbound and outbound, with each reply's
delivery), internal notes, the history of changes, the person and their other conversations, the SLA
computed now, and handoffs. Marketing may read (not work) a conversation PR shared or handed to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.domain.sla import AppliedSla
from peyvand.services.access import AccessDenied, Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.handoffs import HandoffView, conversation_handoffs
from peyvand.services.inbox_common import get_conversation, workers
from peyvand.services.inbox_people import PersonConversation, person_conversations
from peyvand.services.outbound import DeliveryInfo, delivery_info, integration_of
from peyvand.services.sla_tracking import live_sla
from peyvand.storage.db import Store
from peyvand.storage.dialect import json_array_contains
from peyvand.storage.tables import AuthorRecord, Conversation, DecisionLog, Handoff, Item, User
from peyvand.storage.tables_inbox import AppliedSlaRecord, InboxEvent, InboxNote, OutboundDelivery

MESSAGE_FIELDS = (
    "id", "external_id", "direction", "kind", "occurred_at", "in_reply_to", "title", "text", "url",
    "language", "sentiment", "sentiment_score", "sentiment_provisional", "intent", "audience", "team", "unit",
    "share_with", "reasons",
)  # fmt: skip


@dataclass(frozen=True)
class ThreadMessage:
    item: dict[str, Any]
    delivery: DeliveryInfo | None = None
    overridden: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.item)
        data["occurred_at"] = data["occurred_at"].isoformat()
        data["delivery"] = self.delivery.to_json() if self.delivery else None
        data["overridden"] = self.overridden
        return data


@dataclass(frozen=True)
class NoteView:
    id: int
    author: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class EventView:
    kind: str
    actor: str
    user: str | None
    details: dict[str, Any]
    at: datetime


@dataclass
class ConversationView:
    conversation: Conversation
    person: AuthorRecord | None
    assignee: str | None
    messages: list[ThreadMessage]
    notes: list[NoteView]
    events: list[EventView]
    others: list[PersonConversation]
    sla: AppliedSla | None
    escalated_at: datetime | None
    handoffs: list[HandoffView]
    workers: list[tuple[int, str]]
    can_work: bool
    outbound_configured: bool
    now: datetime


def _may_read(session: Session, actor: Actor, conversation: Conversation, dialect: str) -> bool:
    """PR and admins read every conversation; marketing those shared or handed to it."""
    if actor.can("conversations.read_all"):
        return True
    if not actor.can("handoffs.read"):
        return False
    handed = session.scalar(
        select(Handoff.id)
        .where(Handoff.conversation_id == conversation.id, Handoff.to_team == "marketing")
        .limit(1)
    )
    shared = session.scalar(
        select(Item.id)
        .where(
            Item.conversation_id == conversation.id,
            json_array_contains(Item.share_with, "marketing", dialect),
        )
        .limit(1)
    )
    return handed is not None or shared is not None


def _messages(session: Session, conversation_id: int) -> list[ThreadMessage]:
    items = list(
        session.scalars(
            select(Item).where(Item.conversation_id == conversation_id).order_by(Item.occurred_at, Item.id)
        )
    )
    ids = [i.id for i in items]
    deliveries = {
        d.item_id: delivery_info(d)
        for d in session.scalars(select(OutboundDelivery).where(OutboundDelivery.item_id.in_(ids)))
    }
    overridden: dict[int, list[str]] = {}
    for item_id, name in session.execute(
        select(DecisionLog.item_id, DecisionLog.field).where(
            DecisionLog.item_id.in_(ids), DecisionLog.actor == "person"
        )
    ):
        overridden.setdefault(item_id, []).append(name)
    return [
        ThreadMessage(
            {k: getattr(i, k) for k in MESSAGE_FIELDS},
            deliveries.get(i.id),
            sorted(set(overridden.get(i.id, []))),
        )
        for i in items
    ]


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(sorted(user_ids))))
    return {uid: str(name) for uid, name in rows}


def _notes_and_events(session: Session, conversation_id: int) -> tuple[list[NoteView], list[EventView]]:
    notes = list(
        session.scalars(
            select(InboxNote).where(InboxNote.conversation_id == conversation_id).order_by(InboxNote.id)
        )
    )
    events = list(
        session.scalars(
            select(InboxEvent)
            .where(InboxEvent.conversation_id == conversation_id)
            .order_by(InboxEvent.at, InboxEvent.id)
        )
    )
    names = _names(
        session, {n.user_id for n in notes if n.user_id} | {e.user_id for e in events if e.user_id}
    )
    return (
        [NoteView(n.id, names.get(n.user_id or 0), n.text, n.created_at) for n in notes],
        [EventView(e.kind, e.actor, names.get(e.user_id or 0), dict(e.details), e.at) for e in events],
    )


def conversation_view(
    store: Store, actor: Actor, *, conversation_id: int, now: datetime | None = None
) -> ConversationView:
    """Everything the conversation page shows."""
    require(actor, "pr_desk.read")
    now = now or utcnow()
    with store.read() as session:
        conversation = get_conversation(session, actor, conversation_id)
        if not _may_read(session, actor, conversation, store.dialect):
            raise AccessDenied(f"role {actor.role!r} may not read this conversation")
        person = session.get(AuthorRecord, conversation.author_id) if conversation.author_id else None
        notes, events = _notes_and_events(session, conversation.id)
        applied = session.scalar(
            select(AppliedSlaRecord).where(AppliedSlaRecord.conversation_id == conversation.id)
        )
        return ConversationView(
            conversation=conversation,
            person=person,
            assignee=_names(session, {conversation.assignee_id} if conversation.assignee_id else set()).get(
                conversation.assignee_id or 0
            ),
            messages=_messages(session, conversation.id),
            notes=notes,
            events=events,
            others=person_conversations(session, conversation),
            sla=live_sla(session, conversation, now),
            escalated_at=applied.escalated_at if applied else None,
            handoffs=conversation_handoffs(session, conversation.id),
            workers=workers(session, actor.workspace_id),
            can_work=actor.can("conversations.work"),
            outbound_configured=integration_of(session, actor.workspace_id) is not None,
            now=now,
        )
