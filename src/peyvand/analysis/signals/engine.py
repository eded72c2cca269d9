"""The public entry points: `detect` for one series, `detect_many` with FDR control across series."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import numpy as np

from peyvand.analysis.calendar import HolidayCalendar
from peyvand.analysis.signals.changes import build_changes
from peyvand.analysis.signals.fdr import episode_q_values
from peyvand.analysis.signals.forecast import build_baseline
from peyvand.analysis.signals.grid import Grid, build_grid
from peyvand.analysis.signals.model import Change, Grain, Series
from peyvand.analysis.signals.tests import WINDOW, TestRun, no_tests, run_tests

# The holidays that move marketing series most; every other key of the calendar can be added by the caller.
ENGINE_HOLIDAYS = frozenset(
    {
        "pre_nowruz",
        "nowruz",
        "sizdah_bedar",
        "yalda",
        "ramadan",
        "eid_al_fitr",
        "tasua",
        "ashura",
        "eid_al_adha",
        "christmas",
        "new_year",
    }
)
DEFAULT_CALENDAR = HolidayCalendar(keys=ENGINE_HOLIDAYS)


def is_count_series(values: np.ndarray) -> bool:
    """Non-negative whole numbers: counts (visits, orders) rather than amounts (revenue, CPC)."""
    finite = values[np.isfinite(values)]
    return bool(len(finite)) and bool(np.all(finite >= 0)) and bool(np.all(finite == np.round(finite)))


def _first_index(grid: Grid, since: datetime | date | None) -> int:
    if since is None:
        return 0
    moment = since if isinstance(since, datetime) else datetime(since.year, since.month, since.day)
    moment = moment.replace(tzinfo=None)
    return int(np.searchsorted(np.array(grid.stamps, dtype="datetime64[us]"), np.datetime64(moment, "us")))


def _prepare(
    series: Series, grain: Grain, since: datetime | date | None, calendar: HolidayCalendar
) -> TestRun:
    grid = build_grid(series, grain, calendar)
    count = series.count if series.count is not None else is_count_series(grid.y)
    if len(grid.y) < 2 * grid.rules.baseline:  # too short to learn a baseline: nothing is tested
        return no_tests(grid, count)
    return run_tests(grid, build_baseline(grid), count, _first_index(grid, since))


def _episode_keys(runs: list[TestRun]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per test: its cluster group (series, kind, sign), period, and the gap that joins a cluster."""
    group, at, gap = [], [], []
    for i, run in enumerate(runs):
        rising = run.observed > run.expected
        group.append((i * 2 + run.kind) * 2 + rising)
        at.append(run.end)
        gap.append(np.where(run.kind == WINDOW, run.grid.rules.windows[-1], 1))
    if not runs:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.concatenate(group), np.concatenate(at), np.concatenate(gap)


def detect_many(
    series_by_key: Mapping[str, Series],
    *,
    grain: Grain = "day",
    since: datetime | date | None = None,
    holidays: HolidayCalendar | None = DEFAULT_CALENDAR,
    alpha: float = 0.05,
) -> dict[str, list[Change]]:
    """Changes in every series, with false discoveries controlled over all of them.

    Benjamini-Hochberg's step-up rule with discoveries counted as episodes (`fdr.episode_q_values`), over
    a family that holds every test run (a spike and a level test per evaluated period), and at least a
    year of periods per series, so a daily incremental run (`since` = the new day) is as strict as a
    back-test over a year. `holidays=None` turns the holiday calendar off.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    calendar = holidays if holidays is not None else HolidayCalendar(markets=())
    runs = {key: _prepare(s, grain, since, calendar) for key, s in series_by_key.items()}
    per_series = [max(len(r.p), 2 * r.grid.rules.per_year) for r in runs.values()]
    all_p = np.concatenate([r.p for r in runs.values()]) if runs else np.zeros(0)
    q_all = episode_q_values(all_p, *_episode_keys(list(runs.values())), int(sum(per_series)), alpha)
    found = all_p[q_all <= alpha]
    p_cut = float(found.max()) if len(found) else 0.0
    out: dict[str, list[Change]] = {}
    offset = 0
    for key, run in runs.items():
        q = q_all[offset : offset + len(run.p)]
        offset += len(run.p)
        out[key] = build_changes(run, q, alpha, p_cut, key)
    return out


def detect(
    series: Series,
    *,
    grain: Grain = "day",
    since: datetime | date | None = None,
    holidays: HolidayCalendar | None = DEFAULT_CALENDAR,
    alpha: float = 0.05,
) -> list[Change]:
    """Spikes and level shifts, rises and falls, in one series (see `detect_many`).

    With `since`, only periods at or after it are tested (the history before it feeds the baseline):
    the incremental mode for new data. Without it, the whole history is evaluated.
    """
    key = series.key or "series"
    return detect_many({key: series}, grain=grain, since=since, holidays=holidays, alpha=alpha)[key]
