"""Live ingest answers at once and stores text pending; the enrichment job understands and routes it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services import enrichment
from peyvand.services.access import Actor
from peyvand.services.enrichment import enrich_pending_items, pending_count
from peyvand.services.ingest_live import ingest_live
from peyvand.sources.base import Record
from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Conversation, ImportRun, Item, Job


def comment(ident: str, text: str = "چای سبز نیلوفر عالیه، قیمتش چنده؟", **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-01T10:00:00Z",
        "text": text,
        "author": {"handle": f"user-{ident}"},
        **extra,
    }


VISITS = {
    "id": "v1",
    "source": "ga4",
    "kind": "metric",
    "metric": "site_visits",
    "at": "2026-03-01",
    "value": 9,
}


def live(store: Store, actor: Actor, *objs: dict[str, Any] | str, channel: str = "test") -> Any:
    records = [
        Record(f"item {i}", item=o) if isinstance(o, dict) else Record(f"item {i}", reject=o)
        for i, o in enumerate(objs, start=1)
    ]
    return ingest_live(store, actor, records, channel=channel, format="canonical", via="api")


def _item(store: Store, actor: Actor, external_id: str) -> Item:
    with store.read() as session:
        item = session.scalar(
            select(Item).where(Item.workspace_id == actor.workspace_id, Item.external_id == external_id)
        )
        assert item is not None
        return item


def test_text_is_stored_pending_and_the_enrichment_job_routes_it(store: Store, workspace: Actor) -> None:
    summary = live(store, workspace, comment("c1"), VISITS, "not valid JSON")
    assert (summary.accepted, summary.duplicate, summary.rejected) == (2, 0, 1)
    pending = _item(store, workspace, "c1")
    assert (pending.feedback, pending.team, pending.enriched_at, pending.conversation_id) == (
        "pending",
        None,
        None,
        None,
    )
    visits = _item(store, workspace, "v1")
    assert visits.feedback == "reaction" and visits.team == "marketing" and visits.enriched_at is not None
    assert pending_count(store, workspace) == 1
    with store.read() as session:
        kinds = session.scalars(select(Job.kind).where(Job.workspace_id == workspace.workspace_id)).all()
    assert "ingest.enrich" in kinds
    assert run_pending(store, HANDLERS) >= 1
    done = _item(store, workspace, "c1")
    assert done.feedback == "interaction" and done.team == "pr" and done.enriched_at is not None
    assert done.language == "fa" and done.sentiment is not None and done.intent is not None
    assert "marketing" in done.share_with  # a price question is a sales signal (rule 5)
    assert done.conversation_id is not None and done.author_id is not None
    with store.read() as session:
        conversation = session.get(Conversation, done.conversation_id)
        assert conversation is not None and conversation.status == "open"
        assert session.scalar(select(AuthorRecord.key).where(AuthorRecord.id == done.author_id)) == "user-c1"
    assert pending_count(store, workspace) == 0


def test_duplicates_are_found_while_items_are_still_pending(store: Store, workspace: Actor) -> None:
    first = live(store, workspace, comment("c1"), comment("c2"))
    again = live(store, workspace, comment("c2"), comment("c3"), comment("c3"))
    assert (first.accepted, again.accepted, again.duplicate) == (2, 1, 2)
    assert enrich_pending_items(store, workspace) == 3
    assert enrich_pending_items(store, workspace) == 0


def test_requests_of_one_channel_and_day_share_one_live_run(store: Store, workspace: Actor) -> None:
    one = live(store, workspace, comment("c1"), "bad", channel="token A")
    two = live(store, workspace, comment("c2"), comment("c1"), channel="token A")
    other = live(store, workspace, comment("c3"), channel="token B")
    assert one.import_id == two.import_id != other.import_id
    assert (two.accepted, two.duplicate, two.rejected) == (1, 1, 0)  # this request's counts only
    with store.read() as session:
        run = session.get(ImportRun, one.import_id)
        assert run is not None and run.status == "live" and run.via == "api"
        assert (run.accepted, run.duplicate, run.rejected) == (2, 1, 1)
        assert run.label.startswith("token A · ")


def test_an_item_that_cannot_be_understood_is_kept_not_lost(
    store: Store, workspace: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    live(store, workspace, comment("c1"), comment("c2", kind="article", title="t"))

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("analyzer bug")

    monkeypatch.setattr(enrichment, "prepare_many", broken)
    monkeypatch.setattr(enrichment, "prepare", broken)
    assert enrich_pending_items(store, workspace) == 2
    first, second = _item(store, workspace, "c1"), _item(store, workspace, "c2")
    assert (first.feedback, first.team, second.feedback) == ("interaction", "pr", "mention")
    assert first.reasons[0]["rule"] == "enrichment-failed" and first.enriched_at is not None
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Item).where(Item.enriched_at.is_(None))) == 0


def test_nul_characters_are_dropped_not_fatal(store: Store, workspace: Actor) -> None:
    """PostgreSQL cannot store U+0000; hostile or broken input with it is stored without it (both paths)."""
    import io
    import json

    from peyvand.services.ingest import ingest_records
    from peyvand.sources import jsonl
    from peyvand.sources.base import SourceContext

    summary = live(store, workspace, comment("n1", "سلام\x00 دنیا", extra="\x00"), "bad \x00 record")
    assert (summary.accepted, summary.rejected) == (1, 1)
    data = json.dumps(comment("n2", "a\x00b")).encode() + b"\n"  # JSON escapes it as \u0000
    records = jsonl.parse(io.BytesIO(data + b"\x00{broken\n"), context=SourceContext())
    result = ingest_records(store, workspace, records, label="nul", format="jsonl")
    assert (result.accepted, result.rejected) == (1, 1)
    assert enrich_pending_items(store, workspace) == 1
    assert _item(store, workspace, "n1").text == "سلام دنیا" and _item(store, workspace, "n2").text == "ab"
    assert b"\\u0000" in data
