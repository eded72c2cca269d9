"""The known facts of a workspace's story, for tests, docs and the demo's walkthrough.

Truth dict:
  `workspace`, `window` ({"start", "end"}), `timezone`,
  `holidays` ({"nowruz", "pre_nowruz", "yalda"}: lists of {"start", "end"}),
  `changes`: injected changes, each {"id", "series": {"metric", "dims"}, "start", "end", "direction":
    "rise" | "fall" | None, "kind": "level_shift" | "spike" | "none", "factor" (multiplier on the mean),
    "cause": {"type": "campaign" | "crisis" | "press" | "price", "key"}}; kind "none" marks a campaign
    window where nothing should be found,
  `crisis`: {"start", "end", "impact_end", "product", "batch", "statement", "expected_items"} or None,
  `press_release`: {"content", "translations", "url", "published_on", "peak_day", "pickup_ids",
    "pickups_by_day"} or None,
  `content_pickups`: {content key: [item ids]},
  `branding`: {"campaign", "attribute", "start", "end", "competitors", "direction": "rise",
    "natural_weight_before", "natural_weight_at_peak"} (share of praise that is about the attribute) or None,
  `marketing`: [{"campaign", "budget", "expected_return", "order_lift", "incremental_revenue",
    "return_on_spend", "earns_back"}],
  `missing_days`: {"metric" or "metric/dim": [ISO dates]}, `price_rise`: {"on", "factor"}.
"""

from __future__ import annotations

import numpy as np

from peyvand.demo import lexicon
from peyvand.demo.brands import BrandSpec
from peyvand.demo.content import PRESS_KEY, press_url
from peyvand.demo.conversations import CRISIS_VOLUME
from peyvand.demo.coverage import Coverage
from peyvand.demo.messages import CRISIS_BATCH
from peyvand.demo.plans import BRANDING_KEY, MarketingPlan
from peyvand.demo.series import CRISIS_ORDERS, CRISIS_SITE, PRESS_SPIKE, PRICE_RISE, Series, mask
from peyvand.demo.timeline import Timeline, Window


def _change(
    cid: str,
    metric: str,
    dims: dict[str, str],
    window: Window,
    direction: str | None,
    kind: str,
    factor: float,
    cause: tuple[str, str],
) -> dict[str, object]:
    return {
        "id": cid,
        "series": {"metric": metric, "dims": dims},
        **window.to_dict(),
        "direction": direction,
        "kind": kind,
        "factor": factor,
        "cause": {"type": cause[0], "key": cause[1]},
    }


def campaign_changes(plan: MarketingPlan) -> list[dict[str, object]]:
    cause, w = ("campaign", plan.key), plan.window
    if plan.order_lift == 1.0:
        return [
            _change(f"{plan.key}-orders-{p}", "orders", {"product": p}, w, None, "none", 1.0, cause)
            for p in plan.products
        ]
    out = [
        _change(
            f"{plan.key}-orders-{p}",
            "orders",
            {"product": p},
            w,
            "rise",
            "level_shift",
            plan.order_lift,
            cause,
        )
        for p in plan.products
    ]
    out += [
        _change(f"{plan.key}-store-{s}", "store_visits", {"store": s}, w, "rise", "level_shift", f, cause)
        for s, f in plan.store_lift
    ]
    out.append(
        _change(f"{plan.key}-site", "site_visits", {}, w, "rise", "level_shift", plan.site_lift, cause)
    )
    return out


def story_changes(spec: BrandSpec, t: Timeline) -> list[dict[str, object]]:
    if not spec.has_pr_story:
        return []
    product, peak = spec.crisis_product or "", Window(t.press_peak, t.press_peak)
    return [
        _change(
            "crisis-site",
            "site_visits",
            {},
            t.crisis_impact,
            "fall",
            "level_shift",
            CRISIS_SITE,
            ("crisis", "crisis"),
        ),
        _change(
            "crisis-orders",
            "orders",
            {"product": product},
            t.crisis_impact,
            "fall",
            "level_shift",
            CRISIS_ORDERS,
            ("crisis", "crisis"),
        ),
        _change("press-spike", "site_visits", {}, peak, "rise", "spike", PRESS_SPIKE, ("press", PRESS_KEY)),
    ]


