"""Reputation: the sentiment index over time, with its interval and the sample behind each point.

Formulas are in `docs/formulas-pr.md`. Everything here is a pure function of plain values: a list of
`Mention` records (what the store holds about one enriched text item) in, typed results out.

Net sentiment is the mean score of the mentions, positive = +1, neutral = 0, negative = −1, on
[−100, 100]: `(P − N) / (P + N + U) × 100`. Its 95% interval is the Bonett–Price adjusted Wald interval
for a difference of two proportions of one multinomial sample, which stays honest for small samples
(an empty period spans the whole range).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import NormalDist
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import jdatetime
import numpy as np

TEHRAN = ZoneInfo("Asia/Tehran")
SATURDAY = 5  # datetime.weekday() of Saturday: the first day of the Iranian week
Sentiment = Literal["positive", "negative", "neutral"]
SENTIMENTS: tuple[Sentiment, ...] = ("positive", "negative", "neutral")
PeriodUnit = Literal["day", "week", "month"]
GroupBy = Literal["source", "audience", "language"]


@dataclass(frozen=True, slots=True)
class AttributeHit:
    """One brand attribute found in a mention, with its polarity; `entity` None means every named entity."""

    key: str
    polarity: Sentiment = "neutral"
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """An enriched text item as the reputation, share-of-voice, attribute and spread analyses see it.

    `entities` are the brand key and/or competitor keys the item names; `reach` is the author's followers
    or the outlet's audience (None when unknown); `provisional` is true while its sentiment is a
    cold-start guess awaiting review.
    """

    at: datetime
    sentiment: Sentiment = "neutral"
    entities: tuple[str, ...] = ()
    attributes: tuple[AttributeHit, ...] = ()
    reach: int | None = None
    source: str = ""
    audience: str = ""
    language: str = ""
    provisional: bool = False
    id: str = ""
    text: str = ""
    url: str | None = None
    links: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("Mention.at must be timezone-aware")
        if self.sentiment not in SENTIMENTS:
            raise ValueError(f"sentiment must be one of {', '.join(SENTIMENTS)}, not {self.sentiment!r}")


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment


@dataclass(frozen=True, slots=True)
class Periods:
    """How moments fall into periods: day, week (starting `week_start`) or month, in local time `tz`.

    Months follow the Gregorian or the Jalali (Solar Hijri) calendar; a period is named by the Gregorian
    date of its first day.
    """

    unit: PeriodUnit = "day"
    tz: ZoneInfo = TEHRAN
    week_start: int = SATURDAY
    calendar: Literal["gregorian", "jalali"] = "gregorian"

    def local_date(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.tz).date()

    def start_of(self, day: date) -> date:
        """The first day of the period holding `day` (a local date)."""
        if self.unit == "day":
            return day
        if self.unit == "week":
            return day - timedelta(days=(day.weekday() - self.week_start) % 7)
        if self.calendar == "jalali":
            return jdatetime.date.fromgregorian(date=day).replace(day=1).togregorian()
        return day.replace(day=1)

    def following(self, start: date) -> date:
        """The first day of the period after the one starting on `start`."""
        if self.unit == "day":
            return start + timedelta(days=1)
        if self.unit == "week":
            return start + timedelta(days=7)
        if self.calendar == "jalali":
            return self.start_of(start + timedelta(days=32))
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)

    def span(self, first: date, last: date) -> list[date]:
        """Every period start from the period holding `first` to the one holding `last`."""
        starts: list[date] = []
        current, end = self.start_of(first), self.start_of(last)
        while current <= end:
            starts.append(current)
            current = self.following(current)
        return starts


def z_value(confidence: float) -> float:
    """The two-sided standard-normal quantile for `confidence` (1.959964 for 0.95)."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    z = z_value(confidence)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def net_sentiment(positive: int, negative: int, neutral: int) -> float | None:
    """`(P − N) / (P + N + U) × 100`, on [−100, 100]; None when there are no mentions."""
    total = positive + negative + neutral
    return None if total == 0 else 100 * (positive - negative) / total


