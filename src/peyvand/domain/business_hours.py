"""Business hours and the business-time clock that SLA targets run on.

A `BusinessHours` value holds the open spans of each weekday (local wall-clock minutes from midnight)
and a set of holiday dates on which nothing is open. The Iranian week (weekend Friday, Thursday full,
half or off) and the Western week (weekend Saturday and Sunday) are presets; holidays are a parameter,
e.g. the Iranian official holidays from `peyvand.analysis.calendar`. Asia/Tehran is the default zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")
DAY_MINUTES = 24 * 60
MAX_SEARCH_DAYS = 3660
Span = tuple[int, int]  # [start, end) in minutes from local midnight, 0 <= start < end <= 1440


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Open spans for each weekday (index = `date.weekday()`, Monday 0) and the holidays."""

    week: tuple[tuple[Span, ...], ...]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("business hours need the open spans of all 7 weekdays")
        for spans in self.week:
            ends = [0, *(m for span in sorted(spans) for m in span), DAY_MINUTES]
            if any(a > b for a, b in zip(ends, ends[1:], strict=False)) or any(s >= e for s, e in spans):
                raise ValueError(f"open spans must be ordered, non-overlapping, within a day: {spans}")

    def with_holidays(self, dates: Iterable[date]) -> BusinessHours:
        return replace(self, holidays=self.holidays | frozenset(dates))

    def spans_on(self, day: date) -> tuple[Span, ...]:
        return () if day in self.holidays else tuple(sorted(self.week[day.weekday()]))

    @property
    def ever_open(self) -> bool:
        return any(self.week)


def _minute(t: time) -> int:
    return t.hour * 60 + t.minute


def _spans(opens: time, closes: time) -> tuple[Span, ...]:
    start, end = _minute(opens), _minute(closes) or DAY_MINUTES
    return ((start, end),)


def iranian_hours(
    *,
    opens: time = time(8),
    closes: time = time(16),
    thursday: Literal["full", "half", "off"] = "full",
    holidays: Iterable[date] = (),
) -> BusinessHours:
    """Saturday to Wednesday open, Friday the weekend; Thursday full, half (first half) or off."""
    full = _spans(opens, closes)
    start, end = full[0]
    thursday_spans = {"full": full, "half": ((start, start + (end - start) // 2),), "off": ()}[thursday]
    week = (full, full, full, thursday_spans, (), full, full)
    return BusinessHours(week, frozenset(holidays))


def western_hours(
    *, opens: time = time(9), closes: time = time(17), holidays: Iterable[date] = ()
) -> BusinessHours:
    """Monday to Friday open, Saturday and Sunday the weekend."""
    full = _spans(opens, closes)
    return BusinessHours((full,) * 5 + ((), ()), frozenset(holidays))


ALWAYS_OPEN = BusinessHours((((0, DAY_MINUTES),),) * 7)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


def _wall(day: date, minute: int, tz: ZoneInfo) -> datetime:
    day, minute = (day + timedelta(days=1), 0) if minute == DAY_MINUTES else (day, minute)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz).astimezone(UTC)


def open_windows(start: datetime, hours: BusinessHours, tz: ZoneInfo) -> Iterator[tuple[datetime, datetime]]:
    """Open windows (UTC) from the local day of `start` onwards, for at most `MAX_SEARCH_DAYS` days."""
    first = _aware(start).astimezone(tz).date()
    for offset in range(MAX_SEARCH_DAYS):
        day = first + timedelta(days=offset)
        for begin, end in hours.spans_on(day):
            yield _wall(day, begin, tz), _wall(day, end, tz)


def business_minutes_between(
    start: datetime, end: datetime, hours: BusinessHours, tz: ZoneInfo = TEHRAN
) -> float:
    """Open minutes in [start, end) under `hours` in zone `tz` (0 when end is not after start)."""
    start, end = _aware(start), _aware(end)
    total = timedelta()
    if end <= start:
        return 0.0
    for begin, close in open_windows(start, hours, tz):
        if begin >= end:
            break
        total += max(timedelta(), min(close, end) - max(begin, start))
    return total / timedelta(minutes=1)


def add_business_minutes(
    start: datetime, minutes: float, hours: BusinessHours, tz: ZoneInfo = TEHRAN
) -> datetime:
    """The moment (UTC) when `minutes` open minutes have passed since `start`."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if not hours.ever_open:
        raise ValueError("these business hours are never open")
    start = _aware(start)
    left = timedelta(minutes=minutes)
    if not left:
        return start
    for begin, close in open_windows(start, hours, tz):
        available = close - max(begin, start)
        if available <= timedelta():
            continue
        if left <= available:
            return max(begin, start) + left
        left -= available
    raise ValueError(f"not enough open time within {MAX_SEARCH_DAYS} days (holidays cover everything?)")
