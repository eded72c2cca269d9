"""The exchange compares whole days: today's partial data never make a rise read as a fall; each change
carries its interval and p-value."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from scipy import stats

from marketing_data import ingest, metric_items
from peyvand.analysis.periods import compare_daily
from peyvand.services.access import Actor
from peyvand.services.exchange import exchange
from peyvand.storage.db import Store

TODAY = date(2026, 3, 20)


def test_a_partial_today_is_left_out_and_the_change_is_per_day(store: Store, workspace: Actor) -> None:
    first = TODAY - timedelta(days=14)
    before = [100.0, 104, 98, 101, 99, 103, 97]  # mean 100.3
    after = [110.0, 108, 112, 109, 111, 107]  # six days with data (one missing): mean 109.5
    values = before + after
    items = metric_items("site_visits", values, first=first)
    items += metric_items("site_visits", [5.0], first=TODAY)  # today, still coming in
    ingest(store, workspace, items)
    view = exchange(store, workspace, days=7, today=TODAY)
    assert view.end == TODAY - timedelta(days=1)
    [visits] = [h for h in view.marketing if h.key == "site_visits"]
    assert (visits.value, visits.n, visits.n_previous) == (sum(after), 6, 7)
    expected = (sum(after) / 6) / (sum(before) / 7) - 1
    assert visits.change == pytest.approx(expected) and visits.change > 0  # a rise, whatever the sums say
    assert visits.low is not None and visits.high is not None and visits.low < expected < visits.high
    assert visits.p_value == pytest.approx(stats.ttest_ind(after, before, equal_var=False).pvalue)
    as_json = view.to_json()["marketing"]
    assert as_json[0]["change_kind"] == "relative, per day" and as_json[0]["n_previous"] == 7  # type: ignore[index]


def test_compare_daily_matches_welch_and_says_nothing_without_days() -> None:
    before, after = [8.0, 9, 10, 9, 8, 9, 10], [10.0, 12, 9, 11, 13, 10, 12]
    found = compare_daily(before, after)
    welch = stats.ttest_ind(after, before, equal_var=False)
    assert found.p_value == pytest.approx(welch.pvalue)
    ci = welch.confidence_interval(0.95)
    mean_before = sum(before) / len(before)
    assert (found.low, found.high) == pytest.approx((ci.low / mean_before, ci.high / mean_before))
    assert compare_daily([], after).relative is None
    assert compare_daily([0.0, 0.0], after).relative is None
    assert compare_daily([5.0], [6.0]).p_value is None and compare_daily(
        [5.0], [6.0]
    ).relative == pytest.approx(0.2)


def test_days_without_ad_spend_count_as_no_spend(store: Store, workspace: Actor) -> None:
    """Spend paused for part of the period: 1,500 against 3,000 is a fall, not a rise per active day."""
    first = TODAY - timedelta(days=14)
    spend = metric_items("ad_spend", [100.0] * 7, first=first, dims={"campaign": "c", "channel": "ig"})
    spend += metric_items(
        "ad_spend", [250.0] * 3, first=first + timedelta(days=7), dims={"campaign": "c", "channel": "ig"}
    )
    spend += metric_items(
        "site_visits", [50.0] * 14, first=first
    )  # the shop reports every day up to yesterday
    ingest(store, workspace, spend)
    view = exchange(store, workspace, days=7, today=TODAY)
    [headline] = [h for h in view.marketing if h.key == "ad_spend"]
    assert (headline.value, headline.previous, headline.n) == (750.0, 700.0, 7)
    assert headline.change == pytest.approx(750 / 700 - 1)