def net_sentiment_interval(
    positive: int, negative: int, neutral: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Bonett–Price adjusted Wald interval for (P − N)/n, scaled to [−100, 100]."""
    n = positive + negative + neutral
    p = (positive + 1) / (n + 2)
    q = (negative + 1) / (n + 2)
    half = z_value(confidence) * math.sqrt((p + q - (p - q) ** 2) / (n + 2))
    return max(-100.0, 100 * (p - q - half)), min(100.0, 100 * (p - q + half))


@dataclass(frozen=True, slots=True)
class SentimentPoint:
    """One period of the sentiment index: the counts behind it, the index and its interval."""

    period_start: date
    group: str
    positive: int
    negative: int
    neutral: int
    volume: int
    net_sentiment: float | None
    low: float
    high: float
    provisional: int
    periods: int = 1


def sentiment_point(
    period_start: date,
    group: str,
    counts: Sequence[int],
    *,
    confidence: float = 0.95,
    periods: int = 1,
) -> SentimentPoint:
    """Build a point from `counts` = (positive, negative, neutral, provisional)."""
    positive, negative, neutral, provisional = counts
    low, high = net_sentiment_interval(positive, negative, neutral, confidence)
    return SentimentPoint(
        period_start=period_start,
        group=group,
        positive=positive,
        negative=negative,
        neutral=neutral,
        volume=positive + negative + neutral,
        net_sentiment=net_sentiment(positive, negative, neutral),
        low=low,
        high=high,
        provisional=provisional,
        periods=periods,
    )


def _group_of(mention: Mention, by: GroupBy | None) -> str:
    if by is None:
        return "all"
    return getattr(mention, by) or "unknown"


def select(mentions: Iterable[Mention], entity: str | None) -> list[Mention]:
    """The mentions naming `entity`, or all of them when `entity` is None."""
    return [m for m in mentions if entity is None or entity in m.entities]


def sentiment_index(
    mentions: Iterable[Mention],
    *,
    periods: Periods | None = None,
    by: GroupBy | None = None,
    entity: str | None = None,
    confidence: float = 0.95,
) -> list[SentimentPoint]:
    """Net sentiment per period (and per source, audience or language when `by` is given).

    Every group gets a point for every period between the first and the last mention, empty ones
    included (volume 0, no index, the full interval), ordered by group then period.
    """
    periods = periods or Periods()
    counts: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    days: list[date] = []
    for mention in select(mentions, entity):
        day = periods.local_date(mention.at)
        days.append(day)
        row = counts[_group_of(mention, by), periods.start_of(day)]
        row[SENTIMENTS.index(mention.sentiment)] += 1
        row[3] += int(mention.provisional)
    if not days:
        return []
    starts = periods.span(min(days), max(days))
    return [
        sentiment_point(start, group, counts.get((group, start), [0, 0, 0, 0]), confidence=confidence)
        for group in sorted({group for group, _ in counts})
        for start in starts
    ]


def rolling_sentiment_index(
    points: Sequence[SentimentPoint], *, window: int, confidence: float = 0.95
) -> list[SentimentPoint]:
    """Smooth an index by pooling the counts of each period with the `window − 1` periods before it.

    Pooling counts (not averaging indices) weights each period by its volume; the first points pool
    fewer periods, and `periods` on each point says how many.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    by_group: dict[str, list[SentimentPoint]] = defaultdict(list)
    for point in sorted(points, key=lambda p: (p.group, p.period_start)):
        by_group[point.group].append(point)
    smoothed: list[SentimentPoint] = []
    for group, series in by_group.items():
        for end in range(len(series)):
            pooled = series[max(0, end - window + 1) : end + 1]
            totals = [sum(getattr(p, f) for p in pooled) for f in (*SENTIMENTS, "provisional")]
            smoothed.append(
                sentiment_point(
                    series[end].period_start, group, totals, confidence=confidence, periods=len(pooled)
                )
            )
    return smoothed


@dataclass(frozen=True, slots=True)
class DailySeries:
    """A daily series for the signal engine: `dates` (numpy datetime64[D]) and float `values`."""

    name: str
    dates: np.ndarray
    values: np.ndarray

    def pairs(self) -> list[tuple[date, float]]:
        return [(d.item(), float(v)) for d, v in zip(self.dates, self.values, strict=True)]


@dataclass(frozen=True, slots=True)
class CrisisSeries:
    """Daily negative volume (every day, zeros included) and net sentiment (days with enough volume)."""

    negative_volume: DailySeries
    net_sentiment: DailySeries


def crisis_series(
    mentions: Iterable[Mention],
    *,
    entity: str | None = None,
    tz: ZoneInfo = TEHRAN,
    min_volume: int = 5,
) -> CrisisSeries:
    """Build the two daily series a crisis is read from.

    Negative volume has a value for every day from the first mention to the last. Net sentiment leaves
    out the days with fewer than `min_volume` mentions (a gap, not an invented value), since one or two
    mentions swing the index between −100 and 100.
    """
    points = sentiment_index(mentions, periods=Periods("day", tz), entity=entity)
    kept = [p for p in points if p.volume >= max(1, min_volume)]
    return CrisisSeries(
        negative_volume=DailySeries(
            "negative_volume",
            np.array([p.period_start for p in points], dtype="datetime64[D]"),
            np.array([p.negative for p in points], dtype=float),
        ),
        net_sentiment=DailySeries(
            "net_sentiment",
            np.array([p.period_start for p in kept], dtype="datetime64[D]"),
            np.array([p.net_sentiment for p in kept], dtype=float),
        ),
    )


class SupportsChange(Protocol):
    """What `crisis_candidates` reads from a signal result (an object, or a mapping with these keys)."""

    @property
    def start(self) -> object: ...

    @property
    def end(self) -> object: ...

    @property
    def direction(self) -> str: ...


Change = SupportsChange | Mapping[str, Any]


def _field(change: Change, name: str) -> Any:
    return change[name] if isinstance(change, Mapping) else getattr(change, name)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return date.fromisoformat(str(value.astype("datetime64[D]")))
    return datetime.fromisoformat(str(value)).date()


@dataclass(frozen=True, slots=True)
class CrisisCandidate:
    """A rise in negative volume and a fall in net sentiment that start within the window of each other."""

    start: date
    end: date
    lag_days: int
    negative_volume_change: Change
    net_sentiment_change: Change


def crisis_candidates(
    negative_volume_changes: Iterable[Change],
    net_sentiment_changes: Iterable[Change],
    *,
    window_days: int = 2,
) -> list[CrisisCandidate]:
    """Pair each negative-volume rise with the nearest unused net-sentiment fall ≤ `window_days` away.

    `lag_days` is the fall's start minus the rise's start; the candidate spans both changes.
    """
    rises = [c for c in negative_volume_changes if _field(c, "direction") == "rise"]
    rises.sort(key=lambda c: _as_date(_field(c, "start")))
    falls = {i: c for i, c in enumerate(net_sentiment_changes) if _field(c, "direction") == "fall"}
    found: list[CrisisCandidate] = []
    for rise in rises:
        rise_start = _as_date(_field(rise, "start"))
        lags = {i: (_as_date(_field(f, "start")) - rise_start).days for i, f in falls.items()}
        near = [(abs(lag), i) for i, lag in lags.items() if abs(lag) <= window_days]
        if not near:
            continue
        best = min(near)[1]
        fall = falls.pop(best)
        found.append(
            CrisisCandidate(
                start=min(rise_start, rise_start + timedelta(days=lags[best])),
                end=max(_as_date(_field(rise, "end")), _as_date(_field(fall, "end"))),
                lag_days=lags[best],
                negative_volume_change=rise,
                net_sentiment_change=fall,
            )
        )
    return found
