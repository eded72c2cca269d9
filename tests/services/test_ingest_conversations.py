"""Ingest's set-based conversation writing gives exactly what the former per-conversation queries gave:
first/last message, first reply, waiting-since, reopening, the conversation's person, and one author row
per person, over a mixed import written in several batches."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from peyvand.services.access import Actor
from peyvand.services.ingest import ingest_records
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Conversation, Item


def message(
    i: int, thread: str | None, at: str, *, outbound: bool = False, who: str = "ali"
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"m{i}",
        "source": "instagram",
        "kind": "reply" if outbound else "comment",
        "created_at": f"2026-03-01T{at}:00Z",
        "text": "قیمت چای سبز نیلوفر چنده؟",
        "author": {"handle": "niloofartea" if outbound else who},
    }
    if outbound:
        item["direction"] = "outbound"
    if thread:
        item["thread_id"] = thread
    return item


FIRST_IMPORT = [
    message(1, "only-inbound", "10:00"),
    message(2, "only-inbound", "09:00", who="sara"),
    message(3, "answered", "10:00"),
    message(4, "answered", "10:30", outbound=True),
    message(5, "asked-again", "10:00"),
    message(6, "asked-again", "10:10", outbound=True),
    message(7, "asked-again", "11:00"),
    message(8, "asked-again", "11:20"),
    message(9, "same-minute", "10:00"),
    message(10, "same-minute", "10:00", outbound=True),
    message(11, "brand-first", "08:00", outbound=True),
    message(12, "brand-first", "08:30", who="reza"),
    message(13, None, "12:00", who="dm-person"),  # a conversation keyed by its person
    message(14, None, "12:05", who="dm-person"),
    message(15, "resolved-then-new", "09:00"),
    message(16, "resolved-then-old", "09:00"),
]
SECOND_IMPORT = [
    message(17, "answered", "09:00"),  # older than the reply: still answered
    message(18, "asked-again", "12:00", outbound=True),
    message(19, "only-inbound", "08:00", who="sara"),
    message(20, "resolved-then-new", "15:00"),  # newer than the resolution: reopens
    message(21, "resolved-then-old", "08:00"),  # older than the resolution: stays resolved
    message(22, None, "12:10", who="dm-person"),
    message(23, "brand-first", "09:00", outbound=True),
]


def _import(store: Store, actor: Actor, items: list[dict[str, Any]]) -> None:
    data = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in items)
    records = jsonl.parse(io.BytesIO(data), context=SourceContext())
    ingest_records(store, actor, records, label="conversations", format="jsonl", batch_size=3)


def _former_times(session: Session, conv_id: int) -> tuple[Any, ...]:
    """The former per-conversation computation, kept here as the reference."""
    outbound = Item.direction == "outbound"
    first, last, first_reply, last_reply, last_inbound = session.execute(
        select(
            func.min(Item.occurred_at),
            func.max(Item.occurred_at),
            func.min(case((outbound, Item.occurred_at))),
            func.max(case((outbound, Item.occurred_at))),
            func.max(case((~outbound, Item.occurred_at))),
        ).where(Item.conversation_id == conv_id)
    ).one()
    if last_inbound is None or (last_reply is not None and last_reply >= last_inbound):
        return first, last, first_reply, None
    query = select(func.min(Item.occurred_at)).where(Item.conversation_id == conv_id, ~outbound)
    if last_reply is not None:
        query = query.where(Item.occurred_at > last_reply)
    return first, last, first_reply, session.scalar(query)


def _resolve(store: Store, workspace_id: int, key: str, at: str) -> None:
    with store.transaction() as session:
        session.execute(
            update(Conversation)
            .where(Conversation.workspace_id == workspace_id, Conversation.key == f"instagram:{key}")
            .values(status="resolved", resolved_at=datetime.fromisoformat(f"2026-03-01T{at}:00+00:00"))
        )


def test_conversation_times_match_the_former_per_conversation_queries(store: Store, workspace: Actor) -> None:
    ws = workspace.workspace_id
    _import(store, workspace, FIRST_IMPORT)
    _resolve(store, ws, "resolved-then-new", "10:00")
    _resolve(store, ws, "resolved-then-old", "10:00")
    _import(store, workspace, SECOND_IMPORT)
    with store.read() as session:
        conversations = {
            c.key: c for c in session.scalars(select(Conversation).where(Conversation.workspace_id == ws))
        }
        assert len(conversations) == 8
        for conversation in conversations.values():
            stored = (
                conversation.first_message_at,
                conversation.last_message_at,
                conversation.first_reply_at,
                conversation.waiting_since,
            )
            assert stored == _former_times(session, conversation.id), conversation.key
        status = {key.removeprefix("instagram:"): c.status for key, c in conversations.items()}
        assert status["resolved-then-new"] == "open"
        assert conversations["instagram:resolved-then-new"].resolved_at is None
        assert status["resolved-then-old"] == "resolved"
        waiting = {key.removeprefix("instagram:"): c.waiting_since for key, c in conversations.items()}
        assert waiting["answered"] is None and waiting["same-minute"] is None
        assert waiting["asked-again"] is None  # the second import answered it
        assert waiting["only-inbound"] is not None and waiting["only-inbound"].hour == 8
        people = dict(
            session.execute(
                select(AuthorRecord.id, AuthorRecord.handle).where(AuthorRecord.workspace_id == ws)
            ).all()
        )
        assert sorted(people.values()) == ["ali", "dm-person", "reza", "sara"]  # one row per person
        person = {key.removeprefix("instagram:"): people.get(c.author_id) for key, c in conversations.items()}
    assert person["brand-first"] == "reza"  # the first message with a person, not the brand's
    assert person["only-inbound"] == "ali"
    assert person["@dm-person"] == "dm-person"


def test_a_returning_author_is_updated_not_duplicated(store: Store, workspace: Actor) -> None:
    first = {**message(1, None, "10:00", who="mina"), "author": {"handle": "mina", "name": "Mina"}}
    again = {**message(2, None, "11:00", who="mina"), "author": {"handle": "mina", "followers": 120}}
    _import(store, workspace, [first])
    with store.read() as session:
        seen_first = session.scalar(select(AuthorRecord.last_seen))
    _import(store, workspace, [again])
    with store.read() as session:
        author = session.scalars(
            select(AuthorRecord).where(AuthorRecord.workspace_id == workspace.workspace_id)
        ).one()
        # a field the new message leaves empty keeps its value
        assert (author.handle, author.name, author.followers) == ("mina", "Mina", 120)
        assert seen_first is not None and author.first_seen == seen_first and author.last_seen >= seen_first
        items = session.scalars(
            select(Item.author_id).where(Item.workspace_id == workspace.workspace_id)
        ).all()
    assert items == [author.id, author.id]
