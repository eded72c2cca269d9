"""Reading stored signals: for the marketing desk (per series, or all), and for PR (the ones shared with
it). Every role that reads the marketing desk sees them: they are aggregates, never raw events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from peyvand.services.access import Actor, require
from peyvand.storage.db import Store
from peyvand.storage.dialect import json_array_contains
from peyvand.storage.tables import MetricSeries, Signal, Workspace

YEAR_DAYS = 365


@dataclass(frozen=True)
class SignalView:
    id: int
    series_id: int
    series: str
    metric: str
    dims: dict[str, Any]
    grain: str
    start: datetime
    end: datetime
    start_day: date
    end_day: date
    direction: str
    kind: str
    effect: float
    effect_low: float | None
    effect_high: float | None
    baseline: float | None
    observed: float | None
    p_value: float
    q_value: float | None
    explanation: dict[str, Any]
    share_with: list[str]
    reasons: list[dict[str, str]]
    detected_at: datetime

    @property
    def campaigns(self) -> list[dict[str, Any]]:
        return list(self.explanation.get("campaigns", []))

    @property
    def pr_events(self) -> list[dict[str, Any]]:
        """The coinciding PR events, with their dates also as `start_day`/`end_day` for display."""
        return [
            {**e, "start_day": date.fromisoformat(e["start"]), "end_day": date.fromisoformat(e["end"])}
            for e in self.explanation.get("pr_events", [])
        ]

    @property
    def first_year(self) -> bool:
        """The change starts less than a year into its series' data, so a yearly season can pass for it."""
        days = self.explanation.get("history_days")
        return days is not None and days < YEAR_DAYS

    @property
    def other_series(self) -> list[dict[str, Any]]:
        return list(self.explanation.get("other_series", []))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "series": self.series,
            "grain": self.grain,
            "start": self.start_day.isoformat() if self.grain == "day" else self.start.isoformat(),
            "end": self.end_day.isoformat() if self.grain == "day" else self.end.isoformat(),
            "direction": self.direction,
            "kind": self.kind,
            "effect": round(self.effect, 4),
            "effect_low": None if self.effect_low is None else round(self.effect_low, 4),
            "effect_high": None if self.effect_high is None else round(self.effect_high, 4),
            "baseline": self.baseline,
            "observed": self.observed,
            "p_value": float(f"{self.p_value:.3g}"),
            "q_value": None if self.q_value is None else float(f"{self.q_value:.3g}"),
            "campaigns": [c["key"] for c in self.campaigns],
            "pr_events": [f"{e['kind']} {e['start']}…{e['end']}" for e in self.pr_events],
            "other_series": [f"{o['series']} {o['change']:+.1%}" for o in self.other_series],
            "holidays": list(self.explanation.get("holidays", [])),
            "history_days": self.explanation.get("history_days"),
            "first_year": self.first_year,
            "share_with": self.share_with,
            "reasons": [r.get("rule") for r in self.reasons],
        }


def list_signals(
    store: Store,
    actor: Actor,
    *,
    series_id: int | None = None,
    grain: str | None = None,
    shared_with: str | None = None,
    limit: int | None = None,
) -> list[SignalView]:
    """Stored signals of the workspace, newest first."""
    require(actor, "marketing_desk.read")
    ws = actor.workspace_id
    query = (
        select(Signal, MetricSeries.key, MetricSeries.metric, MetricSeries.dims)
        .join(MetricSeries, MetricSeries.id == Signal.series_id)
        .where(Signal.workspace_id == ws)
        .order_by(Signal.start.desc(), Signal.id)
    )
    if series_id is not None:
        query = query.where(Signal.series_id == series_id)
    if grain is not None:
        query = query.where(Signal.grain == grain)
    if shared_with is not None:
        query = query.where(json_array_contains(Signal.share_with, shared_with, store.dialect))
    if limit is not None:
        query = query.limit(limit)
    with store.read() as session:
        workspace = session.get(Workspace, ws)
        assert workspace is not None
        tz = ZoneInfo(workspace.timezone)
        return [_view(row, key, metric, dims, tz) for row, key, metric, dims in session.execute(query)]


def _view(row: Signal, key: str, metric: str, dims: dict[str, Any] | None, tz: ZoneInfo) -> SignalView:
    return SignalView(
        row.id,
        row.series_id,
        key,
        metric,
        dict(dims or {}),
        row.grain,
        row.start,
        row.end,
        row.start.astimezone(tz).date(),
        row.end.astimezone(tz).date(),
        row.direction,
        row.kind,
        row.effect,
        row.effect_low,
        row.effect_high,
        row.baseline,
        row.observed,
        row.p_value,
        row.q_value,
        dict(row.explanation),
        list(row.share_with),
        list(row.reasons),
        row.detected_at,
    )
