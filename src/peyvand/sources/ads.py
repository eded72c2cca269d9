"""Ad platform CSV reports: Google Ads (Reports → Download → CSV) and Meta Ads Manager (Export → CSV).

Google Ads writes two lines before the header (the report's name and its date range) and total rows at
the end ("Total: Account", "Total: Campaigns"), which are filtered; empty cells are written `--`. Meta
puts the currency in the header ("Amount spent (USD)") and the period in "Reporting starts" / "Reporting
ends" (a `Day` column when broken down by day). Each row gives `metric` items per campaign and day:
cost / amount spent → `ad_spend` (with a `currency` dimension), impressions → `ad_impressions`, clicks /
link clicks → `ad_clicks`, conversions / purchases → `ad_conversions`, results → `ad_results`, reach →
`ad_reach`, conversion value → `ad_conversion_value`. Dimensions: `campaign`, `ad_group` or `ad_set`,
`campaign_type`, and always `channel_type: "paid"` and `platform` (`google_ads`, `meta_ads`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from peyvand.sources._metrics import Column, MetricTable, Plan, header_key, parse_table
from peyvand.sources.base import Record, SourceContext

ROLES = {
    **dict.fromkeys(["day", "date", "تاریخ", "روز"], ("date", "")),
    "reporting starts": ("start", ""),
    "reporting ends": ("end", ""),
    **dict.fromkeys(["campaign", "campaign name", "کمپین"], ("dim", "campaign")),
    **dict.fromkeys(["ad group", "ad group name"], ("dim", "ad_group")),
    **dict.fromkeys(["ad set name", "ad set"], ("dim", "ad_set")),
    "campaign type": ("dim", "campaign_type"),
    **dict.fromkeys(["currency code", "currency"], ("currency", "")),
    **dict.fromkeys(["cost", "spend", "amount spent", "هزینه"], ("metric", "ad_spend")),
    **dict.fromkeys(["impressions", "impr.", "نمایش"], ("metric", "ad_impressions")),
    **dict.fromkeys(["clicks", "link clicks", "کلیک"], ("metric", "ad_clicks")),
    "clicks (all)": ("metric", "ad_clicks_all"),
    **dict.fromkeys(["conversions", "conv.", "purchases", "تبدیل"], ("metric", "ad_conversions")),
    "results": ("metric", "ad_results"),
    "reach": ("metric", "ad_reach"),
    **dict.fromkeys(
        ["conv. value", "conversion value", "purchases conversion value"], ("metric", "ad_conversion_value")
    ),
}
META_SIGNS = frozenset({"amount spent", "reporting starts", "campaign name", "ad set name", "results"})
GOOGLE_SIGNS = frozenset({"impr.", "cost", "campaign type", "ad group", "conv."})


def _column(index: int, cell: str) -> Column:
    name, unit = header_key(cell)
    role, metric = ROLES.get(f"{name} ({unit})" if unit else name, ROLES.get(name, ("ignore", "")))
    if role == "metric" and unit and metric in {"ad_spend", "ad_conversion_value"} and len(unit) == 3:
        metric = f"{metric}@{unit.upper()}"
    return Column(index, cell, role, metric)


def plan(header: list[str]) -> Plan | None:
    columns = tuple(_column(i, cell) for i, cell in enumerate(header))
    roles = {c.role for c in columns}
    if (
        not roles & {"date", "start"}
        or "metric" not in roles
        or not any(c.name == "campaign" for c in columns)
    ):
        return None
    names = {header_key(cell)[0] for cell in header}
    platform = "meta_ads" if names & META_SIGNS else ("google_ads" if names & GOOGLE_SIGNS else "ads")
    return Plan(columns, dims={"channel_type": "paid", "platform": platform})


TABLE = MetricTable("ads", "ad report (a day or reporting-start column, campaign and cost/impressions)", plan)


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "ads.csv") -> Iterator[Record]:
    return parse_table(stream, context=context, name=name, table=TABLE)
