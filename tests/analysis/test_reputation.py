from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from peyvand.analysis.reputation import (
    TEHRAN,
    Change,
    Mention,
    Periods,
    crisis_candidates,
    crisis_series,
    net_sentiment,
    net_sentiment_interval,
    rolling_sentiment_index,
    sentiment_index,
    wilson_interval,
)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 1, day, hour, tzinfo=TEHRAN)


def mentions_on(day: int, positive: int, negative: int, neutral: int, **fields: object) -> list[Mention]:
    labels = ["positive"] * positive + ["negative"] * negative + ["neutral"] * neutral
    return [Mention(at=at(day), sentiment=label, **fields) for label in labels]  # type: ignore[arg-type]


def test_net_sentiment_and_interval_match_hand_computation() -> None:
    # P=6, N=2, U=2: (6-2)/10 = 40. Bonett-Price: p~=7/12, q~=3/12,
    # se = sqrt((10/12 - (4/12)^2) / 12) = 0.245327, half = 1.959964 * se = 0.480831.
    assert net_sentiment(6, 2, 2) == pytest.approx(40.0)
    low, high = net_sentiment_interval(6, 2, 2)
    assert low == pytest.approx(-14.7498, abs=1e-3)
    assert high == pytest.approx(81.4165, abs=1e-3)


def test_small_samples_get_wider_intervals_and_empty_periods_the_whole_range() -> None:
    small = net_sentiment_interval(3, 1, 1)
    large = net_sentiment_interval(30, 10, 10)
    assert small[1] - small[0] > 2 * (large[1] - large[0])
    assert net_sentiment(0, 0, 0) is None
    assert net_sentiment_interval(0, 0, 0) == (-100.0, 100.0)
    # all positive: the interval still has width below 100
    assert net_sentiment_interval(10, 0, 0)[0] == pytest.approx(52.058, abs=1e-3)


def test_wilson_interval_known_value() -> None:
    low, high = wilson_interval(30, 100)
    assert (low, high) == pytest.approx((0.21895, 0.39585), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_daily_index_counts_in_local_time_and_fills_empty_days() -> None:
    items = mentions_on(1, 6, 2, 2) + mentions_on(3, 0, 1, 0)
    # 21:00 UTC on 1 Jan is 00:30 on 2 Jan in Tehran
    items.append(Mention(at=datetime(2025, 1, 1, 21, tzinfo=UTC), sentiment="positive"))
    points = sentiment_index(items)
    assert [p.period_start for p in points] == [date(2025, 1, d) for d in (1, 2, 3)]
    first, second, third = points
    assert (first.positive, first.negative, first.neutral, first.volume) == (6, 2, 2, 10)
    assert first.net_sentiment == pytest.approx(40.0)
    assert (first.low, first.high) == pytest.approx((-14.7498, 81.4165), abs=1e-3)
    assert second.volume == 1 and second.net_sentiment == pytest.approx(100.0)
    assert third.net_sentiment == pytest.approx(-100.0)


def test_index_groups_by_source_and_passes_provisional_counts() -> None:
    items = mentions_on(1, 2, 0, 0, source="telegram", provisional=True) + mentions_on(
        2, 0, 1, 1, source="rss"
    )
    points = sentiment_index(items, by="source")
    assert [(p.group, p.period_start.day, p.volume) for p in points] == [
        ("rss", 1, 0),
        ("rss", 2, 2),
        ("telegram", 1, 2),
        ("telegram", 2, 0),
    ]
    assert [p.provisional for p in points] == [0, 0, 2, 0]
    assert points[1].net_sentiment == pytest.approx(-50.0)


def test_index_selects_one_entity() -> None:
    items = mentions_on(1, 1, 0, 0, entities=("brand",)) + mentions_on(1, 0, 3, 0, entities=("rival",))
    (point,) = sentiment_index(items, entity="brand")
    assert point.volume == 1 and point.net_sentiment == pytest.approx(100.0)


def test_rolling_index_pools_counts_over_the_window() -> None:
    items = mentions_on(1, 4, 0, 0) + mentions_on(2, 0, 4, 0) + mentions_on(3, 1, 1, 2)
    rolled = rolling_sentiment_index(sentiment_index(items), window=2)
    assert [p.volume for p in rolled] == [4, 8, 8]
    assert [p.periods for p in rolled] == [1, 2, 2]
    assert [p.net_sentiment for p in rolled] == pytest.approx([100.0, 0.0, -50.0])
    assert rolled[2].low == pytest.approx(net_sentiment_interval(1, 5, 2)[0])


def test_weeks_start_on_saturday_and_jalali_months() -> None:
    friday = date(2025, 3, 21)
    assert Periods("week").start_of(friday) == date(2025, 3, 15)
    jalali = Periods("month", calendar="jalali")
    # 1 Esfand 1403 = 19 Feb 2025; 1 Farvardin 1404 = 21 Mar 2025; 1 Ordibehesht 1404 = 21 Apr 2025
    assert jalali.start_of(date(2025, 3, 20)) == date(2025, 2, 19)
    assert jalali.span(date(2025, 3, 1), date(2025, 4, 21)) == [
        date(2025, 2, 19),
        date(2025, 3, 21),
        date(2025, 4, 21),
    ]
    assert Periods("month").span(date(2024, 12, 31), date(2025, 2, 1)) == [
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Mention(at=datetime(2025, 1, 1))


def test_crisis_series_zero_fills_negative_volume_and_leaves_thin_days_out() -> None:
    items = mentions_on(1, 3, 2, 0) + mentions_on(3, 0, 1, 0) + mentions_on(4, 1, 4, 0)
    series = crisis_series(items, min_volume=5)
    assert series.negative_volume.dates.dtype == np.dtype("datetime64[D]")
    assert series.negative_volume.pairs() == [
        (date(2025, 1, 1), 2.0),
        (date(2025, 1, 2), 0.0),
        (date(2025, 1, 3), 1.0),
        (date(2025, 1, 4), 4.0),
    ]
    assert series.net_sentiment.pairs() == [(date(2025, 1, 1), 20.0), (date(2025, 1, 4), -60.0)]


@dataclass(frozen=True)
class SignalChange:
    start: date
    end: date
    direction: str


def test_crisis_candidates_pair_a_negative_rise_with_a_nearby_sentiment_fall() -> None:
    day = date(2025, 1, 10)
    rises: list[Change] = [
        SignalChange(day, day + timedelta(days=2), "rise"),
        {"start": "2025-01-20", "end": "2025-01-21", "direction": "rise"},
        SignalChange(day, day, "fall"),
    ]
    falls: list[Change] = [
        {"start": "2025-01-11T00:00:00", "end": "2025-01-14", "direction": "fall"},
        SignalChange(date(2025, 1, 25), date(2025, 1, 26), "fall"),
        SignalChange(day, day, "rise"),
    ]
    (found,) = crisis_candidates(rises, falls, window_days=2)
    assert (found.start, found.end, found.lag_days) == (day, date(2025, 1, 14), 1)
    assert found.negative_volume_change is rises[0]
    assert crisis_candidates(rises, falls, window_days=0) == []


def test_each_sentiment_fall_is_used_once() -> None:
    day = date(2025, 1, 10)
    rises: list[Change] = [SignalChange(day, day, "rise"), SignalChange(day + timedelta(days=1), day, "rise")]
    falls: list[Change] = [SignalChange(day, day, "fall")]
    assert len(crisis_candidates(rises, falls)) == 1
