"""Intervals shared by the marketing analyses: a plain interval, and a proportion with its Wilson interval.

Formulas: docs/formulas-marketing.md §1 (Wilson score interval, Newcombe difference of two proportions).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from numpy.typing import NDArray
from scipy.stats import norm

Floats = Sequence[float] | NDArray[Any]
"""A daily series as plain floats or a numpy array (NaN marks a missing day)."""


@dataclass(frozen=True)
class Interval:
    """A two-sided interval at `level` (0.95 means a 95% interval)."""

    low: float
    high: float
    level: float = 0.95

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def excludes_zero(self) -> bool:
        return not self.contains(0.0)

    def scaled(self, factor: float, shift: float = 0.0) -> Interval:
        """The interval of `factor * x + shift`; the ends swap when `factor` is negative."""
        a, b = factor * self.low + shift, factor * self.high + shift
        return Interval(min(a, b), max(a, b), self.level)


@dataclass(frozen=True)
class Proportion:
    """`successes` out of `trials`, the rate (None when there were no trials) and its Wilson interval."""

    successes: int
    trials: int
    rate: float | None
    interval: Interval


def z_value(level: float) -> float:
    """The two-sided normal quantile for an interval at `level` (1.96 for 0.95)."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    return float(norm.ppf(0.5 + level / 2.0))


def wilson_interval(successes: int, trials: int, level: float = 0.95) -> Proportion:
    """Share `successes / trials` with the Wilson score interval (`wilson_interval` in the formulas)."""
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if trials == 0:
        return Proportion(0, 0, None, Interval(0.0, 1.0, level))
    z = z_value(level)
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return Proportion(successes, trials, p, Interval(max(0.0, centre - half), min(1.0, centre + half), level))


def newcombe_difference(first: Proportion, second: Proportion) -> tuple[float, Interval] | None:
    """Difference of two rates, first minus second, with Newcombe's hybrid score interval.

    None when either rate has no trials. Both proportions must carry intervals at the same level.
    """
    if first.rate is None or second.rate is None:
        return None
    p1, p2 = first.rate, second.rate
    l1, u1 = first.interval.low, first.interval.high
    l2, u2 = second.interval.low, second.interval.high
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, Interval(low, high, first.interval.level)
