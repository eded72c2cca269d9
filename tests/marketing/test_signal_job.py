"""The signal job: finds an injected change in a stored series, stores it once, evaluates only new periods,
explains it (campaigns, PR events, other series) and shares it with PR by rule R6 when a PR event
coincided. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import delete, select

from marketing_data import FIRST, WEEKLY, days, ingest, mention_items, metric_items, visits
from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services.access import Actor
from peyvand.services.campaigns import save_campaign
from peyvand.services.signal_views import SignalView, list_signals
from peyvand.services.signals import detect_signals
from peyvand.storage.db import Store
from peyvand.storage.tables import Job, Signal

CHANGE = FIRST + timedelta(days=150)


def _rises(store: Store, actor: Actor, series: str = "site_visits") -> list[SignalView]:
    return [s for s in list_signals(store, actor) if s.series == series and s.direction == "rise"]


def _injected(store: Store, actor: Actor) -> SignalView:
    """The stored rise that starts within three days of the injected one (a level shift when the engine
    reports both kinds there)."""
    near = [s for s in _rises(store, actor) if abs((s.start_day - CHANGE).days) <= 3]
    assert near, [(s.start_day, s.kind) for s in _rises(store, actor)]
    return sorted(near, key=lambda s: s.kind != "level_shift")[0]


def _days_covered(store: Store, actor: Actor) -> int:
    """Days of the injected 21-day rise inside some stored rise of the series."""
    window = [CHANGE + timedelta(days=k) for k in range(21)]
    rises = _rises(store, actor)
    return sum(any(s.start_day <= day <= s.end_day for s in rises) for day in window)


def test_finds_the_injected_rise_and_stores_it_once(store: Store, workspace: Actor) -> None:
    ingest(store, workspace, metric_items("site_visits", visits(1)))
    first = detect_signals(store, workspace, history=True)
    signal = _injected(store, workspace)
    assert _days_covered(store, workspace) >= 14  # the rise lasts 21 days
    assert 0.35 < signal.effect < 0.9  # injected: +60%
    assert signal.effect_low is not None and signal.effect_low > 0
    assert signal.q_value is not None and signal.q_value <= 0.05
    stored = [(s.id, s.start, s.end, s.effect) for s in list_signals(store, workspace)]
    again = detect_signals(store, workspace, history=True)
    assert again.signals == first.signals
    assert sum(g.new + g.updated + g.removed for g in again.grains) == 0
    assert [(s.id, s.start, s.end, s.effect) for s in list_signals(store, workspace)] == stored


def test_incremental_run_evaluates_only_new_periods(store: Store, workspace: Actor) -> None:
    values = visits(2, 175, change_at=None)
    ingest(store, workspace, metric_items("site_visits", values[:170]))
    first = detect_signals(store, workspace)
    assert first.mode == "incremental"
    assert first.grains[0].periods == 170  # no cursor yet: the whole history
    nothing_new = detect_signals(store, workspace)
    assert nothing_new.grains[0].series == 0 and nothing_new.grains[0].periods == 0
    ingest(store, workspace, metric_items("site_visits", values)[170:])
    second = detect_signals(store, workspace)
    assert second.grains[0].series == 1
    assert second.grains[0].periods == 5


def test_incremental_run_does_not_look_back(store: Store, workspace: Actor) -> None:
    """A change before the cursor is not found again by an incremental run (only new days are tested)."""
    values = visits(3)
    ingest(store, workspace, metric_items("site_visits", values[:190]))
    detect_signals(store, workspace)
    _injected(store, workspace)
    with store.transaction() as session:
        session.execute(delete(Signal).where(Signal.workspace_id == workspace.workspace_id))
    ingest(store, workspace, metric_items("site_visits", values)[190:])
    run = detect_signals(store, workspace)
    assert run.grains[0].periods == 10
    assert _rises(store, workspace) == []
    detect_signals(store, workspace, since=CHANGE - timedelta(days=10))  # on demand over history
    _injected(store, workspace)


def _campaign(store: Store, actor: Actor) -> None:
    save_campaign(
        store,
        actor,
        {
            "key": "spring-push",
            "kind": "marketing",
            "name": "Spring push",
            "products": ["green-tea"],
            "starts_on": (CHANGE - timedelta(days=2)).isoformat(),
            "ends_on": (CHANGE + timedelta(days=25)).isoformat(),
            "channels": [{"name": "instagram_ads", "type": "paid"}, {"name": "newsletter", "type": "owned"}],
        },
    )


def test_explanation_lists_campaign_mention_spike_and_shares_with_pr(store: Store, workspace: Actor) -> None:
    ingest(store, workspace, metric_items("site_visits", visits(4)))
    ingest(store, workspace, metric_items("orders", visits(5, change_at=None)))
    counts = {day: 2 + (day.toordinal() % 3 == 0) for day in days(200)}
    counts[CHANGE] = 45  # a burst of coverage on the day the visits rise
    ingest(store, workspace, mention_items(counts))
    _campaign(store, workspace)
    detect_signals(store, workspace, history=True)
    signal = _injected(store, workspace)
    campaign = next(c for c in signal.campaigns if c["key"] == "spring-push")
    assert {"name": "instagram_ads", "type": "paid"} in campaign["channels"]
    assert any(e["kind"] == "mention_spike" for e in signal.pr_events)
    assert signal.share_with == ["pr"]
    assert [r["rule"] for r in signal.reasons] == ["R6-signal-with-pr-event"]
    others = {o["series"]: o for o in signal.other_series}
    assert "orders" in others and abs(others["orders"]["change"]) < 0.15  # orders did not move
    assert signal in list_signals(store, workspace, shared_with="pr")


def test_no_pr_event_no_sharing(store: Store, workspace: Actor) -> None:
    ingest(store, workspace, metric_items("site_visits", visits(6)))
    ingest(store, workspace, mention_items(dict.fromkeys(days(200), 2)))
    _campaign(store, workspace)
    detect_signals(store, workspace, history=True)
    signal = _injected(store, workspace)
    assert [c["key"] for c in signal.campaigns] == ["spring-push"]
    assert signal.pr_events == []
    assert signal.share_with == [] and signal.reasons == []
    assert list_signals(store, workspace, shared_with="pr") == []


def test_ingesting_reactions_queues_the_job_and_the_worker_runs_it(store: Store, workspace: Actor) -> None:
    def queued() -> list[str]:
        with store.read() as session:
            return list(
                session.scalars(
                    select(Job.kind).where(Job.workspace_id == workspace.workspace_id, Job.status == "queued")
                )
            )

    ingest(store, workspace, mention_items({FIRST: 3}))
    assert "detect_signals" not in queued()
    ingest(store, workspace, metric_items("site_visits", visits(7)))
    assert queued().count("detect_signals") == 1
    ingest(store, workspace, metric_items("store_visits", visits(8, change_at=None)))
    assert queued().count("detect_signals") == 1  # one queued job covers both ingests
    run_pending(store, HANDLERS, limit=50)
    assert "detect_signals" not in queued()
    _injected(store, workspace)


def test_daily_runs_end_a_lift_at_its_return_as_a_history_run_does(store: Store, workspace: Actor) -> None:
    """A 50-day lift that returns to the earlier level, ingested five days at a time with an incremental
    run after each: the series is reopened at the stored shift, so the return ends the rise instead of
    being stored as a fall, and the daily result is the history run's."""
    items = metric_items("site_visits", visits(5, 260, change_at=150, length=50, factor=1.6))
    ingest(store, workspace, items[:175])
    detect_signals(store, workspace)
    for end in range(180, 261, 5):
        ingest(store, workspace, items[end - 5 : end])
        detect_signals(store, workspace)

    def stored() -> list[tuple[str, str, int, int]]:
        return sorted(
            (s.kind, s.direction, (s.start_day - FIRST).days, (s.end_day - FIRST).days)
            for s in list_signals(store, workspace)
            if s.series == "site_visits"
        )

    daily = stored()
    assert [(kind, direction) for kind, direction, _, _ in daily] == [("level_shift", "rise")]
    (_, _, start, end) = daily[0]
    assert abs(start - 150) <= 3 and abs(end - 199) <= 3
    detect_signals(store, workspace, history=True)
    assert stored() == daily


