"""Reactions as canonical items (DESIGN §4): daily metrics, paid-media metrics, and raw behavioural events.

Metric item: `{"id", "source", "kind": "metric", "metric", "at", "value", "dims", "unit"?}`; `at` is local
midnight of the day it counts (`YYYY-MM-DDT00:00:00+03:30`).
  site_visits (source web_analytics, dims {}) · store_visits (store_counter, {"store"}) ·
  orders, revenue (shop, {"product"}; revenue has "unit": "IRT") ·
  ad_spend (unit IRT), ad_impressions, ad_clicks, ad_conversions (source = the channel,
  dims {"campaign", "channel": "instagram_ads" | "google_ads", "channel_type": "paid"}), campaign days only.
Event item: `{"id", "source", "kind": "event", "event", "at", "dims"}` for the last 30 days:
  page_view (web_analytics; dims page, referrer, device, city) and store_checkin (store_counter; dims
  store, city, visitor "new" | "returning", age_band). Their daily counts follow site and store visits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np

from peyvand.demo.brands import BrandSpec
from peyvand.demo.plans import MarketingPlan
from peyvand.demo.series import Series, mask
from peyvand.demo.timeline import TEHRAN_OFFSET, Timeline, Window

CPM = {"instagram_ads": 45_000, "google_ads": 60_000}  # toman per thousand impressions
CTR = {"instagram_ads": 0.012, "google_ads": 0.03}
WEB_HOURS = np.array(
    [2, 1, 0.6, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.4, 3.5, 3.4, 3, 3, 3.1, 3.3, 3.6, 4, 4.6, 5.2, 5.5, 4.8, 3.4]
)
STORE_HOURS = np.array([0] * 10 + [3, 5, 6, 6, 5, 5, 6, 8, 9, 9, 8, 6] + [0, 0], dtype=float)
REFERRERS = ["instagram", "google", "direct", "telegram", "news"]
DEVICES, AGE_BANDS = ["mobile", "desktop", "tablet"], ["18-24", "25-34", "35-44", "45-54", "55+"]
CITIES = ["tehran", "karaj", "mashhad", "isfahan", "shiraz", "tabriz", "rasht"]
EVENT_DAYS = 30
CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{TEHRAN_OFFSET}" for s in range(86_400)]


def day_stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00{TEHRAN_OFFSET}"


def metric_items(spec: BrandSpec, t: Timeline, series: list[Series]) -> Iterator[dict[str, object]]:
    dates = t.dates()
    for s in series:
        suffix = "-".join(str(v) for v in s.dims.values())
        stem = f"{spec.workspace}-{s.metric}{'-' + suffix if suffix else ''}"
        for day, value in zip(dates, s.values, strict=True):
            if np.isnan(value):
                continue
            item: dict[str, object] = {
                "id": f"{stem}-{day.isoformat()}",
                "source": s.source,
                "kind": "metric",
                "metric": s.metric,
                "at": day_stamp(day),
                "value": int(value),
                "dims": dict(s.dims),
            }
            if s.unit:
                item["unit"] = s.unit
            yield item


def ad_days(
    plan: MarketingPlan, channel: str, share: float, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    days = plan.window.days
    spend = np.round(plan.budget * share / days * rng.lognormal(0, 0.15, days) * 0.97, -3)
    impressions = rng.poisson(spend / CPM[channel] * 1000)
    clicks = rng.binomial(impressions, CTR[channel])
    conversions = rng.binomial(clicks, plan.conversion_rate)
    return {
        "ad_spend": spend,
        "ad_impressions": impressions,
        "ad_clicks": clicks,
        "ad_conversions": conversions,
    }


def ad_items(spec: BrandSpec, plans: list[MarketingPlan], seed: int) -> Iterator[dict[str, object]]:
    rng = np.random.default_rng([seed, sum(map(ord, spec.workspace)), 11])
    for plan in plans:
        dates = [plan.window.start + dt.timedelta(days=i) for i in range(plan.window.days)]
        for channel, share in plan.channel_split:
            dims = {"campaign": plan.key, "channel": channel, "channel_type": "paid"}
            for metric, values in ad_days(plan, channel, share, rng).items():
                for day, value in zip(dates, values, strict=True):
                    item: dict[str, object] = {
                        "id": f"{spec.workspace}-{metric}-{plan.key}-{channel}-{day.isoformat()}",
                        "source": channel,
                        "kind": "metric",
                        "metric": metric,
                        "at": day_stamp(day),
                        "value": int(value),
                        "dims": dims,
                    }
                    if metric == "ad_spend":
                        item["unit"] = "IRT"
                    yield item


def _times(rng: np.random.Generator, day: dt.date, n: int, hours: np.ndarray) -> list[str]:
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, size=n)
    seconds.sort()
    base = day.isoformat() + "T"
    return [base + CLOCK[s] for s in seconds.tolist()]


def page_views(
    spec: BrandSpec, day: dt.date, n: int, rng: np.random.Generator, news: bool, start: int
) -> Iterator[dict[str, object]]:
    pages = ["/", "/shop", *[f"/products/{p.key}" for p in spec.products]]
    if news:
        pages.append("/press/organic-certificate")
    referrer_p = np.array([0.3, 0.3, 0.25, 0.1, 0.05 + (0.6 if news else 0)])
    picks = [
        rng.choice(len(pool), size=n, p=p)
        for pool, p in (
            (pages, None),
            (REFERRERS, referrer_p / referrer_p.sum()),
            (DEVICES, [0.78, 0.19, 0.03]),
            (CITIES, [0.45, 0.1, 0.1, 0.1, 0.1, 0.08, 0.07]),
        )
    ]
    for k, at in enumerate(_times(rng, day, n, WEB_HOURS)):
        yield {
            "id": f"{spec.workspace}-pv-{start + k:07d}",
            "source": "web_analytics",
            "kind": "event",
            "event": "page_view",
            "at": at,
            "dims": {
                "page": pages[picks[0][k]],
                "referrer": REFERRERS[picks[1][k]],
                "device": DEVICES[picks[2][k]],
                "city": CITIES[picks[3][k]],
            },
        }


def checkins(
    spec: BrandSpec, store_index: int, day: dt.date, n: int, rng: np.random.Generator, start: int
) -> Iterator[dict[str, object]]:
    store = spec.stores[store_index]
    visitor = rng.random(n) < 0.35
    ages = rng.choice(len(AGE_BANDS), size=n, p=[0.15, 0.34, 0.28, 0.15, 0.08])
    for k, at in enumerate(_times(rng, day, n, STORE_HOURS)):
        yield {
            "id": f"{spec.workspace}-checkin-{start + k:07d}",
            "source": "store_counter",
            "kind": "event",
            "event": "store_checkin",
            "at": at,
            "dims": {
                "store": store.key,
                "city": store.city,
                "visitor": "new" if visitor[k] else "returning",
                "age_band": AGE_BANDS[ages[k]],
            },
        }


def event_items(
    spec: BrandSpec, t: Timeline, series: list[Series], seed: int, scale: float
) -> Iterator[dict[str, object]]:
    """Raw events for the last 30 days: ~0.25 page views per site visit, 0.2 check-ins per store visit (a
    sample of the tracked traffic: enough to show hourly rollups without making the demo slow to build)."""
    rng = np.random.default_rng([seed, sum(map(ord, spec.workspace)), 13])
    first = max(0, t.window.days - EVENT_DAYS)
    press = mask(t, [Window(t.press_day, t.press_day + dt.timedelta(days=4))] if spec.has_pr_story else [])
    stores = [s for s in series if s.metric == "store_visits"]
    site = series[0]
    views = visits = 0
    for i in range(first, t.window.days):
        day = t.window.start + dt.timedelta(days=i)
        n = round(_observed(site, i) * 0.25 * scale)
        yield from page_views(spec, day, n, rng, bool(press[i]), views)
        views += n
        for k, store in enumerate(stores):
            m = round(_observed(store, i) * 0.2 * scale)
            yield from checkins(spec, k, day, m, rng, visits)
            visits += m


def _observed(s: Series, i: int) -> float:
    return float(s.expected[i] if np.isnan(s.values[i]) else s.values[i])
