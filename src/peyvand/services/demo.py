"""Building the demo: the scenario generator's data loaded through the product's own paths (brand file →
workspace, users, canonical items → ingest, campaigns and content → their services)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from peyvand.domain.brand import parse_brand
from peyvand.services.access import Actor
from peyvand.services.campaigns import save_campaign
from peyvand.services.content import save_content
from peyvand.services.ingest import IngestSummary, ingest_records
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


def build_demo(
    store: Store,
    *,
    seed: int = 1405,
    end: date | None = None,
    scale: float = 1.0,
    on_progress: Callable[[str, int], None] | None = None,
) -> DemoResult:
    """Create the demo workspaces in an empty store."""
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
        records = (Record(f"item {i}", item=item) for i, item in enumerate(ws.items(), start=1))
        result.workspaces[ws.key] = ingest_records(
            store,
            actor,
            records,
            label=f"demo:{ws.key}",
            format="demo",
            via="demo",
            batch_size=1000,
            on_batch=(lambda n, key=ws.key: on_progress(key, n)) if on_progress else None,
        )
    _load_users(store, scenario.users, workspace_ids)
    return result
