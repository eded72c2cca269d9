"""Loops on a hand-built event set whose touches, drop-offs and conversions are known exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from peyvand.analysis.loops import (
    Loop,
    LoopEvent,
    LoopEventType,
    analyse_loop,
    conversion_by_loop,
    should_pause,
)

T0 = datetime(2025, 3, 1, 9, 0)
AS_OF = T0 + timedelta(days=30)
WELCOME = Loop("welcome", ("s1", "s2", "s3"))
REACTIVATION = Loop("reactivation", ("r1",), crisis_safe=False)
SEND, OPEN, CLICK, CONVERT, UNSUBSCRIBE = LoopEventType


def _event(
    contact: str,
    step: str | None,
    kind: LoopEventType,
    day: float,
    loop: str | None = None,
    value: float | None = None,
) -> LoopEvent:
    return LoopEvent(contact, step, kind, T0 + timedelta(days=day), loop, value)


EVENTS = [
    # A: one send, opens, clicks, converts a day later at s1
    _event("A", "s1", SEND, 0),
    _event("A", "s1", OPEN, 0.1),
    _event("A", "s1", CLICK, 0.2),
    _event("A", "s1", CONVERT, 1),
    # B: two sends, opens s2, converts at s2 on day 4
    _event("B", "s1", SEND, 0),
    _event("B", "s2", SEND, 3),
    _event("B", "s2", OPEN, 3.5),
    _event("B", "s2", CONVERT, 4),
    # C: all three steps, never converts (finished the loop, censored at 3 touches)
    _event("C", "s1", SEND, 0),
    _event("C", "s2", SEND, 3),
    _event("C", "s3", SEND, 6),
    # D: opens s1 and stops (dropped at s1)
    _event("D", "s1", SEND, 0),
    _event("D", "s1", OPEN, 1),
    # E: s1 sent three days ago: still in progress, not dropped
    _event("E", "s1", SEND, 27),
    # F: three sends, clicks s3, converts with no step or loop named: credited to s3, the last sent
    _event("F", "s1", SEND, 0),
    _event("F", "s2", SEND, 3),
    _event("F", "s3", SEND, 6),
    _event("F", "s3", CLICK, 7),
    _event("F", None, CONVERT, 8),
    # G: bought before entering (ignored), then one send and nothing
    _event("G", None, CONVERT, -5),
    _event("G", "s1", SEND, 0),
    # the reactivation loop: X converts, Y does not
    _event("X", "r1", SEND, 0, "reactivation"),
    _event("X", None, CONVERT, 2, "reactivation"),
    _event("Y", "r1", SEND, 0, "reactivation"),
]


def test_contacts_and_conversion() -> None:
    report = analyse_loop(WELCOME, EVENTS, as_of=AS_OF)
    assert report.contacts == 7
    assert (report.converted.successes, report.converted.trials) == (3, 7)


def test_touches_to_conversion_exact() -> None:
    touches = analyse_loop(WELCOME, EVENTS, as_of=AS_OF).touches
    assert touches.counts == {1: 1, 2: 1, 3: 1}
    assert (touches.converters, touches.censored) == (3, 4)
    assert touches.median == 2.0
    assert dict(touches.quantiles) == {0.25: 1.0, 0.5: 2.0, 0.75: 3.0, 0.9: 3.0}
    # Kaplan-Meier with the 4 non-converters censored: 1/7 convert at touch 1, 1 of the 3 left at touch 2,
    # 1 of the 2 left at touch 3
    assert [p.at for p in touches.curve] == [1.0, 2.0, 3.0]
    assert [p.at_risk for p in touches.curve] == [7, 3, 2]
    assert [p.converted for p in touches.curve] == pytest.approx([1 / 7, 3 / 7, 5 / 7])
    assert touches.km_median == 3.0
    assert all(p.interval.low <= p.converted <= p.interval.high for p in touches.curve)


def test_time_to_conversion_exact() -> None:
    days = analyse_loop(WELCOME, EVENTS, as_of=AS_OF).days
    assert days.median == pytest.approx(4.0)
    assert [p.at for p in days.curve] == pytest.approx([1.0, 4.0, 8.0])
    # censored: C, D and G watched 30 days, E 3 days; so E has left the risk set by day 4
    assert [p.at_risk for p in days.curve] == [7, 5, 4]
    assert days.curve[-1].converted == pytest.approx(1 - (6 / 7) * (4 / 5) * (3 / 4))


def test_drop_off_per_step_exact() -> None:
    s1, s2, s3 = analyse_loop(WELCOME, EVENTS, as_of=AS_OF).steps
    assert (s1.step, s1.position, s1.reached, s1.in_progress) == ("s1", 1, 7, 1)
    assert (s1.opened.successes, s1.clicked.successes, s1.converted.successes) == (2, 1, 1)
    assert s1.continued is not None
    assert (s1.continued.successes, s1.continued.trials) == (3, 6)
    assert (s1.dropped.successes, s1.dropped.trials) == (2, 6)
    assert (s2.reached, s2.opened.successes, s2.converted.successes) == (3, 1, 1)
    assert s2.continued is not None and (s2.continued.successes, s2.continued.trials) == (2, 3)
    assert s2.dropped.successes == 0
    assert (s3.reached, s3.clicked.successes, s3.converted.successes) == (2, 1, 1)
    assert s3.continued is None and (s3.dropped.successes, s3.dropped.trials) == (1, 2)
    assert s1.opened.rate == pytest.approx(2 / 7)
    assert s1.opened.interval.low < 2 / 7 < s1.opened.interval.high


def test_unsubscribing_leaves_the_loop_and_never_converts_in_it() -> None:
    loop = Loop("short", ("a", "b"))
    events = [
        _event("U1", "a", SEND, 0),
        _event("U1", "b", SEND, 3),
        _event("U1", None, UNSUBSCRIBE, 4),
        _event("U1", None, CONVERT, 10, value=100.0),
        _event("U2", "a", SEND, 0),
        _event("U2", None, CONVERT, 1, value=250.0),
        _event("U3", "a", SEND, 0),
    ]
    report = analyse_loop(loop, events, as_of=AS_OF)
    assert (report.contacts, report.converted.successes, report.conversion_value) == (3, 1, 250.0)
    # U1 stays at risk for ever, so the curve is 1 of 3, not 1 of 2
    assert [(p.at, p.at_risk, p.converted) for p in report.touches.curve] == [(1.0, 3, pytest.approx(1 / 3))]
    assert report.touches.censored == 2
    a, b = report.steps
    assert (a.unsubscribed.successes, a.dropped.successes, a.dropped.trials) == (0, 1, 3)
    assert a.continued is not None and a.continued.successes == 1
    assert (b.reached, b.unsubscribed.successes, b.dropped.successes, b.in_progress) == (1, 1, 1, 0)


def test_in_progress_depends_on_settle_days() -> None:
    s1 = analyse_loop(WELCOME, EVENTS, as_of=AS_OF, settle_days=2).steps[0]
    assert s1.in_progress == 0 and s1.dropped.successes == 3


def test_conversion_by_loop_orders_by_rate_and_keeps_loops_apart() -> None:
    reactivation, welcome = conversion_by_loop([WELCOME, REACTIVATION], EVENTS, as_of=AS_OF)
    assert reactivation.loop == "reactivation" and welcome.loop == "welcome"
    assert (reactivation.contacts, reactivation.converted.successes) == (2, 1)
    assert reactivation.touches.counts == {1: 1}
    assert welcome.contacts == 7


def test_empty_loop() -> None:
    report = analyse_loop(Loop("empty", ("a",)), [])
    assert report.contacts == 0 and report.converted.rate is None and report.as_of is None
    assert report.touches.median is None and report.touches.km_median is None
    assert report.steps[0].reached == 0


def test_should_pause_during_a_crisis_unless_crisis_safe() -> None:
    assert not should_pause(WELCOME, crisis_active=False).pause
    decision = should_pause(WELCOME, crisis_active=True)
    assert decision.pause and decision.rule == "crisis_active"
    assert "crisis" in decision.sentence("en") and "بحران" in decision.sentence("fa")
    service = Loop("order-updates", ("shipped",), crisis_safe=True)
    assert not should_pause(service, crisis_active=True).pause
