"""Stored PR items with known enrichment, for the reputation tests.

The items are written straight into the tables (not through ingest), so that their sentiment,
attributes and naming are exactly what a test says, whatever the text analyzer would make of them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from peyvand.services.access import Actor
from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Item

TEHRAN = ZoneInfo("Asia/Tehran")
COLUMNS = {c.name for c in Item.__table__.columns}


@dataclass
class Row:
    """One inbound text item; `day` is a local (Tehran) date, `hour` its local hour."""

    day: date
    sentiment: str = "neutral"
    hour: int = 12
    feedback: str = "mention"
    kind: str = "post"
    source: str = "x"
    brand: bool = True
    competitors: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    audience: str = "public"
    language: str = "fa"
    provisional: bool = True
    author: str | None = None
    followers: int | None = None
    text: str | None = None
    url: str | None = None
    title: str | None = None
    direction: str = "inbound"

    def at(self) -> datetime:
        return datetime.combine(self.day, time(self.hour), tzinfo=TEHRAN).astimezone(UTC)


def _authors(store: Store, actor: Actor, rows: list[Row]) -> dict[str, int]:
    wanted = {(r.source, r.author): r for r in rows if r.author}
    ids: dict[str, int] = {}
    now = datetime.now(UTC)
    with store.transaction() as session:
        for (source, handle), row in wanted.items():
            assert handle is not None
            existing = session.scalar(
                select(AuthorRecord).where(
                    AuthorRecord.workspace_id == actor.workspace_id,
                    AuthorRecord.source == source,
                    AuthorRecord.key == handle,
                )
            )
            if existing is None:
                existing = AuthorRecord(
                    workspace_id=actor.workspace_id,
                    source=source,
                    key=handle,
                    handle=handle,
                    followers=row.followers,
                    audience=row.audience,
                    beats=[],
                    first_seen=now,
                    last_seen=now,
                )
                session.add(existing)
                session.flush()
            ids[f"{source}:{handle}"] = existing.id
    return ids


def add_items(store: Store, actor: Actor, rows: Iterable[Row], *, prefix: str = "t") -> None:
    """Write `rows` as items of the actor's workspace (external ids `prefix`-0, -1, …)."""
    rows = list(rows)
    authors = _authors(store, actor, rows)
    now = datetime.now(UTC)
    values: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        values.append(
            {
                "workspace_id": actor.workspace_id,
                "source": r.source,
                "external_id": f"{prefix}-{i}",
                "feedback": r.feedback,
                "kind": r.kind,
                "direction": r.direction,
                "occurred_at": r.at(),
                "ingested_at": now,
                "author_id": authors.get(f"{r.source}:{r.author}"),
                "url": r.url,
                "title": r.title,
                "text": r.text or f"item {prefix}-{i}",
                "language": r.language,
                "sentiment": r.sentiment,
                "sentiment_score": 0.0,
                "sentiment_provisional": r.provisional,
                "audience": r.audience,
                "mentions_brand": r.brand,
                "products": [],
                "competitors": r.competitors,
                "attributes": [{"key": k, "polarity": p} for k, p in r.attributes],
                "dims": {},
                "team": "pr",
                "share_with": [],
                "reasons": [],
                "raw": {},
            }
        )
    with store.transaction() as session:
        for start in range(0, len(values), 500):
            session.execute(insert(Item), values[start : start + 500])


def days(first: date, count: int) -> Iterator[date]:
    for i in range(count):
        yield first + timedelta(days=i)


def calm_days(first: date, count: int, *, seed: int = 7, per_day: int = 12) -> list[Row]:
    """An ordinary conversation: about `per_day` mentions a day, mostly positive, a few negative."""
    rng = random.Random(seed)
    rows = []
    for day in days(first, count):
        for k in range(per_day + rng.randint(-2, 2)):
            label = rng.choices(["positive", "neutral", "negative"], [0.55, 0.3, 0.15])[0]
            rows.append(Row(day, label, hour=8 + k % 12))
    return rows


def burst(first: date, per_day: list[int]) -> list[Row]:
    """Angry mentions on consecutive days (a crisis)."""
    return [
        Row(day, "negative", hour=9 + k % 12, source="instagram", kind="comment")
        for day, n in zip(days(first, len(per_day)), per_day, strict=True)
        for k in range(n)
    ]
