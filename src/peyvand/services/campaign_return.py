"""Campaigns and their return, measured from the stored series (docs/formulas-marketing.md §2–4).

For a marketing campaign:

- **outcome**: the daily revenue (and, for the orders lift, the daily orders) of the campaign's
  products, summed over their `revenue{"product": …}` series (the total series when it names no product);
- **control**: the same sum over the workspace's other products, when there are any (a market the
  campaign did not reach, CausalImpact-style);
- **holidays**: the signal engine's calendar (Nowruz, Yalda, Ramadan, …) as one term per holiday;
- **spend**: the sum of its `ad_spend` series (`campaign` dimension), or its budget when no ad spend was
  recorded (the page says which);
- **window**: its start to its end (or the last day of data while it runs).

Then `measure_lift`, `campaign_return` (incremental revenue, ROAS and ROI with intervals and the verdict),
`justification` against the expected return (incremental revenue, in money), and `compare_channels` from
the ad metrics per channel. A branding campaign is listed, read-only: PR judges it on reputation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.analysis.campaigns import (
    CampaignLift,
    CampaignReturn,
    ChannelComparison,
    ChannelKind,
    ChannelTotals,
    Justification,
    LiftSettings,
    NotEnoughHistory,
    campaign_return,
    compare_channels,
    justification,
    measure_lift,
)
from peyvand.analysis.signals import DEFAULT_CALENDAR
from peyvand.services.access import Actor, NotFound, require
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign, MetricPoint, MetricSeries

AD_METRICS = ("ad_spend", "ad_clicks", "ad_conversions")
HISTORY_SHOWN = 90
SETTINGS = LiftSettings(n_boot=2000, seed=0)
Daily = dict[date, float]


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    key: str
    name: str
    name_en: str | None
    kind: str
    owner_team: str
    products: list[str]
    target_market: str | None
    channels: list[dict[str, Any]]
    budget: float | None
    expected_return: float | None
    currency: str
    starts_on: date
    ends_on: date | None
    description: str | None
    kpis: list[Any]
    details: dict[str, Any]

    def label(self, locale: str) -> str:
        return self.name if locale == "fa" or not self.name_en else self.name_en


@dataclass
class CampaignResult:
    """A campaign with what was measured of it (None where it could not be, with the reason in `note`)."""

    campaign: CampaignInfo
    spend: float = 0.0
    spend_source: str = "none"  # ad_spend, budget or none
    revenue: CampaignLift | None = None
    orders: CampaignLift | None = None
    returned: CampaignReturn | None = None
    justified: Justification | None = None
    channels: ChannelComparison | None = None
    note: str | None = None
    history: list[tuple[date, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        c, r, j = self.campaign, self.returned, self.justified
        return {
            "key": c.key,
            "name": c.name,
            "name_en": c.name_en,
            "kind": c.kind,
            "owner_team": c.owner_team,
            "channels": [f"{ch.get('name')} ({ch.get('type')})" for ch in c.channels],
            "starts_on": c.starts_on.isoformat(),
            "ends_on": c.ends_on.isoformat() if c.ends_on else None,
            "budget": c.budget,
            "spend": self.spend,
            "spend_source": self.spend_source,
            "expected_return": c.expected_return,
            "incremental_revenue": r.incremental_revenue if r else None,
            "revenue_low": r.revenue_interval.low if r else None,
            "revenue_high": r.revenue_interval.high if r else None,
            "roas": r.roas if r else None,
            "roi": r.roi if r else None,
            "roi_low": r.roi_interval.low if r and r.roi_interval else None,
            "roi_high": r.roi_interval.high if r and r.roi_interval else None,
            "p_value": r.lift.p_value if r else None,
            "verdict": r.verdict.value if r else None,
            "expectation": j.outcome.value if j else None,
            "note": self.note,
        }


def _info(row: Campaign) -> CampaignInfo:
    return CampaignInfo(
        row.id,
        row.key,
        row.name,
        row.name_en,
        row.kind,
        row.owner_team,
        list(row.products),
        row.target_market,
        list(row.channels),
        row.budget,
        row.expected_return,
        row.currency,
        row.starts_on,
        row.ends_on,
        row.description,
        list(row.kpis),
        dict(row.details),
    )


@dataclass
class _Data:
    """The daily series a campaign is measured on, read once."""

    by_product: dict[str, dict[str, Daily]] = field(default_factory=lambda: defaultdict(dict))
    totals: dict[str, Daily] = field(default_factory=dict)
    ads: dict[tuple[str, str, str], Daily] = field(default_factory=dict)  # (metric, campaign, channel)


def _load(session: Session, ws: int) -> _Data:
    data = _Data()
    series = {
        s.id: s
        for s in session.scalars(select(MetricSeries).where(MetricSeries.workspace_id == ws))
        if s.metric in ("revenue", "orders", *AD_METRICS)
    }
    points = session.execute(
        select(MetricPoint.series_id, MetricPoint.local_date, MetricPoint.value_sum).where(
            MetricPoint.workspace_id == ws,
            MetricPoint.grain == "day",
            MetricPoint.series_id.in_(list(series)),
        )
    )
    for sid, day, value in points:
        if day is None:
            continue
        s, dims = series[sid], series[sid].dims
        if not dims:
            data.totals.setdefault(s.metric, {})[day] = float(value)
        elif set(dims) == {"product"} and s.metric in ("revenue", "orders"):
            data.by_product[s.metric].setdefault(str(dims["product"]), {})[day] = float(value)
        elif s.metric in AD_METRICS and "campaign" in dims:
            key = (s.metric, str(dims["campaign"]), str(dims.get("channel", "")))
            data.ads.setdefault(key, {})[day] = float(value)
    return data


def _summed(parts: list[Daily]) -> Daily:
    """Day by day sum; a day missing from any part is missing from the sum."""
    if not parts:
        return {}
    days = set(parts[0]).intersection(*parts[1:])
    return {d: sum(p[d] for p in parts) for d in sorted(days)}


def _outcome_and_control(data: _Data, metric: str, products: list[str]) -> tuple[Daily, Daily | None]:
    mine = [data.by_product[metric][p] for p in products if p in data.by_product[metric]]
    others = [v for p, v in data.by_product[metric].items() if p not in products]
    if not mine:
        return data.totals.get(metric, {}), None
    return _summed(mine), (_summed(others) or None) if others else None


def _holidays(days: list[date]) -> Mapping[date, str]:
    return {d: DEFAULT_CALENDAR.keys_on(d)[0] for d in days if DEFAULT_CALENDAR.keys_on(d)}


def _measure(outcome: Daily, control: Daily | None, start: date, end: date) -> CampaignLift:
    days = sorted(d for d in outcome if control is None or d in control)
    return measure_lift(
        days,
        [outcome[d] for d in days],
        start=start,
        end=end,
        control=[control[d] for d in days] if control is not None else None,
        holidays=_holidays(days),
        settings=SETTINGS,
    )


def _spend(data: _Data, info: CampaignInfo) -> tuple[float, str]:
    recorded = [sum(v.values()) for (m, c, _), v in data.ads.items() if m == "ad_spend" and c == info.key]
    if recorded:
        return float(sum(recorded)), "ad_spend"
    if info.budget:
        return float(info.budget), "budget"
    return 0.0, "none"


def _channels(data: _Data, info: CampaignInfo, lift: CampaignLift | None) -> ChannelComparison | None:
    totals = []
    for channel in info.channels:
        name, kind = str(channel.get("name")), ChannelKind(channel.get("type", "paid"))
        sums = [sum(data.ads.get((m, info.key, name), {}).values()) for m in AD_METRICS]
        clicks, conversions = int(sums[1]), int(min(sums[2], sums[1]))
        totals.append(ChannelTotals(name, kind, float(sums[0]), clicks, conversions))
    if not any(t.clicks for t in totals):
        return None
    return compare_channels(totals, lift=lift)


def _window(info: CampaignInfo, outcome: Daily) -> tuple[date, date] | None:
    if not outcome:
        return None
    last = max(outcome)
    end = min(info.ends_on, last) if info.ends_on else last
    return (info.starts_on, end) if end >= info.starts_on else None


def _result(data: _Data, info: CampaignInfo, detail: bool) -> CampaignResult:
    result = CampaignResult(info)
    if info.kind != "marketing":
        result.note = "branding"
        return result
    result.spend, result.spend_source = _spend(data, info)
    outcome, control = _outcome_and_control(data, "revenue", info.products)
    window = _window(info, outcome)
    if window is None:
        result.note = "not started" if outcome else "no revenue series"
        return result
    try:
        result.revenue = _measure(outcome, control, *window)
    except NotEnoughHistory as exc:
        result.note = str(exc)
        return result
    result.returned = campaign_return(result.revenue, spend=result.spend)
    if info.expected_return:
        result.justified = justification(info.expected_return, result.returned)
    if detail:
        _details(data, info, window, result)
    return result


def _details(data: _Data, info: CampaignInfo, window: tuple[date, date], result: CampaignResult) -> None:
    orders, control = _outcome_and_control(data, "orders", info.products)
    if orders:
        try:
            result.orders = _measure(orders, control, *window)
        except NotEnoughHistory:
            result.orders = None
    outcome, _ = _outcome_and_control(data, "revenue", info.products)
    first = window[0] - timedelta(days=HISTORY_SHOWN)
    result.history = [(d, v) for d, v in sorted(outcome.items()) if first <= d < window[0]]
    result.channels = _channels(data, info, result.revenue)


def campaign_results(store: Store, actor: Actor) -> list[CampaignResult]:
    """Every campaign, newest first, with its measured return (marketing) or read-only (branding)."""
    require(actor, "marketing_desk.read")
    with store.read() as session:
        rows = list(
            session.scalars(
                select(Campaign)
                .where(Campaign.workspace_id == actor.workspace_id)
                .order_by(Campaign.starts_on.desc())
            )
        )
        data = _load(session, actor.workspace_id) if rows else _Data()
    return [_result(data, _info(row), detail=False) for row in rows]


def campaign_infos(store: Store, actor: Actor) -> list[CampaignInfo]:
    """Every campaign of the workspace, without measuring anything (for the calendar strip)."""
    require(actor, "marketing_desk.read")
    with store.read() as session:
        rows = session.scalars(
            select(Campaign).where(Campaign.workspace_id == actor.workspace_id).order_by(Campaign.starts_on)
        )
        return [_info(row) for row in rows]


def campaign_result(store: Store, actor: Actor, *, key: str) -> CampaignResult:
    """One campaign with the orders lift, the daily chart's history and the channel comparison."""
    require(actor, "marketing_desk.read")
    with store.read() as session:
        row = session.scalar(
            select(Campaign).where(Campaign.workspace_id == actor.workspace_id, Campaign.key == key)
        )
        if row is None:
            raise NotFound("campaign")
        data = _load(session, actor.workspace_id)
    return _result(data, _info(row), detail=True)


def campaign_form_data(store: Store, actor: Actor, *, key: str) -> dict[str, Any]:
    """A stored campaign as the form's fields (for editing)."""
    require(actor, "marketing.work")
    with store.read() as session:
        row = session.scalar(
            select(Campaign).where(Campaign.workspace_id == actor.workspace_id, Campaign.key == key)
        )
        if row is None:
            raise NotFound("campaign")
        info = _info(row)
    return {
        "key": info.key,
        "name": info.name,
        "name_en": info.name_en or "",
        "kind": info.kind,
        "owner_team": info.owner_team,
        "products": ", ".join(info.products),
        "target_market": info.target_market or "",
        "target_market_key": info.details.get("target_market_key", ""),
        "channels": "\n".join(f"{c.get('name')}: {c.get('type')}" for c in info.channels),
        "budget": info.budget,
        "expected_return": info.expected_return,
        "currency": info.currency,
        "starts_on": info.starts_on.isoformat(),
        "ends_on": info.ends_on.isoformat() if info.ends_on else "",
        "description": info.description or "",
    }
