"""Writing one ingest batch: duplicates, authors, conversations, items and rollups (inside the caller's
transaction; nothing here commits)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, case, func, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from peyvand.domain.metrics import SeriesRef
from peyvand.services.ingest_rows import PreparedItem
from peyvand.storage.dialect import insert_adding_on_conflict, insert_ignoring_conflicts
from peyvand.storage.tables import AuthorRecord, Conversation, Item, MetricPoint, MetricSeries

ITEMS = cast(Table, Item.__table__)
AUTHORS = cast(Table, AuthorRecord.__table__)
CONVERSATIONS = cast(Table, Conversation.__table__)
AUTHOR_FIELDS = ("handle", "name", "email", "followers", "bio", "verified", "audience")
AUTHOR_KEY = ["workspace_id", "source", "key"]
CONVERSATION_KEY = ["workspace_id", "key"]
IN_CHUNK = 500  # values in one IN (...) list: well under both databases' limits on bound parameters


def _dialect(session: Session) -> str:
    """The session's database (sqlite or postgresql), for the statements that differ (ON CONFLICT)."""
    return session.get_bind().dialect.name


def existing_keys(
    session: Session, workspace_id: int, keys: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in keys:
        by_source[source].append(external_id)
    found: set[tuple[str, str]] = set()
    for source, ids in by_source.items():
        for start in range(0, len(ids), IN_CHUNK):
            rows = session.execute(
                select(Item.external_id).where(
                    Item.workspace_id == workspace_id,
                    Item.source == source,
                    Item.external_id.in_(ids[start : start + IN_CHUNK]),
                )
            )
            found.update((source, external_id) for (external_id,) in rows)
    return found


def upsert_authors(
    session: Session, workspace_id: int, prepared: list[PreparedItem], now: datetime
) -> dict[tuple[str, str], int]:
    """The id of each author in the batch, by (source, key). A known author takes the batch's non-empty
    fields and is seen now; a new one is inserted. Set-based: a few statements per batch, not per author."""
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for p in prepared:
        if p.author:  # what a later record of the batch says adds to an earlier one, never blanks it
            known_so_far = wanted.setdefault((p.row["source"], p.author["key"]), {})
            known_so_far.update({name: value for name, value in p.author.items() if value is not None})
    if not wanted:
        return {}
    known = _known_authors(session, workspace_id, list(wanted))
    if known:
        session.execute(
            update(AuthorRecord),
            [
                {"id": author_id, "last_seen": max(last_seen, now)}
                | {name: value for name in AUTHOR_FIELDS if (value := wanted[key].get(name)) is not None}
                for key, (author_id, last_seen) in known.items()
            ],
        )
    new = [key for key in wanted if key not in known]
    if new:
        rows = [
            {"workspace_id": workspace_id, "source": source, "key": key, "first_seen": now, "last_seen": now}
            | {name: wanted[(source, key)].get(name) for name in AUTHOR_FIELDS}
            for source, key in new
        ]
        session.execute(insert_ignoring_conflicts(AUTHORS, _dialect(session), AUTHOR_KEY), rows)
        known |= _known_authors(session, workspace_id, new)
    return {key: author_id for key, (author_id, _) in known.items()}


def _known_authors(
    session: Session, workspace_id: int, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, datetime]]:
    """The id and last-seen time of each stored author among `keys`."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, key in keys:
        by_source[source].append(key)
    found: dict[tuple[str, str], tuple[int, datetime]] = {}
    for source, names in by_source.items():
        for start in range(0, len(names), IN_CHUNK):
            rows = session.execute(
                select(AuthorRecord.key, AuthorRecord.id, AuthorRecord.last_seen).where(
                    AuthorRecord.workspace_id == workspace_id,
                    AuthorRecord.source == source,
                    AuthorRecord.key.in_(names[start : start + IN_CHUNK]),
                )
            )
            found.update(((source, key), (author_id, seen)) for key, author_id, seen in rows)
    return found


def attach_conversations(
    session: Session, workspace_id: int, prepared: list[PreparedItem], author_ids: dict[tuple[str, str], int]
) -> set[int]:
    """Find or open the conversation of each interaction and set its id on the row. A new conversation
    takes its source, team and unit from its first item in the batch; a conversation without a person
    takes the author of its first item that has one."""
    first: dict[str, PreparedItem] = {}
    authors: dict[str, int] = {}
    for p in prepared:
        if p.conversation_key:
            first.setdefault(p.conversation_key, p)
            if p.author and p.conversation_key not in authors:
                authors[p.conversation_key] = author_ids[(p.row["source"], p.author["key"])]
    if not first:
        return set()
    known = _known_conversations(session, workspace_id, list(first))
    new = [key for key in first if key not in known]
    if new:
        rows = [_opened(workspace_id, key, first[key], authors.get(key)) for key in new]
        session.execute(insert_ignoring_conflicts(CONVERSATIONS, _dialect(session), CONVERSATION_KEY), rows)
        known |= _known_conversations(session, workspace_id, new)
    adopted = [
        {"id": conv_id, "author_id": authors[key]}
        for key, (conv_id, author_id) in known.items()
        if author_id is None and key in authors
    ]
    if adopted:
        session.execute(update(Conversation), adopted)
    for p in prepared:
        if p.conversation_key:
            p.row["conversation_id"] = known[p.conversation_key][0]
    return {conv_id for conv_id, _ in known.values()}


def _opened(workspace_id: int, key: str, p: PreparedItem, author_id: int | None) -> dict[str, Any]:
    """The row of a conversation that item `p` opens."""
    return {
        "workspace_id": workspace_id,
        "key": key,
        "source": p.row["source"],
        "status": "open",
        "team": p.row["team"],
        "unit": p.row["unit"],
        "author_id": author_id,
        "first_message_at": p.row["occurred_at"],
        "last_message_at": p.row["occurred_at"],
    }


def _known_conversations(
    session: Session, workspace_id: int, keys: list[str]
) -> dict[str, tuple[int, int | None]]:
    """The id and person (author id) of each stored conversation among `keys`."""
    found: dict[str, tuple[int, int | None]] = {}
    for start in range(0, len(keys), IN_CHUNK):
        rows = session.execute(
            select(Conversation.key, Conversation.id, Conversation.author_id).where(
                Conversation.workspace_id == workspace_id,
                Conversation.key.in_(keys[start : start + IN_CHUNK]),
            )
        )
        found.update((key, (conv_id, author_id)) for key, conv_id, author_id in rows)
    return found


def refresh_conversations(session: Session, conversation_ids: set[int]) -> None:
    """Recompute first/last message, first reply and waiting-since from the conversation's items, and
    reopen a resolved conversation that a newer inbound message reached. Set-based: one query and one
    bulk update per chunk of conversations, whatever their number."""
    ids = sorted(conversation_ids)
    for start in range(0, len(ids), IN_CHUNK):
        times, reopened = [], []
        for row in session.execute(_thread_times(ids[start : start + IN_CHUNK])):
            times.append(
                {
                    "id": row.id,
                    "first_message_at": row.first_message_at,
                    "last_message_at": row.last_message_at,
                    "first_reply_at": row.first_reply_at,
                    "waiting_since": row.waiting_since,
                }
            )
            if row.status == "resolved" and row.last_inbound and row.resolved_at:
                if row.last_inbound > row.resolved_at:
                    reopened.append({"id": row.id, "status": "open", "resolved_at": None})
        for rows in (times, reopened):
            if rows:
                session.execute(update(Conversation), rows)  # by primary key; loaded objects follow


def _thread_times(conversation_ids: list[int]) -> Select[Any]:
    """Per conversation: first and last message, first and last reply (outbound), last inbound message,
    and waiting-since, the first inbound message after the last reply (none when the reply is the
    latest), with the conversation's status and resolution time."""
    outbound = Item.direction == "outbound"
    totals = (
        select(
            Item.conversation_id.label("id"),
            func.min(Item.occurred_at).label("first_message_at"),
            func.max(Item.occurred_at).label("last_message_at"),
            func.min(case((outbound, Item.occurred_at))).label("first_reply_at"),
            func.max(case((outbound, Item.occurred_at))).label("last_reply_at"),
            func.max(case((~outbound, Item.occurred_at))).label("last_inbound"),
        )
        .where(Item.conversation_id.in_(conversation_ids))
        .group_by(Item.conversation_id)
        .cte("totals")
    )
    inbound = aliased(Item)
    waiting_since = (  # per conversation, through the conversation_id index
        select(func.min(inbound.occurred_at))
        .where(
            inbound.conversation_id == totals.c.id,
            inbound.direction != "outbound",
            or_(totals.c.last_reply_at.is_(None), inbound.occurred_at > totals.c.last_reply_at),
        )
        .scalar_subquery()
    )
    return select(
        totals, waiting_since.label("waiting_since"), Conversation.status, Conversation.resolved_at
    ).join(Conversation, Conversation.id == totals.c.id)


