"""Building the demo: the scenario generator's data loaded through the product's own paths (brand file →
workspace, users, canonical items → ingest, campaigns and content → their services)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from peyvand.domain.brand import parse_brand
from peyvand.services.access import Actor
from peyvand.services.campaigns import save_campaign
from peyvand.services.clock import utcnow
from peyvand.services.content import save_content
from peyvand.services.demo_imports import load_demo_imports
from peyvand.services.inbox_demo import load_inbox_demo
from peyvand.services.ingest import IngestSummary, ingest_records
from peyvand.services.marketing_demo import load_marketing_demo
from peyvand.services.reputation_jobs import refresh_reputation_demo
from peyvand.services.text_demo import load_text_demo
from peyvand.services.users import create_user, grant_role, user_id_by_name
from peyvand.services.workspaces import create_workspace
from peyvand.sources.base import Record
from peyvand.storage.db import Store

DEMO_PASSWORD = "peyvand-demo"


@dataclass
class DemoResult:
    workspaces: dict[str, IngestSummary] = field(default_factory=dict)
    users: list[dict[str, Any]] = field(default_factory=list)


def _load_users(store: Store, users: list[dict[str, Any]], workspace_ids: dict[str, int]) -> None:
    for user in users:
        user_id = user_id_by_name(store, username=str(user["username"]))
        if user_id is None:
            user_id = create_user(
                store,
                username=str(user["username"]),
                password=str(user.get("password") or DEMO_PASSWORD),
                display_name=str(user.get("display_name", "")),
                locale=str(user.get("locale", "fa")),
                calendar=str(user.get("calendar", "jalali")),
            ).id
        for membership in user["memberships"]:
            grant_role(
                store,
                workspace_id=workspace_ids[membership["workspace"]],
                user_id=user_id,
                role=membership["role"],
            )


def _progress_for(key: str, on_progress: Callable[[str, int], None] | None) -> Callable[[int], None] | None:
    if on_progress is None:
        return None
    return lambda n: on_progress(key, n)


def _until(items: Iterable[dict[str, Any]], now: datetime) -> Iterator[dict[str, Any]]:
    """The items that have happened by `now`: a demo that ends today holds no message from later today and
    no daily total for a day that is not over (a metric's `at` is the start of its day)."""
    for item in items:
        if item.get("kind") == "metric":
            if datetime.fromisoformat(str(item["at"])) + timedelta(days=1) <= now:
                yield item
        elif datetime.fromisoformat(str(item.get("created_at") or item["at"])) <= now:
            yield item


def build_demo(
    store: Store,
    *,
    seed: int = 1405,
    end: date | None = None,
    scale: float = 1.0,
    on_progress: Callable[[str, int], None] | None = None,
) -> DemoResult:
    """Create the demo workspaces in an empty store. Without `end` the demo ends now: nothing in it is
    dated later than the moment it is built."""
    from peyvand.demo import build_scenario

    scenario = build_scenario(seed=seed, end=end, scale=scale)
    result = DemoResult(users=scenario.users)
    workspace_ids: dict[str, int] = {}
    for ws in scenario.workspaces:
        brand = parse_brand(tomllib.loads(ws.brand_toml), path=f"demo {ws.key}")
        workspace_ids[ws.key] = create_workspace(store, brand=brand, slug=ws.key).id
        actor = Actor.operator(workspace_ids[ws.key])
        for campaign in ws.campaigns:
            save_campaign(store, actor, campaign)
        for piece in ws.content:
            save_content(store, actor, piece)
        items = ws.items() if end is not None else _until(ws.items(), utcnow())
        records = (Record(f"item {i}", item=item) for i, item in enumerate(items, start=1))
        result.workspaces[ws.key] = ingest_records(
            store,
            actor,
            records,
            label=f"demo:{ws.key}",
            format="demo",
            via="demo",
            batch_size=1000,
            on_batch=_progress_for(ws.key, on_progress),
        )
    _load_users(store, scenario.users, workspace_ids)
    specs = [ws.spec for ws in scenario.workspaces]
    load_demo_imports(store, workspace_ids, specs, scenario.end)  # an import of each kind (demo_imports)
    load_inbox_demo(store, workspace_ids)  # SLA policies, assignment, notes, a handoff (services/inbox_demo)
    refresh_reputation_demo(store, workspace_ids)  # crises and content pickups (services/reputation_jobs)
    load_marketing_demo(store, scenario, workspace_ids)  # loops, audiences, signals (services/marketing_demo)
    load_text_demo(store, scenario, workspace_ids)  # labels, trained text models (services/text_demo)
    return result
