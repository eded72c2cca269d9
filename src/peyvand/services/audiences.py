"""Target markets and segments: saved definitions, and what each one matches in the workspace's data.

A definition's `dims` filter (`domain.audiences`) is matched against the metric series' dimensions (a
series matches when it carries one of the filter's dimensions and each one it carries is allowed) and
against the dimensions of the raw events of the last 30 days of data (the **reach**: how many events,
by event name). A target market lists the campaigns that sell to it; a segment the loops that send to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peyvand.domain.audiences import DefinitionError, check_definition, describe, matches
from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign, Item, MetricSeries
from peyvand.storage.tables_marketing import AUDIENCE_KINDS, Audience, MarketingLoop

REACH_DAYS = 30
MAX_EVENTS = 200_000


@dataclass(frozen=True)
class AudienceView:
    id: int
    kind: str
    key: str
    name: str
    name_en: str | None
    description: str | None
    dims: dict[str, Any]
    size: int | None
    series: list[str] = field(default_factory=list)
    reach: dict[str, int] = field(default_factory=dict)
    used_by: list[str] = field(default_factory=list)

    @property
    def filter_text(self) -> str:
        return describe(self.dims)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "name": self.name,
            "name_en": self.name_en,
            "filter": self.filter_text,
            "dims": self.dims,
            "size": self.size,
            "series": self.series,
            "reach_events": sum(self.reach.values()),
            "reach": self.reach,
            "used_by": self.used_by,
        }


def save_audience(store: Store, actor: Actor, data: dict[str, Any]) -> int:
    """Create or update (by kind and key) a target market or a segment."""
    require(actor, "marketing.work")
    kind = data.get("kind")
    if kind not in AUDIENCE_KINDS:
        raise InvalidInput("kind must be target_market or segment")
    if not data.get("key") or not data.get("name"):
        raise InvalidInput("a target market or segment needs a key and a name")
    names = (str(data["name"]), str(data.get("name_en") or ""))
    if len(str(data["key"])) > 64 or max(len(n) for n in names) > 300:
        raise InvalidInput("a key is at most 64 characters, a name at most 300")
    try:
        dims = check_definition(data.get("dims"))
    except DefinitionError as exc:
        raise InvalidInput(str(exc)) from None
    now = utcnow()
    with store.transaction() as session:
        ws = actor.workspace_id
        row = session.scalar(
            select(Audience).where(
                Audience.workspace_id == ws, Audience.kind == kind, Audience.key == data["key"]
            )
        )
        if row is None:
            row = Audience(workspace_id=ws, kind=kind, key=str(data["key"])[:64], created_at=now)
            session.add(row)
        row.name, row.name_en = str(data["name"]), data.get("name_en")
        row.description, row.dims, row.updated_at = data.get("description"), dims, now
        row.size = int(data["size"]) if data.get("size") is not None else None
        session.flush()
        return row.id


def _recent_events(session: Session, ws: int) -> list[tuple[str, dict[str, Any]]]:
    newest = session.scalar(
        select(func.max(Item.occurred_at)).where(
            Item.workspace_id == ws, Item.feedback == "reaction", Item.kind == "event"
        )
    )
    if newest is None:
        return []
    since: datetime = newest - timedelta(days=REACH_DAYS)
    rows = session.execute(
        select(Item.metric, Item.dims)
        .where(
            Item.workspace_id == ws,
            Item.feedback == "reaction",
            Item.kind == "event",
            Item.occurred_at > since,
        )
        .limit(MAX_EVENTS)
    )
    return [(str(name), dict(dims or {})) for name, dims in rows]


def _used_by(session: Session, ws: int) -> dict[tuple[str, str], list[str]]:
    used: dict[tuple[str, str], list[str]] = {}
    for key, details in session.execute(
        select(Campaign.key, Campaign.details).where(Campaign.workspace_id == ws)
    ):
        market = (details or {}).get("target_market_key")
        if market:
            used.setdefault(("target_market", market), []).append(key)
    loops = session.execute(
        select(MarketingLoop.key, Audience.key)
        .join(Audience, Audience.id == MarketingLoop.segment_id)
        .where(MarketingLoop.workspace_id == ws)
    )
    for loop_key, segment_key in loops:
        used.setdefault(("segment", segment_key), []).append(loop_key)
    return used


def list_audiences(store: Store, actor: Actor, *, kind: str | None = None) -> list[AudienceView]:
    """Saved target markets and segments with the series they match, their reach and who uses them."""
    require(actor, "marketing_desk.read")
    ws = actor.workspace_id
    with store.read() as session:
        query = (
            select(Audience).where(Audience.workspace_id == ws).order_by(Audience.kind.desc(), Audience.key)
        )
        if kind is not None:
            query = query.where(Audience.kind == kind)
        rows = list(session.scalars(query))
        series = list(
            session.execute(
                select(MetricSeries.key, MetricSeries.dims).where(MetricSeries.workspace_id == ws)
            )
        )
        events = _recent_events(session, ws) if rows else []
        used = _used_by(session, ws)
    out = []
    for row in rows:
        dims = dict(row.dims)
        reach = Counter(name for name, event_dims in events if matches(dims, event_dims, partial=True))
        out.append(
            AudienceView(
                row.id,
                row.kind,
                row.key,
                row.name,
                row.name_en,
                row.description,
                dims,
                row.size,
                sorted(key for key, s_dims in series if matches(dims, s_dims or {}, partial=True)),
                dict(reach.most_common()),
                used.get((row.kind, row.key), []),
            )
        )
    return out
