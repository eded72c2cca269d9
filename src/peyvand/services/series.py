"""Metric series for the marketing desk: the list, one series' rollup points, the raw events behind them,
and rebuilding the rollups from the stored reactions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from peyvand.domain.items import EventItem, MetricItem, parse_item
from peyvand.domain.metrics import buckets_for, missed_days, series_for
from peyvand.services import ingest_batch
from peyvand.services.access import Actor, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.ingest_rows import PreparedItem
from peyvand.services.understanding import load_understanding
from peyvand.services.workspaces import read_brand
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign, Item, MetricPoint, MetricSeries
from peyvand.storage.tables_marketing import Audience, MarketingLoop
from peyvand.text.normalise import has_arabic_script

GRAINS = ("day", "hour")
HEADLINE_METRICS = ("site_visits", "store_visits", "orders", "revenue", "ad_spend", "ad_clicks")


@dataclass(frozen=True)
class SeriesView:
    id: int
    key: str
    metric: str
    dims: dict[str, Any]
    origin: str
    team: str | None
    unit: str | None
    points: int


@dataclass(frozen=True)
class Point:
    start: datetime
    day: date | None
    value: float
    n: int


@dataclass(frozen=True)
class RawEvent:
    source: str
    external_id: str
    name: str | None
    occurred_at: datetime
    value: float | None
    dims: dict[str, Any]


def list_series(store: Store, actor: Actor) -> list[SeriesView]:
    require(actor, "marketing_desk.read")
    with store.read() as session:
        counts = dict(
            session.execute(
                select(MetricPoint.series_id, func.count())
                .where(MetricPoint.workspace_id == actor.workspace_id, MetricPoint.grain == "day")
                .group_by(MetricPoint.series_id)
            ).all()
        )
        rows = session.scalars(select(MetricSeries).where(MetricSeries.workspace_id == actor.workspace_id))
        views = [
            SeriesView(s.id, s.key, s.metric, s.dims, s.origin, s.team, s.unit, counts.get(s.id, 0))
            for s in rows
        ]
    return sorted(views, key=_display_order)


def _display_order(series: SeriesView) -> tuple[int, str, int, str]:
    """Headline metrics first (site and store visits, orders, revenue), each total before its breakdowns."""
    rank = (
        HEADLINE_METRICS.index(series.metric) if series.metric in HEADLINE_METRICS else len(HEADLINE_METRICS)
    )
    return rank, series.metric, 1 if series.dims else 0, series.key


def series_points(
    store: Store, actor: Actor, *, series_id: int, grain: str = "day", since: datetime | None = None
) -> list[Point]:
    """The rollup points of one series of the actor's workspace, oldest first."""
    require(actor, "marketing_desk.read")
    if grain not in GRAINS:
        raise NotFound(f"grain {grain!r}")
    with store.read() as session:
        owner = session.scalar(select(MetricSeries.workspace_id).where(MetricSeries.id == series_id))
        if owner != actor.workspace_id:
            raise NotFound("series")
        query = select(MetricPoint).where(MetricPoint.series_id == series_id, MetricPoint.grain == grain)
        if since is not None:
            query = query.where(MetricPoint.bucket_start >= since)
        rows = session.scalars(query.order_by(MetricPoint.bucket_start))
        return [Point(p.bucket_start, p.local_date, p.value_sum, p.n) for p in rows]


def incomplete_days(store: Store, actor: Actor, *, series_id: int) -> dict[date, tuple[str, ...]]:
    """The days a reported total is incomplete, each with the parts that did not report it (their
    dimension values, "tajrish"), as the signal job leaves them out (`domain.metrics.missed_days`); empty
    for a breakdown, a series of raw events (a part without events had none) or a total without parts."""
    require(actor, "marketing_desk.read")
    with store.read() as session:
        total = session.get(MetricSeries, series_id)
        if total is None or total.workspace_id != actor.workspace_id:
            raise NotFound("series")
        if total.dims or total.origin != "metric":
            return {}
        parts = {
            s.id: " · ".join(str(v) for _, v in sorted(s.dims.items()))
            for s in session.scalars(
                select(MetricSeries).where(
                    MetricSeries.workspace_id == actor.workspace_id,
                    MetricSeries.metric == total.metric,
                    MetricSeries.origin == total.origin,
                )
            )
            if s.dims
        }
        last = session.scalar(
            select(func.max(MetricPoint.local_date)).where(
                MetricPoint.series_id == series_id, MetricPoint.grain == "day"
            )
        )
        if not parts or last is None:
            return {}
        reported: dict[int, set[date]] = {sid: set() for sid in parts}
        rows = session.execute(
            select(MetricPoint.series_id, MetricPoint.local_date).where(
                MetricPoint.series_id.in_(list(parts)), MetricPoint.grain == "day"
            )
        )
        for sid, day in rows:
            if day is not None:
                reported[sid].add(day)
    out: dict[date, list[str]] = {}
    for sid, days in reported.items():
        for day in missed_days(days, last):
            out.setdefault(day, []).append(parts[sid])
    return {day: tuple(sorted(names)) for day, names in sorted(out.items())}