def test_a_part_that_did_not_report_leaves_the_total_missing_that_day_not_low(
    store: Store, workspace: Actor
) -> None:
    """Store visits reported per store: one store's counter is down for a day (and the last day is not in
    yet). The total of those days is incomplete, so the desk shows no fall there; a store closed every
    Friday is its rhythm, not a gap."""
    north, south = visits(11, change_at=None), visits(12, change_at=None)
    down = 120
    items = metric_items("store_visits", north, dims={"store": "north"})
    items += [
        item
        for k, item in enumerate(metric_items("store_visits", south, dims={"store": "south"}))
        if k not in (down, len(south) - 1)
    ]
    items += [  # a third store, closed every Friday
        item
        for item in metric_items("store_visits", visits(13, change_at=None), dims={"store": "east"})
        if date.fromisoformat(item["at"]).weekday() != 4
    ]
    ingest(store, workspace, items)
    detect_signals(store, workspace, history=True)
    falls = [
        s for s in list_signals(store, workspace) if s.series == "store_visits" and s.direction == "fall"
    ]
    assert falls == []
    assert {s.series for s in list_signals(store, workspace)} <= {'store_visits{"store":"east"}'}


def test_two_rises_the_engine_tells_apart_are_stored_as_two(store: Store, workspace: Actor) -> None:
    """A lasting +35% from day 90, then a campaign's +60% on top from day 150 for three weeks: two
    level shifts, the second starting the day after the first ends. Stored as one they read as a single
    rise from day 90 with the campaign's effect."""
    rng = np.random.default_rng(0)
    mean = 800 * WEEKLY[[d.weekday() for d in days(200)]]
    mean[90:] *= 1.35
    mean[150:171] *= 1.6
    ingest(store, workspace, metric_items("site_visits", [int(v) for v in rng.poisson(mean)]))
    for _ in range(2):  # and again: a history run finds the same two
        detect_signals(store, workspace, history=True)
        shifts = sorted(
            (s for s in _rises(store, workspace) if s.kind == "level_shift"), key=lambda s: s.start_day
        )
        assert [(s.start_day, s.end_day) for s in shifts] == [
            (FIRST + timedelta(days=90), FIRST + timedelta(days=149)),
            (FIRST + timedelta(days=150), FIRST + timedelta(days=170)),
        ]
        assert 0.2 < shifts[0].effect < 0.5 and 0.4 < shifts[1].effect < 0.8


def test_a_day_without_events_counts_zero_so_a_fall_to_nothing_is_found(
    store: Store, workspace: Actor
) -> None:
    """Store check-ins as raw events, a few a day; from day 150 the door scanner of the store stops
    finding anyone (no events at all for three weeks, then it comes back). Without the zeros the engine
    saw only the busy days and no fall."""
    rng = np.random.default_rng(3)
    items = []
    for k, day in enumerate(days(200)):
        if 150 <= k < 171:
            continue
        for n in range(int(rng.poisson(4))):
            items.append(
                {
                    "id": f"checkin-{k}-{n}",
                    "source": "door",
                    "kind": "event",
                    "event": "store_checkin",
                    "at": f"{day.isoformat()}T{10 + n % 10:02d}:00:00+03:30",
                }
            )
    ingest(store, workspace, items)
    detect_signals(store, workspace, history=True)
    falls = [
        s
        for s in list_signals(store, workspace)
        if s.series == "store_checkin" and s.direction == "fall" and s.grain == "day"
    ]
    assert falls and abs((falls[0].start_day - (FIRST + timedelta(days=150))).days) <= 3
