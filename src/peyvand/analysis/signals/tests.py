"""Run the tests of every evaluated period: the one-period spike test and the window (level) tests.

A period ending a window is tested over each window length (a week, two and four weeks at day grain);
the most significant length is kept, its p-value multiplied by the number of lengths (Bonferroni), so a
period still adds one spike and one level test to the false-discovery family.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peyvand.analysis.signals.forecast import Baseline, build_baseline
from peyvand.analysis.signals.grid import Grid
from peyvand.analysis.signals.stats import (
    coefficient_of_variation,
    excess_history,
    noise_history,
    two_sided_p,
)

SPIKE, WINDOW = 0, 1
HOLIDAY_YEAR_SD = 0.5  # year-to-year spread of a learnt holiday effect, as a share of its prior sd


@dataclass(frozen=True)
class TestRun:
    """All tests of one series: test i is of `kind[i]`, over `width[i]` periods ending at `end[i]`."""

    grid: Grid
    baseline: Baseline
    count: bool
    end: np.ndarray
    kind: np.ndarray
    width: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    cv: np.ndarray
    p: np.ndarray
    noise: dict[int, np.ndarray]  # per test width (1: spike): the noise parameter for a test ending at t
    dof: dict[int, np.ndarray]  # and the effective number of errors behind it
    holiday_sd: np.ndarray  # per period: sd of the log holiday effect's uncertainty (0 ordinary)
    effect_noise: dict[int, np.ndarray]  # as `noise`, with slow drifts counted: for effect intervals


@dataclass(frozen=True)
class WindowSums:
    """Per window end t, over the `width` periods up to t, expected values from the origin t - width."""

    observed: np.ndarray  # sum of y (NaN when under half the periods are present)
    expected: np.ndarray  # sum of expected values
    squares: np.ndarray  # sum of squared expected values / expected sum squared
    holiday: np.ndarray  # expected-weighted mean of the holiday sd
    holiday_days: np.ndarray  # periods with a holiday mark


def window_sums(grid: Grid, base: Baseline, width: int, hsd: np.ndarray) -> WindowSums:
    n = len(grid.y)
    ends = np.arange(n)
    sums = np.zeros((6, n))  # observed, expected, squares, holiday, holiday days, used
    for back in range(width):
        period = np.maximum(ends - back, 0)
        ok = ends - back >= 0
        mu = np.where(ok, base.expected(ends - width, period), np.nan)
        y = np.where(ok, grid.y[period], np.nan)
        good = np.isfinite(mu) & np.isfinite(y)
        mu0 = np.where(good, mu, 0.0)
        sums += [np.where(good, y, 0.0), mu0, mu0**2, mu0 * hsd[period], good * (hsd[period] > 0), good]
    enough = (sums[5] >= (width + 1) // 2) & (sums[1] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(enough, sums[1], np.nan)
        return WindowSums(
            np.where(enough, sums[0], np.nan), total, sums[2] / total**2, sums[3] / total, sums[4]
        )


def _lagged(values: np.ndarray, lag: int) -> np.ndarray:
    out = np.full(len(values), np.nan)
    if lag < len(values):
        out[lag:] = values[: len(values) - lag]
    return out


def holiday_sd(base: Baseline, cv: np.ndarray) -> np.ndarray:
    """sd of the log holiday factor: the prior spread for a first occurrence; for a learnt one, the
    year-to-year spread plus the error of a median of `seen` earlier ratios of noise `cv`."""
    seen = base.holiday_seen
    learnt = (HOLIDAY_YEAR_SD * base.holiday_prior) ** 2 + 1.57 * cv**2 / np.maximum(seen, 1)
    sd = np.where(seen > 0, np.sqrt(learnt), base.holiday_prior)
    return np.where(base.holiday_prior > 0, np.nan_to_num(sd, nan=0.0), 0.0)


def widen(noise: np.ndarray, extra_sd: np.ndarray, count: bool) -> np.ndarray:
    """Add a log-scale variance to a noise parameter (counts: dispersion; amounts: log sd)."""
    return noise + extra_sd**2 if count else np.sqrt(noise**2 + extra_sd**2)


def _test(
    obs: np.ndarray, mu: np.ndarray, noise: np.ndarray, dof: np.ndarray, count: bool, ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    at = np.nonzero(ok)[0]
    cv = coefficient_of_variation(mu[at], noise[at], count)
    return at, cv, two_sided_p(obs[at], mu[at], noise[at], count, dof[at])


def _usable(obs: np.ndarray, mu: np.ndarray, noise: np.ndarray, count: bool, first: int) -> np.ndarray:
    ok = np.isfinite(obs) & np.isfinite(mu) & (mu > 0) & np.isfinite(noise) & (np.arange(len(obs)) >= first)
    return ok if count else ok & (obs > 0)


Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _baselines(grid: Grid, base: Baseline) -> dict[int, Baseline]:
    """The baseline of each window length (a longer level behind the longer windows)."""
    rules = grid.rules
    longer = {rules.baseline_for(w) for w in rules.windows} - {rules.baseline}
    by_length = {rules.baseline: base} | {b: build_baseline(grid, b, base) for b in longer}
    return {w: by_length[rules.baseline_for(w)] for w in rules.windows}


def run_tests(grid: Grid, base: Baseline, count: bool, first: int) -> TestRun:
    """Spike and window tests for the periods from index `first` on."""
    rules, n = grid.rules, len(grid.y)
    periods = np.arange(n)
    mu1 = base.expected(periods - 1, periods)
    clean1 = np.where(base.holiday_prior == 0, grid.y, np.nan)
    noise1, used1 = noise_history(clean1, mu1, count, rules.errors, rules.refresh)
    hsd = holiday_sd(base, coefficient_of_variation(mu1, noise1, count))
    noise, dof, effect = {1: noise1}, {1: used1 / 3}, {1: noise1}
    usable = _usable(grid.y, mu1, noise1, count, first)
    at, cv, p = _test(grid.y, mu1, widen(noise1, hsd, count), used1 / 3, count, usable)
    spikes = (at, np.full(len(at), SPIKE), np.ones(len(at), dtype=int), grid.y[at], mu1[at], cv, p)
    windows = _best_windows(grid, _baselines(grid, base), count, first, hsd, (noise, dof, effect))
    end, kind, width, observed, expected, cv, p = (
        np.concatenate(c) for c in zip(spikes, windows, strict=True)
    )
    return TestRun(grid, base, count, end, kind, width, observed, expected, cv, p, noise, dof, hsd, effect)


def _best_windows(
    grid: Grid,
    bases: dict[int, Baseline],
    count: bool,
    first: int,
    hsd: np.ndarray,
    learnt: tuple[dict[int, np.ndarray], dict[int, np.ndarray], dict[int, np.ndarray]],
) -> Columns:
    """Per period, the most significant window length (p multiplied by the number of lengths); fills
    `learnt` (noise, degrees of freedom, effect noise) for every length."""
    noise, dof, effect = learnt
    n, widths = len(grid.y), grid.rules.windows
    best_p, best = np.full(n, np.inf), np.zeros((4, n))
    for width in widths:
        sums = window_sums(grid, bases[width], width, hsd)
        noise[width], dof[width], effect[width] = window_noise(grid, bases[width], sums, width, count, learnt)
        tested = widen(noise[width], np.nan_to_num(sums.holiday), count)
        obs, mu = sums.observed, sums.expected
        at, cv, p = _test(obs, mu, tested, dof[width], count, _usable(obs, mu, noise[width], count, first))
        p = np.minimum(p * len(widths), 1.0)
        better = p < best_p[at]
        pick = at[better]
        best_p[pick] = p[better]
        best[:, pick] = [np.full(len(pick), width), obs[pick], mu[pick], cv[better]]
    at = np.nonzero(np.isfinite(best_p))[0]
    width, observed, expected, cv = best[:, at]
    return at, np.full(len(at), WINDOW), width.astype(int), observed, expected, cv, best_p[at]


def _independent_variance(
    base: Baseline, sums: WindowSums, width: int, count: bool, day: np.ndarray
) -> np.ndarray:
    """Variance of the window's log error beyond the Poisson part, were its periods independent: the
    periods' extra variance plus the variance of the level (a trimmed mean, ~90% efficient)."""
    day_var = day if count else day**2
    periods = 0.9 * base.length
    level_var = day_var / periods
    if count:
        origin = np.arange(len(day)) - width
        level = base.level[np.maximum(origin, 0)] * (origin >= 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            level_var = level_var + 1.0 / (periods * level)
    return day_var * sums.squares + level_var


def window_noise(
    grid: Grid,
    base: Baseline,
    sums: WindowSums,
    width: int,
    count: bool,
    learnt: tuple[dict[int, np.ndarray], ...],
    keep: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The noise parameter and degrees of freedom of the window test ending at each period, and the
    noise parameter of an effect measured over such a window; only the windows `keep` marks (all when
    None) are learnt from.

    Predicted from the one-period noise as if the periods were independent (sum of the periods' variances,
    plus the variance of the level, a trimmed mean of `baseline_for(width)` periods), plus the excess
    variance that earlier ordinary windows showed beyond that prediction; the degrees of freedom of the
    sum follow Welch-Satterthwaite. The test counts only the excess that does not cancel between
    neighbouring windows (a slow drift is left to `segments.is_step`); the effect counts all of it.
    """
    rules, n = grid.rules, len(grid.y)
    model = _independent_variance(base, sums, width, count, _lagged(learnt[0][1], width - 1))
    poisson = 1.0 / sums.expected if count else np.zeros(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        error = np.log((sums.observed + 0.5 * count) / (sums.expected + 0.5 * count))
    keep = np.ones(n, dtype=bool) if keep is None else keep
    clean = np.where((sums.holiday_days == 0) & keep, error, np.nan)
    change = (clean - _lagged(clean, width)) / np.sqrt(2.0)  # a slow drift cancels between neighbours
    predicted = np.log1p(poisson + model)
    excess, used = excess_history(change, predicted, rules.errors, rules.refresh)
    excess, used = _lagged(excess, width), _lagged(used, width) / width
    drift = _lagged(excess_history(clean, predicted, rules.errors, rules.refresh)[0], width)
    total, measured = model + excess, model + np.fmax(excess, drift)
    model_dof = _lagged(learnt[1][1], width - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        nu = (poisson + total) ** 2 / (model**2 / model_dof + excess**2 / np.maximum(used, 1.0))
    if count:
        return total, nu, measured
    return np.sqrt(total), nu, np.sqrt(measured)


def effect_noise_beside(run: TestRun, bounds: list[int]) -> dict[int, np.ndarray]:
    """`run.effect_noise` learnt again without the windows a found level shift reaches into: those whose
    periods, or the level behind their expected values (`baseline_for(width)` periods before them), hold
    a shift's first period or the first period after it (`bounds`). So an earlier real shift does not
    count as noise in the interval of a later change (docs/formulas-signals.md)."""
    grid, rules = run.grid, run.grid.rules
    bases = _baselines(grid, run.baseline)
    learnt = (run.noise, run.dof, run.effect_noise)
    out = {1: run.effect_noise[1]}
    for width in rules.windows:
        keep = np.ones(len(grid.y), dtype=bool)
        for bound in bounds:
            keep[bound : bound + width + rules.baseline_for(width)] = False
        sums = window_sums(grid, bases[width], width, run.holiday_sd)
        out[width] = window_noise(grid, bases[width], sums, width, run.count, learnt, keep)[2]
    return out


def no_tests(grid: Grid, count: bool) -> TestRun:
    """The run of a series too short to test."""
    empty, n = np.zeros(0), len(grid.y)
    nothing = np.full(n, np.nan)
    base = Baseline(
        nothing, np.ones((n, grid.rules.season)), np.ones(n), grid.phase, np.zeros(n), np.zeros(n)
    )
    ends = np.zeros(0, dtype=int)
    return TestRun(grid, base, count, ends, ends, ends, empty, empty, empty, empty, {}, {}, np.zeros(n), {})
