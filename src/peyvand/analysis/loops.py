"""Loops (nurture sequences): touches to conversion, drop-off per step, time to conversion, and when to pause.

A contact enters a loop at its first event there and converts at its first conversion after entering.
Contacts who have not converted are censored, not failed: they count in the Kaplan-Meier curves for as
long as they were watched, and contacts whose latest step is too recent to judge are "in progress",
outside the drop-off denominator.
Formulas: docs/formulas-marketing.md §5 (`analyse_loop`, `conversion_by_loop`, `should_pause`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import numpy as np

from peyvand.analysis.campaigns.intervals import Interval, Proportion, wilson_interval, z_value

QUANTILES = (0.25, 0.5, 0.75, 0.9)


class LoopEventType(StrEnum):
    SEND = "send"
    OPEN = "open"
    CLICK = "click"
    CONVERT = "convert"
    UNSUBSCRIBE = "unsubscribe"


@dataclass(frozen=True)
class Loop:
    """An ordered list of steps sent to a segment until conversion. A `crisis_safe` loop (order updates,
    service messages) keeps running during a crisis; the rest pause."""

    key: str
    steps: tuple[str, ...]
    crisis_safe: bool = False


@dataclass(frozen=True)
class LoopEvent:
    """One thing that happened to a contact in a loop; `value` is the order value of a conversion. A
    conversion or unsubscribe may name neither step nor loop: it then counts for every loop the contact is
    in, at the last step sent before it."""

    contact: str
    step: str | None
    type: LoopEventType
    at: datetime
    loop: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class CurvePoint:
    """Kaplan-Meier share converted by `at` (touches or days), with its Greenwood interval."""

    at: float
    converted: float
    interval: Interval
    at_risk: int


@dataclass(frozen=True)
class ConversionDistribution:
    """How many touches (or days) conversion took: among converters, and over everyone with censoring."""

    unit: str
    converters: int
    censored: int
    quantiles: tuple[tuple[float, float], ...]
    curve: tuple[CurvePoint, ...]
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        """Median among converters."""
        return dict(self.quantiles).get(0.5)

    @property
    def km_median(self) -> float | None:
        """Touches (days) by which half of all entrants are estimated to convert; None if never reached."""
        return next((p.at for p in self.curve if p.converted >= 0.5), None)


@dataclass(frozen=True)
class StepFunnel:
    """Of the contacts who reached a step: who opened, clicked, converted there, went on, or dropped."""

    step: str
    position: int
    reached: int
    in_progress: int
    opened: Proportion
    clicked: Proportion
    converted: Proportion
    unsubscribed: Proportion
    continued: Proportion | None
    dropped: Proportion


@dataclass(frozen=True)
class LoopReport:
    loop: str
    as_of: datetime | None
    contacts: int
    converted: Proportion
    conversion_value: float
    touches: ConversionDistribution
    days: ConversionDistribution
    steps: tuple[StepFunnel, ...]


@dataclass(frozen=True)
class PauseDecision:
    pause: bool
    rule: str
    reason: dict[str, str]

    def sentence(self, locale: str = "fa") -> str:
        return self.reason.get(locale) or self.reason["en"]


@dataclass(eq=False)
class _Journey:
    entry: datetime
    sends: list[datetime] = field(default_factory=list)
    reached: dict[str, datetime] = field(default_factory=dict)
    opened: set[str] = field(default_factory=set)
    clicked: set[str] = field(default_factory=set)
    conversion: datetime | None = None
    conversion_step: str | None = None
    conversion_value: float = 0.0
    left: datetime | None = None
    left_step: str | None = None

    @property
    def touches(self) -> float:
        """Sends up to conversion; one who unsubscribed stays at risk for ever, never converting here."""
        if self.conversion is not None:
            return float(sum(1 for sent in self.sends if sent <= self.conversion))
        return math.inf if self.left is not None else float(len(self.sends))


def analyse_loop(
    loop: Loop,
    events: Iterable[LoopEvent],
    *,
    as_of: datetime | None = None,
    settle_days: float = 7.0,
    level: float = 0.95,
) -> LoopReport:
    """Touches to conversion, time to conversion and the per-step funnel of one loop (`analyse_loop`).

    `as_of` is when the data was taken (default: the latest event of the loop); a contact whose latest
    step came less than `settle_days` before it is in progress at that step, not dropped.
    """
    mine = sorted((e for e in events if _belongs(e, loop)), key=_order)
    journeys = _journeys(loop, mine)
    as_of = as_of or (mine[-1].at if mine else None)
    converted = sum(1 for j in journeys.values() if j.conversion is not None)
    touch_pairs = [(j.touches, j.conversion is not None) for j in journeys.values()]
    day_pairs = [(_days(j, as_of), j.conversion is not None) for j in journeys.values()]
    settled_before = as_of - timedelta(days=settle_days) if as_of else None
    steps = tuple(_funnel(loop, k, journeys, settled_before, level) for k in range(len(loop.steps)))
    return LoopReport(
        loop=loop.key,
        as_of=as_of,
        contacts=len(journeys),
        converted=wilson_interval(converted, len(journeys), level),
        conversion_value=sum(j.conversion_value for j in journeys.values()),
        touches=_distribution("touches", touch_pairs, level),
        days=_distribution("days", day_pairs, level),
        steps=steps,
    )


def conversion_by_loop(
    loops: Sequence[Loop], events: Sequence[LoopEvent], *, as_of: datetime | None = None, level: float = 0.95
) -> tuple[LoopReport, ...]:
    """`analyse_loop` for each loop, best conversion rate first (loops with no contacts last)."""
    reports = [analyse_loop(loop, events, as_of=as_of, level=level) for loop in loops]
    return tuple(sorted(reports, key=lambda r: -1.0 if r.converted.rate is None else -r.converted.rate))


def should_pause(loop: Loop, crisis_active: bool) -> PauseDecision:
    """Pause a loop's sends while PR has a crisis open, unless the loop is marked crisis-safe."""
    if not crisis_active:
        return PauseDecision(False, "no_crisis", {"en": "No crisis is active.", "fa": "بحرانی فعال نیست."})
    if loop.crisis_safe:
        return PauseDecision(
            False,
            "crisis_safe",
            {
                "en": "A crisis is active, but this loop is marked safe to run during one.",
                "fa": "بحران فعال است، اما این حلقه برای اجرا در بحران امن علامت خورده است.",
            },
        )
    return PauseDecision(
        True,
        "crisis_active",
        {
            "en": "A crisis is active: pause promotional sends until PR closes it.",
            "fa": "بحران فعال است: ارسال‌های تبلیغاتی را تا بسته شدن بحران توسط روابط عمومی متوقف کنید.",
        },
    )


