"""Explaining a stored signal: which campaigns were on, which PR events coincided, how the other series
moved over the same window; and rule R6, which shares a signal that coincides with a PR event with PR.

The other series' moves use one baseline for all of them, so they can be read side by side: each day of
the window is expected at the mean of the same weekday over the 28 days before the window starts, and
the move is Σ observed / Σ expected − 1 over the days that have both (at least half the window).
Helpers here take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.domain.routing import Rule, route
from peyvand.services.pr_events import PrEvent, coinciding
from peyvand.storage.tables import Campaign

BASELINE_DAYS = 28
MAX_OTHER_SERIES = 8


@dataclass(frozen=True)
class SeriesInfo:
    id: int
    key: str
    metric: str
    dims: dict[str, Any]


@dataclass
class ExplainContext:
    """What explaining needs, loaded once per run."""

    campaigns: list[dict[str, Any]]
    events: list[PrEvent]
    series: dict[int, SeriesInfo]
    daily: dict[int, dict[date, float]]
    rules: Sequence[Rule]
    signal_windows: dict[int, list[tuple[date, date]]] = field(default_factory=dict)


def campaign_facts(session: Session, workspace_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Campaign).where(Campaign.workspace_id == workspace_id).order_by(Campaign.starts_on)
    )
    return [
        {
            "key": c.key,
            "name": c.name,
            "name_en": c.name_en,
            "kind": c.kind,
            "owner_team": c.owner_team,
            "channels": [{"name": ch.get("name"), "type": ch.get("type")} for ch in c.channels],
            "starts_on": c.starts_on.isoformat(),
            "ends_on": c.ends_on.isoformat() if c.ends_on else None,
        }
        for c in rows
    ]


def active_campaigns(campaigns: Sequence[Mapping[str, Any]], start: date, end: date) -> list[dict[str, Any]]:
    """Campaigns whose run overlaps [start, end] (a campaign without an end is still running)."""
    out = []
    for c in campaigns:
        began = date.fromisoformat(c["starts_on"])
        ended = date.fromisoformat(c["ends_on"]) if c["ends_on"] else None
        if began <= end and (ended is None or ended >= start):
            out.append(dict(c))
    return out


def history_days(values: Mapping[date, float], start: date) -> int | None:
    """Days of the series' data before `start` (None without data): under a year, a yearly season (winter
    high, summer low) is not yet known to the engine and can look like a rise or fall."""
    first = min(values, default=None)
    return None if first is None else max((start - first).days, 0)


def series_move(values: Mapping[date, float], start: date, end: date) -> tuple[float, int] | None:
    """Relative move of a daily series over [start, end] against the weekday means of the 28 days before
    (see the module docstring), and the number of days it rests on; None without enough data."""
    before: dict[int, list[float]] = {}
    for offset in range(1, BASELINE_DAYS + 1):
        day = start - timedelta(days=offset)
        if day in values:
            before.setdefault(day.weekday(), []).append(values[day])
    expected_total = observed_total = 0.0
    used, length = 0, (end - start).days + 1
    for offset in range(length):
        day = start + timedelta(days=offset)
        pool = before.get(day.weekday())
        if day in values and pool:
            expected_total += sum(pool) / len(pool)
            observed_total += values[day]
            used += 1
    if used * 2 < length or expected_total <= 0:
        return None
    return observed_total / expected_total - 1, used


def _overlaps(windows: Sequence[tuple[date, date]], start: date, end: date) -> bool:
    return any(a <= end and b >= start for a, b in windows)


def other_series_moves(ctx: ExplainContext, series_id: int, start: date, end: date) -> list[dict[str, Any]]:
    moves: list[dict[str, Any]] = []
    for other_id, values in ctx.daily.items():
        if other_id == series_id or other_id not in ctx.series:
            continue
        move = series_move(values, start, end)
        if move is None:
            continue
        info = ctx.series[other_id]
        moves.append(
            {
                "series": info.key,
                "metric": info.metric,
                "change": round(move[0], 4),
                "days": move[1],
                "signal": _overlaps(ctx.signal_windows.get(other_id, []), start, end),
            }
        )
    moves.sort(key=lambda m: (not m["signal"], -abs(float(m["change"]))))
    return moves[:MAX_OTHER_SERIES]


@dataclass(frozen=True)
class Explanation:
    data: dict[str, Any]
    share_with: list[str]
    reasons: list[dict[str, str]]


def explain(
    ctx: ExplainContext,
    *,
    series_id: int,
    start: date,
    end: date,
    direction: str,
    holidays: Sequence[str] = (),
) -> Explanation:
    """The explanation of one signal over local dates [start, end], and R6's routing of it."""
    events = coinciding(ctx.events, start, end)
    info = ctx.series.get(series_id)
    data = {
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "campaigns": active_campaigns(ctx.campaigns, start, end),
        "pr_events": [e.to_json() for e in events],
        "other_series": other_series_moves(ctx, series_id, start, end),
        "holidays": list(holidays),
        "history_days": history_days(ctx.daily.get(series_id, {}), start),
    }
    facts = {
        "feedback": "signal",
        "pr_event": bool(events),
        "metric": info.metric if info else None,
        "direction": direction,
    }
    decision = route(facts, ctx.rules)
    return Explanation(data, list(decision.share_with), [r.to_dict() for r in decision.reasons])
