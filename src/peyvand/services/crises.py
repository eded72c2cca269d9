"""Crisis alerts: the signal engine over the brand's daily negative volume and net sentiment.

`detect_crises` (run by a job after every ingest, and on demand) builds the two daily series
(`analysis.reputation.crisis_series`), runs the signal engine on both with one false-discovery control
(`signals.detect_many`), pairs a rise in negative volume with a fall in net sentiment
(`crisis_candidates`) and opens a **suggested** crisis for each new pair. PR confirms or dismisses it
(`decide_crisis`) and closes a confirmed one when it is over; a dismissed or closed crisis is never
reopened by a later run. Net sentiment is signed (−100 … 100) while the engine's amount tests are on
the log scale, so the engine sees net sentiment + 200 (100 … 300); the evidence reports points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.analysis.crisis_rules import crisis_window, sampled_falls
from peyvand.analysis.reputation import (
    CrisisCandidate,
    DailySeries,
    Mention,
    Periods,
    crisis_candidates,
    crisis_series,
    net_sentiment,
    net_sentiment_interval,
    sentiment_index,
)
from peyvand.analysis.signals import Change, Series, detect_many
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.reputation_data import (
    BRAND,
    BrandPanel,
    DateWindow,
    brand_panel,
    latest_pr_day,
    load_mentions,
)
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry
from peyvand.storage.tables_reputation import Crisis

NET_SHIFT = 200.0
DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed", "close": "closed"}
ALLOWED_FROM = {
    "confirm": ("suggested", "dismissed"),
    "dismiss": ("suggested", "confirmed"),
    "close": ("confirmed",),
}


@dataclass(frozen=True)
class CrisisView:
    id: int
    start: date
    end: date
    status: str
    evidence: dict[str, Any]
    note: str | None
    detected_at: datetime
    decided_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "status": self.status,
            "note": self.note,
            "detected_at": self.detected_at.isoformat(),
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            **{f"evidence_{k}": v for k, v in self.evidence.items() if not isinstance(v, dict)},
        }


def _view(row: Crisis) -> CrisisView:
    return CrisisView(
        row.id, row.start, row.end, row.status, dict(row.evidence), row.note, row.detected_at, row.decided_at
    )


@dataclass
class DetectionResult:
    """What one run found: the changes in each series, the candidates, and the crises opened or updated."""

    negative_volume_changes: int = 0
    net_sentiment_changes: int = 0
    candidates: int = 0
    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)


def engine_series(series: DailySeries, shift: float) -> Series:
    pairs = series.pairs()
    return Series([d for d, _ in pairs], [v + shift for _, v in pairs], key=series.name, count=shift == 0)


def _change_json(change: Change | Mapping[str, Any], shift: float) -> dict[str, Any]:
    """A change as evidence: the engine's (net sentiment shifted back to points) or a sampled fall."""
    if not isinstance(change, Change):
        data = dict(change)
        data["start"], data["end"] = data["start"].isoformat(), data["end"].isoformat()
        return data
    data = change.to_dict()
    data["start"], data["end"] = change.start.date().isoformat(), change.end.date().isoformat()
    data["baseline"] = round(change.baseline - shift, 2)
    data["observed"] = round(change.observed - shift, 2)
    return data


def _window_numbers(mentions: list[Mention], panel: BrandPanel, window: DateWindow) -> dict[str, Any]:
    start, end = window.bounds(panel.tz)
    inside = [m for m in mentions if start <= m.at < end]
    counts = Counter(m.sentiment for m in inside)
    p, n, u = counts["positive"], counts["negative"], counts["neutral"]
    low, high = net_sentiment_interval(p, n, u)
    net = net_sentiment(p, n, u)
    return {
        "mentions": len(inside),
        "negative": n,
        "net_sentiment": None if net is None else round(net, 1),
        "net_low": round(low, 1),
        "net_high": round(high, 1),
        "negative_per_day": round(n / window.days, 2),
        "sources": dict(Counter(m.source for m in inside if m.sentiment == "negative").most_common(6)),
    }


def _evidence(candidate: CrisisCandidate, mentions: list[Mention], panel: BrandPanel) -> dict[str, Any]:
    window = DateWindow(candidate.start, candidate.end)
    before = DateWindow(candidate.start - timedelta(days=28), candidate.start - timedelta(days=1))
    during, earlier = _window_numbers(mentions, panel, window), _window_numbers(mentions, panel, before)
    rise, fall = candidate.negative_volume_change, candidate.net_sentiment_change
    return {
        "lag_days": candidate.lag_days,
        **{k: v for k, v in during.items() if k != "sources"},
        "negative_per_day_before": earlier["negative_per_day"],
        "net_sentiment_before": earlier["net_sentiment"],
        "negative_sources": during["sources"],
        "negative_volume_change": _change_json(cast(Change, rise), 0.0),
        "net_sentiment_change": _change_json(cast(Change | Mapping[str, Any], fall), NET_SHIFT),
    }


