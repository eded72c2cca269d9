"""Campaign return: turn a measured lift into incremental revenue, ROAS and ROI, a verdict, and a
justification against what the campaign was expected to return.

Spend is known, so every interval here is the lift interval carried through an increasing linear map.
Formulas: docs/formulas-marketing.md §3 (`campaign_return`, `justification`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from peyvand.analysis.campaigns.intervals import Floats, Interval
from peyvand.analysis.campaigns.lift import CampaignLift, Holidays, LiftSettings, measure_lift

_VERDICT_FA = {
    "earned its money back": "هزینه‌اش را برگرداند",
    "did not earn its money back": "هزینه‌اش را برنگرداند",
    "lift not distinguishable from zero": "اثر کمپین از صفر قابل تشخیص نیست",
    "lift measured, payback uncertain": "اثر کمپین اندازه‌گیری شد، اما بازگشت هزینه هنوز قطعی نیست",
    "lift measured, no spend recorded": "اثر کمپین اندازه‌گیری شد؛ هزینه‌ای ثبت نشده است",
}
_EXPECTATION_FA = {
    "beat expectation": "از انتظار بهتر بود",
    "consistent with expectation": "با انتظار سازگار است",
    "fell short of expectation": "از انتظار کمتر بود",
}


class Verdict(StrEnum):
    """The plain-language verdict on a campaign's return, decided from intervals, never point estimates."""

    EARNED = "earned its money back"
    NOT_EARNED = "did not earn its money back"
    NOT_DISTINGUISHABLE = "lift not distinguishable from zero"
    PAYBACK_UNCERTAIN = "lift measured, payback uncertain"
    NO_SPEND = "lift measured, no spend recorded"

    def sentence(self, locale: str = "fa") -> str:
        return _VERDICT_FA[self.value] if locale == "fa" else self.value


class Expectation(StrEnum):
    """How the measured return compares with the expected one."""

    BEAT = "beat expectation"
    MET = "consistent with expectation"
    SHORT = "fell short of expectation"

    def sentence(self, locale: str = "fa") -> str:
        return _EXPECTATION_FA[self.value] if locale == "fa" else self.value


@dataclass(frozen=True)
class CampaignReturn:
    """Incremental revenue of a campaign and what it returned on its spend, with intervals."""

    lift: CampaignLift
    spend: float
    value_per_unit: float
    incremental_revenue: float
    revenue_interval: Interval
    roas: float | None
    roas_interval: Interval | None
    roi: float | None
    roi_interval: Interval | None
    verdict: Verdict


@dataclass(frozen=True)
class Justification:
    """Expected against measured return for one campaign."""

    expected_revenue: float
    expected_roi: float | None
    measured_revenue: float
    measured_interval: Interval
    achieved_share: float | None
    outcome: Expectation
    verdict: Verdict

    def sentence(self, locale: str = "fa") -> str:
        return (
            f"{self.outcome.sentence(locale)}{'؛' if locale == 'fa' else ';'} {self.verdict.sentence(locale)}"
        )


def campaign_return(lift: CampaignLift, *, spend: float, value_per_unit: float = 1.0) -> CampaignReturn:
    """Incremental revenue, ROAS and ROI of a measured lift (`campaign_return` in the formulas).

    `value_per_unit` turns the outcome's unit into money: 1 when the outcome is revenue, the average order
    value (or margin per order, for a profit view) when it is orders.
    """
    if spend < 0 or value_per_unit <= 0:
        raise ValueError("spend must be >= 0 and value_per_unit > 0")
    revenue = lift.lift * value_per_unit
    revenue_interval = lift.lift_interval.scaled(value_per_unit)
    roas = roi = roas_interval = roi_interval = None
    if spend > 0:
        roas, roi = revenue / spend, (revenue - spend) / spend
        roas_interval = revenue_interval.scaled(1 / spend)
        roi_interval = revenue_interval.scaled(1 / spend, shift=-1.0)
    verdict = _verdict(lift, roi_interval)
    return CampaignReturn(
        lift,
        spend,
        value_per_unit,
        revenue,
        revenue_interval,
        roas,
        roas_interval,
        roi,
        roi_interval,
        verdict,
    )


def _verdict(lift: CampaignLift, roi_interval: Interval | None) -> Verdict:
    if roi_interval is not None and roi_interval.high < 0:
        return Verdict.NOT_EARNED  # even the best case of the lift does not pay the spend back
    if not lift.lift_interval.excludes_zero:
        return Verdict.NOT_DISTINGUISHABLE
    if roi_interval is None:
        return Verdict.NO_SPEND
    if roi_interval.low > 0:
        return Verdict.EARNED
    if roi_interval.high < 0:
        return Verdict.NOT_EARNED
    return Verdict.PAYBACK_UNCERTAIN


def measure_campaign_return(
    dates: Sequence[date],
    outcome: Floats,
    *,
    start: date,
    end: date,
    spend: float | Mapping[date, float],
    value_per_unit: float = 1.0,
    control: Floats | None = None,
    holidays: Holidays = (),
    level_shifts: Collection[date] = (),
    settings: LiftSettings | None = None,
) -> CampaignReturn:
    """`measure_lift` then `campaign_return`; `spend` is a total or the campaign's spend by day (all of it
    counts, whenever it was booked)."""
    lift = measure_lift(
        dates,
        outcome,
        start=start,
        end=end,
        control=control,
        holidays=holidays,
        level_shifts=level_shifts,
        settings=settings,
    )
    total = float(sum(spend.values())) if isinstance(spend, Mapping) else float(spend)
    return campaign_return(lift, spend=total, value_per_unit=value_per_unit)


def justification(
    expected_return: float,
    measured: CampaignReturn,
    *,
    expressed_as: Literal["revenue", "roas", "roi"] = "revenue",
) -> Justification:
    """Compare the return a campaign was expected to bring with the one measured (`justification`).

    `expected_return` is incremental revenue in money, or a ROAS (3.0 = three times spend) or a ROI
    (0.5 = spend back plus half). The outcome is decided by whether the expected revenue lies inside,
    below or above the measured revenue interval.
    """
    expected = _expected_revenue(expected_return, measured.spend, expressed_as)
    interval = measured.revenue_interval
    outcome = Expectation.MET
    if interval.low > expected:
        outcome = Expectation.BEAT
    elif interval.high < expected:
        outcome = Expectation.SHORT
    expected_roi = (expected - measured.spend) / measured.spend if measured.spend > 0 else None
    share = measured.incremental_revenue / expected if expected != 0 else None
    return Justification(
        expected, expected_roi, measured.incremental_revenue, interval, share, outcome, measured.verdict
    )


def _expected_revenue(expected_return: float, spend: float, expressed_as: str) -> float:
    if expressed_as == "revenue":
        return expected_return
    if spend <= 0:
        raise ValueError("an expected ROAS or ROI needs a campaign with spend")
    if expressed_as == "roas":
        return expected_return * spend
    if expressed_as == "roi":
        return (expected_return + 1.0) * spend
    raise ValueError(f"expressed_as must be revenue, roas or roi, not {expressed_as!r}")
