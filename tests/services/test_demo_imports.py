"""The demo imports one export of each kind (and an API batch and webhook deliveries) through the normal
paths, so the imports page shows every kind with its outcomes."""

from __future__ import annotations

import datetime as dt
import tomllib

from sqlalchemy import func, select

from peyvand.demo.brands import BRANDS
from peyvand.domain.brand import parse_brand
from peyvand.services.access import Actor
from peyvand.services.api_tokens import list_tokens
from peyvand.services.demo_imports import load_demo_imports
from peyvand.services.imports import iter_rejects, list_runs
from peyvand.services.workspaces import create_workspace
from peyvand.sources import FORMATS
from peyvand.storage.db import Store
from peyvand.storage.tables import Item


def test_the_demo_imports_every_kind_with_its_outcomes(store: Store) -> None:
    spec = BRANDS[0]
    brand = parse_brand(tomllib.loads(spec.brand_toml))
    workspace_id = create_workspace(store, brand=brand, slug=spec.workspace).id
    load_demo_imports(store, {spec.workspace: workspace_id}, [spec], dt.date(2025, 6, 1))
    actor = Actor.operator(workspace_id)
    runs, total = list_runs(store, actor)
    by_format = {r.format: r for r in runs}
    assert set(FORMATS) - {"jsonl"} <= set(by_format)  # canonical JSONL comes in through the API batch
    assert {r.via for r in runs} == {"demo", "api", "webhook"} and total == len(runs) == 12
    assert all(r.accepted > 0 for r in runs)
    assert by_format["telegram"].filtered == 1 and by_format["x"].filtered == 2
    survey = by_format["csv"]
    assert survey.rejected == 1
    assert "does not match the time format" in next(iter_rejects(store, actor, run_id=survey.id))["reason"]
    assert by_format["canonical"].duplicate == 1 and by_format["canonical"].rejected == 1
    with store.read() as session:
        pending = select(func.count()).select_from(Item).where(Item.enriched_at.is_(None))
        assert session.scalar(pending) == 0  # the live items were enriched in place
    assert [t.name for t in list_tokens(store, actor)] == ["crm-sync"]
