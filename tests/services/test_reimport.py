"""Idempotent imports, format by format: importing the same export again adds nothing (every record comes
back as a duplicate, or filtered or rejected as before), and an overlapping newer export adds only what is
new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from peyvand.services.access import Actor
from peyvand.services.ingest import IngestSummary, ingest_records
from peyvand.sources import SourceContext, load_mapping, parse_path
from peyvand.storage.db import Store
from peyvand.storage.tables import Item

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"
EXPORTS = [
    ("telegram/group_result.json", None),
    ("telegram/full_account_result.json", None),
    ("instagram/instagram-nahaltea-2026-03-05-AbCdEf", None),
    ("x/twitter-2026-03-05-4f3e2d1c0b9a", None),
    ("rss/persian_news_rss2.xml", None),
    ("rss/english_blog_atom.xml", None),
    ("ga4/traffic_by_date.csv", None),
    ("matomo/visits_summary_translated.csv", None),
    ("store-visits/counter_jalali_fa.csv", None),
    ("ads/google_ads_campaigns.csv", None),
    ("ads/meta_ads_export.csv", None),
    ("csv/survey_responses.csv", "csv/survey_responses.mapping.toml"),
    ("jsonl/helpdesk_tickets.jsonl", "jsonl/helpdesk_tickets.mapping.toml"),
    ("jsonl/canonical_items.jsonl", None),
]


def _ingest(store: Store, actor: Actor, path: Path, mapping: Path | None = None) -> IngestSummary:
    context = SourceContext(mapping=load_mapping(mapping) if mapping else {})
    records = parse_path(path, context=context)
    return ingest_records(store, actor, records, label=path.name, format="auto")


def _count(store: Store, actor: Actor) -> int:
    with store.read() as session:
        query = select(func.count()).select_from(Item).where(Item.workspace_id == actor.workspace_id)
        return int(session.scalar(query) or 0)


@pytest.mark.parametrize(("export", "mapping"), EXPORTS, ids=[e for e, _ in EXPORTS])
def test_importing_an_export_again_adds_nothing(
    store: Store, workspace: Actor, export: str, mapping: str | None
) -> None:
    map_path = PAYLOADS / mapping if mapping else None
    first = _ingest(store, workspace, PAYLOADS / export, map_path)
    stored = _count(store, workspace)
    assert first.accepted > 0 and stored == first.accepted
    again = _ingest(store, workspace, PAYLOADS / export, map_path)
    assert again.import_id != first.import_id
    assert again.accepted == 0
    assert again.duplicate == first.accepted + first.duplicate
    assert (again.rejected, again.filtered, again.total) == (first.rejected, first.filtered, first.total)
    assert _count(store, workspace) == stored


def _telegram(path: Path, first: int, last: int) -> Path:
    messages = [
        {
            "id": n,
            "type": "message",
            "date": "2026-03-01T10:00:00",
            "date_unixtime": str(1772348400 + n),
            "from": f"User {n % 7}",
            "from_id": f"user{n % 7}",
            "text": f"پیام شماره {n}",
        }
        for n in range(first, last + 1)
    ]
    export = {"name": "Tea lovers", "type": "public_supergroup", "id": 1600000001, "messages": messages}
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def _ga4(path: Path, first: int, last: int) -> Path:
    rows = "".join(f"202603{day:02d},{100 + day},{10 + day}\n" for day in range(first, last + 1))
    path.write_text("# Property: Niloofar\nDate,Sessions,Total users\n" + rows, encoding="utf-8")
    return path


def _jsonl(path: Path, first: int, last: int) -> Path:
    items = (
        {
            "id": f"r{n}",
            "source": "reviews",
            "kind": "review",
            "created_at": f"2026-03-{n:02d}T10:00:00Z",
            "text": f"review {n}",
        }
        for n in range(first, last + 1)
    )
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("writer", "name", "per_record"),
    [(_telegram, "result.json", 1), (_ga4, "ga4.csv", 2), (_jsonl, "i.jsonl", 1)],
)
def test_an_overlapping_newer_export_adds_only_what_is_new(
    store: Store, workspace: Actor, tmp_path: Path, writer: Any, name: str, per_record: int
) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = _ingest(store, workspace, writer(tmp_path / "old" / name, 1, 20))
    new = _ingest(store, workspace, writer(tmp_path / "new" / name, 11, 28))
    assert old.accepted == 20 * per_record
    assert (new.accepted, new.duplicate) == (8 * per_record, 10 * per_record)
    assert _count(store, workspace) == 28 * per_record
