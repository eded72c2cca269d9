"""Where a level shift starts and how long it lasts, found retrospectively around its significant windows.

The level tests say *that* a level moved (causally, from the data up to each window's end); this module
says *where*: binary segmentation (CUSUM splits, kept while significant) of the log ratio of observed to
expected values, with the expected values seen from one origin before the flagged stretch, so that the
baseline does not follow the shift, places each start; a step must fit better than a straight line (a
drift is not a shift); the end is the last period the shifted level persists to.
"""

from __future__ import annotations

import numpy as np

from peyvand.analysis.signals.tests import TestRun

MIN_SIDE = 3  # periods on each side of a split


def log_ratio(run: TestRun, origin: int, periods: np.ndarray) -> np.ndarray:
    """log((y + 1/2) / (expected + 1/2)) of `periods`, expected from `origin` (NaN where unknown)."""
    mu = run.baseline.expected(np.full(len(periods), origin), periods)
    with np.errstate(invalid="ignore", divide="ignore"):
        if run.count:
            return np.log((run.grid.y[periods] + 0.5) / (mu + 0.5))
        return np.log(run.grid.y[periods] / mu)


def _winsorised(r: np.ndarray) -> np.ndarray:
    """Clip at 3 robust sd around the median, so one spike does not move a split."""
    centre = np.median(r)
    spread = 1.4826 * np.median(np.abs(r - centre)) + 1e-9
    return np.clip(r, centre - 3 * spread, centre + 3 * spread)


def best_split(r: np.ndarray, low: int, high: int) -> tuple[int, float]:
    """The split s in [low, high] maximising |mean(r[s:]) - mean(r[:s])| sqrt(n_l n_r / n) (CUSUM)."""
    n = len(r)
    cums = np.concatenate([[0.0], np.cumsum(r)])
    s = np.arange(max(low, MIN_SIDE), min(high, n - MIN_SIDE) + 1)
    if len(s) == 0:
        return min(max(low, 0), n), 0.0
    left, right = cums[s] / s, (cums[n] - cums[s]) / (n - s)
    stat = np.abs(right - left) * np.sqrt(s * (n - s) / n)
    i = int(np.argmax(stat))
    return int(s[i]), float(stat[i])


def _noise_sd(r: np.ndarray) -> float:
    """Robust sd of one period's log ratio, from first differences (unmoved by level shifts)."""
    if len(r) < 3:
        return float("inf")
    return float(1.4826 * np.median(np.abs(np.diff(r))) / np.sqrt(2.0)) + 1e-9


def change_points(run: TestRun, first: int, last: int, z_crit: float, origin: int) -> list[tuple[int, int]]:
    """Binary segmentation of the log ratios of periods first..last (expected values seen from
    `origin`): split where the CUSUM is largest while the split's two-sample z exceeds `z_crit`.
    Returns (start period, sign) of every split, in order."""
    periods = np.arange(max(first, 0), last + 1)
    r = log_ratio(run, origin, periods)
    keep = np.isfinite(r)
    periods, r = periods[keep], r[keep]
    if len(r) < 2 * MIN_SIDE:
        return []
    r = _winsorised(r)
    sd = _noise_sd(r)
    found: list[tuple[int, int]] = []
    pending = [(0, len(r))]
    while pending and len(found) < 8:
        lo, hi = pending.pop()
        split, stat = best_split(r[lo:hi], MIN_SIDE, hi - lo - MIN_SIDE)
        if stat / sd < z_crit:
            continue
        at = lo + split
        found.append((int(periods[at]), int(np.sign(r[at:hi].mean() - r[lo:at].mean()))))
        pending += [(lo, at), (at, hi)]
    return sorted(found)


def shift_level(run: TestRun, start: int, stop: int) -> float:
    """Median log ratio of the first periods (up to the longest window) of a shift against the baseline
    before it."""
    horizon = run.grid.rules.windows[-1]
    periods = np.arange(start, min(start + horizon, stop + 1))
    r = log_ratio(run, start - 1, periods)
    r = r[np.isfinite(r)]
    return float(np.median(r)) if len(r) else 0.0


def shift_end(run: TestRun, start: int, stop: int, level: float, z_crit: float) -> int:
    """The last period up to `stop` that the shift persists to: the period before the best split of the
    log ratios (against the baseline before the shift) after which they fall back past half the shifted
    level, when that split is significant (two-sample z above `z_crit`); else `stop`."""
    periods = np.arange(start, stop + 1)
    r = log_ratio(run, start - 1, periods)
    keep = np.isfinite(r)
    periods, r = periods[keep], r[keep]
    width = run.grid.rules.window
    if len(r) < 2 * width:
        return int(stop)
    r = _winsorised(r)
    split, stat = best_split(r, width, len(r) - MIN_SIDE)
    after = float(np.mean(r[split:]))
    if stat / _noise_sd(r) >= z_crit and np.sign(level) * after < abs(level) / 2:
        return int(periods[split - 1])
    return int(stop)


STEP_MARGIN = 2.0  # how much more of the log ratios' variance a step must explain than a line


def is_step(run: TestRun, start: int, floor: int, stop: int) -> bool:
    """Does a step at `start` explain the log ratios around it better than a straight line, by at least
    STEP_MARGIN periods' worth of noise variance?

    The region reaches up to the longest window on each side (within floor..stop); a slow drift (a yearly
    season, a trend) is fitted as well by the line and is not reported as a level shift.
    """
    reach = run.grid.rules.windows[-1]
    periods = np.arange(max(start - reach, floor, 0), min(start + reach, stop + 1))
    r = log_ratio(run, start - 1, periods)
    keep = np.isfinite(r)
    periods, r = periods[keep], _winsorised(r[keep]) if keep.any() else r[keep]
    after = periods >= start
    if after.sum() < run.grid.rules.window or (~after).sum() < run.grid.rules.window:
        return True
    step = np.where(after, r[after].mean(), r[~after].mean())
    line = np.polyval(np.polyfit(periods - start, r, 1), periods - start)
    gain = np.sum((r - line) ** 2) - np.sum((r - step) ** 2)
    return bool(gain >= STEP_MARGIN * _noise_sd(r) ** 2)
