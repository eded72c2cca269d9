"""Writing one ingest batch: duplicates, authors, conversations, items and rollups (inside the caller's
transaction; nothing here commits)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, case, func, insert, select
from sqlalchemy.orm import Session

from peyvand.domain.metrics import SeriesRef
from peyvand.services.ingest_rows import PreparedItem
from peyvand.storage.dialect import insert_adding_on_conflict, insert_ignoring_conflicts
from peyvand.storage.tables import AuthorRecord, Conversation, Item, MetricPoint, MetricSeries

ITEMS = cast(Table, Item.__table__)
AUTHOR_FIELDS = ("handle", "name", "email", "followers", "bio", "verified", "audience")


def existing_keys(
    session: Session, workspace_id: int, keys: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in keys:
        by_source[source].append(external_id)
    found: set[tuple[str, str]] = set()
    for source, ids in by_source.items():
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(Item.external_id).where(
                    Item.workspace_id == workspace_id,
                    Item.source == source,
                    Item.external_id.in_(ids[start : start + 500]),
                )
            )
            found.update((source, external_id) for (external_id,) in rows)
    return found


def upsert_authors(
    session: Session, workspace_id: int, prepared: list[PreparedItem], now: datetime
) -> dict[tuple[str, str], int]:
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for p in prepared:
        if p.author:
            wanted[(p.row["source"], p.author["key"])] = p.author
    ids: dict[tuple[str, str], int] = {}
    for source in {s for s, _ in wanted}:
        keys = [k for s, k in wanted if s == source]
        for record in session.scalars(
            select(AuthorRecord).where(
                AuthorRecord.workspace_id == workspace_id,
                AuthorRecord.source == source,
                AuthorRecord.key.in_(keys),
            )
        ):
            data = wanted[(source, record.key)]
            for name in AUTHOR_FIELDS:
                if data.get(name) is not None:
                    setattr(record, name, data[name])
            record.last_seen = max(record.last_seen, now)
            ids[(source, record.key)] = record.id
    for (source, key), data in wanted.items():
        if (source, key) not in ids:
            fields = {name: data.get(name) for name in AUTHOR_FIELDS}
            record = AuthorRecord(
                workspace_id=workspace_id, source=source, key=key, first_seen=now, last_seen=now, **fields
            )
            session.add(record)
            session.flush()
            ids[(source, key)] = record.id
    return ids


def attach_conversations(
    session: Session, workspace_id: int, prepared: list[PreparedItem], author_ids: dict[tuple[str, str], int]
) -> set[int]:
    """Find or open the conversation of each interaction and set its id on the row."""
    keys = {p.conversation_key for p in prepared if p.conversation_key}
    existing = (
        {
            c.key: c
            for c in session.scalars(
                select(Conversation).where(
                    Conversation.workspace_id == workspace_id, Conversation.key.in_(keys)
                )
            )
        }
        if keys
        else {}
    )
    touched: set[int] = set()
    for p in prepared:
        if not p.conversation_key:
            continue
        conversation = existing.get(p.conversation_key)
        if conversation is None:
            conversation = Conversation(
                workspace_id=workspace_id,
                key=p.conversation_key,
                source=p.row["source"],
                status="open",
                team=p.row["team"],
                unit=p.row["unit"],
                first_message_at=p.row["occurred_at"],
                last_message_at=p.row["occurred_at"],
            )
            session.add(conversation)
            session.flush()
            existing[p.conversation_key] = conversation
        if conversation.author_id is None and p.author:
            conversation.author_id = author_ids.get((p.row["source"], p.author["key"]))
        p.row["conversation_id"] = conversation.id
        touched.add(conversation.id)
    return touched


def refresh_conversations(session: Session, conversation_ids: set[int]) -> None:
    """Recompute first/last message, first reply and waiting-since from the conversation's items."""
    if not conversation_ids:
        return
    outbound = Item.direction == "outbound"
    ids = list(conversation_ids)
    stats = session.execute(
        select(
            Item.conversation_id,
            func.min(Item.occurred_at),
            func.max(Item.occurred_at),
            func.min(case((outbound, Item.occurred_at))),
            func.max(case((outbound, Item.occurred_at))),
            func.max(case((~outbound, Item.occurred_at))),
        )
        .where(Item.conversation_id.in_(ids))
        .group_by(Item.conversation_id)
    ).all()
    for conv_id, first, last, first_reply, last_reply, last_inbound in stats:
        conversation = session.get(Conversation, conv_id)
        assert conversation is not None
        conversation.first_message_at, conversation.last_message_at = first, last
        conversation.first_reply_at = first_reply
        conversation.waiting_since = _waiting_since(session, conv_id, last_reply, last_inbound)
        if conversation.status == "resolved" and last_inbound and conversation.resolved_at:
            if last_inbound > conversation.resolved_at:
                conversation.status, conversation.resolved_at = "open", None


