"""Turn significant tests into changes: level shifts (runs of significant windows) and spikes.

A run of same-sign significant windows holds one level shift per significant change point of its sign
(segments.change_points), each a step rather than a drift (segments.is_step); a shift starts at its
change point, ends at the last period the shifted level persists to (segments.shift_end), and its effect
is measured against the baseline before the start. Significant single periods inside a shift are spikes
only when they stand out from the shifted level too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from peyvand.analysis.signals.forecast import Baseline, build_baseline
from peyvand.analysis.signals.model import Change, ChangeDirection, ChangeKind
from peyvand.analysis.signals.segments import change_points, is_step, shift_end, shift_level
from peyvand.analysis.signals.stats import ratio_interval, ratio_p, two_sided_p
from peyvand.analysis.signals.tests import SPIKE, WINDOW, TestRun, effect_noise_beside, widen

MAX_SPIKE_PERIODS = 2  # more significant periods in one window than this make a level shift


@dataclass(frozen=True)
class Hits:
    """The significant tests of one kind: period index, width, sign (+1 rise, -1 fall), p and q."""

    at: np.ndarray
    width: np.ndarray
    sign: np.ndarray
    p: np.ndarray
    q: np.ndarray

    def subset(self, keep: np.ndarray) -> Hits:
        return Hits(self.at[keep], self.width[keep], self.sign[keep], self.p[keep], self.q[keep])


@dataclass(frozen=True)
class Shift:
    start: int
    end: int
    sign: int
    level: float  # median log ratio against the baseline before the start
    q: float  # of the most significant window behind it


def _hits(run: TestRun, q: np.ndarray, alpha: float, kind: int) -> Hits:
    pick = np.nonzero((run.kind == kind) & (q <= alpha))[0]
    pick = pick[np.argsort(run.end[pick], kind="stable")]
    sign = np.sign(run.observed - run.expected)[pick].astype(int)
    return Hits(run.end[pick], run.width[pick], sign, run.p[pick], q[pick])


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


def _spike_driven(run: TestRun, end: int, width: int, spikes: Hits, sign: int, p_cut: float) -> bool:
    """True when the window ending at `end` owes its significance to one or two spike periods."""
    inside = spikes.at[(spikes.at > end - width) & (spikes.at <= end) & (spikes.sign == sign)]
    if len(inside) == 0 or len(inside) > MAX_SPIKE_PERIODS:
        return False
    periods = np.arange(end - width + 1, end + 1)
    mu = run.baseline.expected(np.full(width, end - width), periods)
    y = run.grid.y[periods]
    rest = np.isfinite(mu) & np.isfinite(y) & ~np.isin(periods, inside)
    observed, expected = float(y[rest].sum()), float(mu[rest].sum())
    if expected <= 0 or (not run.count and observed <= 0):
        return True
    noise, dof = run.noise[width][end], run.dof[width][end]
    p = two_sided_p(np.array([observed]), np.array([expected]), np.array([noise]), run.count, dof)[0]
    return bool(p * len(run.grid.rules.windows) > p_cut)


def _noise_for(run: TestRun, start: int, length: int) -> float:
    """The noise parameter of the test over the longest window, no longer than `length` periods and with
    a noise estimate, that starts at `start` (or the nearest such test)."""
    widths = sorted((w for w in run.effect_noise if np.isfinite(run.effect_noise[w]).any()), reverse=True)
    width = next((w for w in widths if w <= length), widths[-1] if widths else None)
    if width is None:
        return 0.0
    noise = run.effect_noise[width]
    finite = np.nonzero(np.isfinite(noise))[0]
    at = min(max(start + width - 1, 0), len(noise) - 1)
    return float(noise[finite[np.argmin(np.abs(finite - at))]])


def _measured(run: TestRun, periods: np.ndarray) -> np.ndarray:
    """The periods a change's effect is measured on: its first longest-window's worth (8 weeks at day
    grain) of ordinary periods when it has enough of them (holiday factors add their own uncertainty),
    else its first periods."""
    horizon = run.grid.rules.windows[-1]
    ordinary = periods[run.holiday_sd[periods] == 0][:horizon]
    return ordinary if len(ordinary) >= min(len(periods), horizon) / 2 else periods[:horizon]


def _own_test(
    run: TestRun, span: tuple[int, int], origin: int, lift: float, base: Baseline | None = None
) -> tuple[float, float, int, float]:
    """The sums a change over periods span[0]..span[1] is judged by, against the expected values of `base`
    (the run's baseline when None) seen from `origin` times exp(`lift`): observed and expected sums over
    its measured periods, how many periods enter them, and the noise parameter of the test (widened by the
    holiday factors' uncertainty)."""
    measured = _measured(run, np.arange(span[0], span[1] + 1))
    base = run.baseline if base is None else base
    mu = base.expected(np.full(len(measured), origin), measured) * np.exp(lift)
    y = run.grid.y[measured]
    good = np.isfinite(mu) & np.isfinite(y)
    observed, expected = float(y[good].sum()), float(mu[good].sum())
    noise = _noise_for(run, span[0], len(measured))
    holiday = float(np.sum(mu[good] * run.holiday_sd[measured][good]) / max(expected, 1e-12))
    noise = float(widen(np.array([noise]), np.array([holiday]), run.count)[0])
    return observed, expected, int(good.sum()), noise


def make_change(
    run: TestRun,
    span: tuple[int, int],
    kind: ChangeKind,
    detected_q: float,
    key: str,
    within: Shift | None = None,
    after: Shift | None = None,
) -> Change:
    """A change over periods span[0]..span[1], measured against the expected values from before it, or,
    for a spike `within` a shift, against the shifted level, or, for a shift soon `after` a temporary one,
    against the long baseline seen from before that one (`_after_temporary`).

    Its effect, p-value and interval all come from one test, the change's own (`stats.ratio_p`, inverted
    by `stats.ratio_interval`), so they agree; its q-value is the detection's, and at least that p-value:
    the smallest false-discovery level at which it is reported (`build_changes`)."""
    start, end = span
    origin = start - 1 if within is None else within.start - 1
    lift = 0.0 if within is None else within.level
    base = None
    if after is not None:
        origin, base = after.start - 1, build_baseline(run.grid, run.grid.rules.annual, run.baseline)
    observed, expected, used, noise = _own_test(run, span, origin, lift, base)
    p = ratio_p(observed, expected, noise, run.count)
    low, high = ratio_interval(observed, expected, noise, run.count)
    holidays = tuple(sorted({run.grid.effect_key[i] for i in range(start, end + 1)} - {""}))
    return Change(
        start=run.grid.stamps[start],
        end=run.grid.stamps[end],
        direction=ChangeDirection.RISE if observed > expected else ChangeDirection.FALL,
        kind=kind,
        effect=observed / expected - 1.0,
        effect_ci=(low - 1.0, high - 1.0),
        baseline=expected / max(used, 1),
        observed=observed / max(used, 1),
        p_value=p,
        q_value=max(detected_q, p),
        series=key,
        holidays=holidays,
    )


def _candidates(run: TestRun, windows: Hits, z_crit: float) -> list[tuple[int, int, int]]:
    """(start, sign, supporting test) of the change points inside each run of significant windows."""
    longest = run.grid.rules.windows[-1]
    found: list[tuple[int, int, int]] = []
    floor = 0
    for group in runs_of(windows, longest):
        sign = int(windows.sign[group[0]])
        origin = int(windows.at[group[0]] - windows.width[group[0]])
        first, last = max(origin - longest, floor), int(windows.at[group[-1]])
        points = [s for s in change_points(run, first, last, z_crit, origin) if s[1] == sign]
        bounds = [s for s, _ in points] + [last + 1]
        for (start, _), stop in zip(points, bounds[1:], strict=True):
            ends = windows.at[group]
            support = group[(ends >= start) & (ends < stop + longest)]
            if len(support) == 0 or (found and start <= found[-1][0]):
                continue
            found.append((start, sign, int(support[np.argmin(windows.p[support])])))
        floor = found[-1][0] + 1 if found else floor
    return found


def find_shifts(run: TestRun, windows: Hits, z_crit: float) -> list[Shift]:
    """One shift per change point inside the runs of same-sign significant windows that is a step rather
    than a drift; it starts at the change point and ends where the shifted level stops persisting (at the
    latest the period before the next shift)."""
    found, n = _candidates(run, windows, z_crit), len(run.grid.y)
    steps: list[tuple[int, int, int]] = []
    for cand in found:
        if is_step(run, cand[0], steps[-1][0] if steps else 0, n - 1):
            steps.append(cand)
    shifts: list[Shift] = []
    for i, (start, sign, best) in enumerate(steps):
        stop = steps[i + 1][0] - 1 if i + 1 < len(steps) else n - 1
        level = shift_level(run, start, stop)
        end = shift_end(run, start, stop, level, z_crit) if np.sign(level) == sign else stop
        shifts.append(Shift(start, max(end, start), sign, level, float(windows.q[best])))
    return shifts


def _returns(run: TestRun, earlier: Shift, later: Shift, alpha: float) -> bool:
    """Does `later`, a shift the other way that starts as `earlier` ends, bring the series back to the
    level before `earlier`? Both are measured against the long baseline seen from before `earlier` (a
    level over `rules.annual` periods, carried forward by the same profile and annual factor), so that a
    noisy month just before `earlier` does not set the old level: `later`'s own test gives its ratio to
    the old level, p-value and 95% interval, and `earlier`'s shifted level is its median log ratio moved
    onto that baseline. Yes when the ratio is consistent with the old level (p > `alpha`) and within half
    the shifted log level of it, and the interval lies within the shifted log level of it on both sides:
    the series left the shifted level, and is shown nearer the old level than the shift was large.
    Otherwise both changes are reported."""
    rules, sign = run.grid.rules, earlier.sign
    if later.sign != -sign or later.start - earlier.end - 1 > rules.window:
        return False
    origin = earlier.start - 1
    old = build_baseline(run.grid, rules.annual, run.baseline)
    observed, expected, _, noise = _own_test(run, (later.start, later.end), origin, 0.0, old)
    lifted = np.arange(earlier.start, min(earlier.start + rules.windows[-1], earlier.end + 1))
    short = np.nansum(run.baseline.expected(np.full(len(lifted), origin), lifted))
    long = np.nansum(old.expected(np.full(len(lifted), origin), lifted))
    if observed <= 0 or expected <= 0 or short <= 0 or long <= 0:
        return False
    shifted = sign * (earlier.level + np.log(short / long))  # in `earlier`'s direction, on the long baseline
    low, high = ratio_interval(observed, expected, noise, run.count)
    consistent = ratio_p(observed, expected, noise, run.count) > alpha
    inside = np.exp(-shifted) < low and high < np.exp(shifted)
    return bool(shifted > 0 and consistent and abs(np.log(observed / expected)) < shifted / 2 and inside)


def reported_shifts(run: TestRun, shifts: list[Shift], alpha: float) -> list[Shift]:
    """The shifts to report: a shift that returns the series to the level before the previous reported
    one (`_returns`) is that one's end (it already ends the period before), not a change of its own."""
    kept: list[Shift] = []
    for shift in shifts:
        if not (kept and _returns(run, kept[-1], shift, alpha)):
            kept.append(shift)
    return kept


def _after_temporary(run: TestRun, shifts: list[Shift]) -> list[Shift | None]:
    """For each reported shift, the earliest earlier one the other way that was temporary and whose
    shifted periods the baseline before this one still holds: it ended before the period just before
    this one, fewer than `baseline_for` the longest window periods before this one began. Temporary: the
    series left its level before the next shift began, or the next shift went back the other way (a shift
    that lasts until a further one the same way begins is the new level). A fall some weeks after a
    campaign's rise ended is then judged against the forecast from before the rise (as `_returns` judges a
    return), not against a level the rise still lifts."""
    reach = run.grid.rules.baseline_for(run.grid.rules.windows[-1])
    temporary = [
        i + 1 == len(shifts) or shifts[i + 1].start > s.end + 1 or shifts[i + 1].sign == -s.sign
        for i, s in enumerate(shifts)
    ]
    out: list[Shift | None] = []
    for i, shift in enumerate(shifts):
        ended = [
            e
            for e, gone in zip(shifts[:i], temporary, strict=False)
            if gone and e.sign == -shift.sign and shift.start - reach <= e.end < shift.start - 1
        ]
        out.append(min(ended, key=lambda e: e.start) if ended else None)
    return out


def _stands_out(run: TestRun, at: int, shift: Shift, p_cut: float) -> bool:
    """Is the spike at period `at`, inside `shift`, significant against the shifted level?"""
    mu = run.baseline.expected(np.array([shift.start - 1]), np.array([at])) * np.exp(shift.level)
    noise = widen(np.array([run.noise[1][at]]), run.holiday_sd[[at]], run.count)
    p = two_sided_p(run.grid.y[[at]], mu, noise, run.count, run.dof[1][at])
    return bool(np.isfinite(p[0]) and p[0] <= p_cut)


def _spike_changes(run: TestRun, spikes: Hits, shifts: list[Shift], p_cut: float, key: str) -> list[Change]:
    changes = []
    for group in runs_of(spikes, 1):
        lo, hi = int(spikes.at[group[0]]), int(spikes.at[group[-1]])
        inside = next((s for s in shifts if s.start <= lo and hi <= s.end), None)
        if inside is not None and not all(_stands_out(run, int(spikes.at[g]), inside, p_cut) for g in group):
            continue
        best = group[np.argmin(spikes.p[group])]
        changes.append(make_change(run, (lo, hi), ChangeKind.SPIKE, float(spikes.q[best]), key, inside))
    return changes


def build_changes(run: TestRun, q: np.ndarray, alpha: float, p_cut: float, key: str) -> list[Change]:
    """Level shifts first, less the returns that end them (`reported_shifts`), then the spikes no shift
    explains (a return too); each reported when its detection and its own test both pass `alpha` (its
    q-value, `make_change`)."""
    spikes, windows = _hits(run, q, alpha, SPIKE), _hits(run, q, alpha, WINDOW)
    driven = np.array(
        [
            _spike_driven(run, int(windows.at[i]), int(windows.width[i]), spikes, int(windows.sign[i]), p_cut)
            for i in range(len(windows.at))
        ],
        dtype=bool,
    )
    z_crit = float(stats.norm.isf(max(p_cut, 1e-300) / 2))
    shifts = find_shifts(run, windows.subset(~driven), z_crit)
    if shifts:
        bounds = [s.start for s in shifts] + [s.end + 1 for s in shifts if s.end + 1 < len(run.grid.y)]
        run = replace(run, effect_noise=effect_noise_beside(run, bounds))
    reported = reported_shifts(run, shifts, alpha)
    changes = [
        make_change(run, (s.start, s.end), ChangeKind.LEVEL_SHIFT, s.q, key, after=after)
        for s, after in zip(reported, _after_temporary(run, reported), strict=True)
    ]
    changes += _spike_changes(run, spikes, shifts, p_cut, key)
    return sorted((c for c in changes if c.q_value <= alpha), key=lambda c: (c.start, c.kind.value))
