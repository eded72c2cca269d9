"""Daily behaviour series (reactions): site visits, store visits per store, orders and revenue per product.

Each series is an expected daily mean times effects, then an overdispersed count drawn from a negative
binomial (variance = mean + mean²/r):
  trend · weekday (Friday is the weekend, Thursday a half day) · yearly season (tea peaks in winter)
  · Nowruz (site visits down over Farvardin 1–13; store visits up in the Esfand rush, then down)
  · Yalda (a spike in the days before Azar 30) · injected changes (campaign lift, crisis fall, press spike).
A few days are missing (NaN: a tracker or door counter was down), never inside an injected window.
Revenue is orders × unit price (which rises 12% once, on `Timeline.price_rise`) × small noise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from peyvand.demo.brands import BrandSpec
from peyvand.demo.plans import MarketingPlan
from peyvand.demo.timeline import Timeline, Window

SITE_WEEK = np.array([1.05, 1.03, 1.0, 0.85, 0.72, 1.10, 1.08])  # Mon..Sun (Python weekday order)
STORE_WEEK = np.array([0.9, 0.95, 1.05, 1.35, 0.75, 0.95, 0.9])
ORDER_WEEK = np.array([1.02, 1.0, 0.98, 0.95, 0.85, 1.1, 1.05])
CRISIS_SITE, CRISIS_ORDERS, PRESS_SPIKE, PRICE_RISE = 0.65, 0.55, 3.2, 1.12


@dataclass(frozen=True)
class Series:
    metric: str
    dims: dict[str, str]
    source: str
    values: np.ndarray  # observed, NaN where missing
    expected: np.ndarray  # the mean the draw came from
    unit: str | None = None


@dataclass(frozen=True)
class Calendar:
    """Per-day arrays over the window, for vectorised effects."""

    weekday: np.ndarray
    index: np.ndarray
    yearly: np.ndarray
    nowruz: np.ndarray
    nowruz_first: np.ndarray
    pre_nowruz: np.ndarray
    yalda: np.ndarray

    @classmethod
    def of(cls, t: Timeline) -> Calendar:
        dates = t.dates()
        doy = np.array([d.timetuple().tm_yday for d in dates], dtype=float)
        first = [Window(w.start, w.start + dt.timedelta(days=3)) for w in t.nowruz]
        return cls(
            weekday=np.array([d.weekday() for d in dates]),
            index=np.arange(len(dates), dtype=float),
            yearly=1 + 0.12 * np.cos(2 * np.pi * (doy - 355) / 365.25),
            nowruz=mask(t, t.nowruz),
            nowruz_first=mask(t, tuple(first)),
            pre_nowruz=mask(t, t.pre_nowruz),
            yalda=mask(t, t.yalda),
        )


def mask(t: Timeline, windows: tuple[Window, ...] | list[Window]) -> np.ndarray:
    out = np.zeros(t.window.days, dtype=bool)
    for w in windows:
        lo, hi = max(0, t.day_index(w.start)), min(t.window.days - 1, t.day_index(w.end))
        if lo <= hi:
            out[lo : hi + 1] = True
    return out


def draw(rng: np.random.Generator, mean: np.ndarray, r: float) -> np.ndarray:
    return rng.negative_binomial(r, r / (r + mean)).astype(float)


def site_mean(spec: BrandSpec, t: Timeline, cal: Calendar, plans: list[MarketingPlan]) -> np.ndarray:
    mean = spec.daily_site_visits * (1 + 0.25 * cal.index / 365) * SITE_WEEK[cal.weekday] * cal.yearly
    mean *= (
        np.where(cal.nowruz, 0.6, 1.0) * np.where(cal.pre_nowruz, 1.15, 1.0) * np.where(cal.yalda, 1.35, 1.0)
    )
    for plan in plans:
        mean *= np.where(mask(t, [plan.window]), plan.site_lift, 1.0)
    if spec.crisis_product:
        mean *= np.where(mask(t, [t.crisis_impact]), CRISIS_SITE, 1.0)
        for offset, factor in ((0, 1.1), (1, 1.2), (2, PRESS_SPIKE), (3, 1.15)):
            day = t.press_day + dt.timedelta(days=offset)
            mean *= np.where(mask(t, [Window(day, day)]), factor, 1.0)
    return mean


def store_mean(base: float, key: str, t: Timeline, cal: Calendar, plans: list[MarketingPlan]) -> np.ndarray:
    mean = base * (1 + 0.15 * cal.index / 365) * STORE_WEEK[cal.weekday] * cal.yearly
    mean *= np.where(cal.pre_nowruz, 1.6, 1.0) * np.where(cal.yalda, 1.4, 1.0)
    mean *= np.where(cal.nowruz_first, 0.3, np.where(cal.nowruz, 0.7, 1.0))
    for plan in plans:
        mean *= np.where(mask(t, [plan.window]), dict(plan.store_lift).get(key, 1.0), 1.0)
    return mean * np.where(mask(t, [t.crisis_impact]), 0.95, 1.0)


def orders_mean(
    spec: BrandSpec, key: str, t: Timeline, cal: Calendar, plans: list[MarketingPlan]
) -> np.ndarray:
    product = spec.product(key)
    gift = 2.2 if key in ("saffron", "saffron-cream") else 1.5
    mean = product.daily_orders * (1 + 0.2 * cal.index / 365) * ORDER_WEEK[cal.weekday] * cal.yearly
    mean *= np.where(cal.pre_nowruz | cal.yalda, gift, 1.0) * np.where(cal.nowruz, 0.6, 1.0)
    for plan in plans:
        if key in plan.products:
            mean *= np.where(mask(t, [plan.window]), plan.order_lift, 1.0)
    if key == spec.crisis_product:
        mean *= np.where(mask(t, [t.crisis_impact]), CRISIS_ORDERS, 1.0)
    return mean


def price_path(spec: BrandSpec, key: str, t: Timeline) -> np.ndarray:
    return spec.product(key).price * np.where(
        np.arange(t.window.days) >= t.day_index(t.price_rise), PRICE_RISE, 1.0
    )


def protected(t: Timeline, plans: list[MarketingPlan]) -> np.ndarray:
    """Days that must not go missing: injected windows with a week either side, and the window's edges."""
    windows = [p.window.widened(7, 7) for p in plans]
    windows += [t.crisis_impact.widened(7, 7), Window(t.press_day, t.press_day).widened(7, 7)]
    windows += [
        Window(t.window.start, t.window.start + dt.timedelta(days=7)),
        Window(t.window.end - dt.timedelta(days=30), t.window.end),
    ]
    return mask(t, windows)


