"""Campaign lift, return, verdict, justification and paid-against-free channels."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import cast

import numpy as np
import pytest

from peyvand.analysis.campaigns import (
    CampaignLift,
    ChannelKind,
    ChannelTotals,
    Expectation,
    Interval,
    LiftSettings,
    NotEnoughHistory,
    Verdict,
    campaign_return,
    compare_channels,
    justification,
    measure_campaign_return,
    measure_lift,
    wilson_interval,
)

FIRST = date(2024, 1, 6)
FAST = LiftSettings(n_boot=500)


def _series(
    seed: int,
    *,
    pre: int = 180,
    window: int = 28,
    daily_lift: float = 0.0,
    phi: float = 0.5,
    noise: float = 40.0,
) -> tuple[list[date], np.ndarray, date, date]:
    """Daily orders: level 1000, slow trend, Thursday/Friday peaks, AR(1) noise; lift added in the window."""
    rng = np.random.default_rng(seed)
    n = pre + window
    days = [FIRST + timedelta(days=k) for k in range(n)]
    weekday = np.array([d.weekday() for d in days])
    shocks = rng.normal(0.0, noise, n)
    ar = np.zeros(n)
    for k in range(n):
        ar[k] = phi * ar[k - 1] + shocks[k] if k else shocks[k]
    y = 1000 + 0.5 * np.arange(n) + 120 * (weekday == 4) + 60 * (weekday == 3) + ar
    y[pre:] += daily_lift
    return days, y, days[pre], days[-1]


def _lift(lift: float, low: float, high: float, counterfactual: float = 10_000.0) -> CampaignLift:
    return CampaignLift(
        start=FIRST,
        end=FIRST + timedelta(days=27),
        days_measured=28,
        pre_days=180,
        actual=counterfactual + lift,
        counterfactual=counterfactual,
        lift=lift,
        lift_interval=Interval(low, high),
        relative_lift=lift / counterfactual,
        relative_interval=Interval(low / counterfactual, high / counterfactual),
        p_value=0.01,
        alpha=0.05,
        terms=("intercept",),
        pre_fit_r2=0.9,
        residual_autocorrelation=0.0,
        noise_order=0,
        days=(),
        daily_actual=(),
        daily_counterfactual=(),
    )


def test_injected_lift_is_recovered_inside_its_interval() -> None:
    days, y, start, end = _series(1, daily_lift=60.0)
    lift = measure_lift(days, y, start=start, end=end)
    assert lift.days_measured == 28 and lift.pre_days == 180
    assert lift.lift_interval.contains(60.0 * 28)
    assert lift.lift_interval.low > 0 and lift.p_value < 0.01
    assert lift.relative_interval is not None and lift.relative_interval.contains(
        60.0 * 28 / lift.counterfactual
    )
    assert lift.daily_lift == pytest.approx(60.0, abs=15.0)
    assert lift.terms == ("intercept", "trend", "day_of_week")
    assert any("no yearly seasonality" in note for note in lift.notes)
    assert lift.noise_order >= 1 and lift.residual_autocorrelation > 0.3


def test_false_positive_rate_without_effect_is_near_alpha_and_lift_is_covered() -> None:
    """50 seeds, no campaign effect: about 5% may look significant; a real lift is covered as often."""
    false_positives, covered = 0, 0
    for seed in range(50):
        days, y, start, end = _series(seed)
        lift = measure_lift(days, y, start=start, end=end, settings=replace(FAST, seed=seed))
        false_positives += lift.significant
        days, y, start, end = _series(seed + 1000, daily_lift=30.0)
        lift = measure_lift(days, y, start=start, end=end, settings=replace(FAST, seed=seed))
        covered += lift.lift_interval.contains(30.0 * 28)
    assert false_positives <= 6
    assert covered >= 44


def test_verdict_without_effect_says_not_distinguishable() -> None:
    days, y, start, end = _series(3)
    result = measure_campaign_return(days, y, start=start, end=end, spend=50.0, settings=FAST)
    assert not result.lift.significant
    assert result.roi_interval is not None and result.roi_interval.high > 0  # it might have paid back
    assert result.verdict is Verdict.NOT_DISTINGUISHABLE
    assert result.verdict.sentence("en") == "lift not distinguishable from zero"
    assert result.verdict.sentence("fa") == "اثر کمپین از صفر قابل تشخیص نیست"


def test_a_spend_that_even_the_best_case_lift_does_not_pay_back_is_not_earned() -> None:
    days, y, start, end = _series(3)
    result = measure_campaign_return(days, y, start=start, end=end, spend=500_000.0, settings=FAST)
    assert not result.lift.significant
    assert result.roi_interval is not None and result.roi_interval.high < 0
    assert result.verdict is Verdict.NOT_EARNED
    assert result.verdict.sentence("en") == "did not earn its money back"


def test_spend_by_day_is_summed_and_orders_are_valued() -> None:
    days, y, start, end = _series(4, daily_lift=80.0)
    spend = {start + timedelta(days=k): 100.0 for k in range(10)}
    result = measure_campaign_return(
        days, y, start=start, end=end, spend=spend, value_per_unit=5.0, settings=FAST
    )
    assert result.spend == 1000.0
    assert result.incremental_revenue == pytest.approx(5.0 * result.lift.lift)
    assert result.roas == pytest.approx(result.incremental_revenue / 1000.0)
    assert result.verdict is Verdict.EARNED


def test_holidays_in_the_history_are_not_counted_as_lift() -> None:
    days, y, start, end = _series(5, pre=364, window=28)
    holidays = {days[k] for k in (40, 41, 42, 130, 131, 132, 250, 251, 252, 365, 366, 367, 368)}
    y = y + np.array([500.0 if d in holidays else 0.0 for d in days])
    ignored = measure_lift(days, y, start=start, end=end, settings=FAST)
    modelled = measure_lift(days, y, start=start, end=end, holidays=holidays, settings=FAST)
    assert ignored.lift > 1500
    assert "holidays" in modelled.terms
    assert abs(modelled.lift) < 500 and modelled.lift_interval.contains(0.0)


def test_a_known_level_shift_in_the_history_is_modelled() -> None:
    days, y, start, end = _series(11)
    y = y + np.where(np.arange(len(days)) >= 120, 200.0, 0.0)  # a price rise two months before
    ignored = measure_lift(days, y, start=start, end=end, settings=FAST)
    modelled = measure_lift(days, y, start=start, end=end, level_shifts=[days[120]], settings=FAST)
    # unmodelled, the step leaks into the noise model and the interval balloons; modelled, it does not
    assert "level_shifts" in modelled.terms and modelled.lift_interval.contains(0.0)
    width = modelled.lift_interval.high - modelled.lift_interval.low
    assert width < 0.5 * (ignored.lift_interval.high - ignored.lift_interval.low)
    late = measure_lift(days, y, start=start, end=end, level_shifts=[end], settings=FAST)
    assert "level_shifts" not in late.terms and any("not in the history" in n for n in late.notes)


def test_holiday_only_in_the_window_is_noted() -> None:
    days, y, start, end = _series(6)
    lift = measure_lift(days, y, start=start, end=end, holidays={start: "nowruz"}, settings=FAST)
    assert "holidays" not in lift.terms
    assert any("nowruz" in note for note in lift.notes)


def test_a_control_series_absorbs_a_market_wide_shift() -> None:
    days, y, start, end = _series(7)
    rng = np.random.default_rng(70)
    market = np.where(np.arange(len(days)) >= 180, 150.0, 0.0) + rng.normal(0.0, 30.0, len(days))
    control = 400 + 0.8 * market + rng.normal(0.0, 5.0, len(days))
    y = y + market
    alone = measure_lift(days, y, start=start, end=end, settings=FAST)
    with_control = measure_lift(days, y, start=start, end=end, control=control, settings=FAST)
    assert alone.significant and alone.lift > 0
    assert "control" in with_control.terms
    assert with_control.lift_interval.contains(0.0)


def test_yearly_terms_need_two_years_of_history() -> None:
    days, y, start, end = _series(8, pre=740, window=28)
    assert "yearly_fourier" in measure_lift(days, y, start=start, end=end, settings=FAST).terms
    days, y, start, end = _series(8, pre=400, window=28)
    assert "yearly_fourier" not in measure_lift(days, y, start=start, end=end, settings=FAST).terms


def test_missing_days_are_skipped_and_short_history_is_refused() -> None:
    days, y, start, end = _series(9)
    keep = [k for k in range(len(days)) if k not in (10, 11, 190)]
    lift = measure_lift([days[k] for k in keep], y[keep], start=start, end=end, settings=FAST)
    assert lift.pre_days == 178 and lift.days_measured == 27
    assert (lift.start, lift.end) == (start, end) and "27 of 28 window days observed" in lift.notes
    short = measure_lift(days[120:], y[120:], start=start, end=end, settings=FAST)
    assert short.pre_days == 60 and any("60 days of history" in note for note in short.notes)
    with pytest.raises(NotEnoughHistory):
        measure_lift(days[160:], y[160:], start=start, end=end)
    with pytest.raises(NotEnoughHistory):
        measure_lift(days[:180], y[:180], start=start, end=end)


def test_an_exactly_predictable_series_gives_an_exact_lift() -> None:
    days = [FIRST + timedelta(days=k) for k in range(100)]
    y = np.where(np.arange(100) >= 80, 110.0, 100.0)
    lift = measure_lift(days, y, start=days[80], end=days[-1], settings=FAST)
    assert lift.lift == pytest.approx(200.0)
    assert lift.lift_interval.low == pytest.approx(200.0) and lift.lift_interval.high == pytest.approx(200.0)
    assert lift.p_value < 0.01 and lift.relative_lift == pytest.approx(0.1)


def test_carryover_extends_the_window() -> None:
    days, y, start, _ = _series(10, window=42)
    end = start + timedelta(days=20)
    lift = measure_lift(days, y, start=start, end=end, settings=LiftSettings(n_boot=200, carryover_days=14))
    assert lift.days_measured == 35 and lift.end == end + timedelta(days=14)


@pytest.mark.parametrize(
    ("spend", "roas", "roas_interval", "roi_interval", "verdict"),
    [
        (1000.0, 2.0, (1.2, 2.8), (0.2, 1.8), Verdict.EARNED),
        (2000.0, 1.0, (0.6, 1.4), (-0.4, 0.4), Verdict.PAYBACK_UNCERTAIN),
        (4000.0, 0.5, (0.3, 0.7), (-0.7, -0.3), Verdict.NOT_EARNED),
    ],
)
def test_roi_and_roas_arithmetic(
    spend: float,
    roas: float,
    roas_interval: tuple[float, float],
    roi_interval: tuple[float, float],
    verdict: Verdict,
) -> None:
    result = campaign_return(_lift(1000.0, 600.0, 1400.0), spend=spend, value_per_unit=2.0)
    assert result.incremental_revenue == 2000.0
    assert (result.revenue_interval.low, result.revenue_interval.high) == (1200.0, 2800.0)
    assert result.roas == pytest.approx(roas)
    assert result.roi == pytest.approx(roas - 1.0)
    assert result.roas_interval is not None and result.roi_interval is not None
    assert (result.roas_interval.low, result.roas_interval.high) == pytest.approx(roas_interval)
    assert (result.roi_interval.low, result.roi_interval.high) == pytest.approx(roi_interval)
    assert result.verdict is verdict


def test_verdict_when_lift_is_unclear_or_nothing_was_spent() -> None:
    unclear = campaign_return(_lift(300.0, -100.0, 700.0), spend=10.0)
    assert unclear.verdict is Verdict.NOT_DISTINGUISHABLE and unclear.roas == 30.0
    free = campaign_return(_lift(300.0, 100.0, 500.0), spend=0.0)
    assert free.verdict is Verdict.NO_SPEND and free.roas is None and free.roi_interval is None
    with pytest.raises(ValueError):
        campaign_return(_lift(1.0, 0.5, 1.5), spend=-1.0)


def test_justification_compares_expected_with_the_measured_interval() -> None:
    measured = campaign_return(_lift(1000.0, 600.0, 1400.0), spend=1000.0, value_per_unit=2.0)
    met = justification(2500.0, measured)
    assert met.outcome is Expectation.MET and met.achieved_share == pytest.approx(0.8)
    assert met.expected_roi == pytest.approx(1.5)
    short = justification(3.0, measured, expressed_as="roas")
    assert short.expected_revenue == 3000.0 and short.outcome is Expectation.SHORT
    beat = justification(0.0, measured, expressed_as="roi")
    assert beat.expected_revenue == 1000.0 and beat.outcome is Expectation.BEAT
    assert beat.sentence("en") == "beat expectation; earned its money back"
    with pytest.raises(ValueError):
        justification(2.0, campaign_return(_lift(1.0, 0.5, 1.5), spend=0.0), expressed_as="roas")


def test_wilson_interval_known_values() -> None:
    half = wilson_interval(5, 10)
    assert (half.interval.low, half.interval.high) == pytest.approx((0.236593, 0.763407), abs=1e-6)
    none = wilson_interval(0, 10)
    assert none.rate == 0.0 and none.interval.low == 0.0
    assert none.interval.high == pytest.approx(0.277533, abs=1e-6)
    empty = wilson_interval(0, 0)
    assert empty.rate is None and (empty.interval.low, empty.interval.high) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_channels_paid_against_free() -> None:
    channels = [
        ChannelTotals("search", ChannelKind.PAID, spend=3000.0, clicks=1500, conversions=60),
        ChannelTotals("social ads", ChannelKind.PAID, spend=1000.0, clicks=1000, conversions=20),
        ChannelTotals("newsletter", ChannelKind.OWNED, spend=0.0, clicks=800, conversions=80),
        ChannelTotals("press pickup", ChannelKind.EARNED, spend=0.0, clicks=200, conversions=0),
    ]
    comparison = compare_channels(channels, lift=_lift(120.0, 60.0, 180.0))
    search, social, newsletter, press = comparison.channels
    assert search.cost_per_conversion == 50.0 and search.cost_per_click == 2.0
    assert newsletter.cost_per_conversion == 0.0 and press.cost_per_conversion is None
    assert social.conversion_rate.rate == pytest.approx(0.02)
    assert comparison.paid.conversions == 80 and comparison.paid.cost_per_conversion == 50.0
    assert comparison.free.conversion_rate.rate == pytest.approx(0.08)
    assert comparison.rate_difference == pytest.approx(-0.048)
    assert comparison.rate_difference_interval is not None
    assert comparison.rate_difference_interval.contains(-0.048)
    assert comparison.rate_difference_interval.high < 0
    assert [c.lift_share for c in comparison.channels] == pytest.approx([0.375, 0.125, 0.5, 0.0])
    assert search.attributed_lift == pytest.approx(45.0)
    assert search.attributed_interval == Interval(22.5, 67.5)
    assert comparison.assumption is not None and "not a measurement" in comparison.assumption


def test_channels_split_by_spend_and_without_lift() -> None:
    channels = [
        ChannelTotals("search", ChannelKind.PAID, spend=3000.0, clicks=100, conversions=5),
        ChannelTotals("newsletter", ChannelKind.OWNED, spend=0.0, clicks=100, conversions=5),
    ]
    by_spend = compare_channels(channels, lift=_lift(100.0, 50.0, 150.0), attribution="spend")
    assert [c.lift_share for c in by_spend.channels] == [1.0, 0.0]
    plain = compare_channels(channels)
    assert plain.attribution is None and plain.channels[0].lift_share is None
    with pytest.raises(ValueError):
        compare_channels([ChannelTotals("x", ChannelKind.PAID, 1.0, clicks=1, conversions=2)])


def test_verdicts_match_the_demo_truth() -> None:
    """The demo injects campaigns with known incremental revenue (peyvand.demo.truth); docs §2.5."""
    from peyvand.demo import build_scenario

    scenario = build_scenario(seed=1405, end=date(2025, 6, 1), days=820, scale=1.0)
    checked = 0
    for ws in scenario.workspaces:
        revenue = [s for s in ws.series if s.metric == "revenue" and "product" in s.dims]
        truths = cast(list[dict[str, object]], ws.truth["marketing"])
        for plan, truth in zip(ws.plans, truths, strict=True):
            mine = [s.values for s in revenue if s.dims["product"] in plan.products]
            others = [s.values for s in revenue if s.dims["product"] not in plan.products]
            result = measure_campaign_return(
                ws.timeline.dates(),
                np.sum(mine, axis=0),
                start=plan.window.start,
                end=plan.window.end,
                spend=float(plan.budget),
                control=np.sum(others, axis=0),
            )
            if truth["earns_back"]:
                assert result.verdict is Verdict.EARNED, plan.key
            else:
                assert result.verdict in (Verdict.NOT_DISTINGUISHABLE, Verdict.NOT_EARNED), plan.key
            checked += 1
    assert checked == 3
