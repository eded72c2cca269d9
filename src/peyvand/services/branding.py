"""Branding campaigns: their reputation KPIs measured over the campaign against an equal window before it.

For each branding campaign: the share of brand mentions carrying each desired attribute (and the KPI's
target attribute) with `attribute_shift`, net sentiment with `net_sentiment_change`, the brand's share of
voice with `share_change`, and the earned reach of the campaign's PR content; each KPI target is set
beside the measured value. Kind/KPI mismatches (`domain.campaign_kpis`) are shown as warnings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peyvand.analysis.attributes import AttributeShare, AttributeShift, attribute_association, attribute_shift
from peyvand.analysis.reputation import Mention, Periods
from peyvand.analysis.reputation_compare import (
    NetSentimentChange,
    ShareChange,
    net_sentiment_change,
    share_change,
)
from peyvand.domain.campaign_kpis import KpiWarning, kpi_warnings, sentiment_target
from peyvand.services.access import Actor, NotFound, require
from peyvand.services.reputation import Comparison, campaign_comparison
from peyvand.services.reputation_data import BRAND, BrandPanel, brand_panel, latest_pr_day, load_mentions
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign, Content
from peyvand.storage.tables_reputation import ContentPickup

Pools = tuple[list[Mention], list[Mention]]  # mentions about the entities, and share-of-voice mentions


@dataclass(frozen=True)
class KpiResult:
    """One KPI: its target beside the value measured before and during the campaign."""

    key: str
    attribute: str | None
    target: float | None
    baseline: float | None
    before: float | None
    after: float | None
    difference: float | None
    p_value: float | None
    met: bool | None
    unit: str  # "share" (0–1), "points" (net sentiment, −100…100) or "count"


@dataclass(frozen=True)
class BrandingReport:
    key: str
    name: str
    name_en: str | None
    description: str | None
    starts_on: date
    ends_on: date | None
    comparison: Comparison | None
    attribute_shifts: list[AttributeShift]
    sentiment: NetSentimentChange | None
    voice: ShareChange | None
    earned: dict[str, int]
    kpis: list[KpiResult]
    warnings: list[KpiWarning]
    focus: str | None = None
    weekly: list[AttributeShare] = field(default_factory=list)
    panel: BrandPanel | None = None

    def kpi_rows(self) -> list[dict[str, Any]]:
        window = self.comparison
        return [
            {
                "campaign": self.key,
                **k.__dict__,
                "before_start": window.before.start.isoformat() if window else None,
                "after_start": window.after.start.isoformat() if window else None,
                "after_end": window.after.end.isoformat() if window else None,
            }
            for k in self.kpis
        ]


def _voice(mentions: list[Mention], comparison: Comparison, panel: BrandPanel) -> ShareChange:
    """The brand's count-based share of voice before and during (each mention counts once per entity)."""
    counts = []
    for window in (comparison.before, comparison.after):
        start, end = window.bounds(panel.tz)
        tally = Counter(e for m in mentions if start <= m.at < end for e in m.entities)
        counts.append((tally[BRAND], sum(tally.values())))
    (k1, n1), (k2, n2) = counts
    return share_change(k1, n1, k2, n2)


def _sentiment(mentions: list[Mention], comparison: Comparison, panel: BrandPanel) -> NetSentimentChange:
    counts = []
    for window in (comparison.before, comparison.after):
        start, end = window.bounds(panel.tz)
        tally = Counter(m.sentiment for m in mentions if start <= m.at < end and BRAND in m.entities)
        counts.append((tally["positive"], tally["negative"], tally["neutral"]))
    return net_sentiment_change(counts[0], counts[1])


Measured = tuple[float | None, float | None, float | None, float | None, str]


def _measured(key: str, attribute: object, report: BrandingReport) -> Measured:
    """(before, after, difference, p-value, unit) of the reputation number a KPI names."""
    shift = next((s for s in report.attribute_shifts if s.attribute == attribute), None)
    if key == "attribute_share" and shift is not None:
        before = shift.before_carrying / shift.before_mentions if shift.before_mentions else None
        after = shift.after_carrying / shift.after_mentions if shift.after_mentions else None
        return before, after, shift.difference, shift.p_value, "share"
    if key == "sentiment_index" and (s := report.sentiment) is not None:
        return s.before, s.after, s.difference, s.p_value, "points"
    if key == "share_of_voice" and (v := report.voice) is not None:
        return v.before, v.after, v.difference, v.p_value, "share"
    if key in ("earned_reach", "pickups"):
        return None, float(report.earned[key]), None, None, "count"
    return None, None, None, None, ""


def _kpi(kpi: dict[str, Any], report: BrandingReport) -> KpiResult:
    key, target, attribute = str(kpi.get("key")), kpi.get("target"), kpi.get("attribute")
    goal = None if target is None else float(target)
    if key == "sentiment_index" and goal is not None:
        goal = sentiment_target(goal)
    before, after, difference, p_value, unit = _measured(key, attribute, report)
    met = None if goal is None or after is None else after >= goal
    baseline = kpi.get("baseline")
    return KpiResult(key, attribute, goal, baseline, before, after, difference, p_value, met, unit)


