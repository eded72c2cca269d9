"""Sample items for the web tests."""

from __future__ import annotations

import io
import json

from peyvand.services.access import Actor
from peyvand.services.ingest import ingest_records
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store

SAMPLE = [
    {
        "id": "c1",
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-01T10:00:00Z",
        "text": "چای سبز نیلوفر عالیه",
        "author": {"handle": "sara"},
    },
    {
        "id": "a1",
        "source": "news",
        "kind": "article",
        "created_at": "2026-03-02T10:00:00Z",
        "title": "Niloofar Tea expands",
        "text": "Niloofar Tea opened a new store",
        "url": "https://news.example/1",
    },
    {
        "id": "d1",
        "source": "telegram",
        "kind": "direct_message",
        "created_at": "2026-03-03T10:00:00Z",
        "text": "Hello, is green tea available?",
        "author": {"handle": "reza"},
    },
    {
        "id": "v1",
        "source": "ga4",
        "kind": "metric",
        "metric": "site_visits",
        "at": "2026-03-01",
        "value": 1200,
    },
    {
        "id": "v2",
        "source": "ga4",
        "kind": "metric",
        "metric": "site_visits",
        "at": "2026-03-02",
        "value": 1350,
    },
]


def ingest_objects(store: Store, actor: Actor, *objs: dict) -> None:  # type: ignore[type-arg]
    data = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)
    ingest_records(
        store, actor, jsonl.parse(io.BytesIO(data), context=SourceContext()), label="t", format="jsonl"
    )


def ingest_sample(store: Store, actor: Actor) -> None:
    ingest_objects(store, actor, *SAMPLE)
