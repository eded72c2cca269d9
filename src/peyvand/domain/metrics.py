"""Metric series and their rollups: which series a reaction feeds, and into which hour and day.

A reaction feeds the series of its metric (or event) name with its low-cardinality dimensions, and the
total series of that name. Daily buckets are local days in the workspace's time zone; a value given with
a date only (a daily export) belongs to that date.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# Dimensions that define separate series; other dims stay on the item (high cardinality: user, page).
SERIES_DIMENSIONS = ("store", "product", "campaign", "channel", "channel_type", "region", "segment", "source")
GRAINS = ("hour", "day")


@dataclass(frozen=True)
class SeriesRef:
    metric: str
    dims: tuple[tuple[str, str], ...]
    origin: str  # metric | event

    @property
    def key(self) -> str:
        return series_key(self.metric, dict(self.dims))


@dataclass(frozen=True)
class Bucket:
    grain: str
    start: datetime  # UTC instant the bucket starts
    local_date: date


def series_key(metric: str, dims: Mapping[str, Any]) -> str:
    if not dims:
        return metric
    return metric + json.dumps(dict(sorted(dims.items())), ensure_ascii=False, separators=(",", ":"))


def series_for(name: str, dims: Mapping[str, Any], origin: str) -> list[SeriesRef]:
    picked = tuple(
        sorted((k, str(v)) for k, v in dims.items() if k in SERIES_DIMENSIONS and v not in (None, ""))
    )
    total = SeriesRef(name, (), origin)
    return [total] if not picked else [total, SeriesRef(name, picked, origin)]


def buckets_for(at: datetime, tz: ZoneInfo, *, date_only: bool) -> list[Bucket]:
    """The hour bucket (unless only a date is known) and the local-day bucket of a timestamp."""
    if date_only:
        day = at.date()
        start = datetime.combine(day, time(0), tzinfo=tz)
        return [Bucket("day", start.astimezone(ZoneInfo("UTC")), day)]
    local = at.astimezone(tz)
    hour_start = local.replace(minute=0, second=0, microsecond=0)
    day_start = datetime.combine(local.date(), time(0), tzinfo=tz)
    utc = ZoneInfo("UTC")
    return [
        Bucket("hour", hour_start.astimezone(utc), local.date()),
        Bucket("day", day_start.astimezone(utc), local.date()),
    ]


def day_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def missed_days(days: set[date], last: date, week: int = 7) -> set[date]:
    """The days a part of a reported total (a store's daily visits) missed, given the days it reported and
    the total's last day: in a silence of at most `week` days (or one at the end while it is no longer),
    a day whose weekday the part reported the week before or after. A store closed every Friday, or a part
    that reports weekly, misses nothing; a silence longer than a week is a change, not a gap."""
    ordered = sorted(days)
    out: set[date] = set()
    step = timedelta(days=week)
    for before, after in zip(ordered, [*ordered[1:], None], strict=True):
        end = after if after is not None else last + timedelta(days=1)
        silence = (end - before).days - 1
        if not 0 < silence <= week or (after is None and (last - before).days > week):
            continue
        for k in range(1, silence + 1):
            day = before + timedelta(days=k)
            if day - step in days or day + step in days:
                out.add(day)
    return out