def _earned(session: Session, campaign: Campaign) -> dict[str, int]:
    row = session.execute(
        select(func.count(ContentPickup.id), func.coalesce(func.sum(ContentPickup.reach), 0))
        .join(Content, Content.id == ContentPickup.content_id)
        .where(Content.campaign_id == campaign.id)
    ).one()
    return {"pickups": int(row[0] or 0), "earned_reach": int(row[1] or 0)}


@dataclass(frozen=True)
class Measures:
    """The reputation numbers of one campaign (empty before it has started in the data)."""

    comparison: Comparison | None = None
    attribute_shifts: list[AttributeShift] = field(default_factory=list)
    sentiment: NetSentimentChange | None = None
    voice: ShareChange | None = None
    focus: str | None = None
    weekly: list[AttributeShare] = field(default_factory=list)


def _focus(campaign: Campaign, panel: BrandPanel) -> str | None:
    """The attribute the campaign is about: its attribute-share KPI's, else the first desired one."""
    named = [
        str(k["attribute"]) for k in campaign.kpis if k.get("key") == "attribute_share" and k.get("attribute")
    ]
    return next(iter(named), None) or next(iter(panel.desired), None)


def _measure(campaign: Campaign, panel: BrandPanel, pools: Pools, latest: date | None) -> Measures:
    if latest is None or latest < campaign.starts_on:
        return Measures(focus=_focus(campaign, panel))
    comparison = campaign_comparison(campaign, latest)
    about, voice = pools
    before, after = comparison.before.bounds(panel.tz), comparison.after.bounds(panel.tz)
    focus = _focus(campaign, panel)
    shifts = [
        attribute_shift(
            about, attribute=a, entity=BRAND, before=before, after=after, desired=panel.is_desired(a)
        )
        for a in panel.attributes
        if panel.is_desired(a) or a == focus
    ]
    weekly = attribute_association(
        [m for m in about if before[0] <= m.at < after[1]],
        attributes=[focus] if focus else [],
        entities=[BRAND],
        desired=panel.desired,
        periods=Periods("week", panel.tz),
    )
    return Measures(
        comparison,
        shifts,
        _sentiment(about, comparison, panel),
        _voice(voice, comparison, panel),
        focus,
        weekly,
    )


def _report(session: Session, campaign: Campaign, panel: BrandPanel, pools: Pools) -> BrandingReport:
    measures = _measure(campaign, panel, pools, latest_pr_day(session, panel))
    report = BrandingReport(
        campaign.key,
        campaign.name,
        campaign.name_en,
        campaign.description,
        campaign.starts_on,
        campaign.ends_on,
        measures.comparison,
        measures.attribute_shifts,
        measures.sentiment,
        measures.voice,
        _earned(session, campaign),
        [],
        kpi_warnings(campaign.kind, campaign.kpis, attributes=panel.attributes, desired=panel.desired),
        measures.focus,
        measures.weekly,
    )
    return replace(report, kpis=[_kpi(k, report) for k in campaign.kpis], panel=panel)


def _campaigns(session: Session, workspace_id: int, key: str | None = None) -> list[Campaign]:
    query = select(Campaign).where(Campaign.workspace_id == workspace_id).order_by(Campaign.starts_on.desc())
    if key is not None:
        query = query.where(Campaign.key == key)
    return list(session.scalars(query))


@dataclass(frozen=True)
class BrandingOverview:
    campaigns: list[BrandingReport]
    mismatched: list[tuple[Campaign, list[KpiWarning]]]


def branding_campaigns(store: Store, actor: Actor) -> BrandingOverview:
    """Every branding campaign measured, and the other campaigns whose KPIs do not fit their kind."""
    require(actor, "reputation.read")
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        campaigns = _campaigns(session, actor.workspace_id)
        pools = (
            load_mentions(session, panel),
            load_mentions(session, panel, voice=True, with_attributes=False),
        )
        reports = [_report(session, c, panel, pools) for c in campaigns if c.kind == "branding"]
    others = [
        (c, kpi_warnings(c.kind, c.kpis, attributes=panel.attributes, desired=panel.desired))
        for c in campaigns
        if c.kind != "branding"
    ]
    return BrandingOverview(reports, [(c, w) for c, w in others if w])


def branding_campaign(store: Store, actor: Actor, *, key: str) -> BrandingReport:
    """One branding campaign: before/after reputation numbers and its KPIs against their targets."""
    require(actor, "reputation.read")
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        found = _campaigns(session, actor.workspace_id, key)
        if not found or found[0].kind != "branding":
            raise NotFound(f"no branding campaign {key!r}")
        pools = (
            load_mentions(session, panel),
            load_mentions(session, panel, voice=True, with_attributes=False),
        )
        return _report(session, found[0], panel, pools)
