"""Turning one parsed record into the row Peyvand stores (pure: no session, no commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peyvand.domain.items import CanonicalItem, EventItem, ItemError, MetricItem, TextItem, parse_item
from peyvand.domain.metrics import Bucket, SeriesRef, buckets_for, series_for
from peyvand.services.understanding import WorkspaceUnderstanding
from peyvand.sources.base import Record
from peyvand.text.enrich import Enrichment
from peyvand.text.understand import Understanding, is_paid_media, understand, understand_many


@dataclass
class PreparedItem:
    """An item ready to insert, with what the batch writer needs besides the row."""

    row: dict[str, Any]
    author: dict[str, Any] | None = None
    conversation_key: str | None = None
    series: list[SeriesRef] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return self.row["source"], self.row["external_id"]


def conversation_key(item: TextItem, author_key: str | None) -> str:
    if item.thread_id:
        return f"{item.source}:{item.thread_id}"
    if author_key and item.direction.value == "inbound":
        return f"{item.source}:@{author_key}"
    return f"{item.source}:{item.id}"


def enrichment_columns(e: Enrichment) -> dict[str, Any]:
    """An item's columns that its text understanding fills (at ingest, and when items are enriched again)."""
    return {
        "language": e.language,
        "normalised_text": e.normalised,
        "sentiment": e.sentiment,
        "sentiment_score": e.sentiment_score,
        "sentiment_provisional": e.sentiment_provisional,
        "intent": e.intent,
        "audience": e.audience,
        "mentions_brand": e.mentions_brand,
        "products": list(e.products),
        "competitors": list(e.competitors),
        "attributes": [a.to_dict() for a in e.attributes],
    }


def _text_row(item: TextItem, u: Understanding, now: datetime) -> PreparedItem:
    e = u.enrichment
    assert e is not None
    author_key = item.author.key
    row = {
        "occurred_at": item.created_at,
        "thread_ref": item.thread_id,
        "in_reply_to": item.in_reply_to,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        **enrichment_columns(e),
        "direction": item.direction.value,
        "enriched_at": now,
    }
    prepared = PreparedItem(row=_common(item, u.feedback, u.decision.to_dict(), now) | row)
    if author_key and item.direction.value == "inbound":
        prepared.author = {
            **item.author.model_dump(exclude_none=True),
            "key": author_key,
            "audience": e.audience,
        }
    if u.feedback == "interaction":
        prepared.conversation_key = conversation_key(item, author_key)
    return prepared


def _reaction_decision(item: MetricItem | EventItem, ctx: WorkspaceUnderstanding) -> dict[str, Any]:
    """A reaction's decision depends only on its form, source, name and paid flag: computed once each."""
    name = item.metric if isinstance(item, MetricItem) else item.event
    key = (item.kind, item.source, name, is_paid_media(item))
    decision = ctx.reaction_decisions.get(key)
    if decision is None:
        decision = understand(item, ctx.analyzer, ctx.rules).decision.to_dict()
        ctx.reaction_decisions[key] = decision
    return decision


def _reaction_row(item: MetricItem | EventItem, ctx: WorkspaceUnderstanding, now: datetime) -> PreparedItem:
    name = item.metric if isinstance(item, MetricItem) else item.event
    value = item.value if isinstance(item, MetricItem) else 1.0
    row = {
        "occurred_at": item.at,
        "metric": name,
        "value": value,
        "dims": dict(item.dims),
        "enriched_at": now,
    }
    return PreparedItem(
        row=_common(item, "reaction", _reaction_decision(item, ctx), now) | row,
        series=series_for(name, item.dims, item.kind),
        buckets=buckets_for(item.at, ctx.tz, date_only=item.date_only),
    )


def _common(item: CanonicalItem, feedback: str, decision: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "source": item.source,
        "external_id": item.id,
        "feedback": feedback,
        "kind": item.kind,
        "ingested_at": now,
        "team": decision["team"],
        "unit": decision["unit"],
        "share_with": decision["share_with"],
        "reasons": decision["reasons"],
        "raw": item.raw,
    }


def prepare(record: Record, ctx: WorkspaceUnderstanding, now: datetime) -> PreparedItem:
    """Validate, understand and shape one record's item; raises ItemError for an invalid item."""
    assert record.item is not None
    item = parse_item(record.item, incoming=True)
    if isinstance(item, TextItem):
        return _text_row(item, understand(item, ctx.analyzer, ctx.rules), now)
    return _reaction_row(item, ctx, now)


def prepare_many(
    records: Sequence[Record], ctx: WorkspaceUnderstanding, now: datetime
) -> list[PreparedItem | ItemError]:
    """`prepare` for a batch, in order: the text items are understood together (`understand_many`, much
    faster than one at a time, above all with learned models); an invalid item gives its `ItemError`."""
    parsed: list[CanonicalItem | ItemError] = []
    for record in records:
        assert record.item is not None
        try:
            parsed.append(parse_item(record.item, incoming=True))
        except ItemError as exc:
            parsed.append(exc)
    texts = [p for p in parsed if isinstance(p, TextItem)]
    understood = iter(understand_many(texts, ctx.analyzer, ctx.rules))
    out: list[PreparedItem | ItemError] = []
    for p in parsed:
        if isinstance(p, ItemError):
            out.append(p)
        elif isinstance(p, TextItem):
            out.append(_text_row(p, next(understood), now))
        else:
            out.append(_reaction_row(p, ctx, now))
    return out


__all__ = ["ItemError", "PreparedItem", "prepare", "prepare_many"]
