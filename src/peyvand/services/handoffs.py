"""Handoffs: PR hands a single conversation to marketing (e.g. a wholesale lead) with a note; both teams
see it on the exchange, and marketing can read the conversation and mark the handoff done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import get_conversation, record_event
from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Conversation, Handoff, Item, User

MAX_NOTE = 5_000
TEAMS = ("pr", "marketing")
HANDOFF_STATUSES = ("open", "done")


@dataclass(frozen=True)
class HandoffView:
    id: int
    conversation_id: int | None
    from_team: str
    to_team: str
    note: str
    status: str
    by: str | None
    created_at: datetime
    source: str | None = None
    person: str | None = None
    first_message: str | None = None
    first_message_language: str | None = None  # detected: fa, en, other

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["created_at"] = self.created_at.isoformat()
        return data


def hand_off_conversation(
    store: Store, actor: Actor, *, conversation_id: int, note: str, to_team: str = "marketing"
) -> int:
    """Hand the conversation to the other team with a note; PR keeps working it. Returns the handoff id."""
    require(actor, "conversations.work")
    note = note.strip()
    if to_team not in TEAMS or to_team == "pr":
        raise InvalidInput("a PR conversation is handed off to marketing")
    if not note or len(note) > MAX_NOTE:
        raise InvalidInput(f"a handoff needs a note saying why (up to {MAX_NOTE:,} characters)")
    now = utcnow()
    with store.transaction() as session:
        conversation = get_conversation(session, actor, conversation_id)
        first = session.scalar(
            select(Item.id).where(Item.conversation_id == conversation.id).order_by(Item.occurred_at).limit(1)
        )
        handoff = Handoff(
            workspace_id=actor.workspace_id,
            item_id=first,
            conversation_id=conversation.id,
            from_team="pr",
            to_team=to_team,
            note=note,
            status="open",
            user_id=actor.user_id,
            created_at=now,
        )
        session.add(handoff)
        session.flush()
        record_event(
            session,
            conversation,
            "handoff",
            at=now,
            user_id=actor.user_id,
            to_team=to_team,
            handoff_id=handoff.id,
        )
        return handoff.id


def set_handoff_status(store: Store, actor: Actor, *, handoff_id: int, status: str) -> None:
    """Marketing (or PR) marks a handoff done, or open again."""
    require(actor, "handoffs.work")
    if status not in HANDOFF_STATUSES:
        raise InvalidInput("a handoff is open or done")
    with store.transaction() as session:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.workspace_id != actor.workspace_id:
            raise NotFound("handoff")
        handoff.status = status


def _view(
    h: Handoff,
    by: str | None,
    source: str | None,
    person: str | None,
    text: str | None,
    language: str | None = None,
) -> HandoffView:
    return HandoffView(
        h.id, h.conversation_id, h.from_team, h.to_team, h.note, h.status, by, h.created_at, source, person,
        (text or "")[:300] or None, language,
    )  # fmt: skip


def conversation_handoffs(session: Session, conversation_id: int) -> list[HandoffView]:
    rows = session.execute(
        select(Handoff, User.display_name)
        .outerjoin(User, User.id == Handoff.user_id)
        .where(Handoff.conversation_id == conversation_id)
        .order_by(Handoff.created_at)
    )
    return [_view(h, by, None, None, None) for h, by in rows]


def list_handoffs(
    store: Store, actor: Actor, *, days: int = 90, status: str | None = None
) -> list[HandoffView]:
    """The workspace's handoffs of the last `days` days, newest first, with the conversation's first
    message."""
    require(actor, "handoffs.read")
    since = utcnow() - timedelta(days=days)
    query = (
        select(
            Handoff,
            User.display_name,
            Conversation.source,
            AuthorRecord.handle,
            AuthorRecord.name,
            Item.text,
            Item.title,
            Item.language,
        )
        .outerjoin(User, User.id == Handoff.user_id)
        .outerjoin(Conversation, Conversation.id == Handoff.conversation_id)
        .outerjoin(AuthorRecord, AuthorRecord.id == Conversation.author_id)
        .outerjoin(Item, Item.id == Handoff.item_id)
        .where(Handoff.workspace_id == actor.workspace_id, Handoff.created_at >= since)
        .order_by(Handoff.created_at.desc(), Handoff.id.desc())
    )
    if status in HANDOFF_STATUSES:
        query = query.where(Handoff.status == status)
    with store.read() as session:
        return [
            _view(h, by, source, name or handle, text or title, language)
            for h, by, source, handle, name, text, title, language in session.execute(query)
        ]
