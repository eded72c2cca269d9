"""Run the two tests of every evaluated period: the one-period spike test and the window (level) test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peyvand.analysis.signals.forecast import Baseline
from peyvand.analysis.signals.grid import Grid
from peyvand.analysis.signals.stats import coefficient_of_variation, noise_history, two_sided_p

SPIKE, WINDOW = 0, 1


@dataclass(frozen=True)
class TestRun:
    """All tests of one series: test i is of `kind[i]` and ends at period `end[i]`."""

    grid: Grid
    baseline: Baseline
    count: bool
    end: np.ndarray
    kind: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    cv: np.ndarray
    p: np.ndarray
    window_noise: np.ndarray  # per period: the window test's noise parameter learnt before it
    window_dof: np.ndarray  # and the effective number of errors behind it


def _window_sums(grid: Grid, base: Baseline) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected sums over the window ending at each period, from the origin before it."""
    n, width = len(grid.y), grid.rules.window
    ends = np.arange(n)
    observed, expected, used = np.zeros(n), np.zeros(n), np.zeros(n)
    for back in range(width):
        period = ends - back
        ok = period >= 0
        mu = np.full(n, np.nan)
        mu[ok] = base.expected(ends[ok] - width, period[ok])
        y = np.where(ok, grid.y[np.maximum(period, 0)], np.nan)
        ordinary = base.holiday_seen[np.maximum(period, 0)] == 0
        good = np.isfinite(mu) & np.isfinite(y) & ordinary & ok
        observed += np.where(good, y, 0.0)
        expected += np.where(good, mu, 0.0)
        used += good
    enough = used >= (width + 1) // 2
    return np.where(enough, observed, np.nan), np.where(enough & (expected > 0), expected, np.nan)


def _lagged(values: np.ndarray, lag: int) -> np.ndarray:
    out = np.full(len(values), np.nan)
    if lag < len(values):
        out[lag:] = values[: len(values) - lag]
    return out


def _holiday_noise(noise: np.ndarray, mu: np.ndarray, seen: np.ndarray, count: bool) -> np.ndarray:
    """Widen the noise of holiday periods by the uncertainty of a factor learnt from `seen` occurrences."""
    widen = 1.0 + np.where(seen > 0, 1.57 / np.maximum(seen, 1), 0.0)
    if not count:
        return noise * np.sqrt(widen)
    cv2 = coefficient_of_variation(mu, noise, True) ** 2 * widen
    return np.maximum(cv2 - 1.0 / np.maximum(mu, 1e-12), 0.0)


def run_tests(grid: Grid, base: Baseline, count: bool, first: int) -> TestRun:
    """Spike and window tests for the periods from index `first` on."""
    rules, n = grid.rules, len(grid.y)
    periods = np.arange(n)
    mu1 = base.expected(periods - 1, periods)
    noise1, used1 = noise_history(grid.y, mu1, count, rules.errors, rules.refresh)
    noise1 = _holiday_noise(noise1, mu1, base.holiday_seen, count)
    obs_w, mu_w = _window_sums(grid, base)
    noise_w, used_w = noise_history(obs_w, mu_w, count, rules.errors, rules.refresh)
    # a window is judged only by windows that ended before it began
    noise_w_test, dof_w = _lagged(noise_w, rules.window), _lagged(used_w, rules.window) / rules.window
    parts = []
    tests = ((SPIKE, grid.y, mu1, noise1, used1 / 3), (WINDOW, obs_w, mu_w, noise_w_test, dof_w))
    for kind, obs, mu, noise, dof in tests:
        ok = np.isfinite(obs) & np.isfinite(mu) & (mu > 0) & np.isfinite(noise) & (periods >= first)
        if not count:
            ok &= obs > 0
        at = np.nonzero(ok)[0]
        cv = coefficient_of_variation(mu[at], noise[at], count)
        p = two_sided_p(obs[at], mu[at], noise[at], count, dof[at])
        parts.append((at, np.full(len(at), kind), obs[at], mu[at], cv, p))
    cols = [np.concatenate(c) for c in zip(*parts, strict=True)]
    return TestRun(
        grid,
        base,
        count,
        cols[0],
        cols[1],
        cols[2],
        cols[3],
        cols[4],
        cols[5],
        noise_w,
        used_w / rules.window,
    )


def no_tests(grid: Grid, count: bool) -> TestRun:
    """The run of a series too short to test."""
    empty, n = np.zeros(0), len(grid.y)
    nothing = np.full(n, np.nan)
    base = Baseline(nothing, np.ones((n, grid.rules.season)), np.ones(n), np.ones(n), grid.phase, np.zeros(n))
    ends = np.zeros(0, dtype=int)
    return TestRun(grid, base, count, ends, ends, empty, empty, empty, empty, nothing, nothing)
