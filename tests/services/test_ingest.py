"""Ingest: every record gets an outcome; nothing is lost or duplicated; rollups and conversations follow."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from peyvand.services.access import AccessDenied, Actor
from peyvand.services.ingest import ingest_records
from peyvand.sources import jsonl
from peyvand.sources.base import Record, SourceContext
from peyvand.storage.db import Store
from peyvand.storage.tables import (
    AuthorRecord,
    Conversation,
    ImportRun,
    Item,
    MetricPoint,
    MetricSeries,
    Reject,
)


def lines(*objs: Any) -> bytes:
    return b"".join(
        (o if isinstance(o, bytes) else json.dumps(o, ensure_ascii=False).encode()) + b"\n" for o in objs
    )


def text_item(i: int | str, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(i),
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-01T10:00:00+03:30",
        "text": "چای سبز نیلوفر عالیه",
        "author": {"handle": f"user{i}"},
        **extra,
    }


def run(store: Store, actor: Actor, data: bytes, **kw: Any):  # type: ignore[no-untyped-def]
    records = jsonl.parse(io.BytesIO(data), context=SourceContext())
    return ingest_records(store, actor, records, label="test", format="jsonl", **kw)


def test_good_bad_and_duplicate_lines(store: Store, workspace: Actor) -> None:
    data = lines(
        text_item(1), b"{broken", text_item(2), {"id": "3", "source": "x", "kind": "nope"}, text_item(1)
    )
    rejects = io.StringIO()
    summary = run(store, workspace, data, rejects_out=rejects)
    assert (summary.accepted, summary.duplicate, summary.rejected, summary.filtered) == (2, 1, 2, 0)
    assert [r["line"] for r in summary.rejects] == [2, 4]
    assert "not valid JSON" in summary.rejects[0]["reason"]
    kept = [json.loads(line) for line in rejects.getvalue().splitlines()]
    assert kept[0]["raw"] == "{broken"
    with store.read() as session:
        stored = session.scalars(
            select(Reject.reason).where(Reject.workspace_id == workspace.workspace_id)
        ).all()
        assert len(stored) == 2
    again = run(store, workspace, data)
    assert (again.accepted, again.duplicate, again.rejected) == (0, 3, 2)


def test_items_carry_routing_decision_and_enrichment(store: Store, workspace: Actor) -> None:
    run(
        store,
        workspace,
        lines(
            text_item(1),
            {
                "id": "a1",
                "source": "news",
                "kind": "article",
                "created_at": "2026-03-02T08:00:00Z",
                "title": "Niloofar Tea opens a store",
                "text": "Niloofar Tea opened its new store",
                "url": "https://news.ir/1",
            },
            {
                "id": "m1",
                "source": "ads",
                "kind": "metric",
                "metric": "ad_spend",
                "at": "2026-03-01",
                "value": 12.5,
                "dims": {"campaign": "spring", "channel_type": "paid"},
            },
        ),
    )
    with store.read() as session:
        items = {
            i.external_id: i
            for i in session.scalars(select(Item).where(Item.workspace_id == workspace.workspace_id))
        }
    assert (items["1"].feedback, items["1"].team) == ("interaction", "pr")
    assert items["1"].language == "fa" and items["1"].products == ["green-tea"]
    assert (items["a1"].feedback, items["a1"].team, items["a1"].unit) == ("mention", "pr", "media")
    assert (items["m1"].team, items["m1"].unit) == ("marketing", "advertising")
    assert [r["rule"] for r in items["m1"].reasons] == ["R1-reactions", "R1-paid-media"]
    assert items["1"].raw["author"] == {"handle": "user1"}


def test_reactions_roll_up_into_hourly_and_local_daily_buckets(store: Store, workspace: Actor) -> None:
    events = [
        {
            "id": f"e{i}",
            "source": "pos",
            "kind": "event",
            "event": "store_checkin",
            "at": f"2026-03-01T{h:02d}:10:00+03:30",
            "dims": {"store": "tehran-1", "visitor": f"v{i}"},
        }
        for i, h in enumerate([9, 9, 10, 23])
    ]
    events.append(
        {
            "id": "e9",
            "source": "pos",
            "kind": "event",
            "event": "store_checkin",
            "at": "2026-03-01T23:50:00Z",
            "dims": {"store": "tehran-2"},
        }
    )  # 03:20 on 2 March in Tehran
    run(store, workspace, lines(*events))
    with store.read() as session:
        keys = set(
            session.scalars(
                select(MetricSeries.key).where(MetricSeries.workspace_id == workspace.workspace_id)
            )
        )
        assert keys == {
            "store_checkin",
            'store_checkin{"store":"tehran-1"}',
            'store_checkin{"store":"tehran-2"}',
        }
        total = session.scalar(
            select(MetricSeries.id).where(
                MetricSeries.key == "store_checkin", MetricSeries.workspace_id == workspace.workspace_id
            )
        )
        days = session.execute(
            select(MetricPoint.local_date, MetricPoint.value_sum)
            .where(MetricPoint.series_id == total, MetricPoint.grain == "day")
            .order_by(MetricPoint.local_date)
        ).all()
        hours = session.scalars(
            select(MetricPoint.value_sum).where(MetricPoint.series_id == total, MetricPoint.grain == "hour")
        ).all()
    assert [(d.isoformat(), v) for d, v in days] == [("2026-03-01", 4.0), ("2026-03-02", 1.0)]
    assert sorted(hours) == [1.0, 1.0, 1.0, 2.0]
    run(store, workspace, lines(*events))  # a re-run adds nothing to the rollups
    with store.read() as session:
        again = session.scalar(
            select(func.sum(MetricPoint.value_sum)).where(
                MetricPoint.series_id == total, MetricPoint.grain == "day"
            )
        )
    assert again == 5.0


def test_conversation_threads_and_first_reply(store: Store, workspace: Actor) -> None:
    run(
        store,
        workspace,
        lines(
            text_item(1, thread_id="t1", created_at="2026-03-01T10:00:00Z"),
            text_item(2, thread_id="t1", created_at="2026-03-01T10:05:00Z", author={"handle": "user1"}),
            {
                **text_item(3, thread_id="t1", created_at="2026-03-01T11:00:00Z"),
                "direction": "outbound",
                "author": {"handle": "niloofartea"},
                "kind": "reply",
            },
            text_item(4, thread_id="t1", created_at="2026-03-01T12:00:00Z", author={"handle": "user1"}),
        ),
    )
    with store.read() as session:
        conv = session.scalar(select(Conversation).where(Conversation.workspace_id == workspace.workspace_id))
        assert conv is not None
        assert conv.key == "instagram:t1"
        assert conv.first_reply_at.isoformat() == "2026-03-01T11:00:00+00:00"
        assert conv.waiting_since.isoformat() == "2026-03-01T12:00:00+00:00"
        n = session.scalar(select(func.count()).where(Item.conversation_id == conv.id))
    assert n == 4


class Boom(Exception):
    pass


def _exploding(records: list[Record], after: int):  # type: ignore[no-untyped-def]
    for i, record in enumerate(records):
        if i == after:
            raise Boom()
        yield record


def test_crash_mid_import_loses_nothing_and_resumes(store: Store, workspace: Actor) -> None:
    data = lines(*[text_item(i) for i in range(25)])
    records = list(jsonl.parse(io.BytesIO(data), context=SourceContext()))
    with pytest.raises(Boom):
        ingest_records(
            store,
            workspace,
            _exploding(records, 12),
            label="f",
            format="jsonl",
            fingerprint="fp-1",
            batch_size=5,
        )
    with store.read() as session:
        assert session.scalar(select(func.count()).where(Item.workspace_id == workspace.workspace_id)) == 10
        run_row = session.scalar(select(ImportRun).where(ImportRun.fingerprint == "fp-1"))
        assert run_row is not None and run_row.status == "running" and run_row.records_done == 10
    summary = ingest_records(
        store, workspace, iter(records), label="f", format="jsonl", fingerprint="fp-1", batch_size=5
    )
    assert summary.resumed_after == 10
    assert (summary.accepted, summary.duplicate) == (25, 0)
    with store.read() as session:
        assert session.scalar(select(func.count()).where(Item.workspace_id == workspace.workspace_id)) == 25


def test_filtered_records_are_counted_with_reason(store: Store, workspace: Actor) -> None:
    records = [
        Record("msg 1", filtered="service message"),
        Record("msg 2", filtered="service message"),
        Record("msg 3", item=text_item(1)),
    ]
    summary = ingest_records(store, workspace, records, label="t", format="telegram")
    assert summary.filtered == 2 and summary.filtered_reasons == {"service message": 2}
    assert summary.to_json()["accepted"] == 1


def test_viewer_may_not_ingest(store: Store, workspace: Actor) -> None:
    viewer = Actor(workspace_id=workspace.workspace_id, role="viewer", user_id=None)
    with pytest.raises(AccessDenied):
        run(store, viewer, lines(text_item(1)))


def test_a_corrected_metric_value_revises_the_stored_one_and_its_rollups(
    store: Store, workspace: Actor
) -> None:
    """A store counter exported again with one day corrected (410 → 415): the value and the daily sum
    follow, the bucket's count does not change, and the run says "revised", not "duplicate"."""

    def counter(day: int, value: float) -> dict[str, Any]:
        return {"id": f"tajrish-{day}", "source": "store_counter", "kind": "metric", "metric": "store_visits",
                "at": f"2026-03-{day:02d}", "value": value, "dims": {"store": "tajrish"}}  # fmt: skip

    def daily(day: int) -> tuple[float, int]:
        with store.read() as session:
            row = session.execute(
                select(MetricPoint.value_sum, MetricPoint.n)
                .join(MetricSeries, MetricSeries.id == MetricPoint.series_id)
                .where(
                    MetricSeries.workspace_id == workspace.workspace_id,
                    MetricSeries.key == "store_visits",
                    MetricPoint.grain == "day",
                    func.extract("day", MetricPoint.local_date) == day,
                )
            ).one()
        return float(row[0]), int(row[1])

    first = run(store, workspace, lines(counter(1, 410), counter(2, 300)))
    assert (first.accepted, first.revised) == (2, 0)
    fixed = run(store, workspace, lines(counter(1, 415), counter(2, 300)))
    assert (fixed.accepted, fixed.duplicate, fixed.revised, fixed.total) == (0, 1, 1, 2)
    assert daily(1) == (415.0, 1) and daily(2) == (300.0, 1)
    with store.read() as session:
        values = session.scalars(
            select(Item.value).where(
                Item.workspace_id == workspace.workspace_id, Item.external_id == "tajrish-1"
            )
        ).all()
        run_row = session.get(ImportRun, fixed.import_id)
    assert values == [415.0] and run_row is not None and run_row.revised == 1
    again = run(store, workspace, lines(counter(1, 415)))
    assert (again.duplicate, again.revised) == (1, 0)
    moved = {**counter(1, 999), "at": "2026-03-03"}  # the same id at another time: not a correction
    assert (run(store, workspace, lines(moved)).duplicate, daily(1)) == (1, (415.0, 1))
    within = run(store, workspace, lines(counter(5, 100), counter(5, 120)))  # fixed further down one file
    assert (within.accepted, within.revised, daily(5)) == (1, 1, (120.0, 1))


def test_a_later_record_of_a_batch_without_the_authors_name_keeps_the_name(
    store: Store, workspace: Actor
) -> None:
    first = text_item("n1", author={"handle": "sara", "name": "Sara Ahmadi", "followers": 120})
    second = text_item("n2", author={"handle": "sara"})
    run(store, workspace, lines(first, second))
    with store.read() as session:
        names = session.execute(
            select(AuthorRecord.name, AuthorRecord.followers).where(
                AuthorRecord.workspace_id == workspace.workspace_id, AuthorRecord.handle == "sara"
            )
        ).all()
    assert [tuple(row) for row in names] == [("Sara Ahmadi", 120)]