def _marketing(plan: MarketingPlan, t: Timeline, series: list[Series]) -> dict[str, object]:
    inside = mask(t, [plan.window])
    extra = 0.0
    for s in series:
        if s.metric == "revenue" and s.dims.get("product") in plan.products:
            extra += float(np.sum(s.expected[inside] * (1 - 1 / plan.order_lift)))
    return {
        "campaign": plan.key,
        "budget": plan.budget,
        "expected_return": plan.expected_return,
        "order_lift": plan.order_lift,
        "incremental_revenue": round(extra, -3),
        "return_on_spend": round(extra / plan.budget, 2),
        "earns_back": extra > plan.budget,
    }


def _branding(spec: BrandSpec, t: Timeline) -> dict[str, object] | None:
    if not spec.has_pr_story:
        return None
    weights = lexicon.topics(spec.workspace, lexicon.PRAISE_TOPICS)
    before = weights["natural"] / sum(weights.values())
    boosted = weights["natural"] * 5
    return {
        "campaign": BRANDING_KEY,
        "attribute": "natural",
        **t.branding.to_dict(),
        "competitors": [c.key for c in spec.competitors],
        "direction": "rise",
        "natural_weight_before": round(before, 3),
        "natural_weight_at_peak": round(boosted / (sum(weights.values()) - weights["natural"] + boosted), 3),
    }


def _missing(t: Timeline, series: list[Series]) -> dict[str, list[str]]:
    dates = t.dates()
    return {
        "/".join([s.metric, *s.dims.values()]): [
            dates[i].isoformat() for i in np.flatnonzero(np.isnan(s.values))
        ]
        for s in series
        if np.isnan(s.values).any()
    }


def _press(spec: BrandSpec, t: Timeline, coverage: Coverage) -> dict[str, object] | None:
    if not spec.has_pr_story:
        return None
    by_day = {
        d.isoformat(): sum(1 for i in items if str(i["id"]) in set(coverage.pickups[PRESS_KEY]))
        for d, items in sorted(coverage.by_day.items())
    }
    return {
        "content": PRESS_KEY,
        "translations": [f"{PRESS_KEY}-en"],
        "url": press_url(spec, "fa"),
        "published_on": t.press_day.isoformat(),
        "peak_day": t.press_peak.isoformat(),
        "pickup_ids": list(coverage.pickups[PRESS_KEY]),
        "pickups_by_day": {d: n for d, n in by_day.items() if n},
    }


def _crisis(spec: BrandSpec, t: Timeline, scale: float) -> dict[str, object] | None:
    if not spec.has_pr_story:
        return None
    return {**t.crisis.to_dict(), "impact_end": t.crisis_impact.end.isoformat(),
            "product": spec.crisis_product, "batch": CRISIS_BATCH, "statement": "pr-crisis-statement",
            "expected_items": round(sum(CRISIS_VOLUME) * scale)}  # fmt: skip


def _price_changes(spec: BrandSpec, t: Timeline) -> list[dict[str, object]]:
    after = Window(t.price_rise, t.window.end)
    cause = ("price", "price-rise")
    return [_change(f"price-rise-{p.key}", "revenue", {"product": p.key}, after, "rise", "level_shift",
                    PRICE_RISE, cause) for p in spec.products]  # fmt: skip


def build_truth(spec: BrandSpec, t: Timeline, plans: list[MarketingPlan], series: list[Series],
                coverage: Coverage, scale: float) -> dict[str, object]:  # fmt: skip
    holidays = (("nowruz", t.nowruz), ("pre_nowruz", t.pre_nowruz), ("yalda", t.yalda))
    changes = (
        [c for p in plans for c in campaign_changes(p)] + story_changes(spec, t) + _price_changes(spec, t)
    )
    return {
        "workspace": spec.workspace,
        "window": t.window.to_dict(),
        "timezone": "Asia/Tehran",
        "holidays": {name: [w.to_dict() for w in windows] for name, windows in holidays},
        "changes": changes,
        "crisis": _crisis(spec, t, scale),
        "press_release": _press(spec, t, coverage),
        "content_pickups": {k: list(v) for k, v in coverage.pickups.items()},
        "branding": _branding(spec, t),
        "marketing": [_marketing(p, t, series) for p in plans],
        "missing_days": _missing(t, series),
        "price_rise": {"on": t.price_rise.isoformat(), "factor": PRICE_RISE},
    }
