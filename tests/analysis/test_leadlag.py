"""Brand-to-sales lead/lag on synthetic data shaped like research §5 (sentiment drives sales 7 days later)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from peyvand.analysis.leadlag import Finding, _granger_designs, _granger_p, brand_sales_leadlag

FIRST = date(2024, 1, 1)


def _dates(n: int) -> list[date]:
    return [FIRST + timedelta(days=k) for k in range(n)]


def _sentiment(rng: np.random.Generator, n: int) -> np.ndarray:
    """A slow AR(1) brand sentiment in [-1, 1]."""
    shocks = rng.normal(0.0, 0.15, n)
    level = np.zeros(n)
    for k in range(1, n):
        level[k] = 0.9 * level[k - 1] + shocks[k]
    return np.tanh(level)


def _brand_and_sales(seed: int, days: int = 730, lead: int = 7) -> tuple[list[date], np.ndarray, np.ndarray]:
    """Sales = base + trend + yearly and weekly seasonality + 1500 x sentiment `lead` days earlier + noise."""
    rng = np.random.default_rng(seed)
    sentiment = _sentiment(rng, days + lead)
    dates = _dates(days)
    t = np.arange(days)
    weekend = np.isin([d.weekday() for d in dates], [4, 5])
    base = 5000 + 2 * t + 400 * np.sin(2 * np.pi * t / 365.25) + 300 * weekend
    sales = base + 1500 * sentiment[:days] + rng.normal(0.0, 250.0, days)
    return dates, sentiment[lead:], sales


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_recovers_a_seven_day_lead(seed: int) -> None:
    dates, brand, sales = _brand_and_sales(seed)
    result = brand_sales_leadlag(dates, brand, sales)
    assert result.finding is Finding.BRAND_LEADS and result.enough_data
    assert result.best is not None and result.best.lag == 7 and result.best.r > 0.25
    assert result.best_p_adjusted is not None and result.best_p_adjusted < 1e-6
    assert result.brand_to_sales is not None and result.sales_to_brand is not None
    assert result.brand_to_sales.first_significant_lag == 7
    assert result.brand_to_sales.p_adjusted < 1e-10
    assert result.sales_to_brand.p_adjusted > 0.05 and result.sales_to_brand.first_significant_lag is None
    assert len(result.correlations) == 29 and result.n_days == 730
    summary = result.summary("en")
    assert "7 days later" in summary and "not proof of cause" in summary
    assert "برند" in result.summary("fa")


def test_sales_leading_brand_is_seen_the_other_way_round() -> None:
    dates, brand, sales = _brand_and_sales(12)
    result = brand_sales_leadlag(dates, sales, brand, brand_label="share of 'trustworthy'")
    assert result.finding is Finding.SALES_LEAD
    assert result.best is not None and result.best.lag == -7
    assert "share of 'trustworthy'" in result.summary("en")


def test_independent_series_show_no_link() -> None:
    rng = np.random.default_rng(13)
    brand = _sentiment(rng, 400)
    sales = 5000 + rng.normal(0.0, 250.0, 400)
    result = brand_sales_leadlag(_dates(400), brand, sales)
    assert result.finding is Finding.NO_LINK
    assert result.best_p_adjusted is not None and result.best_p_adjusted > 0.05


def test_short_series_is_not_enough_data() -> None:
    dates, brand, sales = _brand_and_sales(14, days=60)
    result = brand_sales_leadlag(dates, brand, sales)
    assert result.finding is Finding.NOT_ENOUGH_DATA and not result.enough_data
    assert result.best is None and result.brand_to_sales is None
    assert result.summary("en").startswith("Not enough data: 60 complete days, at least 90 needed")
    assert brand_sales_leadlag([], [], []).n_days == 0


def test_short_gaps_are_filled_and_long_gaps_cut_the_series() -> None:
    dates, brand, sales = _brand_and_sales(15, days=400)
    brand = brand.copy()
    brand[[50, 51]] = np.nan
    keep = [k for k in range(400) if not 100 <= k < 120]
    result = brand_sales_leadlag([dates[k] for k in keep], brand[keep], sales[keep])
    assert result.n_days == 280 and result.interpolated_days == 0
    result = brand_sales_leadlag(dates, brand, sales)
    assert result.n_days == 400 and result.interpolated_days == 2
    assert result.best is not None and result.best.lag == 7


def test_controlling_for_spend_removes_a_link_that_campaigns_made() -> None:
    """Spend lifts sentiment at once and sales a week later; sentiment itself does nothing to sales."""
    rng = np.random.default_rng(16)
    n = 500
    spend = (rng.random(n + 7) < 0.3) * rng.gamma(2.0, 500.0, n + 7)
    brand = 0.5 * _sentiment(rng, n) + spend[7:] / 2000
    sales = 5000 + 1.5 * spend[:n] + rng.normal(0.0, 100.0, n)
    naive = brand_sales_leadlag(_dates(n), brand, sales)
    controlled = brand_sales_leadlag(_dates(n), brand, sales, spend=spend[7:])
    assert naive.finding is Finding.BRAND_LEADS
    assert controlled.controlled_for_spend and controlled.finding is Finding.NO_LINK
    assert "Spend was held constant" in controlled.summary("en")


def test_granger_f_test_matches_statsmodels_ols() -> None:
    api = pytest.importorskip("statsmodels.api")
    dates, brand, sales = _brand_and_sales(17, days=300)
    spend = np.random.default_rng(17).gamma(2.0, 100.0, 300)
    for lag in (1, 7, 14):
        y, restricted, full = _granger_designs(sales, brand, spend, lag, dates[0].weekday())
        # constant, trend, 6 weekdays; own lags 1..lag+1; the untested cause lag; spend lags 0..lag+1
        assert restricted.shape == (300 - lag - 1, 8 + (lag + 1) + 1 + (lag + 2))
        assert full.shape[1] == restricted.shape[1] + lag
        _, p_value, _ = api.OLS(y, full).fit().compare_f_test(api.OLS(y, restricted).fit())
        assert _granger_p(sales, brand, spend, lag, dates[0].weekday()) == pytest.approx(p_value)


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        brand_sales_leadlag(_dates(3), [1.0, 2.0], [1.0, 2.0, 3.0])
