"""`build_scenario`: the whole demo, two workspaces of one agency, as plain data (no database code).

A `Scenario` holds one `DemoWorkspace` per brand. Everything is computed at build time except the items,
which `DemoWorkspace.items()` streams afresh on every call (same seed, same items, same ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from peyvand.demo import plans as plans_module
from peyvand.demo.brands import BRANDS, BrandSpec
from peyvand.demo.content import content
from peyvand.demo.conversations import Stream, text_items
from peyvand.demo.coverage import Coverage, build_coverage
from peyvand.demo.loops import build_loops
from peyvand.demo.people import People, build_people
from peyvand.demo.plans import MarketingPlan, marketing_plans, sponsored_runs
from peyvand.demo.reactions import ad_items, event_items, metric_items
from peyvand.demo.series import Series, build_series
from peyvand.demo.timeline import Timeline, build_timeline
from peyvand.demo.truth import build_truth


@dataclass
class DemoWorkspace:
    """One brand's workspace. Public fields: `key` (slug: "darcheh", "lumira"), `name`, `brand_toml`,
    `users`, `campaigns`, `content`, `loops`, `segments`, `target_markets`, `truth` (field lists in the
    modules `plans`, `content`, `loops`, `truth`); `items()` streams the canonical items. The rest is
    what `items()` needs to regenerate the stream."""

    key: str
    name: str
    brand_toml: str
    users: list[dict[str, object]]
    campaigns: list[dict[str, object]]
    content: list[dict[str, object]]
    loops: list[dict[str, object]]
    segments: list[dict[str, object]]
    target_markets: list[dict[str, object]]
    truth: dict[str, object]
    spec: BrandSpec = field(repr=False)
    timeline: Timeline = field(repr=False)
    seed: int = field(repr=False)
    scale: float = field(repr=False)
    people: People = field(repr=False)
    coverage: Coverage = field(repr=False)
    plans: list[MarketingPlan] = field(repr=False)
    series: list[Series] = field(repr=False)

    def items(self, *, labels: bool = False) -> Iterator[dict[str, object]]:
        """Canonical items: text items day by day (replies after what they answer), then daily metrics,
        then paid-media metrics, then the last 30 days of raw events. `labels=True` adds `demo_labels`
        (what each text was written to say) to text items, for measuring enrichment."""
        extras = {day: [self._extra(i, labels) for i in items] for day, items in self.coverage.by_day.items()}
        stream = Stream(
            self.spec,
            self.timeline,
            self.people,
            sponsored_runs(self.spec, self.timeline),
            extras,
            self.seed,
            self.scale,
            labels,
        )
        yield from text_items(stream)
        yield from metric_items(self.spec, self.timeline, self.series)
        yield from ad_items(self.spec, self.plans, self.seed)
        yield from event_items(self.spec, self.timeline, self.series, self.seed, self.scale)

    def _extra(self, item: dict[str, object], labels: bool) -> dict[str, object]:
        """A fresh copy of a precomputed coverage item, so callers may change what they are given."""
        out = {k: dict(v) if isinstance(v, dict) else v for k, v in item.items()}
        if labels:
            out["demo_labels"] = self.coverage.labels[str(item["id"])]
        return out


@dataclass
class Scenario:
    seed: int
    end: dt.date
    days: int
    scale: float
    workspaces: list[DemoWorkspace]

    def workspace(self, key: str) -> DemoWorkspace:
        return next(w for w in self.workspaces if w.key == key)

    @property
    def users(self) -> list[dict[str, object]]:
        """Every login once, with `memberships`: [{"workspace", "role"}] (the admin is in every workspace)."""
        merged: dict[str, dict[str, object]] = {}
        for ws in self.workspaces:
            for user in ws.users:
                entry = merged.setdefault(str(user["username"]), {**user, "memberships": []})
                entry["memberships"].append({"workspace": ws.key, "role": user["role"]})  # type: ignore[attr-defined]
        return list(merged.values())


def build_workspace(spec: BrandSpec, t: Timeline, seed: int, scale: float) -> DemoWorkspace:
    people = build_people(spec, seed, scale)
    plans = marketing_plans(spec, t)
    series = build_series(spec, t, plans, seed)
    coverage = build_coverage(spec, t, people, seed, scale)
    return DemoWorkspace(
        key=spec.workspace,
        name=spec.workspace_name,
        brand_toml=spec.brand_toml,
        users=plans_module.users(spec),
        campaigns=plans_module.campaigns(spec, t),
        content=content(spec, t),
        loops=build_loops(spec, t, seed, scale),
        segments=plans_module.segments(spec, scale),
        target_markets=plans_module.target_markets(spec),
        truth=build_truth(spec, t, plans, series, coverage, scale),
        spec=spec,
        timeline=t,
        seed=seed,
        scale=scale,
        people=people,
        coverage=coverage,
        plans=plans,
        series=series,
    )


def build_scenario(
    *, seed: int = 1405, end: dt.date | None = None, days: int = 820, scale: float = 1.0
) -> Scenario:
    """The demo: `days` days ending on `end` (default today), volumes multiplied by `scale`."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    end = end or dt.date.today()
    timeline = build_timeline(end, days)
    workspaces = [build_workspace(spec, timeline, seed, scale) for spec in BRANDS]
    return Scenario(seed=seed, end=end, days=days, scale=scale, workspaces=workspaces)