def insert_items(session: Session, workspace_id: int, prepared: list[PreparedItem]) -> None:
    if not prepared:
        return
    rows = [{"workspace_id": workspace_id, **p.row} for p in prepared]
    columns = set().union(*rows)
    defaults = {name: _column_default(name) for name in columns}
    for row in rows:  # executemany needs every row to give the same columns
        for name in columns - row.keys():
            row[name] = defaults[name]()
    session.connection().execute(insert(ITEMS), rows)  # Core executemany: no ORM bookkeeping


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


@dataclass(frozen=True)
class Revision:
    """A stored metric item and the corrected record that replaces its value."""

    item_id: int
    old_value: float
    prepared: PreparedItem


def revisions(session: Session, workspace_id: int, again: list[PreparedItem]) -> list[Revision]:
    """Of the metric records already stored, those whose value differs from the stored one at the same
    time and dimensions (a record whose id is stored with another time or dimensions stays a duplicate:
    moving a value between buckets is not a correction of it)."""
    found: list[Revision] = []
    by_key = {p.key: p for p in again}  # the last of a batch's repeats wins
    keys = list(by_key)
    for start in range(0, len(keys), IN_CHUNK):
        chunk = keys[start : start + IN_CHUNK]
        rows = session.execute(
            select(Item.id, Item.source, Item.external_id, Item.value, Item.occurred_at, Item.dims).where(
                Item.workspace_id == workspace_id,
                tuple_(Item.source, Item.external_id).in_(chunk),
            )
        )
        for item_id, source, external_id, stored, at, dims in rows:
            p = by_key[(source, external_id)]
            if at != p.row["occurred_at"] or dict(dims or {}) != dict(p.row["dims"]):  # both aware UTC
                continue
            new = float(p.row["value"])
            if stored is None or not math.isclose(new, float(stored), rel_tol=1e-12, abs_tol=1e-12):
                found.append(Revision(item_id, float(stored or 0.0), p))
    return found


