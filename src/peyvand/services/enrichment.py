"""Enrichment as a job: items the API stored at once are understood and routed in the background.

The HTTP API answers fast: it validates each record, drops duplicates and records rejects synchronously,
and stores a valid text item **pending enrichment** (`feedback = "pending"`, no team, `enriched_at` empty;
no desk shows it yet). In the same transaction it queues the `ingest.enrich` job. The job reads the pending
items of the workspace in id order, understands each one exactly as file ingest does (`ingest_rows.prepare`:
language, sentiment, intent, audience, mentions, routing decision), attaches authors and conversations, and
writes the result. Metric and event items are routed and rolled up at once (their routing is a cached
lookup), so they are never pending.

An item is never lost to enrichment: if understanding one fails, it is stored with a fallback decision
(PR, reason `enrichment-failed`) instead of staying pending forever.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from peyvand.domain.items import TextItem, parse_item
from peyvand.jobs.queue import enqueue
from peyvand.services import ingest_batch as batch_writer
from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_sweep import after_ingest as inbox_after_ingest
from peyvand.services.ingest_rows import PreparedItem, prepare, prepare_many
from peyvand.services.understanding import WorkspaceUnderstanding, understanding_for
from peyvand.sources.base import Record
from peyvand.storage.db import Store
from peyvand.storage.tables import Item
from peyvand.text.understand import INTERACTION_FORMS

log = logging.getLogger("peyvand.enrichment")
ENRICH_JOB = "ingest.enrich"
PENDING = "pending"
BATCH_SIZE = 200
# what enrichment writes on a pending item, and the value when the prepared row does not give it
ENRICHED_FIELDS: dict[str, Any] = {
    "feedback": PENDING,
    "team": None,
    "unit": None,
    "share_with": [],
    "reasons": [],
    "normalised_text": None,
    "language": None,
    "sentiment": None,
    "sentiment_score": None,
    "sentiment_provisional": True,
    "intent": None,
    "audience": None,
    "mentions_brand": False,
    "products": [],
    "competitors": [],
    "attributes": [],
    "enriched_at": None,
    "author_id": None,
    "conversation_id": None,
}


def prepare_pending(record: Record, ctx: WorkspaceUnderstanding, now: datetime) -> PreparedItem:
    """The row of a valid item stored before it is understood (text items); reactions are prepared whole.
    Raises `ItemError` for an invalid item, like `prepare`."""
    assert record.item is not None
    if record.item.get("kind") in ("metric", "event"):
        return prepare(record, ctx, now)
    item = parse_item(record.item, incoming=True)
    assert isinstance(item, TextItem)
    row = {
        **ENRICHED_FIELDS,
        "source": item.source,
        "external_id": item.id,
        "kind": item.kind,
        "ingested_at": now,
        "raw": item.raw,
        "occurred_at": item.created_at,
        "thread_ref": item.thread_id,
        "in_reply_to": item.in_reply_to,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "direction": item.direction.value,
    }
    del row["author_id"], row["conversation_id"]
    return PreparedItem(row=row)


def queue_enrichment(session: Session, workspace_id: int) -> None:
    """Queue the enrichment job of the workspace in the caller's transaction (once while queued; a job
    that is already running gave its key up, so items stored meanwhile get a job of their own)."""
    key = f"{ENRICH_JOB}:{workspace_id}"
    enqueue(session, ENRICH_JOB, {"workspace_id": workspace_id}, workspace_id=workspace_id, dedupe_key=key)


def pending_count(store: Store, actor: Actor) -> int:
    """How many items of the workspace wait for enrichment."""
    require(actor, "imports.read")
    with store.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Item)
                .where(Item.workspace_id == actor.workspace_id, Item.enriched_at.is_(None))
            )
            or 0
        )


def _fallback(raw: dict[str, Any], now: datetime) -> PreparedItem:
    kind = str(raw.get("kind", ""))
    feedback = "interaction" if kind in INTERACTION_FORMS else "mention"
    reason = {"rule": "enrichment-failed", "text": "The text could not be understood; kept for PR to read."}
    row = {**ENRICHED_FIELDS, "feedback": feedback, "team": "pr", "reasons": [reason], "enriched_at": now}
    return PreparedItem(row={**row, "source": raw.get("source"), "external_id": raw.get("id")})


def _understood(
    item_id: int, raw: dict[str, Any], ctx: WorkspaceUnderstanding, now: datetime
) -> PreparedItem:
    try:
        return prepare(Record(f"item {item_id}", item=raw), ctx, now)
    except Exception:  # never lose an accepted item to an enrichment failure (no text in the log)
        log.warning("enrichment failed for item %s; stored with the fallback decision", item_id)
        return _fallback(raw, now)


def _understood_batch(
    rows: list[tuple[int, dict[str, Any]]], ctx: WorkspaceUnderstanding, now: datetime
) -> list[tuple[int, PreparedItem]]:
    """The batch understood together (`prepare_many`); an item it cannot do, one by one with the fallback."""
    try:
        results: list[Any] = prepare_many([Record(f"item {i}", item=raw) for i, raw in rows], ctx, now)
    except Exception:  # one bad item must not hold back the others: retry them one at a time
        log.warning("batch enrichment failed; enriching %d items one by one", len(rows))
        results = [None] * len(rows)
    return [
        (item_id, result if isinstance(result, PreparedItem) else _understood(item_id, raw, ctx, now))
        for (item_id, raw), result in zip(rows, results, strict=True)
    ]


def _statement() -> Any:
    table: Any = Item.__table__
    columns = table.c
    values = {name: bindparam(f"v_{name}", type_=columns[name].type) for name in ENRICHED_FIELDS}
    return (
        update(table).where(columns.id == bindparam("item_id"), columns.enriched_at.is_(None)).values(values)
    )


def _apply(
    session: Session, workspace_id: int, prepared: list[tuple[int, PreparedItem]], now: datetime
) -> None:
    """Write one understood batch. Items no longer waiting (another run wrote them, or the person was
    erased meanwhile) are left out first, under a row lock, so an erasure is never undone by an
    enrichment that read the message before it."""
    still = {
        item_id
        for item_id, raw in session.execute(
            select(Item.id, Item.raw)
            .where(Item.id.in_([item_id for item_id, _ in prepared]), Item.enriched_at.is_(None))
            .with_for_update()
        )
        if not (isinstance(raw, dict) and raw.get("erased"))
    }
    prepared = [(item_id, p) for item_id, p in prepared if item_id in still]
    if not prepared:
        return
    items = [p for _, p in prepared]
    author_ids = batch_writer.upsert_authors(session, workspace_id, items, now)
    conversations = batch_writer.attach_conversations(session, workspace_id, items, author_ids)
    rows = []
    for item_id, p in prepared:
        if p.author:
            p.row["author_id"] = author_ids[(p.row["source"], p.author["key"])]
        values = {f"v_{name}": p.row.get(name, default) for name, default in ENRICHED_FIELDS.items()}
        rows.append({"item_id": item_id, **values})
    session.connection().execute(_statement(), rows)
    batch_writer.refresh_conversations(session, conversations)
    inbox_after_ingest(session, workspace_id, conversations)


def enrich_pending_items(store: Store, actor: Actor, *, batch_size: int = BATCH_SIZE) -> int:
    """Understand and route every item of the workspace that waits for it; returns how many.

    Each batch is read, understood outside any write transaction, then written in one transaction, so a
    crash loses nothing: the items of an unwritten batch are still pending for the next run."""
    require(actor, "ingest.write")
    ws = actor.workspace_id
    ctx = understanding_for(store, ws)
    done, after = 0, 0
    while True:
        with store.read() as session:
            rows = session.execute(
                select(Item.id, Item.raw)
                .where(Item.workspace_id == ws, Item.enriched_at.is_(None), Item.id > after)
                .order_by(Item.id)
                .limit(batch_size)
            ).all()
        if not rows:
            break
        after, now = rows[-1][0], utcnow()
        prepared = _understood_batch([(item_id, dict(raw)) for item_id, raw in rows], ctx, now)
        with store.transaction() as session:
            _apply(session, ws, prepared, now)
        done += len(rows)
    if done:
        from peyvand.services.reputation_jobs import queue_reputation_refresh

        queue_reputation_refresh(store, Actor.operator(ws))
    return done
