"""Brand to sales: does a daily brand series (sentiment index, or an attribute's share) move ahead of sales?

Two tests. The lagged cross-correlation of daily changes (levels trend and drift, which makes any two
series look related), with each series' weekly rhythm removed, Bartlett's variance for autocorrelated
series and a Bonferroni correction for picking the best of 2L+1 lags: it says by how many days one
leads. Granger causality in both directions, lags 1..L: an F-test of whether one series' past improves
the prediction of the other beyond its own past, trend, weekday and (when given) spend, since campaigns
move both; done in levels with one extra untested lag (Toda-Yamamoto), which stays valid whether the
series are stationary or wander. What these show is predictive precedence, not causation.
Formulas: docs/formulas-marketing.md §6 (`brand_sales_leadlag`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy.stats import f as f_distribution
from scipy.stats import norm

from peyvand.analysis.campaigns.intervals import Floats
from peyvand.domain.numbers import format_number

FloatArray = NDArray[np.float64]

CAVEAT = {
    "en": (
        "This is predictive precedence, not proof of cause: campaigns, seasons and news that move both "
        "series can produce the same pattern."
    ),
    "fa": (
        "این فقط تقدم پیش‌بینی است، نه اثبات علت: کمپین‌ها، فصل‌ها و رویدادهایی که هر دو سری را "
        "جابه‌جا می‌کنند می‌توانند همین الگو را بسازند."
    ),
}


class Finding(StrEnum):
    NOT_ENOUGH_DATA = "not enough data"
    BRAND_LEADS = "brand leads sales"
    SALES_LEAD = "sales lead brand"
    BOTH = "each helps predict the other"
    NO_LINK = "no predictive link found"


@dataclass(frozen=True)
class LaggedCorrelation:
    """Correlation of the brand series' change on day t with sales' change on day t + lag."""

    lag: int
    r: float
    p_value: float
    n: int


@dataclass(frozen=True)
class GrangerResult:
    """Whether `cause`'s past helps predict `target`: the least p over lags 1..L (at `lag`), that p x L,
    and the shortest lag whose p x L is below alpha (the lead: longer lags keep that day in the test)."""

    cause: str
    target: str
    lag: int
    p_value: float
    p_adjusted: float
    first_significant_lag: int | None
    p_by_lag: tuple[float | None, ...]


@dataclass(frozen=True)
class LeadLag:
    finding: Finding
    n_days: int
    min_days: int
    interpolated_days: int
    brand_label: str
    alpha: float = 0.05
    best: LaggedCorrelation | None = None
    best_p_adjusted: float | None = None
    correlations: tuple[LaggedCorrelation, ...] = ()
    brand_to_sales: GrangerResult | None = None
    sales_to_brand: GrangerResult | None = None
    controlled_for_spend: bool = False

    @property
    def enough_data(self) -> bool:
        return self.finding is not Finding.NOT_ENOUGH_DATA

    def summary(self, locale: str = "fa") -> str:
        return _summary_fa(self) if locale == "fa" else _summary_en(self)


def brand_sales_leadlag(
    dates: Sequence[date],
    brand: Floats,
    sales: Floats,
    *,
    spend: Floats | None = None,
    max_lag: int = 14,
    alpha: float = 0.05,
    min_days: int = 90,
    max_gap: int = 3,
    brand_label: str = "brand sentiment",
) -> LeadLag:
    """Lead/lag between a daily brand series and daily sales (`brand_sales_leadlag` in the formulas), on
    the longest stretch of `dates` with every series present once gaps up to `max_gap` days are filled.
    Under `min_days` days the finding is "not enough data"."""
    columns = [brand, sales] if spend is None else [brand, sales, spend]
    data, filled, weekday = _longest_complete_stretch(dates, columns, max_gap)
    n_days = data.shape[1]
    min_days = max(min_days, 4 * max_lag + 10)
    if n_days < min_days:
        return LeadLag(Finding.NOT_ENOUGH_DATA, n_days, min_days, filled, brand_label, alpha)
    changes = _remove_weekday_means(np.diff(data[:2], axis=1), (weekday + 1) % 7)
    correlations = _cross_correlations(changes[0], changes[1], max_lag)
    best = max(correlations, key=lambda c: abs(c.r))
    forward, backward = _both_ways(data, spend is not None, (max_lag, weekday, alpha), brand_label)
    return LeadLag(
        _finding(forward, backward, alpha),
        n_days,
        min_days,
        filled,
        brand_label,
        alpha,
        best,
        min(1.0, best.p_value * len(correlations)),
        tuple(correlations),
        forward,
        backward,
        spend is not None,
    )


def _longest_complete_stretch(
    dates: Sequence[date], columns: Sequence[Floats], max_gap: int
) -> tuple[FloatArray, int, int]:
    """Columns on a daily calendar, short gaps filled, cut to the longest run with every value present;
    with the number of filled days in that run and the weekday of its first day."""
    if any(len(column) != len(dates) for column in columns):
        raise ValueError("dates and every series must have the same length")
    if not dates:
        return np.zeros((len(columns), 0)), 0, 0
    first = min(dates)
    offsets = np.array([(day - first).days for day in dates], dtype=np.intp)
    if len(np.unique(offsets)) != len(offsets):
        raise ValueError("dates must not repeat")
    data = np.full((len(columns), int(offsets.max()) + 1), np.nan)
    for row, column in enumerate(columns):
        data[row, offsets] = np.asarray(column, dtype=float)
    missing = np.isnan(data).any(axis=0)
    for row in range(len(columns)):
        data[row] = _fill_short_gaps(data[row], max_gap)
    complete = ~np.isnan(data).any(axis=0)
    start, length = _longest_run(complete)
    filled = int(missing[start : start + length].sum())
    weekday = (first.weekday() + start) % 7
    return data[:, start : start + length], filled, weekday


def _remove_weekday_means(changes: FloatArray, first_weekday: int) -> FloatArray:
    """Subtract each series' mean change per day of the week, so a weekly rhythm is not read as a lead."""
    weekdays = (np.arange(changes.shape[1]) + first_weekday) % 7
    out = changes.copy()
    for day in range(7):
        columns = weekdays == day
        out[:, columns] -= out[:, columns].mean(axis=1, keepdims=True)
    return out


