"""Loops: CSV import (outcomes, idempotence), conversion and drop-off, pause and resume, and the automatic
pause for a PR crisis (with the crisis_active flag, and from the crises table). SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from marketing_data import loop_csv
from peyvand.services.access import AccessDenied, Actor, InvalidInput
from peyvand.services.audiences import save_audience
from peyvand.services.loop_import import import_loop_events, import_loop_events_csv
from peyvand.services.loops import (
    apply_crisis_pauses,
    list_loops,
    loop_report,
    pause_loop,
    resume_loop,
    save_loop,
    set_crisis_safe,
)
from peyvand.storage.db import Store

ROWS = [
    ("welcome", "c1", 1, "send", "2026-03-01T10:00:00+03:30", None),
    ("welcome", "c1", 1, "open", "2026-03-01T12:00:00+03:30", None),
    ("welcome", "c1", 2, "send", "2026-03-04T10:00:00+03:30", None),
    ("welcome", "c1", 2, "click", "2026-03-04T11:00:00+03:30", None),
    ("welcome", "c1", 2, "convert", "2026-03-04T11:30:00+03:30", 450000),
    ("welcome", "c2", 1, "send", "2026-03-01T10:00:00+03:30", None),
    ("welcome", "c2", 2, "send", "2026-03-04T10:00:00+03:30", None),
    ("welcome", "c2", 3, "send", "2026-03-08T10:00:00+03:30", None),
    ("", "c2", "", "convert", "2026-03-09T09:00:00+03:30", 300000),  # names no loop: last touch
    ("welcome", "c3", 1, "send", "2026-03-01T10:00:00+03:30", None),
    ("welcome", "c3", 1, "unsubscribe", "2026-03-02T10:00:00+03:30", None),
    ("welcome", "c4", 1, "send", "2026-03-01T10:00:00+03:30", None),
    ("welcome", "c4", 2, "send", "2026-03-04T10:00:00+03:30", None),
    ("welcome", "c5", 1, "send", "2026-03-01T10:00:00Z", None),
    ("winback", "c9", "a", "send", "2026-03-02", None),
]


def _import(store: Store, actor: Actor, rows: list[tuple[object, ...]] = ROWS):  # type: ignore[no-untyped-def]
    return import_loop_events_csv(store, actor, io.StringIO(loop_csv(rows)))


def test_import_creates_loops_and_is_idempotent(store: Store, workspace: Actor) -> None:
    bad = [
        ("welcome", "", 1, "send", "2026-03-01T10:00:00Z", None),
        ("welcome", "c7", 1, "bounce", "2026-03-01T10:00:00Z", None),
        ("welcome", "c7", 1, "send", "yesterday", None),
        ("", "c7", 1, "send", "2026-03-01T10:00:00Z", None),
    ]
    result = _import(store, workspace, ROWS + bad)
    assert (result.accepted, result.duplicate, result.rejected) == (len(ROWS), 0, 4)
    assert [r["line"] for r in result.rejects] == [17, 18, 19, 20]  # the header is line 1
    assert "contact" in result.rejects[0]["reason"] and "event" in result.rejects[1]["reason"]
    assert sorted(result.loops_created) == ["welcome", "winback"]
    again = _import(store, workspace)
    assert (again.accepted, again.duplicate) == (0, len(ROWS))
    loops = {v.key: v for v in list_loops(store, workspace)}
    assert [s.key for s in loops["welcome"].steps] == ["1", "2", "3"]
    with pytest.raises(InvalidInput):
        import_loop_events_csv(store, workspace, io.StringIO("who,what\nc1,send\n"))
    with pytest.raises(AccessDenied):
        _import(store, Actor(workspace.workspace_id, "pr"))


def test_conversion_and_drop_off(store: Store, workspace: Actor) -> None:
    _import(store, workspace)
    report = loop_report(
        store, workspace, key="welcome", as_of=datetime.fromisoformat("2026-04-01T00:00:00+03:30")
    )
    r = report.report
    assert r.contacts == 5
    assert r.converted.successes == 2 and r.converted.trials == 5  # c1, and c2 by last touch
    assert r.conversion_value == 750000
    assert r.touches.counts == {2: 1, 3: 1}
    first, second, third = r.steps
    assert first.reached == 5 and first.unsubscribed.successes == 1
    assert first.continued is not None and first.continued.successes == 3  # c1, c2, c4 reached step 2
    assert second.converted.successes == 1  # c1 converted at step 2
    assert third.converted.successes == 1  # c2's untagged conversion, credited to its last send
    low, high = r.converted.interval.low, r.converted.interval.high
    assert 0 < low < 0.4 < high < 1


def test_pause_resume_and_crisis_flag(store: Store, workspace: Actor) -> None:
    save_audience(
        store, workspace, {"kind": "segment", "key": "new", "name": "New", "dims": {"orders": {"eq": 0}}}
    )
    save_loop(store, workspace, {"key": "promo", "name": "Promo", "segment": "new", "steps": [{"step": "1"}]})
    save_loop(store, workspace, {"key": "orders", "name": "Order updates", "crisis_safe": True})
    pause_loop(store, workspace, key="promo", note="waiting for new copy")
    changes = apply_crisis_pauses(store, workspace, crisis=True)
    assert [(c.loop, c.paused, c.rule) for c in changes] == []  # promo is already paused by a person
    resume_loop(store, workspace, key="promo")
    changes = apply_crisis_pauses(store, workspace, crisis=True)
    assert [(c.loop, c.paused, c.rule) for c in changes] == [("promo", True, "crisis_active")]
    loops = {v.key: v for v in list_loops(store, workspace)}
    assert loops["promo"].status == "paused" and loops["promo"].paused_by == "crisis"
    assert "crisis" in loops["promo"].pause_reason["en"] and loops["promo"].pause_reason["fa"]
    assert loops["promo"].segment == "new"
    assert loops["orders"].status == "active" and loops["orders"].effective_pause is None
    changes = apply_crisis_pauses(store, workspace, crisis=False)
    assert [(c.loop, c.paused) for c in changes] == [("promo", False)]
    pause_loop(store, workspace, key="promo")
    assert apply_crisis_pauses(store, workspace, crisis=False) == []  # a person's pause outlives a crisis
    with pytest.raises(AccessDenied):
        pause_loop(store, Actor(workspace.workspace_id, "viewer"), key="promo")


def test_a_confirmed_crisis_pauses_loops_that_are_not_crisis_safe(store: Store, workspace: Actor) -> None:
    reputation = pytest.importorskip("peyvand.storage.tables_reputation")
    from peyvand.services.clock import utcnow

    save_loop(store, workspace, {"key": "promo", "name": "Promo"})
    save_loop(store, workspace, {"key": "service", "name": "Service"})
    set_crisis_safe(store, workspace, key="service", crisis_safe=True)
    with store.transaction() as session:
        crisis = reputation.Crisis(
            workspace_id=workspace.workspace_id,
            start=date(2026, 6, 18),
            end=date(2026, 6, 21),
            status="suggested",
            evidence={},
            detected_at=utcnow(),
            updated_at=utcnow(),
        )
        session.add(crisis)
    assert apply_crisis_pauses(store, workspace) == []  # only a confirmed crisis pauses loops
    with store.transaction() as session:
        session.get(reputation.Crisis, crisis.id).status = "confirmed"
    views = {v.key: v for v in list_loops(store, workspace)}
    assert views["promo"].effective_pause is not None  # the pages show it at once
    assert views["promo"].effective_pause[0] == "crisis"
    assert [c.loop for c in apply_crisis_pauses(store, workspace)] == ["promo"]
    with pytest.raises(InvalidInput):
        resume_loop(store, workspace, key="promo")
    assert {v.key: v.status for v in list_loops(store, workspace)} == {"promo": "paused", "service": "active"}
    with store.transaction() as session:
        session.get(reputation.Crisis, crisis.id).status = "closed"
    assert [(c.loop, c.paused) for c in apply_crisis_pauses(store, workspace)] == [("promo", False)]


def test_rows_from_the_api_use_the_same_rules(store: Store, workspace: Actor) -> None:
    result = import_loop_events(
        store,
        workspace,
        [
            {"loop": "w", "contact": "c1", "step": "1", "event": "send", "at": "2026-03-01T10:00:00Z"},
            {
                "loop": "w",
                "contact": "c1",
                "step": "1",
                "event": "convert",
                "at": "2026-03-02",
                "value": "12.5",
            },
            {"loop": "w", "contact": "c1", "step": "1", "event": "convert", "at": "2026-03-02", "value": "x"},
        ],
    )
    assert (result.accepted, result.rejected) == (2, 1)
    assert loop_report(store, workspace, key="w").report.conversion_value == 12.5
