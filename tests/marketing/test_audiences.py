"""Target markets and segments: the filter language, saving, and what a definition matches (series, the
reach in raw events, the campaigns and loops that use it); and the demo's marketing part."""

from __future__ import annotations

import pytest

from marketing_data import FIRST, ingest, metric_items
from peyvand.domain.audiences import DefinitionError, check_definition, describe, matches
from peyvand.services.access import AccessDenied, Actor, InvalidInput
from peyvand.services.audiences import list_audiences, save_audience
from peyvand.services.campaigns import save_campaign
from peyvand.services.loops import save_loop
from peyvand.storage.db import Store


def test_the_filter_language() -> None:
    market = {"city": ["tehran", "karaj"], "age_band": ["25-34"]}
    assert matches(market, {"city": "tehran", "age_band": "25-34", "device": "mobile"})
    assert not matches(market, {"city": "shiraz", "age_band": "25-34"})
    assert not matches(market, {"city": "tehran"})  # a contact must carry every dimension
    assert matches(market, {"city": "tehran"}, partial=True)  # a series or event carries a few
    assert not matches(market, {"store": "tajrish"}, partial=True)  # ... but at least one
    lapsed = {"orders": {"gte": 1}, "last_order_days": {"gte": 90}}
    assert matches(lapsed, {"orders": 3, "last_order_days": "120"})
    assert not matches(lapsed, {"orders": 0, "last_order_days": 200})
    assert matches({"list": "newsletter"}, {"list": "newsletter"})
    assert matches({"tier": {"in": ["gold", "silver"], "ne": "bronze"}}, {"tier": "gold"})
    assert describe(lapsed) == "orders ≥ 1 · last_order_days ≥ 90"
    for bad in ({}, {"x": []}, {"x": {"about": 3}}, ["city"]):
        with pytest.raises(DefinitionError):
            check_definition(bad)


def _checkin(day: int, k: int, city: str, age: str, store: str) -> dict[str, object]:
    return {
        "id": f"ci-{day}-{k}",
        "source": "store_counter",
        "kind": "event",
        "event": "store_checkin",
        "at": f"2026-03-0{day}T1{k % 10}:00:00+03:30",
        "dims": {"store": store, "city": city, "age_band": age},
    }


def test_saved_definitions_with_what_they_match(store: Store, workspace: Actor) -> None:
    ingest(store, workspace, metric_items("store_visits", [100] * 3, dims={"store": "tajrish"}, first=FIRST))
    events = [_checkin(1, k, "tehran", "25-34", "tajrish") for k in range(6)]
    events += [_checkin(2, k, "tehran", "55+", "tajrish") for k in range(4)]
    events += [_checkin(3, k, "karaj", "25-34", "karaj") for k in range(3)]
    ingest(store, workspace, events)
    market = {
        "kind": "target_market",
        "key": "tehran-young",
        "name": "تهران جوان",
        "name_en": "Young Tehran",
        "dims": {"city": ["tehran"], "age_band": ["25-34", "35-44"]},
    }
    save_audience(store, workspace, market)
    save_audience(
        store,
        workspace,
        {"kind": "target_market", "key": "tajrish", "name": "Tajrish", "dims": {"store": ["tajrish"]}},
    )
    save_audience(
        store,
        workspace,
        {"kind": "segment", "key": "new", "name": "New", "dims": {"orders": {"eq": 0}}, "size": 80},
    )
    campaign = {"key": "c", "kind": "marketing", "name": "C", "products": ["p"], "starts_on": "2026-03-01"}
    save_campaign(store, workspace, {**campaign, "target_market_key": "tehran-young"})
    save_loop(store, workspace, {"key": "welcome", "name": "Welcome", "segment": "new"})
    views = {a.key: a for a in list_audiences(store, workspace)}
    assert views["tehran-young"].reach == {"store_checkin": 6}
    assert views["tehran-young"].used_by == ["c"]
    assert views["tajrish"].series == ['store_checkin{"store":"tajrish"}', 'store_visits{"store":"tajrish"}']
    assert views["tajrish"].reach == {"store_checkin": 10}
    assert views["new"].size == 80 and views["new"].used_by == ["welcome"] and views["new"].reach == {}
    save_audience(store, workspace, {**market, "dims": {"city": ["karaj"]}})  # update by key
    assert {a.key: a for a in list_audiences(store, workspace)}["tehran-young"].reach == {"store_checkin": 3}
    with pytest.raises(InvalidInput):
        save_audience(store, workspace, {**market, "dims": {"city": {"near": "x"}}})
    with pytest.raises(AccessDenied):
        save_audience(store, Actor(workspace.workspace_id, "viewer"), market)


def test_the_demo_loads_loops_segments_and_target_markets(store: Store, brand: object) -> None:
    from peyvand.demo import build_scenario
    from peyvand.services.loops import loop_reports
    from peyvand.services.marketing_demo import load_marketing_demo
    from peyvand.services.workspaces import create_workspace

    scenario = build_scenario(scale=0.01)
    ids = {
        ws.key: create_workspace(store, brand=brand, slug=f"demo-{ws.key}").id for ws in scenario.workspaces
    }  # type: ignore[arg-type]
    for ws in scenario.workspaces:  # campaigns first: loops and markets refer to them
        for campaign in ws.campaigns:
            save_campaign(store, Actor.operator(ids[ws.key]), campaign)
    load_marketing_demo(store, scenario, ids)
    darcheh = Actor.operator(ids["darcheh"])
    reports = {a.loop.key: a for a in loop_reports(store, darcheh)}
    assert set(reports) == {"welcome-nurture", "win-back"}
    welcome = reports["welcome-nurture"]
    assert welcome.loop.segment == "newsletter-new" and len(welcome.loop.steps) == 4
    assert welcome.report.contacts > 0 and welcome.report.converted.successes > 0
    keys = {(a.kind, a.key) for a in list_audiences(store, darcheh)}
    assert ("target_market", "tehran-25-45") in keys and ("segment", "lapsed-customers") in keys
