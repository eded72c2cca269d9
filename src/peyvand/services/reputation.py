"""The PR desk's reputation reports: the sentiment index, attribute association and share of voice.

Read-only services over the store; the numbers come from `peyvand.analysis.reputation`, `.attributes`
and `.share_of_voice` (formulas in docs/formulas-pr.md). Every role may read them: they are aggregates,
never message bodies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.analysis import reputation as analysis
from peyvand.analysis.attributes import AttributeShare, AttributeShift, attribute_association, attribute_shift
from peyvand.analysis.reputation import (
    SENTIMENTS,
    GroupBy,
    Mention,
    Periods,
    PeriodUnit,
    SentimentPoint,
    sentiment_index,
    sentiment_point,
)
from peyvand.analysis.share_of_voice import VoiceShare, share_of_voice
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.reputation_data import (
    BRAND,
    BrandPanel,
    DateWindow,
    brand_panel,
    latest_pr_day,
    load_mentions,
)
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign

UNITS: tuple[PeriodUnit, ...] = ("day", "week", "month")
GROUPS: tuple[GroupBy, ...] = ("source", "audience", "language")
RANGES = (30, 90, 180, 365, 0)  # days back from the newest item; 0 = all of it
Calendar = Literal["gregorian", "jalali"]


def check_unit(unit: str) -> PeriodUnit:
    if unit not in UNITS:
        raise InvalidInput(f"period must be one of {', '.join(UNITS)}")
    return cast(PeriodUnit, unit)


def check_days(days: int) -> int:
    if days not in RANGES:
        raise InvalidInput(f"range must be one of {', '.join(map(str, RANGES))} days (0: everything)")
    return days


def report_window(session: Session, panel: BrandPanel, days: int, today: date | None = None) -> DateWindow:
    """The last `days` local days up to the newest PR item (or `today`); `days` 0 reaches back to 2000."""
    end = today or latest_pr_day(session, panel) or date.today()
    start = date(2000, 1, 1) if days == 0 else end - timedelta(days=days - 1)
    return DateWindow(start, end)


def periods_for(panel: BrandPanel, unit: PeriodUnit, calendar: Calendar) -> Periods:
    return Periods(unit, panel.tz, calendar=calendar)


@dataclass(frozen=True)
class ReputationReport:
    """The brand's sentiment index per period, over the whole window, and split by source, audience or
    language."""

    panel: BrandPanel
    window: DateWindow
    unit: PeriodUnit
    by: GroupBy
    points: list[SentimentPoint]
    total: SentimentPoint
    groups: list[SentimentPoint]
    group_points: list[SentimentPoint]

    @property
    def provisional_share(self) -> float | None:
        return self.total.provisional / self.total.volume if self.total.volume else None

    def rows(self) -> list[dict[str, Any]]:
        """One row per period (group "all") and per period × group of the split."""
        return [point_row(p, self.by if p.group != "all" else None) for p in self.points + self.group_points]


def point_row(point: SentimentPoint, by: str | None) -> dict[str, Any]:
    return {
        "period_start": point.period_start.isoformat(),
        "split": by or "all",
        "group": point.group,
        "volume": point.volume,
        "positive": point.positive,
        "negative": point.negative,
        "neutral": point.neutral,
        "net_sentiment": None if point.net_sentiment is None else round(point.net_sentiment, 2),
        "low": round(point.low, 2),
        "high": round(point.high, 2),
        "provisional": point.provisional,
    }


def pooled_points(mentions: list[Mention], by: GroupBy | None, start: date) -> list[SentimentPoint]:
    """One point per group over all of `mentions` (their counts pooled), largest group first."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for mention in mentions:
        row = counts["all" if by is None else (getattr(mention, by) or "unknown")]
        row[SENTIMENTS.index(mention.sentiment)] += 1
        row[3] += int(mention.provisional)
    points = [sentiment_point(start, group, row) for group, row in counts.items()]
    return sorted(points, key=lambda p: (-p.volume, p.group))


def reputation_report(
    store: Store,
    actor: Actor,
    *,
    unit: str = "week",
    by: str = "source",
    days: int = 365,
    calendar: Calendar = "gregorian",
    today: date | None = None,
) -> ReputationReport:
    """The brand's net sentiment with its 95% interval and n, per period and split by `by`."""
    require(actor, "reputation.read")
    period_unit, days = check_unit(unit), check_days(days)
    if by not in GROUPS:
        raise InvalidInput(f"split must be one of {', '.join(GROUPS)}")
    group = cast(GroupBy, by)
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        window = report_window(session, panel, days, today)
        mentions = analysis.select(load_mentions(session, panel, window=window, with_attributes=False), BRAND)
    periods = periods_for(panel, period_unit, calendar)
    total = pooled_points(mentions, None, window.start) or [sentiment_point(window.start, "all", [0] * 4)]
    return ReputationReport(
        panel,
        window,
        period_unit,
        group,
        sentiment_index(mentions, periods=periods),
        total[0],
        pooled_points(mentions, group, window.start),
        sentiment_index(mentions, periods=periods, by=group),
    )


@dataclass(frozen=True)
class Comparison:
    """The two windows an attribute shift compares; `campaign` is the branding campaign that set them."""

    before: DateWindow
    after: DateWindow
    campaign: str | None = None
    campaign_name: str | None = None


