"""The expected baseline of every period, computed only from the periods before it.

expected(origin o, period d) = level(o) x profile(o, phase of d) x annual(o, d) x holiday(d)

* level(o): 10%-trimmed mean of the last `baseline` deseasonalised valid values up to o;
* profile(o, k): median, over the last 8 cycles, of value / centred cycle mean on phase k (weekday or
  hour of the week), normalised to mean 1; only cycles complete by o are used;
* annual(o, d): how much the level moved a year earlier from o's stretch to d (needs a year of history);
* holiday(d): the median ratio observed on earlier occurrences (previous years) of d's holiday; 1 for a
  holiday seen for the first time, whose tests are then widened by the prior spread of holiday effects
  (`HOLIDAY_PRIOR_SD`) instead of being skipped.
Holiday and missing periods never enter the level or the profile. Formulas: docs/formulas-signals.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from peyvand.analysis.signals.grid import Grid

PROFILE_CYCLES = 16
TRIM = 0.1
# Prior spread (sd of the log ratio) of a holiday's effect before any earlier occurrence is seen: a whole
# day off (Nowruz, Ashura) can halve or double a series; a month-long period moves it less.
HOLIDAY_PRIOR_SD = {"ramadan": 0.15, "pre_nowruz": 0.25}
DEFAULT_HOLIDAY_PRIOR_SD = 0.5


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


def since_silence(y: np.ndarray, silence: int) -> np.ndarray:
    """For each period, the first period after the last run of at least `silence` periods without data
    that ended before it (0 when none): what a level may be learnt from."""
    at = np.arange(len(y))
    last_data = np.maximum.accumulate(np.where(np.isnan(y), -1, at)) if len(y) else at
    silent = at - last_data >= silence  # the silence has lasted `silence` periods by then
    return np.maximum.accumulate(np.where(silent, at + 1, 0)) if len(y) else at


def level_since_silence(x: np.ndarray, y: np.ndarray, size: int, min_count: int, silence: int) -> np.ndarray:
    """`trailing_trimmed_mean` of x, learnt only from the periods after the last silence (`since_silence`
    on the raw values y, so holidays, which have data, are no silence): a series that stopped reporting
    for weeks (a campaign's spend, a store closed) starts over, and is not judged against a level from
    before the silence."""
    starts = since_silence(y, silence)
    if not starts.any():
        return trailing_trimmed_mean(x, size, min_count)
    out = np.full(len(x), np.nan)
    for start in np.unique(starts):
        seg = np.flatnonzero((starts == start) & (np.arange(len(x)) >= start))  # none inside the silence
        if len(seg):
            lo, hi = int(start), int(seg[-1]) + 1
            out[seg] = trailing_trimmed_mean(x[lo:hi], size, min_count)[seg - lo]
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
    holiday: np.ndarray  # holiday factor of period d (1 ordinary or unseen)
    phase: np.ndarray
    holiday_seen: np.ndarray  # earlier occurrence periods behind the holiday factor (0 ordinary or unseen)
    holiday_prior: np.ndarray  # prior sd of the log holiday effect of period d (0 on ordinary periods)
    year: int = 0  # periods in a year (0: no annual factor)
    lead: int = 0  # half the level's length: the level at o describes period o - lead
    smooth: np.ndarray | None = None  # the long level behind the annual factor
    smooth_lead: int = 0

    @property
    def length(self) -> int:
        """Valid periods behind the level."""
        return 2 * self.lead

    def annual(self, origin: np.ndarray, period: np.ndarray) -> np.ndarray:
        """annual(o, d) = smooth(d - Y + h) / smooth(o - lead - Y + h), h = smooth_lead: how much last
        year's long level moved from the stretch the level at o describes to period d."""
        out = np.ones(len(origin))
        if not self.year or self.smooth is None:
            return out
        then = origin - self.lead - self.year + self.smooth_lead
        later = period - self.year + self.smooth_lead
        ok = (then >= 0) & (later >= 0) & (later <= origin)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = self.smooth[np.where(ok, later, 0)] / self.smooth[np.where(ok, then, 0)]
        good = ok & np.isfinite(ratio) & (ratio > 0)
        out[good] = np.clip(ratio[good], 0.5, 2.0)
        return out

    def expected(self, origin: np.ndarray, period: np.ndarray) -> np.ndarray:
        """Expected value of `period` seen from `origin` (NaN where unknown)."""
        origin, period = np.broadcast_arrays(np.asarray(origin), np.asarray(period))
        ok = origin >= 0
        o = np.where(ok, origin, 0)
        value = self.level[o] * self.profile[o, self.phase[period]] * self.holiday[period]
        value = value * self.annual(o, period)
        return np.where(ok, value, np.nan)


def holiday_factors(grid: Grid, plain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per period: 1 on ordinary days; on a holiday, the median observed / expected of its earlier years
    (1 when it has none).

    Also returns how many earlier occurrence periods each factor rests on.
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
            factor[i] = float(np.median(seen)) if len(seen) else 1.0
            seen_count[i] = len(seen)
    return factor, seen_count


def holiday_prior_sd(grid: Grid) -> np.ndarray:
    return np.array(
        [HOLIDAY_PRIOR_SD.get(k, DEFAULT_HOLIDAY_PRIOR_SD) if k else 0.0 for k in grid.effect_key]
    )


def build_baseline(grid: Grid, length: int | None = None, like: Baseline | None = None) -> Baseline:
    """The baseline with a level over the last `length` valid periods (the grain's default when None)
    since the last silence of `rules.baseline` periods; `like` lends its profile, holiday factors and
    annual level (a longer level for the longer windows)."""
    rules = grid.rules
    length = length or rules.baseline
    holiday = np.array([k != "" for k in grid.effect_key], dtype=bool)
    clean = np.where(holiday, np.nan, grid.y)
    n = len(clean)
    profile = like.profile if like is not None else season_profile(clean, grid.phase, rules.season)
    own = profile[np.arange(n), grid.phase] if n else np.zeros(0)
    level = level_since_silence(clean / own, grid.y, length, rules.baseline // 2, rules.baseline)
    if like is not None:
        return Baseline(
            level, profile, like.holiday, grid.phase, like.holiday_seen, like.holiday_prior, rules.year,
            length // 2, like.smooth, like.smooth_lead,
        )  # fmt: skip
    smooth = level_since_silence(clean / own, grid.y, rules.annual, rules.annual // 2, rules.baseline)
    ones, prior = np.ones(n), holiday_prior_sd(grid)
    lead, smooth_lead = length // 2, rules.annual // 2
    plain = Baseline(level, profile, ones, grid.phase, ones * 0, prior, rules.year, lead, smooth, smooth_lead)
    factor, seen = holiday_factors(grid, plain.expected(np.arange(n) - 1, np.arange(n)))
    return Baseline(level, profile, factor, grid.phase, seen, prior, rules.year, lead, smooth, smooth_lead)
