"""The exchange's brand-to-sales link: does the brand's standing move ahead of sales?

The brand series is the daily **net sentiment** of the brand's inbound conversation and mentions
((positive − negative) ÷ classified, ×100), or the daily **share** of them that carry a desired attribute
(`brand="attribute:<key>"`); a day with fewer than `MIN_DAILY` classified items is missing (the analysis
fills gaps of up to three days). Sales is the total `orders` (or `revenue`) series; the total `ad_spend`,
when recorded, is held constant in the Granger tests. Method and caveat: docs/formulas-marketing.md §6.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from peyvand.analysis.leadlag import CAVEAT, LeadLag, brand_sales_leadlag
from peyvand.services.access import Actor, InvalidInput, require
from peyvand.storage.db import Store
from peyvand.storage.tables import Item, MetricPoint, MetricSeries, Workspace

MIN_DAILY = 3
SALES_METRICS = ("orders", "revenue")


@dataclass(frozen=True)
class BrandSales:
    brand: str
    sales: str
    result: LeadLag
    days: int

    def summary(self, locale: str) -> str:
        """The finding in plain language, ending with the caveat (`leadlag.CAVEAT`) whatever the finding."""
        text = self.result.summary(locale)
        caveat = CAVEAT.get(locale, CAVEAT["en"])
        return text if caveat in text else f"{text} {caveat}"

    def rows(self) -> list[dict[str, Any]]:
        """The lag table: correlation of daily changes at each lag (lag > 0: brand first)."""
        return [
            {"lag": c.lag, "r": round(c.r, 4), "p_value": float(f"{c.p_value:.3g}"), "n": c.n}
            for c in self.result.correlations
        ]

    def to_json(self) -> dict[str, Any]:
        r = self.result
        granger = {
            name: None
            if g is None
            else {"p_adjusted": g.p_adjusted, "lag": g.lag, "first": g.first_significant_lag}
            for name, g in (("brand_to_sales", r.brand_to_sales), ("sales_to_brand", r.sales_to_brand))
        }
        return {
            "brand": self.brand,
            "sales": self.sales,
            "finding": r.finding.value,
            "n_days": r.n_days,
            "best_lag": r.best.lag if r.best else None,
            "best_r": r.best.r if r.best else None,
            "best_p_adjusted": r.best_p_adjusted,
            "controlled_for_spend": r.controlled_for_spend,
            **granger,
            "summary_en": self.summary("en"),
            "summary_fa": self.summary("fa"),
        }


def _daily_brand(store: Store, ws: int, brand: str) -> dict[date, float]:
    attribute = brand.split(":", 1)[1] if brand.startswith("attribute:") else None
    with store.read() as session:
        workspace = session.get(Workspace, ws)
        assert workspace is not None
        tz = ZoneInfo(workspace.timezone)
        rows = session.execute(
            select(Item.occurred_at, Item.sentiment, Item.attributes).where(
                Item.workspace_id == ws,
                Item.feedback.in_(("interaction", "mention")),
                Item.direction == "inbound",
                Item.sentiment.is_not(None),
            )
        )
        counts: dict[date, Counter[str]] = {}
        for at, sentiment, attributes in rows:
            day = counts.setdefault(at.astimezone(tz).date(), Counter())
            day[sentiment] += 1
            day["n"] += 1
            if attribute and any(a.get("key") == attribute for a in attributes or []):
                day["attribute"] += 1
    return {
        day: (100 * c["attribute"] / c["n"] if attribute else 100 * (c["positive"] - c["negative"]) / c["n"])
        for day, c in counts.items()
        if c["n"] >= MIN_DAILY
    }


def _daily_metric(store: Store, ws: int, metric: str) -> dict[date, float]:
    with store.read() as session:
        rows = session.execute(
            select(MetricPoint.local_date, MetricPoint.value_sum)
            .join(MetricSeries, MetricSeries.id == MetricPoint.series_id)
            .where(MetricSeries.workspace_id == ws, MetricSeries.key == metric, MetricPoint.grain == "day")
        )
        return {day: float(value) for day, value in rows if day is not None}


def brand_sales(
    store: Store, actor: Actor, *, brand: str = "net_sentiment", sales: str = "orders"
) -> BrandSales:
    """Lead/lag between the brand series and sales over their common days (see the module docstring)."""
    require(actor, "exchange.read")
    if sales not in SALES_METRICS:
        raise InvalidInput(f"sales must be one of {', '.join(SALES_METRICS)}")
    if brand != "net_sentiment" and not brand.startswith("attribute:"):
        raise InvalidInput("brand must be net_sentiment or attribute:<key>")
    brand_daily = _daily_brand(store, actor.workspace_id, brand)
    sales_daily = _daily_metric(store, actor.workspace_id, sales)
    spend_daily = _daily_metric(store, actor.workspace_id, "ad_spend")
    days = sorted(set(brand_daily) & set(sales_daily))
    label = "brand sentiment" if brand == "net_sentiment" else f"share mentioning {brand.split(':', 1)[1]}"
    result = brand_sales_leadlag(
        days,
        [brand_daily[d] for d in days],
        [sales_daily[d] for d in days],
        spend=[spend_daily.get(d, 0.0) for d in days] if spend_daily else None,
        brand_label=label,
    )
    return BrandSales(brand, sales, result, len(days))