@dataclass(frozen=True)
class AttributeReport:
    panel: BrandPanel
    window: DateWindow
    unit: PeriodUnit
    shares: list[AttributeShare]
    over_time: list[AttributeShare]
    comparison: Comparison
    shifts: list[AttributeShift]
    campaigns: list[tuple[str, str]] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        return [share_row(s) for s in self.shares + self.over_time]


def share_row(share: AttributeShare) -> dict[str, Any]:
    return {
        "attribute": share.attribute,
        "desired": share.desired,
        "entity": share.entity,
        "period_start": share.period_start.isoformat() if share.period_start else None,
        "mentions": share.mentions,
        "carrying": share.carrying,
        "share": share.share,
        "low": share.low,
        "high": share.high,
        "positive": share.positive,
        "negative": share.negative,
        "neutral": share.neutral,
    }


def campaign_comparison(campaign: Campaign, latest: date) -> Comparison:
    """The campaign's window (up to its end or the newest data) against the equal window just before it."""
    end = min(campaign.ends_on or latest, latest)
    if end < campaign.starts_on:
        raise InvalidInput(f"campaign {campaign.key!r} has not started in the data yet")
    after = DateWindow(campaign.starts_on, end)
    return Comparison(after.before(), after, campaign.key, campaign.name)


def _branding_campaigns(session: Session, workspace_id: int) -> list[Campaign]:
    return list(
        session.scalars(
            select(Campaign)
            .where(Campaign.workspace_id == workspace_id, Campaign.kind == "branding")
            .order_by(Campaign.starts_on.desc())
        )
    )


def comparison_for(compare: str, latest: date, campaigns: list[Campaign]) -> Comparison:
    """`compare` is a number of days (the last N days against the N before) or a branding campaign's key."""
    if compare.isascii() and compare.isdigit() and 0 < int(compare) <= 36_500:
        after = DateWindow(latest - timedelta(days=int(compare) - 1), latest)
        return Comparison(after.before(), after)
    campaign = next((c for c in campaigns if c.key == compare), None)
    if campaign is None:
        raise NotFound(f"no branding campaign {compare!r}")
    return campaign_comparison(campaign, latest)


def shifts_between(
    mentions: list[Mention], panel: BrandPanel, comparison: Comparison, entities: list[str]
) -> list[AttributeShift]:
    """`attribute_shift` for every attribute (desired first) and entity, over the comparison's windows."""
    before, after = comparison.before.bounds(panel.tz), comparison.after.bounds(panel.tz)
    return [
        attribute_shift(
            mentions,
            attribute=attribute,
            entity=entity,
            before=before,
            after=after,
            desired=panel.is_desired(attribute),
        )
        for attribute in panel.attributes
        for entity in entities
    ]


def attribute_report(
    store: Store,
    actor: Actor,
    *,
    unit: str = "month",
    days: int = 365,
    compare: str = "90",
    calendar: Calendar = "gregorian",
    today: date | None = None,
) -> AttributeReport:
    """Attribute shares (brand and each competitor), the brand's shares over time, and the shift test."""
    require(actor, "reputation.read")
    period_unit, days = check_unit(unit), check_days(days)
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        window = report_window(session, panel, days, today)
        campaigns = _branding_campaigns(session, actor.workspace_id)
        comparison = comparison_for(compare, window.end, campaigns)
        first = min(window.start, comparison.before.start)
        pool = load_mentions(session, panel, window=DateWindow(first, window.end))
    start, end = window.bounds(panel.tz)
    inside = [m for m in pool if start <= m.at < end]
    attributes, desired = panel.attributes, panel.desired
    over_time = periods_for(panel, period_unit, calendar)
    return AttributeReport(
        panel,
        window,
        period_unit,
        attribute_association(inside, attributes=attributes, entities=panel.entities, desired=desired),
        attribute_association(
            inside, attributes=attributes, entities=[BRAND], desired=desired, periods=over_time
        ),
        comparison,
        shifts_between(pool, panel, comparison, panel.entities),
        [(c.key, c.name) for c in campaigns],
    )


@dataclass(frozen=True)
class VoiceReport:
    panel: BrandPanel
    window: DateWindow
    unit: PeriodUnit
    total: list[VoiceShare]
    periods: list[VoiceShare]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "period_start": s.period_start.isoformat() if s.period_start else None,
                "entity": s.entity,
                "name": self.panel.entity_name(s.entity),
                "mentions": s.mentions,
                "total": s.total,
                "share": s.share,
                "low": s.low,
                "high": s.high,
                "reach": s.reach,
                "reach_share": s.reach_share,
                "reach_imputed": s.reach_imputed,
            }
            for s in self.total + self.periods
        ]


def voice_report(
    store: Store,
    actor: Actor,
    *,
    unit: str = "month",
    days: int = 365,
    calendar: Calendar = "gregorian",
    today: date | None = None,
) -> VoiceReport:
    """Count-based and reach-weighted share of voice of the brand against its competitors."""
    require(actor, "reputation.read")
    period_unit, days = check_unit(unit), check_days(days)
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        window = report_window(session, panel, days, today)
        mentions = load_mentions(session, panel, window=window, voice=True, with_attributes=False)
    periods = periods_for(panel, period_unit, calendar)
    return VoiceReport(
        panel,
        window,
        period_unit,
        share_of_voice(mentions, entities=panel.entities),
        share_of_voice(mentions, entities=panel.entities, periods=periods),
    )
