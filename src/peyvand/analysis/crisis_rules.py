"""Two rules that turn the signal engine's changes into usable crisis windows (docs/formulas-pr.md,
"Crisis detection").

`sampled_falls`: daily net sentiment is a ratio of a few mentions a day, so its day-to-day noise is mostly
sampling noise, which the engine's amount model (log-normal on past errors) does not know; a real fall
over a week of ten-mention days can stay below its false-discovery bar. For each rise in negative volume
the net sentiment of its onset (at most `onset_days` days) is therefore also compared with the 28 days
before it by the two-sample test of `reputation_compare.net_sentiment_change`, Bonferroni-corrected
over the rises; a significant fall counts as a fall in net sentiment starting the day the rise starts.

`crisis_window`: the engine places a level shift's start at its change point, which can fall a few days
before the burst, and a level shift in negative volume may last months (the conversation stays a little
more negative after a crisis); the crisis window runs from the first clearly elevated day to the last
one before negative volume has been back near its earlier level for `calm_days` days running.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peyvand.analysis.reputation import Mention, Periods
from peyvand.analysis.reputation_compare import net_sentiment_change

BEFORE_DAYS = 28


def _counts(mentions: Iterable[Mention], periods: Periods, first: date, last: date) -> tuple[int, int, int]:
    tally = Counter(m.sentiment for m in mentions if first <= periods.local_date(m.at) <= last)
    return tally["positive"], tally["negative"], tally["neutral"]


def sampled_falls(
    rise_starts: Sequence[tuple[date, date]],
    mentions: Sequence[Mention],
    *,
    tz: ZoneInfo,
    alpha: float = 0.05,
    onset_days: int = 14,
) -> list[dict[str, Any]]:
    """A fall in net sentiment for each rise (start, end) whose onset is significantly more negative than
    the 28 days before it, as a mapping `crisis_candidates` reads (with the test's numbers)."""
    periods = Periods("day", tz)
    falls = []
    for start, end in rise_starts:
        last = min(end, start + timedelta(days=onset_days - 1))
        before = _counts(mentions, periods, start - timedelta(days=BEFORE_DAYS), start - timedelta(days=1))
        change = net_sentiment_change(before, _counts(mentions, periods, start, last))
        if change.difference is None or change.p_value is None or change.difference >= 0:
            continue
        if change.p_value < alpha / max(len(rise_starts), 1):
            falls.append(
                {
                    "start": start,
                    "end": last,
                    "direction": "fall",
                    "kind": "sample_test",
                    "p_value": change.p_value,
                    "baseline": change.before,
                    "observed": change.after,
                    "difference": change.difference,
                    "low": change.low,
                    "high": change.high,
                }
            )
    return falls


def crisis_window(
    start: date, end: date, negatives: Mapping[date, float], *, calm_days: int = 3, longest: int = 60
) -> tuple[date, date]:
    """The days of the crisis the changes over [start, end] point at: from the first day in that span
    whose negative volume is clearly above the 28 days before `start` (more than max(2 × their mean,
    their mean + 3)), and the run of such days just before it (up to a week), to the last such day before
    `calm_days` days in a row back under that ceiling (at most `longest` days on). (start, end) unchanged
    when no day in the span stands out."""
    earlier = [negatives.get(start - timedelta(days=k), 0.0) for k in range(1, BEFORE_DAYS + 1)]
    usual = sum(earlier) / len(earlier)
    ceiling = max(2 * usual, usual + 3)
    span = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    first = next((day for day in span if negatives.get(day, 0.0) > ceiling), None)
    if first is None:
        return start, end
    for _ in range(7):  # a spike found on the burst's second day: its first day belongs to it too
        if negatives.get(first - timedelta(days=1), 0.0) <= ceiling:
            break
        first -= timedelta(days=1)
    last, calm = first, 0
    for k in range(1, longest + 1):
        day = first + timedelta(days=k)
        if negatives.get(day, 0.0) > ceiling:
            last, calm = day, 0
        else:
            calm += 1
        if calm == calm_days:
            break
    return first, last
