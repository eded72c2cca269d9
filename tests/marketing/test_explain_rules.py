"""The pure rules behind a signal's explanation: when a PR event coincides, which campaigns were on, how
another series moved against its weekday baseline, and R6's routing."""

from __future__ import annotations

from datetime import date, timedelta

from peyvand.domain.routing import default_rules
from peyvand.services.pr_events import PrEvent, coincides
from peyvand.services.signal_explain import ExplainContext, SeriesInfo, active_campaigns, explain, series_move

START = date(2026, 6, 18)


def test_a_pr_event_coincides_with_the_onset_only() -> None:
    def event(first: int, last: int) -> PrEvent:
        return PrEvent("crisis", START + timedelta(days=first), START + timedelta(days=last))

    end = START + timedelta(days=40)  # a long level shift
    assert coincides(event(-3, -3), START, end)  # up to three days before it starts
    assert not coincides(event(-5, -4), START, end)
    assert coincides(event(3, 9), START, end)  # or in its first three days
    assert not coincides(event(4, 9), START, end)  # not anywhere in a long window
    assert not coincides(event(1, 1), START, START)  # a one-day spike: only events up to its day


def test_a_lasting_rise_in_mentions_coincides_only_with_changes_at_its_onset() -> None:
    """A mention level that rose seven months ago and stayed is not the cause of every change since."""
    shift = PrEvent(
        "mention_spike", START - timedelta(days=200), START + timedelta(days=10), {"change": "level_shift"}
    )
    assert not coincides(shift, START, START + timedelta(days=20))
    assert coincides(shift, START - timedelta(days=199), START)
    spike = PrEvent(
        "mention_spike", START - timedelta(days=2), START + timedelta(days=10), {"change": "spike"}
    )
    assert coincides(spike, START + timedelta(days=5), START + timedelta(days=9))  # a burst: its span counts


def test_active_campaigns_overlap_the_window() -> None:
    campaigns = [
        {"key": "before", "starts_on": "2026-05-01", "ends_on": "2026-06-17"},
        {"key": "during", "starts_on": "2026-06-01", "ends_on": "2026-06-18"},
        {"key": "open", "starts_on": "2026-06-20", "ends_on": None},
        {"key": "after", "starts_on": "2026-07-01", "ends_on": None},
    ]
    found = active_campaigns(campaigns, START, START + timedelta(days=5))
    assert [c["key"] for c in found] == ["during", "open"]


def test_series_move_against_weekday_means() -> None:
    weekly = [100, 100, 110, 120, 80, 90, 100]
    values = {
        START - timedelta(days=k): float(weekly[(START - timedelta(days=k)).weekday()]) for k in range(1, 29)
    }
    for k in range(7):
        day = START + timedelta(days=k)
        values[day] = 1.5 * weekly[day.weekday()]
    move = series_move(values, START, START + timedelta(days=6))
    assert move is not None and abs(move[0] - 0.5) < 1e-9 and move[1] == 7
    assert series_move(values, START, START + timedelta(days=20)) is None  # under half the window has data


def test_r6_shares_only_with_a_pr_event() -> None:
    ctx = ExplainContext(
        campaigns=[],
        events=[PrEvent("mention_spike", START, START, {"effect": 4.0})],
        series={1: SeriesInfo(1, "site_visits", "site_visits", {})},
        daily={},
        rules=default_rules(),
    )
    shared = explain(ctx, series_id=1, start=START, end=START + timedelta(days=9), direction="fall")
    assert shared.share_with == ["pr"] and shared.reasons[0]["rule"] == "R6-signal-with-pr-event"
    assert shared.data["pr_events"][0]["kind"] == "mention_spike"
    alone = explain(
        ctx, series_id=1, start=START + timedelta(days=30), end=START + timedelta(days=31), direction="rise"
    )
    assert alone.share_with == [] and alone.reasons == [] and alone.data["pr_events"] == []
    disabled = [r for r in default_rules() if r.id != "R6-signal-with-pr-event"]
    ctx.rules = disabled
    assert explain(ctx, series_id=1, start=START, end=START, direction="fall").share_with == []


def test_a_change_in_the_first_year_of_a_series_is_marked() -> None:
    """Under a year of history the engine cannot know a yearly season: the explanation says how much
    history there was, and the signal is marked as a first-year one (shown on the desk and in JSON)."""
    from peyvand.services.signal_views import YEAR_DAYS

    values = {START - timedelta(days=k): 100.0 for k in range(1, 200)}
    ctx = ExplainContext(
        campaigns=[], events=[], series={1: SeriesInfo(1, "orders", "orders", {})}, daily={1: values},
        rules=default_rules(),
    )  # fmt: skip
    young = explain(ctx, series_id=1, start=START, end=START + timedelta(days=30), direction="fall")
    assert young.data["history_days"] == 199 < YEAR_DAYS
    later = START + timedelta(days=400)
    assert explain(ctx, series_id=1, start=later, end=later, direction="rise").data["history_days"] == 599
    ctx.daily = {}
    assert explain(ctx, series_id=1, start=START, end=START, direction="rise").data["history_days"] is None
