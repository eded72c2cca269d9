"""Turn significant tests into changes: level shifts (runs of significant windows) and spikes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peyvand.analysis.signals.model import Change, ChangeDirection, ChangeKind
from peyvand.analysis.signals.stats import coefficient_of_variation, effect_interval, two_sided_p
from peyvand.analysis.signals.tests import SPIKE, WINDOW, TestRun

MAX_SPIKE_PERIODS = 2  # more significant periods in one window than this make a level shift


@dataclass(frozen=True)
class Hits:
    """The significant tests of one kind: period index, sign (+1 rise, -1 fall), p and q."""

    at: np.ndarray
    sign: np.ndarray
    p: np.ndarray
    q: np.ndarray


def _hits(run: TestRun, q: np.ndarray, alpha: float, kind: int) -> Hits:
    pick = (run.kind == kind) & (q <= alpha)
    order = np.argsort(run.end[pick], kind="stable")
    sign = np.sign(run.observed - run.expected)[pick][order].astype(int)
    return Hits(run.end[pick][order], sign, run.p[pick][order], q[pick][order])


def runs_of(hits: Hits, gap: int) -> list[np.ndarray]:
    """Indices into `hits`, grouped where the same sign repeats at most `gap` periods apart."""
    groups: list[list[int]] = []
    for i in range(len(hits.at)):
        last = groups[-1][-1] if groups else None
        if last is not None and hits.sign[i] == hits.sign[last] and hits.at[i] - hits.at[last] <= gap:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [np.array(g) for g in groups]


def _log_ratio(run: TestRun, origin: int, periods: np.ndarray) -> np.ndarray:
    mu = run.baseline.expected(np.full(len(periods), origin), periods)
    return np.log((run.grid.y[periods] + 0.5) / (mu + 0.5))


def shift_start(run: TestRun, first_end: int, last_end: int) -> int:
    """The period where the level moved: the best single split of log(observed / expected)."""
    width = run.grid.rules.window
    periods = np.arange(max(first_end - 2 * width + 1, 0), last_end + 1)
    r = _log_ratio(run, first_end - width, periods)
    keep = np.isfinite(r)
    periods, r = periods[keep], r[keep]
    best, best_stat = max(first_end - width + 1, 0), -1.0
    for split in range(max(first_end - width + 1, 1), first_end + 1):
        left, right = r[periods < split], r[periods >= split]
        if len(left) < 2 or len(right) < 2:
            continue
        stat = abs(right.mean() - left.mean()) * np.sqrt(len(left) * len(right) / len(r))
        if stat > best_stat:
            best, best_stat = split, stat
    return best


def _spike_driven(run: TestRun, end: int, spikes: Hits, sign: int, p_cut: float) -> bool:
    """True when the window ending at `end` owes its significance to one or two spike periods."""
    width = run.grid.rules.window
    inside = spikes.at[(spikes.at > end - width) & (spikes.at <= end) & (spikes.sign == sign)]
    if len(inside) == 0 or len(inside) > MAX_SPIKE_PERIODS:
        return False
    test = np.nonzero((run.kind == WINDOW) & (run.end == end))[0][0]
    mu_out = run.baseline.expected(np.full(len(inside), end - width), inside)
    observed = run.observed[test] - np.nansum(run.grid.y[inside])
    expected = run.expected[test] - np.nansum(mu_out)
    if expected <= 0 or (not run.count and observed <= 0):
        return True
    noise, dof = run.window_noise[end - width], run.window_dof[end - width]
    p = two_sided_p(np.array([observed]), np.array([expected]), np.array([noise]), run.count, dof)[0]
    return bool(p > p_cut)


def make_change(
    run: TestRun, span: tuple[int, int], kind: ChangeKind, p: float, q: float, key: str
) -> Change:
    """A change over periods span[0]..span[1], measured against the expected values before it."""
    start, end = span
    periods = np.arange(start, end + 1)
    mu = run.baseline.expected(np.full(len(periods), start - 1), periods)
    y = run.grid.y[periods]
    good = np.isfinite(mu) & np.isfinite(y)
    observed, expected = float(y[good].sum()), float(mu[good].sum())
    noise = _noise_at(run, start, kind)
    cv = float(coefficient_of_variation(np.array([expected]), np.array([noise]), run.count)[0])
    effect, low, high = effect_interval(observed, expected, cv)
    holidays = tuple(sorted({run.grid.effect_key[i] for i in periods} - {""}))
    return Change(
        start=run.grid.stamps[start],
        end=run.grid.stamps[end],
        direction=ChangeDirection.RISE if observed > expected else ChangeDirection.FALL,
        kind=kind,
        effect=effect,
        effect_ci=(low, high),
        baseline=expected / max(int(good.sum()), 1),
        observed=observed / max(int(good.sum()), 1),
        p_value=p,
        q_value=q,
        series=key,
        holidays=holidays,
    )


def _noise_at(run: TestRun, start: int, kind: ChangeKind) -> float:
    """The noise parameter the tests used near `start` (window noise for shifts, period noise for spikes)."""
    if kind is ChangeKind.LEVEL_SHIFT:
        noise = run.window_noise[max(start - 1, 0)]
        return float(noise) if np.isfinite(noise) else float(np.nanmax(run.window_noise))
    near = np.nonzero(run.kind == SPIKE)[0]
    nearest = near[np.argmin(np.abs(run.end[near] - start))]
    cv, mu = run.cv[nearest], run.expected[nearest]
    return float(max(cv**2 - 1.0 / mu, 0.0)) if run.count else float(cv)


def build_changes(run: TestRun, q: np.ndarray, alpha: float, p_cut: float, key: str) -> list[Change]:
    """Level shifts first, then the spikes they do not already explain."""
    spikes, windows = _hits(run, q, alpha, SPIKE), _hits(run, q, alpha, WINDOW)
    width = run.grid.rules.window
    changes: list[Change] = []
    covered: list[tuple[int, int, int]] = []
    for group in runs_of(windows, width):
        best = group[np.argmin(windows.p[group])]
        sign = int(windows.sign[best])
        if _spike_driven(run, int(windows.at[best]), spikes, sign, p_cut):
            continue
        first, last = int(windows.at[group[0]]), int(windows.at[group[-1]])
        start = shift_start(run, first, last)
        span = (start, last)
        p, qv = float(windows.p[best]), float(windows.q[best])
        changes.append(make_change(run, span, ChangeKind.LEVEL_SHIFT, p, qv, key))
        covered.append((start, last, sign))
    for group in runs_of(spikes, 1):
        sign, lo, hi = int(spikes.sign[group[0]]), int(spikes.at[group[0]]), int(spikes.at[group[-1]])
        if any(s == sign and a <= hi and lo <= b for a, b, s in covered):
            continue
        best = group[np.argmin(spikes.p[group])]
        p, qv = float(spikes.p[best]), float(spikes.q[best])
        changes.append(make_change(run, (lo, hi), ChangeKind.SPIKE, p, qv, key))
    return sorted(changes, key=lambda c: (c.start, c.kind.value))