def _order(event: LoopEvent) -> tuple[datetime, bool]:
    """Sort key: the moment (aware times compared in UTC, cheaply), a conversion after a send at the same
    moment."""
    at = event.at
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at, event.type is LoopEventType.CONVERT


def _belongs(event: LoopEvent, loop: Loop) -> bool:
    if event.loop is not None:
        return event.loop == loop.key
    if event.type in (LoopEventType.CONVERT, LoopEventType.UNSUBSCRIBE) and event.step is None:
        return True
    return event.step in loop.steps


def _journeys(loop: Loop, events: Sequence[LoopEvent]) -> dict[str, _Journey]:
    """Each contact's path through the loop, from events sorted by time."""
    journeys: dict[str, _Journey] = {}
    for event in events:
        journey = journeys.get(event.contact)
        if event.type in (LoopEventType.CONVERT, LoopEventType.UNSUBSCRIBE):
            if journey is not None and journey.conversion is None and journey.left is None:
                _leave(journey, event)
            continue
        if event.step not in loop.steps:
            continue
        journey = journeys.setdefault(event.contact, _Journey(entry=event.at))
        journey.reached.setdefault(event.step, event.at)
        if event.type is LoopEventType.SEND:
            journey.sends.append(event.at)
            journey.reached[event.step] = event.at
        elif event.type is LoopEventType.OPEN:
            journey.opened.add(event.step)
        elif event.type is LoopEventType.CLICK:
            journey.clicked.add(event.step)
    return journeys


