"""Roles are checked in one place, and no query crosses workspaces."""

from __future__ import annotations

import io
import json

import pytest

from peyvand.domain.brand import BrandProfile
from peyvand.services.access import PERMISSIONS, AccessDenied, Actor, NotFound, require
from peyvand.services.desks import PrFilters, pr_desk
from peyvand.services.export import iter_items
from peyvand.services.ingest import ingest_records
from peyvand.services.series import list_series, recent_raw, series_points
from peyvand.services.workspaces import create_workspace
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store


def _ingest(store: Store, actor: Actor, *objs: dict) -> None:  # type: ignore[type-arg]
    data = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)
    ingest_records(
        store, actor, jsonl.parse(io.BytesIO(data), context=SourceContext()), label="t", format="jsonl"
    )


LEAD = {
    "id": "lead",
    "source": "telegram",
    "kind": "direct_message",
    "created_at": "2026-03-01T10:00:00Z",
    "text": "price?",
    "author": {"handle": "buyer"},
}
COMPLAINT = {
    "id": "c",
    "source": "telegram",
    "kind": "direct_message",
    "created_at": "2026-03-01T11:00:00Z",
    "text": "bad",
    "author": {"handle": "angry"},
}
VISITS = {
    "id": "v",
    "source": "ga4",
    "kind": "metric",
    "metric": "site_visits",
    "at": "2026-03-01",
    "value": 5,
}


def test_role_matrix_is_the_single_source() -> None:
    viewer = Actor(1, "viewer")
    assert viewer.can("exchange.read") and not viewer.can("ingest.write")
    assert Actor(1, "pr").can("conversations.work") and not Actor(1, "pr").can("marketing.raw")
    assert Actor(1, "marketing").can("marketing.raw") and not Actor(1, "marketing").can(
        "conversations.read_all"
    )
    assert all(Actor(1, "operator").can(p) for p in PERMISSIONS)
    with pytest.raises(KeyError):
        viewer.can("no.such.permission")
    with pytest.raises(AccessDenied):
        require(viewer, "workspace.admin")


def test_workspaces_never_see_each_other(store: Store, workspace: Actor, brand: BrandProfile) -> None:
    other = Actor.operator(create_workspace(store, brand=brand, slug="other-brand").id)
    _ingest(store, workspace, COMPLAINT, VISITS)
    _ingest(store, other, {**COMPLAINT, "id": "c-other", "text": "other brand's message"})
    mine = pr_desk(store, workspace, filters=PrFilters())
    theirs = pr_desk(store, other, filters=PrFilters())
    assert [i.external_id for i in mine.items] == ["c"]
    assert [i.external_id for i in theirs.items] == ["c-other"]
    assert [r["id"] for r in iter_items(store, other)] == ["c-other"]
    my_series = list_series(store, workspace)
    assert my_series and list_series(store, other) == []
    with pytest.raises(NotFound):
        series_points(store, other, series_id=my_series[0].id)


def test_marketing_sees_only_shared_conversations_and_pr_no_raw_data(store: Store, workspace: Actor) -> None:
    from peyvand.storage.tables import Item

    _ingest(store, workspace, LEAD, COMPLAINT, VISITS)
    with store.transaction() as session:  # mark the lead as shared, as rule 5 does for a sales signal
        lead = session.query(Item).filter_by(workspace_id=workspace.workspace_id, external_id="lead").one()
        lead.share_with = ["marketing"]
    marketing = Actor(workspace.workspace_id, "marketing", user_id=1)
    pr = Actor(workspace.workspace_id, "pr", user_id=2)
    viewer = Actor(workspace.workspace_id, "viewer", user_id=3)
    shared = pr_desk(store, marketing, filters=PrFilters())
    assert shared.shared_only and [i.external_id for i in shared.items] == ["lead"]
    assert {i.external_id for i in pr_desk(store, pr, filters=PrFilters()).items} == {"lead", "c"}
    assert pr_desk(store, viewer, filters=PrFilters()).sees_messages is False
    assert recent_raw(store, marketing)[0] == 1
    with pytest.raises(AccessDenied):
        recent_raw(store, pr)
    with pytest.raises(AccessDenied):
        list(iter_items(store, marketing))
