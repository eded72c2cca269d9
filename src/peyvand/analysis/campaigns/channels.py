"""Paid against free channels: cost per click and per conversion, conversion rate with its Wilson interval,
and, when a measured lift is given, each channel's share of it under a stated attribution rule.

Attribution here is an assumption, not a measurement: the campaign's lift is measured once, for all its
channels together; splitting it by credited conversions or by spend says how the lift *would* divide if
every credited conversion (or every unit of money) were equally incremental. Measuring a channel's own
lift needs its own experiment or a marketing-mix model.
Formulas: docs/formulas-marketing.md §4 (`compare_channels`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from peyvand.analysis.campaigns.intervals import Interval, Proportion, newcombe_difference, wilson_interval
from peyvand.analysis.campaigns.lift import CampaignLift

Attribution = Literal["conversions", "spend"]

ASSUMPTIONS: dict[str, str] = {
    "conversions": (
        "The measured lift is split in proportion to the conversions each channel was credited with "
        "(by the source's own rule, often last touch). This assumes every credited conversion was equally "
        "incremental; it is an assumption, not a measurement."
    ),
    "spend": (
        "The measured lift is split in proportion to spend. This assumes every unit of money was equally "
        "effective and gives free channels no share; it is an assumption, not a measurement."
    ),
}


class ChannelKind(StrEnum):
    PAID = "paid"
    OWNED = "owned"
    EARNED = "earned"


@dataclass(frozen=True)
class ChannelTotals:
    """What one channel of a campaign cost and brought over the campaign window."""

    name: str
    kind: ChannelKind
    spend: float
    clicks: int
    conversions: int


@dataclass(frozen=True)
class ChannelReport:
    name: str
    kind: ChannelKind
    spend: float
    clicks: int
    conversions: int
    cost_per_click: float | None
    cost_per_conversion: float | None
    conversion_rate: Proportion
    lift_share: float | None = None
    attributed_lift: float | None = None
    attributed_interval: Interval | None = None


@dataclass(frozen=True)
class GroupTotals:
    """Paid channels together, or free (owned and earned) channels together."""

    spend: float
    clicks: int
    conversions: int
    cost_per_conversion: float | None
    conversion_rate: Proportion


@dataclass(frozen=True)
class ChannelComparison:
    channels: tuple[ChannelReport, ...]
    paid: GroupTotals
    free: GroupTotals
    rate_difference: float | None
    rate_difference_interval: Interval | None
    attribution: Attribution | None
    assumption: str | None


def compare_channels(
    channels: Sequence[ChannelTotals],
    *,
    lift: CampaignLift | None = None,
    attribution: Attribution = "conversions",
    level: float = 0.95,
) -> ChannelComparison:
    """Per-channel costs and conversion rates, paid against free, and (given a lift) each channel's share."""
    if any(c.spend < 0 or c.clicks < 0 or not 0 <= c.conversions <= c.clicks for c in channels):
        raise ValueError("each channel needs spend >= 0 and 0 <= conversions <= clicks")
    reports = [_report(channel, level) for channel in channels]
    paid = _group([c for c in channels if c.kind is ChannelKind.PAID], level)
    free = _group([c for c in channels if c.kind is not ChannelKind.PAID], level)
    difference = newcombe_difference(paid.conversion_rate, free.conversion_rate)
    shares = _shares(channels, attribution) if lift is not None else None
    if lift is not None and shares is not None:
        reports = [_attribute(report, share, lift) for report, share in zip(reports, shares, strict=True)]
    return ChannelComparison(
        channels=tuple(reports),
        paid=paid,
        free=free,
        rate_difference=difference[0] if difference else None,
        rate_difference_interval=difference[1] if difference else None,
        attribution=attribution if shares is not None else None,
        assumption=ASSUMPTIONS[attribution] if shares is not None else None,
    )


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _report(channel: ChannelTotals, level: float) -> ChannelReport:
    return ChannelReport(
        name=channel.name,
        kind=channel.kind,
        spend=channel.spend,
        clicks=channel.clicks,
        conversions=channel.conversions,
        cost_per_click=_ratio(channel.spend, channel.clicks),
        cost_per_conversion=_ratio(channel.spend, channel.conversions),
        conversion_rate=wilson_interval(channel.conversions, channel.clicks, level),
    )


def _group(channels: Sequence[ChannelTotals], level: float) -> GroupTotals:
    spend = sum(c.spend for c in channels)
    clicks = sum(c.clicks for c in channels)
    conversions = sum(c.conversions for c in channels)
    rate = wilson_interval(conversions, clicks, level)
    return GroupTotals(spend, clicks, conversions, _ratio(spend, conversions), rate)


def _shares(channels: Sequence[ChannelTotals], attribution: Attribution) -> list[float] | None:
    if attribution not in ASSUMPTIONS:
        raise ValueError(f"attribution must be one of {sorted(ASSUMPTIONS)}, not {attribution!r}")
    weights = [float(c.conversions if attribution == "conversions" else c.spend) for c in channels]
    total = sum(weights)
    return [w / total for w in weights] if total > 0 else None


def _attribute(report: ChannelReport, share: float, lift: CampaignLift) -> ChannelReport:
    return replace(
        report,
        lift_share=share,
        attributed_lift=share * lift.lift,
        attributed_interval=lift.lift_interval.scaled(share),
    )