def _leave(journey: _Journey, event: LoopEvent) -> None:
    """A conversion or an unsubscribe ends the contact's journey through the loop."""
    step = event.step or _last_sent_step(journey)
    if event.type is LoopEventType.CONVERT:
        journey.conversion, journey.conversion_step = event.at, step
        journey.conversion_value = event.value or 0.0
    else:
        journey.left, journey.left_step = event.at, step


def _last_sent_step(journey: _Journey) -> str | None:
    return max(journey.reached, key=lambda step: journey.reached[step]) if journey.reached else None


def _days(journey: _Journey, as_of: datetime | None) -> float:
    """Days from entry to conversion, or to `as_of` (still watched, or unsubscribed and kept at risk)."""
    end = journey.conversion or as_of or journey.entry
    return max(0.0, (end - journey.entry).total_seconds() / 86400.0)


def _funnel(
    loop: Loop, index: int, journeys: dict[str, _Journey], settled_before: datetime | None, level: float
) -> StepFunnel:
    step = loop.steps[index]
    following = loop.steps[index + 1] if index + 1 < len(loop.steps) else None
    reached = [j for j in journeys.values() if step in j.reached]
    went_on = [j for j in reached if following is not None and following in j.reached]
    converted = [j for j in reached if j.conversion_step == step]
    left = [j for j in reached if j.left_step == step]
    stopped = [j for j in reached if not (following and following in j.reached) and j.conversion is None]
    in_progress = [
        j
        for j in stopped
        if j.left is None and settled_before is not None and j.reached[step] > settled_before
    ]
    judged = len(reached) - len(in_progress)
    return StepFunnel(
        step=step,
        position=index + 1,
        reached=len(reached),
        in_progress=len(in_progress),
        opened=wilson_interval(sum(1 for j in reached if step in j.opened), len(reached), level),
        clicked=wilson_interval(sum(1 for j in reached if step in j.clicked), len(reached), level),
        converted=wilson_interval(len(converted), len(reached), level),
        unsubscribed=wilson_interval(len(left), len(reached), level),
        continued=wilson_interval(len(went_on), judged, level) if following is not None else None,
        dropped=wilson_interval(len(stopped) - len(in_progress), judged, level),
    )


def _distribution(unit: str, pairs: Sequence[tuple[float, bool]], level: float) -> ConversionDistribution:
    durations = np.array([d for d, _ in pairs], dtype=float)
    converted = np.array([c for _, c in pairs], dtype=bool)
    among = durations[converted]
    quantiles: tuple[tuple[float, float], ...] = ()
    if len(among):
        values = np.quantile(among, QUANTILES, method="inverted_cdf" if unit == "touches" else "linear")
        quantiles = tuple((q, float(v)) for q, v in zip(QUANTILES, values, strict=True))
    counts = dict(sorted(Counter(int(d) for d in among).items())) if unit == "touches" else {}
    curve = _kaplan_meier(durations, converted, level)
    return ConversionDistribution(
        unit, int(converted.sum()), int((~converted).sum()), quantiles, curve, counts
    )


def _kaplan_meier(durations: np.ndarray, converted: np.ndarray, level: float) -> tuple[CurvePoint, ...]:
    """Share converted by each conversion time, counting censored contacts while they were watched."""
    times, events = np.unique(durations[converted], return_counts=True)
    at_risk = len(durations) - np.searchsorted(np.sort(durations), times, side="left")
    survival = np.cumprod(1.0 - events / at_risk)
    safe = np.where(at_risk > events, at_risk * (at_risk - events), 1)
    greenwood = np.cumsum(np.where(at_risk > events, events / safe, 0.0))
    half = z_value(level) * survival * np.sqrt(greenwood)
    share = 1.0 - survival
    low, high = np.clip(share - half, 0.0, 1.0), np.clip(share + half, 0.0, 1.0)
    return tuple(
        CurvePoint(float(t), float(f), Interval(float(lo), float(hi), level), int(n))
        for t, f, lo, hi, n in zip(times, share, low, high, at_risk, strict=True)
    )