def apply_revisions(
    session: Session, dialect: str, workspace_id: int, revised: list[Revision], now: datetime
) -> None:
    """Replace each stored value and move its rollup buckets by the difference (their counts stay)."""
    if not revised:
        return
    for r in revised:
        session.execute(update(Item).where(Item.id == r.item_id).values(value=r.prepared.row["value"]))
    deltas = [
        replace(r.prepared, row={**r.prepared.row, "value": float(r.prepared.row["value"]) - r.old_value})
        for r in revised
    ]
    add_rollups(session, dialect, workspace_id, deltas, now, counted=False)


def add_rollups(
    session: Session,
    dialect: str,
    workspace_id: int,
    prepared: list[PreparedItem],
    now: datetime,
    *,
    counted: bool = True,
) -> None:
    """Add each accepted reaction to the hourly and daily buckets of the series it feeds (`counted`:
    each adds 1 to its buckets' n; a revision's difference adds none)."""
    fed = [(p, [ref.key for ref in p.series]) for p in prepared if p.series]  # a key costs a JSON dump
    refs = {key: (ref, p) for p, keys in fed for ref, key in zip(p.series, keys, strict=True)}
    if not refs:
        return
    series_ids = _series_ids(session, dialect, workspace_id, refs, now)
    sums: dict[tuple[int, str, datetime], list[Any]] = {}
    for p, keys in fed:
        for key in keys:
            series_id = series_ids[key]
            for bucket in p.buckets:
                slot = sums.setdefault((series_id, bucket.grain, bucket.start), [bucket.local_date, 0.0, 0])
                slot[1] += p.row["value"]
                slot[2] += 1 if counted else 0
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
