"""Export: stored items with their decisions, so nothing that goes in is locked in."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from peyvand.services.access import Actor, require
from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Item

EXPORT_FIELDS = (
    "id",
    "source",
    "feedback",
    "kind",
    "direction",
    "occurred_at",
    "author",
    "thread_id",
    "in_reply_to",
    "url",
    "title",
    "text",
    "language",
    "sentiment",
    "sentiment_score",
    "sentiment_provisional",
    "intent",
    "audience",
    "products",
    "competitors",
    "attributes",
    "metric",
    "value",
    "dims",
    "team",
    "unit",
    "share_with",
    "reasons",
)


def _row(item: Item, author: str | None) -> dict[str, Any]:
    return {
        "id": item.external_id,
        "source": item.source,
        "feedback": item.feedback,
        "kind": item.kind,
        "direction": item.direction,
        "occurred_at": item.occurred_at.isoformat(),
        "author": author,
        "thread_id": item.thread_ref,
        "in_reply_to": item.in_reply_to,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "language": item.language,
        "sentiment": item.sentiment,
        "sentiment_score": item.sentiment_score,
        "sentiment_provisional": item.sentiment_provisional if item.sentiment else None,
        "intent": item.intent,
        "audience": item.audience,
        "products": item.products,
        "competitors": item.competitors,
        "attributes": item.attributes,
        "metric": item.metric,
        "value": item.value,
        "dims": item.dims,
        "team": item.team,
        "unit": item.unit,
        "share_with": item.share_with,
        "reasons": item.reasons,
    }


def iter_items(
    store: Store, actor: Actor, *, feedback: str | None = None, with_raw: bool = False
) -> Iterator[dict[str, Any]]:
    """Every stored item of the workspace with its decision, oldest first, streamed."""
    require(actor, "export.items")
    author = aliased(AuthorRecord)
    query = (
        select(Item, author.handle, author.name)
        .outerjoin(author, author.id == Item.author_id)
        .where(Item.workspace_id == actor.workspace_id)
        .order_by(Item.occurred_at, Item.id)
        .execution_options(yield_per=1000)
    )
    if feedback:
        query = query.where(Item.feedback == feedback)
    with store.read() as session:
        for item, handle, name in session.execute(query):
            row = _row(item, handle or name)
            if with_raw:
                row["raw"] = item.raw
            yield row


def to_jsonl(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def to_csv(rows: Iterator[dict[str, Any]], fields: tuple[str, ...] = EXPORT_FIELDS) -> Iterator[str]:
    """CSV with one column per field; lists and objects as JSON text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in row.items()
            }
        )
        yield buffer.getvalue()
