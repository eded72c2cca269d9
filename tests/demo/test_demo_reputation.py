"""The demo's travelling press release, loaded through the product's paths: its pickups are found by link
and by text, against the scenario's truth, and its growth curve rises in the first week."""

from __future__ import annotations

import tomllib
import uuid

from sqlalchemy import select

from peyvand.demo import Scenario
from peyvand.demo.content import PRESS_KEY
from peyvand.domain.brand import parse_brand
from peyvand.services.access import Actor
from peyvand.services.content import save_content
from peyvand.services.content_spread import find_pickups, piece_spread, spread_report
from peyvand.services.ingest import ingest_records
from peyvand.services.workspaces import create_workspace
from peyvand.sources.base import Record
from peyvand.storage.db import Store
from peyvand.storage.tables import Item
from peyvand.storage.tables_reputation import ContentPickup


def test_press_release_pickups_match_the_story(store: Store, small: Scenario) -> None:
    ws = small.workspace("darcheh")
    brand = parse_brand(tomllib.loads(ws.brand_toml))
    actor = Actor.operator(create_workspace(store, brand=brand, slug=f"d-{uuid.uuid4().hex[:6]}").id)
    for piece in ws.content:
        if piece["team"] == "pr":
            save_content(store, actor, {**piece, "campaign": None})
    coverage = [dict(item) for items in ws.coverage.by_day.values() for item in items]
    records = (Record(f"item {i}", item=item) for i, item in enumerate(coverage))
    ingest_records(store, actor, records, label="coverage", format="demo")
    find_pickups(store, actor)

    pieces = {p.key: p for p in spread_report(store, actor).pieces}
    release = [pieces[PRESS_KEY], pieces[f"{PRESS_KEY}-en"]]
    with store.read() as session:
        found = set(
            session.scalars(
                select(Item.external_id)
                .join(ContentPickup, ContentPickup.item_id == Item.id)
                .where(ContentPickup.content_id.in_([p.id for p in release]))
            )
        )
    truth = set(ws.truth["content_pickups"][PRESS_KEY])  # type: ignore[index]
    assert found <= truth and len(found) >= 0.8 * len(truth)  # every pickup found is one, most are found
    assert sum(p.by_text for p in release) >= 1 and sum(p.by_link for p in release) >= 1
    curve = piece_spread(store, actor, content_id=release[0].id).curve
    assert curve.pickups[-1] == release[0].pickups
    assert curve.pickups[min(6, len(curve.days) - 1)] >= 0.7 * release[0].pickups  # most in the first week