def _waiting_since(session: Session, conv_id: int, last_reply: Any, last_inbound: Any) -> datetime | None:
    if last_inbound is None or (last_reply is not None and last_reply >= last_inbound):
        return None
    query = select(func.min(Item.occurred_at)).where(
        Item.conversation_id == conv_id, Item.direction != "outbound"
    )
    if last_reply is not None:
        query = query.where(Item.occurred_at > last_reply)
    return session.scalar(query)


def insert_items(session: Session, workspace_id: int, prepared: list[PreparedItem]) -> None:
    if not prepared:
        return
    rows = [{"workspace_id": workspace_id, **p.row} for p in prepared]
    keys = set().union(*rows)
    defaults = {k: _column_default(k) for k in keys}
    uniform = [{k: row[k] if k in row else defaults[k]() for k in keys} for row in rows]
    session.connection().execute(insert(ITEMS), uniform)  # Core executemany: no ORM bookkeeping


def _column_default(name: str) -> Any:
    """A factory for the value an items column takes when a row does not give it."""
    default = ITEMS.c[name].default
    if default is None:
        return lambda: None
    arg = getattr(default, "arg", None)
    if callable(arg):
        return lambda: arg(None)
    return lambda: arg


def _series_ids(
    session: Session,
    dialect: str,
    workspace_id: int,
    refs: dict[str, tuple[SeriesRef, PreparedItem]],
    now: datetime,
) -> dict[str, int]:
    rows = [
        {
            "workspace_id": workspace_id,
            "key": key,
            "metric": ref.metric,
            "dims": dict(ref.dims),
            "origin": ref.origin,
            "team": p.row["team"],
            "unit": p.row["unit"],
            "created_at": now,
        }
        for key, (ref, p) in refs.items()
    ]
    table = cast(Table, MetricSeries.__table__)
    session.execute(insert_ignoring_conflicts(table, dialect, ["workspace_id", "key"]), rows)
    found = session.execute(
        select(MetricSeries.key, MetricSeries.id).where(
            MetricSeries.workspace_id == workspace_id, MetricSeries.key.in_(list(refs))
        )
    )
    return dict(found.all())


def add_rollups(
    session: Session, dialect: str, workspace_id: int, prepared: list[PreparedItem], now: datetime
) -> None:
    """Add each accepted reaction to the hourly and daily buckets of the series it feeds."""
    refs = {ref.key: (ref, p) for p in prepared for ref in p.series}
    if not refs:
        return
    series_ids = _series_ids(session, dialect, workspace_id, refs, now)
    sums: dict[tuple[int, str, datetime], list[Any]] = {}
    for p in prepared:
        for ref in p.series:
            for bucket in p.buckets:
                slot = sums.setdefault(
                    (series_ids[ref.key], bucket.grain, bucket.start), [bucket.local_date, 0.0, 0]
                )
                slot[1] += p.row["value"]
                slot[2] += 1
    rows = [
        {
            "workspace_id": workspace_id,
            "series_id": sid,
            "grain": grain,
            "bucket_start": start,
            "local_date": local_date,
            "value_sum": total,
            "n": n,
        }
        for (sid, grain, start), (local_date, total, n) in sums.items()
    ]
    stmt = insert_adding_on_conflict(
        cast(Table, MetricPoint.__table__),
        dialect,
        ["series_id", "grain", "bucket_start"],
        ["value_sum", "n"],
    )
    session.execute(stmt, rows)
