"""The expected baseline of every period, computed only from the periods before it.

expected(origin o, period d) = level(o) x profile(o, phase of d) x annual(o) x holiday(d)

* level(o): 10%-trimmed mean of the last `baseline` deseasonalised valid values up to o;
* profile(o, k): median, over the last 8 cycles, of value / centred cycle mean on phase k (weekday or
  hour of the week), normalised to mean 1; only cycles complete by o are used;
* annual(o): how much the level moved a year earlier over the same stretch (needs a year of history);
* holiday(d): the median ratio observed on earlier occurrences (previous years) of d's holiday; a holiday
  seen for the first time has no expected value and is left untested.
Holiday and missing periods never enter the level or the profile. Formulas: docs/formulas-signals.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from peyvand.analysis.signals.grid import Grid

PROFILE_CYCLES = 8
TRIM = 0.1


def last_valid_position(valid: np.ndarray) -> np.ndarray:
    """For each i, the count of valid entries up to i, minus one (-1 before the first)."""
    return np.cumsum(valid) - 1


def trailing_trimmed_mean(x: np.ndarray, size: int, min_count: int) -> np.ndarray:
    """out[i]: trimmed mean of the last `size` non-NaN values of x[: i + 1]."""
    valid = ~np.isnan(x)
    out = np.full(len(x), np.nan)
    values = x[valid]
    if len(values) < min_count:
        return out
    window = sliding_window_view(np.concatenate([np.full(size - 1, np.nan), values]), size)
    ordered = np.sort(window, axis=1)
    n = np.sum(~np.isnan(window), axis=1)
    cut = np.floor(TRIM * n).astype(int)
    sums = np.concatenate([np.zeros((len(values), 1)), np.cumsum(np.nan_to_num(ordered), axis=1)], axis=1)
    rows = np.arange(len(values))
    kept = np.maximum(n - 2 * cut, 1)
    mean = (sums[rows, n - cut] - sums[rows, cut]) / kept
    mean[n < min_count] = np.nan
    pos = last_valid_position(valid)
    out[pos >= 0] = mean[pos[pos >= 0]]
    return out


def _centred_cycle_mean(x: np.ndarray, season: int) -> np.ndarray:
    half = season // 2
    padded = np.concatenate([np.full(half, np.nan), x, np.full(season - 1 - half, np.nan)])
    window = sliding_window_view(padded, season)
    count = np.sum(~np.isnan(window), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(window, axis=1) / count
    mean[count < max(2, season // 2)] = np.nan
    return mean


def season_profile(clean: np.ndarray, phase: np.ndarray, season: int) -> np.ndarray:
    """profile[o, k] for every origin o and phase k (ones where too little history)."""
    n = len(clean)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = clean / _centred_cycle_mean(clean, season)
    ratio[~np.isfinite(ratio)] = np.nan
    profile = np.ones((n, season))
    known_from = np.arange(n) + (season - season // 2)  # the centred mean at d is complete at this origin
    for k in range(season):
        at = np.nonzero(phase == k)[0]
        if len(at) == 0:
            continue
        r = np.concatenate([np.full(PROFILE_CYCLES - 1, np.nan), ratio[at]])
        window = sliding_window_view(r, PROFILE_CYCLES)
        enough = np.sum(~np.isnan(window), axis=1) >= 3
        med = np.full(len(at), np.nan)
        if enough.any():
            med[enough] = np.nanmedian(window[enough], axis=1)
        latest = np.searchsorted(known_from[at], np.arange(n), side="right") - 1
        has = latest >= 0
        profile[has, k] = med[latest[has]]
    finite = np.isfinite(profile)
    count = finite.sum(axis=1, keepdims=True)
    mean = np.where(finite, profile, 0.0).sum(axis=1, keepdims=True) / np.maximum(count, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = profile / np.where(count > 0, mean, np.nan)
    profile[~np.isfinite(profile) | (profile <= 0)] = 1.0
    return profile


@dataclass(frozen=True)
class Baseline:
    """Everything needed to state the expected value of a period from an earlier origin."""

    level: np.ndarray  # level[o]
    profile: np.ndarray  # profile[o, phase]
    annual: np.ndarray  # annual[o]
    holiday: np.ndarray  # holiday factor of period d (1 ordinary, NaN untestable)
    phase: np.ndarray
    holiday_seen: np.ndarray  # earlier occurrences behind the holiday factor (0 on ordinary periods)

    def expected(self, origin: np.ndarray, period: np.ndarray) -> np.ndarray:
        """Expected value of `period` seen from `origin` (NaN where unknown)."""
        ok = origin >= 0
        o = np.where(ok, origin, 0)
        value = self.level[o] * self.profile[o, self.phase[period]] * self.annual[o] * self.holiday[period]
        return np.where(ok, value, np.nan)


def annual_factor(level: np.ndarray, year: int, ahead: int) -> np.ndarray:
    """Level `ahead` periods after o a year ago, over the level at o a year ago (1 without that history)."""
    n = len(level)
    out = np.ones(n)
    o = np.arange(n)
    then, later = o - year, o - year + ahead
    ok = then >= 0
    ratio = np.full(n, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio[ok] = level[later[ok]] / level[then[ok]]
    good = np.isfinite(ratio)
    out[good] = np.clip(ratio[good], 0.5, 2.0)
    return out


def holiday_factors(grid: Grid, plain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per period: 1 on ordinary days; on a holiday, the median observed / expected of its earlier years.

    Also returns how many earlier occurrences each factor rests on.
    """
    factor, seen_count = np.ones(len(grid.y)), np.zeros(len(grid.y))
    keys = np.array(grid.effect_key, dtype=object)
    min_gap = grid.rules.year - 4 * grid.rules.season  # an earlier occurrence is at least ~10 months back
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = grid.y / plain
    for key in set(grid.effect_key) - {""}:
        at = np.nonzero(keys == key)[0]
        for i in at:
            earlier = at[at <= i - min_gap]
            seen = ratio[earlier][np.isfinite(ratio[earlier])]
            factor[i] = float(np.median(seen)) if len(seen) else np.nan
            seen_count[i] = len(seen)
    return factor, seen_count


def build_baseline(grid: Grid) -> Baseline:
    rules = grid.rules
    holiday = np.array([k != "" for k in grid.effect_key], dtype=bool)
    clean = np.where(holiday, np.nan, grid.y)
    profile = season_profile(clean, grid.phase, rules.season)
    n = len(clean)
    own = profile[np.arange(n), grid.phase] if n else np.zeros(0)
    level = trailing_trimmed_mean(clean / own, rules.baseline, min_count=rules.baseline // 2)
    annual = annual_factor(level, rules.year, rules.window // 2 + rules.baseline // 2)
    ones = np.ones(n)
    plain = Baseline(level, profile, annual, ones, grid.phase, ones * 0).expected(
        np.arange(n) - 1, np.arange(n)
    )
    factor, seen = holiday_factors(grid, plain)
    return Baseline(level, profile, annual, factor, grid.phase, seen)