def _record(
    session: Session, ws: int, candidate: CrisisCandidate, evidence: dict[str, Any]
) -> tuple[str, int]:
    """Open a suggested crisis, or update the one it overlaps (dismissed and closed ones are left alone)."""
    now = utcnow()
    row = session.scalar(
        select(Crisis)
        .where(Crisis.workspace_id == ws, Crisis.start <= candidate.end, Crisis.end >= candidate.start)
        .order_by(Crisis.start)
        .limit(1)
    )
    if row is None:
        row = Crisis(
            workspace_id=ws,
            start=candidate.start,
            end=candidate.end,
            status="suggested",
            evidence=evidence,
            detected_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return "opened", row.id
    if row.status in ("dismissed", "closed"):
        return "kept", row.id
    row.end = max(row.end, candidate.end)
    row.evidence, row.updated_at = evidence, now
    return "updated", row.id


def _merged(candidates: list[CrisisCandidate]) -> list[CrisisCandidate]:
    """Overlapping candidates (a spike and a level shift of the same burst) as one, spanning them all."""
    merged: list[CrisisCandidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if merged and candidate.start <= merged[-1].end:
            merged[-1] = replace(merged[-1], end=max(merged[-1].end, candidate.end))
        else:
            merged.append(candidate)
    return merged


def find_candidates(
    mentions: list[Mention], panel: BrandPanel, *, min_volume: int = 5, window_days: int = 2
) -> tuple[list[CrisisCandidate], DetectionResult]:
    """The crisis windows in the brand's mentions: the engine's changes in both daily series, the
    sampled falls of net sentiment (`crisis_rules.sampled_falls`), paired and trimmed."""
    daily = crisis_series(mentions, entity=BRAND, tz=panel.tz, min_volume=min_volume)
    changes = detect_many(
        {
            "negative_volume": engine_series(daily.negative_volume, 0.0),
            "net_sentiment": engine_series(daily.net_sentiment, NET_SHIFT),
        }
    )
    rises = [(c.start.date(), c.end.date()) for c in changes["negative_volume"] if c.direction == "rise"]
    falls: list[Change | dict[str, Any]] = [
        *changes["net_sentiment"],
        *sampled_falls(rises, mentions, tz=panel.tz),
    ]
    found = crisis_candidates(changes["negative_volume"], falls, window_days=window_days)
    negatives = dict(daily.negative_volume.pairs())
    windows = [crisis_window(c.start, c.end, negatives) for c in found]
    candidates = _merged([replace(c, start=w[0], end=w[1]) for c, w in zip(found, windows, strict=True)])
    summary = DetectionResult(len(changes["negative_volume"]), len(falls), len(candidates))
    return candidates, summary


def detect_crises(
    store: Store, actor: Actor, *, min_volume: int = 5, window_days: int = 2
) -> DetectionResult:
    """Run crisis detection over the brand's whole history and record what it finds."""
    require(actor, "reputation.refresh")
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        mentions = [m for m in load_mentions(session, panel, with_attributes=False) if BRAND in m.entities]
    candidates, result = find_candidates(mentions, panel, min_volume=min_volume, window_days=window_days)
    with store.transaction() as session:
        for candidate in candidates:
            outcome, crisis_id = _record(
                session, actor.workspace_id, candidate, _evidence(candidate, mentions, panel)
            )
            {"opened": result.opened, "updated": result.updated}.get(outcome, []).append(crisis_id)
    return result


def list_crises(store: Store, actor: Actor) -> list[CrisisView]:
    """Every crisis of the workspace, newest first."""
    require(actor, "reputation.read")
    with store.read() as session:
        rows = session.scalars(
            select(Crisis).where(Crisis.workspace_id == actor.workspace_id).order_by(Crisis.start.desc())
        )
        return [_view(row) for row in rows]


def decide_crisis(
    store: Store, actor: Actor, *, crisis_id: int, decision: str, note: str | None = None
) -> CrisisView:
    """Confirm, dismiss or close a crisis (PR's call), with an optional note; kept in the audit log."""
    require(actor, "reputation.work")
    if decision not in DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}")
    with store.transaction() as session:
        row = session.get(Crisis, crisis_id)
        if row is None or row.workspace_id != actor.workspace_id:
            raise NotFound("crisis")
        if row.status not in ALLOWED_FROM[decision]:
            raise InvalidInput(f"a {row.status} crisis cannot be given the decision {decision!r}")
        now = utcnow()
        row.status, row.decided_at, row.decided_by = DECISIONS[decision], now, actor.user_id
        row.updated_at = now
        if note is not None and note.strip():
            row.note = note.strip()[:2000]
        session.add(
            AuditEntry(
                workspace_id=actor.workspace_id,
                user_id=actor.user_id,
                action=f"crisis.{decision}",
                target=str(row.id),
                details={"start": row.start.isoformat(), "end": row.end.isoformat()},
                at=now,
            )
        )
        session.flush()
        return _view(row)


@dataclass(frozen=True)
class CrisisState:
    """What the exchange shows: `confirmed` while a confirmed crisis is open, else `suggested` while a
    suggestion awaits PR's decision, else `calm`; `crisis` is the one it is about."""

    status: str
    crisis: CrisisView | None
    waiting: int = 0


def crisis_state(store: Store, actor: Actor) -> CrisisState:
    require(actor, "reputation.read")
    crises = list_crises(store, actor)
    confirmed = [c for c in crises if c.status == "confirmed"]
    suggested = [c for c in crises if c.status == "suggested"]
    if confirmed:
        return CrisisState("confirmed", confirmed[0], len(suggested))
    if suggested:
        return CrisisState("suggested", suggested[0], len(suggested))
    return CrisisState("calm", None)


def crisis_daily(
    store: Store, actor: Actor, *, days: int = 180, since: date | None = None
) -> list[tuple[date, int, int]]:
    """(local day, negative mentions, all mentions) of the brand for the last `days` days of data, or
    from `since` when that is earlier (the page passes two weeks before its oldest crisis, so every
    crisis window is on the chart)."""
    require(actor, "reputation.read")
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        newest = latest_pr_day(session, panel)
        if newest is None:
            return []
        first = newest - timedelta(days=days - 1)
        window = DateWindow(min(first, since) if since else first, newest)
        mentions = [
            m
            for m in load_mentions(session, panel, window=window, with_attributes=False)
            if BRAND in m.entities
        ]
    points = sentiment_index(mentions, periods=Periods("day", panel.tz))
    return [(p.period_start, p.negative, p.volume) for p in points]