def knock_out(rng: np.random.Generator, values: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    candidates = np.flatnonzero(~keep)
    out = values.copy()
    if len(candidates):
        out[rng.choice(candidates, size=min(n, len(candidates)), replace=False)] = np.nan
    return out


def build_series(spec: BrandSpec, t: Timeline, plans: list[MarketingPlan], seed: int) -> list[Series]:
    rng = np.random.default_rng([seed, sum(map(ord, spec.workspace)), 7])
    cal, keep = Calendar.of(t), protected(t, plans)
    site = site_mean(spec, t, cal, plans)
    out = [Series("site_visits", {}, "web_analytics", knock_out(rng, draw(rng, site, 40), keep, 4), site)]
    for store in spec.stores:
        mean = store_mean(store.daily_visits, store.key, t, cal, plans)
        values = knock_out(rng, draw(rng, mean, 25), keep, 3)
        out.append(Series("store_visits", {"store": store.key}, "store_counter", values, mean))
    for product in spec.products:
        mean = orders_mean(spec, product.key, t, cal, plans)
        orders = draw(rng, mean, 18)
        prices = price_path(spec, product.key, t)
        revenue = np.round(orders * prices * rng.lognormal(0, 0.03, len(orders)), -3)
        out.append(Series("orders", {"product": product.key}, "shop", orders, mean))
        out.append(Series("revenue", {"product": product.key}, "shop", revenue, mean * prices, "IRT"))
    return out
