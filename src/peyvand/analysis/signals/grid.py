"""A metric series laid on a regular grid of days or hours, with its holiday marks.

Timestamps are floored to the grain and values in the same period are summed; periods with no value
are NaN (missing), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from peyvand.analysis.calendar import HolidayCalendar
from peyvand.analysis.signals.model import Grain, Series

# Holiday keys in order of precedence when several mark the same day: the first one names the day's
# effect. Periods come last: a holiday inside them wins, and the shopping days before Nowruz win over
# Ramadan when the two overlap (their effect is the stronger and the shorter).
_PRECEDENCE = (
    "nowruz",
    "sizdah_bedar",
    "eid_al_fitr",
    "tasua",
    "ashura",
    "christmas",
    "new_year",
    "yalda",
)
_PERIODS = ("pre_nowruz", "ramadan")


@dataclass(frozen=True)
class GrainRules:
    """Lengths, in periods, that the engine uses for one grain."""

    season: int  # one cycle of the weekly profile
    windows: tuple[int, ...]  # the level-shift test windows, shortest first
    baseline: int  # valid periods behind the expected level
    year: int  # a year in whole weeks, so weekdays line up
    annual: int  # valid periods behind the long level that last year's moves are read from
    errors: int  # past forecast errors behind the dispersion estimate
    refresh: int  # the dispersion is re-estimated every `refresh` periods
    per_year: int  # periods in a year (the size of a year's test family)
    step: timedelta

    @property
    def window(self) -> int:
        """The shortest level-shift window."""
        return self.windows[0]

    def baseline_for(self, width: int) -> int:
        """Valid periods behind the expected level of a `width`-period window: twice the window, at
        least `baseline` and at most twice it."""
        return min(max(self.baseline, 2 * width), 2 * self.baseline)


RULES: dict[str, GrainRules] = {
    "day": GrainRules(7, (7, 14, 28, 56), 28, 364, 91, 364, 7, 365, timedelta(days=1)),
    "hour": GrainRules(168, (24, 72, 168), 672, 8736, 2184, 2016, 24, 8760, timedelta(hours=1)),
}


@dataclass(frozen=True)
class Grid:
    """Values on consecutive periods; `effect_key[i]` names the holiday that may move period i."""

    stamps: list[datetime]
    y: np.ndarray
    phase: np.ndarray  # weekday (day grain) or hour of the week (hour grain)
    effect_key: list[str]
    rules: GrainRules


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def _floor(value: datetime, grain: Grain) -> datetime:
    if grain == "day":
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    return value.replace(minute=0, second=0, microsecond=0)


def effect_key(keys: tuple[str, ...]) -> str:
    """The one holiday key that names a day marked by `keys` ('' for an ordinary day)."""
    if not keys:
        return ""
    for key in _PRECEDENCE:
        if key in keys:
            return key
    ordinary = [k for k in keys if k not in _PERIODS]
    if ordinary:
        return ordinary[0]
    return next((k for k in _PERIODS if k in keys), sorted(keys)[-1])


def build_grid(series: Series, grain: Grain, calendar: HolidayCalendar) -> Grid:
    """Sum the values per period, fill the gaps with NaN, and mark each period's holiday."""
    if grain not in RULES:
        raise ValueError(f"grain must be 'day' or 'hour', not {grain!r}")
    rules = RULES[grain]
    sums: dict[datetime, float] = {}
    for stamp, value in zip(series.timestamps, series.values, strict=True):
        if value is None or not np.isfinite(float(value)):
            continue
        period = _floor(_as_datetime(stamp), grain)
        sums[period] = sums.get(period, 0.0) + float(value)
    if not sums:
        return Grid([], np.zeros(0), np.zeros(0, dtype=int), [], rules)
    first, last = min(sums), max(sums)
    count = int((last - first) / rules.step) + 1
    stamps = [first + i * rules.step for i in range(count)]
    y = np.array([sums.get(s, np.nan) for s in stamps])
    phase = np.array(
        [s.weekday() * (24 if grain == "hour" else 1) + (s.hour if grain == "hour" else 0) for s in stamps]
    )
    keys = [effect_key(calendar.keys_on(s.date())) for s in stamps]
    return Grid(stamps, y, phase, keys, rules)