def dimension_names(store: Store, actor: Actor, locale: str) -> dict[tuple[str, str], str]:
    """Names people know the workspace's keys by, in `locale`: products by the first of their brand names
    written in that language's script («چای سیاه لاهیجان», "Lahijan black tea") and stores likewise;
    campaigns, target markets, segments and loops by their name; brand attributes by their label. Other
    values (channels, age bands) are translated where the catalogue names them (`web.i18n.series_label`).
    Scoped to the actor's workspace."""
    persian = locale == "fa"
    with store.read() as session:
        brand = read_brand(session, actor.workspace_id)
        campaigns = session.execute(
            select(Campaign.key, Campaign.name, Campaign.name_en).where(
                Campaign.workspace_id == actor.workspace_id
            )
        ).all()
        audiences = session.execute(
            select(Audience.kind, Audience.key, Audience.name, Audience.name_en).where(
                Audience.workspace_id == actor.workspace_id
            )
        ).all()
        loops = session.execute(
            select(MarketingLoop.key, MarketingLoop.name, MarketingLoop.name_en).where(
                MarketingLoop.workspace_id == actor.workspace_id
            )
        ).all()
    names: dict[tuple[str, str], str] = {}
    for dimension, entities in (("product", brand.products), ("store", brand.stores)):
        for entity in entities:
            written = [n for n in entity.names if has_arabic_script(n) == persian]
            names[(dimension, entity.key)] = written[0] if written else entity.names[0]
    named = [*(("campaign", *row) for row in campaigns), *audiences, *(("loop", *row) for row in loops)]
    for kind, key, name, name_en in named:  # campaigns, target markets, segments, loops
        names[(kind, key)] = name if persian or not name_en else name_en
    for attribute in brand.attributes:
        names[("attribute", attribute.key)] = attribute.label(locale)
    return names


def recent_raw(store: Store, actor: Actor, *, limit: int = 50) -> tuple[int, list[RawEvent]]:
    """The raw reactions behind the series (marketing's raw-data view): how many, and the latest."""
    require(actor, "marketing.raw")
    base = select(Item).where(Item.workspace_id == actor.workspace_id, Item.feedback == "reaction")
    with store.read() as session:
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = session.scalars(base.order_by(Item.occurred_at.desc(), Item.id.desc()).limit(limit))
        return total, [
            RawEvent(i.source, i.external_id, i.metric, i.occurred_at, i.value, i.dims) for i in rows
        ]


def rebuild_rollups(store: Store, actor: Actor) -> int:
    """Recompute every hourly and daily bucket of the workspace from its stored reactions."""
    require(actor, "marketing.raw")
    now = utcnow()
    with store.transaction() as session:
        ctx = load_understanding(session, actor.workspace_id)
        session.execute(delete(MetricPoint).where(MetricPoint.workspace_id == actor.workspace_id))
        query = select(Item.raw, Item.team, Item.unit, Item.value).where(
            Item.workspace_id == actor.workspace_id, Item.feedback == "reaction"
        )
        batch: list[PreparedItem] = []
        count = 0
        for raw, team, unit, value in session.execute(query.execution_options(yield_per=2000)):
            item = parse_item(raw)
            assert isinstance(item, MetricItem | EventItem)
            name = item.metric if isinstance(item, MetricItem) else item.event
            batch.append(
                PreparedItem(
                    row={"team": team, "unit": unit, "value": value},
                    series=series_for(name, item.dims, item.kind),
                    buckets=buckets_for(item.at, ctx.tz, date_only=item.date_only),
                )
            )
            count += 1
            if len(batch) >= 2000:
                ingest_batch.add_rollups(session, store.dialect, actor.workspace_id, batch, now)
                batch = []
        ingest_batch.add_rollups(session, store.dialect, actor.workspace_id, batch, now)
    return count


def window_days(store: Store, workspace_id: int, metric: str, start: date, end: date) -> dict[date, float]:
    """The daily values of the total series of `metric` over local days [start, end) (days with data)."""
    with store.read() as session:
        rows = session.execute(
            select(MetricPoint.local_date, func.sum(MetricPoint.value_sum))
            .join(MetricSeries, MetricSeries.id == MetricPoint.series_id)
            .where(
                MetricSeries.workspace_id == workspace_id,
                MetricSeries.key == metric,
                MetricPoint.grain == "day",
                MetricPoint.local_date >= start,
                MetricPoint.local_date < end,
            )
            .group_by(MetricPoint.local_date)
        ).all()
        return {day: float(value) for day, value in rows if day is not None}


def latest_day(store: Store, workspace_id: int) -> date | None:
    with store.read() as session:
        return session.scalar(
            select(func.max(MetricPoint.local_date)).where(
                MetricPoint.workspace_id == workspace_id, MetricPoint.grain == "day"
            )
        )


def days_back(day: date, n: int) -> date:
    return day - timedelta(days=n)
