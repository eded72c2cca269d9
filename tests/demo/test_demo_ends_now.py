"""A demo built without an end date ends at the moment it is built: nothing in it is dated later."""

from __future__ import annotations

from datetime import UTC, datetime

from peyvand.services.demo import _until


def test_nothing_after_now_and_no_total_for_an_unfinished_day() -> None:
    now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 18:30 in Tehran
    items = [
        {"kind": "metric", "at": "2026-11-25T00:00:00+03:30", "metric": "orders"},  # yesterday: over
        {"kind": "metric", "at": "2026-11-26T00:00:00+03:30", "metric": "orders"},  # today: not over
        {"kind": "comment", "created_at": "2026-11-26T18:00:00+03:30"},
        {"kind": "comment", "created_at": "2026-11-26T21:07:00+03:30"},  # later today
        {"kind": "event", "at": "2026-11-26T10:00:00+03:30"},
        {"kind": "event", "at": "2026-11-26T23:59:00+03:30"},
    ]
    kept = [(i["kind"], i.get("at") or i.get("created_at")) for i in _until(items, now)]
    assert kept == [
        ("metric", "2026-11-25T00:00:00+03:30"),
        ("comment", "2026-11-26T18:00:00+03:30"),
        ("event", "2026-11-26T10:00:00+03:30"),
    ]
