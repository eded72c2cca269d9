"""Comparing a period with the one before it from their daily values (the exchange's headlines).

The change is that of the mean per day, so two periods with a different number of days with data compare
fairly (a period whose last day is not complete yet would otherwise read as a fall). Its interval and
p-value come from Welch's t-test on the daily values, which lets the two periods' day-to-day spread
differ; the relative interval divides the interval of the difference in daily means by the earlier mean
(it treats that mean as known, so it is slightly narrow when the earlier period is short). Formula:
docs/formulas.md, "Exchange headlines".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True, slots=True)
class PeriodChange:
    relative: float | None  # mean per day after ÷ mean per day before − 1
    low: float | None  # its interval
    high: float | None
    p_value: float | None  # Welch's two-sided test of equal daily means
    n_before: int  # days
    n_after: int


def compare_daily(
    before: Sequence[float], after: Sequence[float], *, confidence: float = 0.95
) -> PeriodChange:
    """The relative change of the mean per day from `before` to `after`, with its interval and p-value
    (None where a period has fewer than two days, or the earlier mean is zero)."""
    nb, na = len(before), len(after)
    if nb == 0 or na == 0:
        return PeriodChange(None, None, None, None, nb, na)
    mean_b, mean_a = sum(before) / nb, sum(after) / na
    if mean_b == 0:
        return PeriodChange(None, None, None, None, nb, na)
    relative = mean_a / mean_b - 1
    if nb < 2 or na < 2:
        return PeriodChange(relative, None, None, None, nb, na)
    var_b, var_a = _variance(before, mean_b), _variance(after, mean_a)
    se = math.sqrt(var_b / nb + var_a / na)
    if se == 0:  # the same value every day in both periods: no uncertainty to speak of
        return PeriodChange(relative, relative, relative, 1.0 if relative == 0 else 0.0, nb, na)
    dof = (var_b / nb + var_a / na) ** 2 / (
        (var_b / nb) ** 2 / (nb - 1) + (var_a / na) ** 2 / (na - 1) or math.inf
    )
    t = (mean_a - mean_b) / se
    p_value = float(2 * stats.t.sf(abs(t), dof))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof)) * se
    return PeriodChange(
        relative,
        (mean_a - mean_b - half) / abs(mean_b),
        (mean_a - mean_b + half) / abs(mean_b),
        p_value,
        nb,
        na,
    )


def _variance(values: Sequence[float], mean: float) -> float:
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)
