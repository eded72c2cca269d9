"""The document `peyvand.services.personal_data.export_person` gives: one person's data as plain JSON
(format `peyvand.personal-data/1`, described in docs/privacy.md). Reads only; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from peyvand.services.personal_data_erasure import chunks, is_erased_key, loop_events_query
from peyvand.storage.tables import AuthorRecord, Conversation, DecisionLog, Handoff, Item, User, Workspace
from peyvand.storage.tables_inbox import InboxNote
from peyvand.storage.tables_marketing import MarketingLoop
from peyvand.storage.tables_text import TextLabel

FORMAT = "peyvand.personal-data/1"
AUTHOR_FIELDS = (
    "id", "source", "handle", "name", "email", "followers", "bio", "verified", "audience", "beats", "stance",
    "notes", "first_seen", "last_seen", "last_contact_at",
)  # fmt: skip
ITEM_FIELDS = (
    "id", "source", "external_id", "kind", "feedback", "direction", "occurred_at", "title", "text", "url",
    "language", "sentiment", "sentiment_score", "intent", "audience", "products", "competitors", "attributes",
    "team", "unit", "share_with", "author_id", "conversation_id",
)  # fmt: skip


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _row(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _authors(session: Session, workspace_id: int, ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuthorRecord)
        .where(AuthorRecord.workspace_id == workspace_id, AuthorRecord.id.in_(ids))
        .order_by(AuthorRecord.id)
    )
    return [_row(a, AUTHOR_FIELDS) | {"erased": is_erased_key(a.key)} for a in rows]


def _items(session: Session, workspace_id: int, ids: Sequence[int]) -> list[dict[str, Any]]:
    out = []
    for part in chunks(ids):
        rows = session.scalars(
            select(Item).where(Item.workspace_id == workspace_id, Item.id.in_(part)).order_by(Item.id)
        )
        # an item's text is NULL only once erased: ingest stores an empty text for a record without one
        out += [_row(i, ITEM_FIELDS) | {"erased": i.text is None} for i in rows]
    return sorted(out, key=lambda i: (i["occurred_at"], i["id"]))


def _conversations(session: Session, workspace_id: int, ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Conversation, User.display_name)
        .outerjoin(User, User.id == Conversation.assignee_id)
        .where(Conversation.workspace_id == workspace_id, Conversation.id.in_(ids))
        .order_by(Conversation.id)
    )
    names = ("id", "source", "status", "priority", "team", "unit", "first_message_at", "last_message_at")
    return [
        _row(c, names) | {"resolved_at": _plain(c.resolved_at), "assignee": assignee} for c, assignee in rows
    ]


def _notes(session: Session, workspace_id: int, conversation_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = session.execute(
        select(InboxNote, User.display_name)
        .outerjoin(User, User.id == InboxNote.user_id)
        .where(InboxNote.workspace_id == workspace_id, InboxNote.conversation_id.in_(conversation_ids))
        .order_by(InboxNote.created_at, InboxNote.id)
    )
    return [
        {"conversation_id": n.conversation_id, "text": n.text, "by": by, "created_at": _plain(n.created_at)}
        for n, by in rows
    ]


def _handoffs(
    session: Session, workspace_id: int, conversation_ids: Sequence[int], item_ids: Sequence[int]
) -> list[dict[str, Any]]:
    mine = [Handoff.conversation_id.in_(conversation_ids)]
    mine += [Handoff.item_id.in_(part) for part in chunks(item_ids)]
    rows = session.scalars(
        select(Handoff).where(Handoff.workspace_id == workspace_id, or_(*mine)).order_by(Handoff.id)
    )
    names = ("conversation_id", "item_id", "from_team", "to_team", "note", "status", "created_at")
    return [_row(h, names) for h in rows]


def _of_items(
    session: Session, workspace_id: int, model: Any, item_ids: Sequence[int], names: Sequence[str]
) -> list[dict[str, Any]]:
    """The `names` of the rows of `model` (a table with workspace_id and item_id) about these items."""
    out = []
    for part in chunks(item_ids):
        rows = session.scalars(
            select(model)
            .where(model.workspace_id == workspace_id, model.item_id.in_(part))
            .order_by(model.id)
        )
        out += [_row(r, names) for r in rows]
    return out


def _corrections(session: Session, workspace_id: int, item_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What people and models changed on the items after ingest (routing, sentiment, intent, audience)."""
    names = ("item_id", "field", "previous", "value", "actor", "note", "at")
    return _of_items(session, workspace_id, DecisionLog, item_ids, names)


def _labels(session: Session, workspace_id: int, item_ids: Sequence[int]) -> list[dict[str, Any]]:
    names = ("item_id", "task", "label", "source", "text", "updated_at")
    return _of_items(session, workspace_id, TextLabel, item_ids, names)


def _loop_events(session: Session, workspace_id: int, contacts: Sequence[str]) -> list[dict[str, Any]]:
    event = loop_events_query(workspace_id, contacts).subquery()
    loop = aliased(MarketingLoop)
    rows = session.execute(
        select(event, loop.key.label("loop"))
        .outerjoin(loop, loop.id == event.c.loop_id)
        .order_by(event.c.at, event.c.id)
    )
    names = ("loop", "contact", "step", "event", "at", "value")
    return [{name: _plain(getattr(r, name)) for name in names} for r in rows]


def export_document(
    session: Session,
    workspace_id: int,
    *,
    author_ids: Sequence[int],
    conversation_ids: Sequence[int],
    item_ids: Sequence[int],
    contacts: Sequence[str],
    now: datetime,
) -> dict[str, Any]:
    workspace = session.get(Workspace, workspace_id)
    return {
        "format": FORMAT,
        "workspace": workspace.slug if workspace else None,
        "exported_at": now.isoformat(),
        "authors": _authors(session, workspace_id, author_ids),
        "items": _items(session, workspace_id, item_ids),
        "conversations": _conversations(session, workspace_id, conversation_ids),
        "notes": _notes(session, workspace_id, conversation_ids),
        "handoffs": _handoffs(session, workspace_id, conversation_ids, item_ids),
        "corrections": _corrections(session, workspace_id, item_ids),
        "text_labels": _labels(session, workspace_id, item_ids),
        "loop_events": _loop_events(session, workspace_id, contacts),
    }
