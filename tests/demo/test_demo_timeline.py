"""The demo's calendar: Jalali holidays, where the story's events fall, and the desk's business hours."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from peyvand.demo.timeline import Window, build_timeline, next_open, reply_moment


def test_holidays_follow_the_jalali_calendar() -> None:
    t = build_timeline(dt.date(2025, 6, 1), 540)
    assert Window(dt.date(2025, 3, 21), dt.date(2025, 4, 2)) in t.nowruz  # Farvardin 1-13, 1404
    assert Window(dt.date(2024, 12, 16), dt.date(2024, 12, 20)) in t.yalda  # Azar 26-30, 1403
    assert t.season(dt.date(2025, 3, 15)) == "nowruz" and t.season(dt.date(2025, 5, 1)) is None


@pytest.mark.parametrize("days", [540, 820])
@pytest.mark.parametrize("end", [dt.date(2024, 9, 1) + dt.timedelta(days=23 * k) for k in range(32)])
def test_story_events_stay_clear_of_holidays_and_each_other(end: dt.date, days: int) -> None:
    t = build_timeline(end, days)
    holidays = [h.widened(3, 25) for h in t.holidays]
    last_year = end - dt.timedelta(days=364)
    assert last_year <= t.price_rise
    for window in (t.campaign_lift, t.campaign_flat, t.crisis_impact, t.second_campaign):
        assert last_year <= window.start and window.end < t.window.end  # where the engine knows the season
        assert not any(window.overlaps(h) for h in holidays), window
    assert not t.crisis_impact.widened(25, 0).overlaps(t.campaign_flat)
    assert not t.campaign_flat.widened(25, 0).overlaps(t.crisis_impact)
    assert not t.crisis_impact.widened(25, 0).overlaps(t.campaign_lift)
    assert not any(Window(t.press_day, t.press_peak).overlaps(h) for h in t.holidays)
    assert t.press_peak <= end - dt.timedelta(days=6)


def test_too_short_a_window_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 120"):
        build_timeline(dt.date(2025, 6, 1), 60)


def test_the_desk_opens_saturday_to_wednesday_half_day_thursday_never_friday() -> None:
    thursday_afternoon = dt.datetime(2025, 5, 29, 15, 0)  # a Thursday
    assert next_open(thursday_afternoon) == dt.datetime(2025, 5, 31, 9, 0)  # Saturday
    assert next_open(dt.datetime(2025, 5, 30, 11, 0)) == dt.datetime(2025, 5, 31, 9, 0)  # Friday
    assert next_open(dt.datetime(2025, 5, 31, 10, 30)) == dt.datetime(2025, 5, 31, 10, 30)


def test_replies_take_minutes_in_hours_and_wait_for_the_desk_otherwise() -> None:
    rng = random.Random(1)
    monday_morning = dt.datetime(2025, 5, 26, 10, 0)
    delays = sorted(
        (reply_moment(monday_morning, rng) - monday_morning).total_seconds() / 60 for _ in range(500)
    )
    assert 5 < delays[len(delays) // 2] < 120 and delays[-1] < 24 * 60
    friday_night = dt.datetime(2025, 5, 30, 22, 0)
    answers = [reply_moment(friday_night, rng) for _ in range(200)]
    assert sum(a.date() == dt.date(2025, 5, 31) for a in answers) > 150  # most wait for Saturday
