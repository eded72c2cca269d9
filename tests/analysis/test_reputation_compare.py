"""Before/after comparisons (net sentiment, shares) and the crisis-window rules, on numbers worked by hand."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from statistics import NormalDist

import pytest

from peyvand.analysis.crisis_rules import crisis_window, sampled_falls
from peyvand.analysis.reputation import TEHRAN, Mention
from peyvand.analysis.reputation_compare import net_sentiment_change, share_change


def test_net_sentiment_change_worked_example() -> None:
    # before: P=30, N=30, U=40 → net 0; after: P=60, N=10, U=30 → net 50
    change = net_sentiment_change((30, 30, 40), (60, 10, 30))
    assert (change.before, change.after, change.difference) == (0.0, 50.0, 50.0)
    p1, q1 = 31 / 102, 31 / 102
    p2, q2 = 61 / 102, 11 / 102
    se = math.sqrt((p1 + q1 - (p1 - q1) ** 2) / 102 + (p2 + q2 - (p2 - q2) ** 2) / 102)
    centre = (p2 - q2) - (p1 - q1)
    assert change.low == pytest.approx(100 * (centre - 1.959964 * se))
    assert change.high == pytest.approx(100 * (centre + 1.959964 * se))
    assert change.p_value == pytest.approx(2 * (1 - NormalDist().cdf(0.5 / se)))  # 1.1e-6


def test_net_sentiment_change_needs_both_samples() -> None:
    change = net_sentiment_change((0, 0, 0), (5, 1, 1))
    assert change.difference is None and change.p_value is None and change.after_n == 7


def test_share_change_matches_the_attribute_shift_example() -> None:
    change = share_change(20, 200, 60, 200)
    assert change.difference == pytest.approx(0.20)
    assert (change.low, change.high) == (pytest.approx(0.123, abs=1e-3), pytest.approx(0.275, abs=1e-3))
    assert change.test == "z" and change.p_value == pytest.approx(5.7e-7, rel=0.05)
    assert share_change(0, 0, 3, 10).test == "none"


def test_crisis_window_runs_from_the_first_elevated_day_to_the_calm() -> None:
    start = date(2026, 5, 1)
    negatives = {start - timedelta(days=k): 2.0 for k in range(1, 29)}
    negatives.update(
        {start + timedelta(days=k): v for k, v in enumerate([2, 3, 30, 50, 9, 2, 8, 1, 1, 1, 9])}
    )
    # usual 2 a day → ceiling max(4, 5) = 5: elevated on days 2, 3, 4 and 6; calm from day 7 on
    assert crisis_window(start, start + timedelta(days=40), negatives) == (
        start + timedelta(days=2),
        start + timedelta(days=6),
    )
    assert crisis_window(start, start + timedelta(days=1), negatives) == (start, start + timedelta(days=1))


def _day(day: date, labels: list[str]) -> list[Mention]:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=TEHRAN).astimezone(UTC)
    return [Mention(at=at, sentiment=label) for label in labels]  # type: ignore[arg-type]


def test_sampled_fall_confirms_a_drop_in_net_sentiment_and_not_a_steady_one() -> None:
    start = date(2026, 5, 1)
    calm = [
        m
        for k in range(1, 29)
        for m in _day(start - timedelta(days=k), ["positive"] * 5 + ["negative"] * 2 + ["neutral"] * 3)
    ]
    angry = [
        m for k in range(5) for m in _day(start + timedelta(days=k), ["negative"] * 8 + ["positive"] * 2)
    ]
    steady = [
        m
        for k in range(5)
        for m in _day(start + timedelta(days=k), ["positive"] * 5 + ["negative"] * 2 + ["neutral"] * 3)
    ]
    [fall] = sampled_falls([(start, start + timedelta(days=4))], calm + angry, tz=TEHRAN)
    assert fall["direction"] == "fall" and fall["start"] == start
    assert fall["baseline"] == pytest.approx(30.0) and fall["observed"] == pytest.approx(-60.0)
    assert sampled_falls([(start, start + timedelta(days=4))], calm + steady, tz=TEHRAN) == []