def _fill_short_gaps(values: FloatArray, max_gap: int) -> FloatArray:
    present = np.flatnonzero(~np.isnan(values))
    if len(present) < 2:
        return values
    out = values.copy()
    for left, right in zip(present[:-1], present[1:], strict=True):
        if 1 < right - left <= max_gap + 1:
            out[left + 1 : right] = np.interp(
                np.arange(left + 1, right), [left, right], values[[left, right]]
            )
    return out


def _longest_run(mask: NDArray[np.bool_]) -> tuple[int, int]:
    best_start, best_length, start = 0, 0, None
    for index, flag in enumerate([*mask.tolist(), False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = None
    return best_start, best_length


def _autocorrelations(x: FloatArray, top: int) -> FloatArray:
    centred = x - x.mean()
    denominator = float(centred @ centred) or 1.0
    return np.array([centred[: len(x) - k] @ centred[k:] / denominator for k in range(top + 1)])


def _cross_correlations(d_brand: FloatArray, d_sales: FloatArray, max_lag: int) -> list[LaggedCorrelation]:
    """r at each lag in -L..L; p from Bartlett's variance sum_j rho_b(j) rho_s(j) / n under independence."""
    n = len(d_brand)
    top = min(n // 4, 30)
    rho_b, rho_s = _autocorrelations(d_brand, top), _autocorrelations(d_sales, top)
    bartlett = max(1.0 + 2.0 * float(rho_b[1:] @ rho_s[1:]), 0.1)
    results = []
    for lag in range(-max_lag, max_lag + 1):
        a, b = (d_brand[: n - lag], d_sales[lag:]) if lag >= 0 else (d_brand[-lag:], d_sales[: n + lag])
        r = float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else 0.0
        z = r / math.sqrt(bartlett / len(a))
        results.append(LaggedCorrelation(lag, r, float(2 * norm.sf(abs(z))), len(a)))
    return results


def _lags(x: FloatArray, first: int, last: int, rows: int) -> FloatArray:
    """Columns x(t - first) .. x(t - last) for the last `rows` days."""
    n = len(x)
    return np.column_stack([x[n - rows - k : n - k] for k in range(first, last + 1)])


def _rss(design: FloatArray, y: FloatArray) -> float:
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coefficients
    return float(residual @ residual)


def _controls(rows: int, skip: int, first_weekday: int) -> FloatArray:
    """A constant, a linear trend and six day-of-week dummies for the days skip..skip+rows-1."""
    weekday = (np.arange(skip, skip + rows) + first_weekday) % 7
    dummies = [(weekday == day).astype(float) for day in range(1, 7)]
    return np.column_stack([np.ones(rows), np.arange(rows) / rows, *dummies])


def _both_ways(
    data: FloatArray, with_spend: bool, test: tuple[int, int, float], brand_label: str
) -> tuple[GrangerResult | None, GrangerResult | None]:
    """Granger tests brand -> sales and sales -> brand; rows of `data`: brand, sales, spend if given."""
    spend = data[2] if with_spend else None
    forward = _granger(data[1], data[0], spend, test, (brand_label, "sales"))
    return forward, _granger(data[0], data[1], spend, test, ("sales", brand_label))


def _granger_designs(
    target: FloatArray, cause: FloatArray, exog: FloatArray | None, lag: int, first_weekday: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The outcome and the restricted and full designs of the Toda-Yamamoto test at `lag`."""
    top = lag + 1
    rows = len(target) - top
    parts = [_controls(rows, top, first_weekday), _lags(target, 1, top, rows), _lags(cause, top, top, rows)]
    if exog is not None:
        parts.append(_lags(exog, 0, top, rows))
    restricted = np.column_stack(parts)
    return target[top:], restricted, np.column_stack([restricted, _lags(cause, 1, lag, rows)])


def _granger_p(
    target: FloatArray, cause: FloatArray, exog: FloatArray | None, lag: int, first_weekday: int
) -> float | None:
    """Toda-Yamamoto F-test in levels: does cause(t-1..t-lag) add to target(t-1..t-lag-1), cause(t-lag-1),
    exog(t..t-lag-1), a constant, a trend and day-of-week dummies? The extra untested lag keeps the test
    valid whether the series are stationary or wander like random walks."""
    y, restricted, full = _granger_designs(target, cause, exog, lag, first_weekday)
    df_resid = len(y) - int(np.linalg.matrix_rank(full))
    if df_resid < 10:
        return None
    rss_full, rss_restricted = _rss(full, y), _rss(restricted, y)
    if rss_full <= 0:
        return None
    statistic = (rss_restricted - rss_full) / lag / (rss_full / df_resid)
    return float(f_distribution.sf(statistic, lag, df_resid))


def _granger(
    target: FloatArray,
    cause: FloatArray,
    exog: FloatArray | None,
    test: tuple[int, int, float],
    names: tuple[str, str],
) -> GrangerResult | None:
    """Granger test of `cause` -> `target` at each lag 1..max_lag: the least p, and its Bonferroni bound.
    `test` is (max_lag, weekday of the first day, alpha); `names` is (cause, target)."""
    max_lag, first_weekday, alpha = test
    p_by_lag = tuple(_granger_p(target, cause, exog, lag, first_weekday) for lag in range(1, max_lag + 1))
    tested = [(p, lag) for lag, p in enumerate(p_by_lag, start=1) if p is not None]
    if not tested:
        return None
    p_value, lag = min(tested)
    first = next((k for p, k in tested if p * len(tested) < alpha), None)
    return GrangerResult(names[0], names[1], lag, p_value, min(1.0, p_value * len(tested)), first, p_by_lag)


def _finding(forward: GrangerResult | None, backward: GrangerResult | None, alpha: float) -> Finding:
    if forward is None or backward is None:
        return Finding.NOT_ENOUGH_DATA
    leads, lags = forward.p_adjusted < alpha, backward.p_adjusted < alpha
    if leads and lags:
        return Finding.BOTH
    if leads:
        return Finding.BRAND_LEADS
    return Finding.SALES_LEAD if lags else Finding.NO_LINK


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _summary_en(result: LeadLag) -> str:
    if not result.enough_data or result.best is None:
        return (
            f"Not enough data: {result.n_days} complete days, at least {result.min_days} needed "
            f"to test whether {result.brand_label} leads sales."
        )
    parts = [f"Over {result.n_days} days: {result.finding.value}."]
    best = result.best
    if best.lag > 0:
        parts.append(
            f"Changes in {result.brand_label} line up best with changes in sales {best.lag} days later"
        )
    elif best.lag < 0:
        parts.append(
            f"Changes in sales line up best with changes in {result.brand_label} {-best.lag} days later"
        )
    else:
        parts.append(f"Changes in {result.brand_label} line up best with same-day changes in sales")
    parts[-1] += f" (r = {best.r:.2f}, {_p_text(result.best_p_adjusted or 1.0)} after testing every lag)."
    parts += [_granger_sentence(t) for t in (result.brand_to_sales, result.sales_to_brand) if t is not None]
    if result.controlled_for_spend:
        parts.append("Spend was held constant in these tests.")
    parts.append(CAVEAT["en"])
    return " ".join(parts)


def _granger_sentence(test: GrangerResult) -> str:
    if test.first_significant_lag is None:
        return (
            f"Past {test.cause} does not clearly help predict {test.target} "
            f"({_p_text(test.p_adjusted)} at its best lag, after correcting for testing every lag)."
        )
    return (
        f"Past {test.cause} helps predict {test.target} from a lag of {test.first_significant_lag} days "
        f"({_p_text(test.p_adjusted)} after testing every lag)."
    )


_FINDING_FA = {
    Finding.BRAND_LEADS: "برند جلوتر از فروش حرکت می‌کند",
    Finding.SALES_LEAD: "فروش جلوتر از برند حرکت می‌کند",
    Finding.BOTH: "هر یک به پیش‌بینی دیگری کمک می‌کند",
    Finding.NO_LINK: "پیوند پیش‌بینی‌کننده‌ای پیدا نشد",
}


def _number_fa(value: float, decimals: int = 0) -> str:
    return format_number(value, "fa", decimals)


def _p_text_fa(p: float) -> str:
    return f"p < {_number_fa(0.001, 3)}" if p < 0.001 else f"p = {_number_fa(p, 3)}"


def _summary_fa(result: LeadLag) -> str:
    if not result.enough_data or result.best is None:
        return (
            f"داده کافی نیست: {_number_fa(result.n_days)} روز کامل موجود است و "
            f"دست‌کم {_number_fa(result.min_days)} روز لازم است."
        )
    best = result.best
    parts = [f"در {_number_fa(result.n_days)} روز: {_FINDING_FA[result.finding]}."]
    statistics = (
        f"(r = {_number_fa(best.r, 2)}، {_p_text_fa(result.best_p_adjusted or 1.0)}"
        " پس از تصحیح برای آزمودن همهٔ وقفه‌ها)"
    )
    if best.lag != 0:
        leader = "برند" if best.lag > 0 else "فروش"
        parts.append(
            f"بیشترین هم‌بستگی تغییرات وقتی است که {leader} {_number_fa(abs(best.lag))} روز جلوتر باشد "
            f"{statistics}."
        )
    else:
        parts.append(f"بیشترین هم‌بستگی تغییرات در همان روز است {statistics}.")
    for test, cause, target in (
        (result.brand_to_sales, "برند", "فروش"),
        (result.sales_to_brand, "فروش", "برند"),
    ):
        if test is not None and test.first_significant_lag is not None:
            parts.append(
                f"گذشتهٔ {cause} از وقفهٔ {_number_fa(test.first_significant_lag)} روز به پیش‌بینی {target} "
                f"کمک می‌کند ({_p_text_fa(test.p_adjusted)})."
            )
    if result.controlled_for_spend:
        parts.append("اثر هزینهٔ تبلیغات در این آزمون‌ها ثابت نگه داشته شد.")
    parts.append(CAVEAT["fa"])
    return " ".join(parts)
