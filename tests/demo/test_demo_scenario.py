"""The scenario's shape: valid items, stable ids, brand files, plans, loops, users, determinism, speed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
import tomllib
from collections import defaultdict

import pytest

from peyvand.demo import Scenario, build_scenario
from peyvand.demo.lexicon import PHRASES
from peyvand.domain.brand import parse_brand
from peyvand.domain.items import TextItem, parse_item

END = dt.date(2025, 6, 1)
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def test_every_item_is_a_valid_canonical_item(small_items: dict[str, list[dict[str, object]]]) -> None:
    for items in small_items.values():
        for item in items:
            parse_item(item)


def test_ids_are_unique_per_source(small_items: dict[str, list[dict[str, object]]]) -> None:
    for items in small_items.values():
        seen: dict[str, set[str]] = defaultdict(set)
        for item in items:
            assert item["id"] not in seen[str(item["source"])], item["id"]
            seen[str(item["source"])].add(str(item["id"]))


def test_brand_files_parse_with_the_products_competitors_and_desired_attributes(small: Scenario) -> None:
    darcheh = parse_brand(tomllib.loads(small.workspace("darcheh").brand_toml))
    assert darcheh.brand.desired_attributes == ["trustworthy", "natural"]
    assert len(darcheh.products) == 4 and len(darcheh.competitors) == 2
    assert "darcheh" in darcheh.handles and darcheh.brand.journalist_domains and darcheh.brand.partner_domains
    lumira = parse_brand(tomllib.loads(small.workspace("lumira").brand_toml))
    assert lumira.is_desired("natural") and len(lumira.products) == 3


@pytest.mark.parametrize("workspace", sorted(PHRASES))
def test_every_attribute_clause_contains_a_term_of_its_attribute(small: Scenario, workspace: str) -> None:
    brand = parse_brand(tomllib.loads(small.workspace(workspace).brand_toml))
    for key, polarities in PHRASES[workspace].items():
        attribute = brand.attribute(key)
        assert attribute is not None, key
        for by_language in polarities.values():
            for language, clauses in by_language.items():
                terms = [t.lower() for t in attribute.terms[language]]
                for clause in clauses:
                    assert any(re.search(rf"(?<!\w){re.escape(t)}", clause.lower()) for t in terms), clause


def _digest(scenario: Scenario) -> str:
    h = hashlib.sha256()
    for ws in scenario.workspaces:
        for item in ws.items():
            h.update(json.dumps(item, ensure_ascii=False, sort_keys=True).encode())
        h.update(json.dumps([ws.truth, ws.loops, ws.content, ws.campaigns], ensure_ascii=False).encode())
    return h.hexdigest()


def test_same_seed_same_scenario_other_seed_other_scenario(small: Scenario) -> None:
    again = build_scenario(seed=1405, end=END, scale=0.05)
    assert _digest(again) == _digest(small)
    assert _digest(build_scenario(seed=7, end=END, scale=0.05)) != _digest(small)


def test_small_scale_builds_and_streams_quickly() -> None:
    started = time.perf_counter()
    scenario = build_scenario(seed=3, end=END, scale=0.05)
    count = sum(1 for ws in scenario.workspaces for _ in ws.items())
    elapsed = time.perf_counter() - started
    assert count > 5_000
    assert elapsed < 3.0, f"scale 0.05 took {elapsed:.2f}s (it should take well under a second)"


def test_outputs_are_json_serialisable(small: Scenario) -> None:
    for ws in small.workspaces:
        plans = [ws.campaigns, ws.segments, ws.target_markets]
        payload = [ws.brand_toml, ws.users, *plans, ws.content, ws.loops, ws.truth]
        assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
    json.dumps(small.users, ensure_ascii=False)


def test_replies_come_after_what_they_answer_and_from_the_brand(
    small_items: dict[str, list[dict[str, object]]],
) -> None:
    for workspace, items in small_items.items():
        handle = "darcheh" if workspace == "darcheh" else "lumira.skin"
        seen: dict[tuple[str, str], TextItem] = {}
        for raw in items:
            item = parse_item(raw)
            if not isinstance(item, TextItem):
                continue
            if item.in_reply_to:
                parent = seen[(item.source, item.in_reply_to)]
                assert parent.created_at <= item.created_at
                assert parent.thread_id == item.thread_id
            assert item.created_at.astimezone(TEHRAN).date() <= END
            if item.direction == "outbound":
                assert item.author.handle == handle or (item.author.email or "").endswith(".example")
            seen[(item.source, item.id)] = item


def test_users_admin_in_every_workspace_and_every_role_present(small: Scenario) -> None:
    admin = next(u for u in small.users if u["username"] == "admin")
    assert [m["workspace"] for m in admin["memberships"]] == ["darcheh", "lumira"]  # type: ignore[attr-defined]
    roles = {u["role"] for ws in small.workspaces for u in ws.users}
    assert roles == {"admin", "pr", "marketing", "viewer"}
    for user in small.users:
        assert user["password"] == "peyvand-demo"
        assert user["locale"] in ("fa", "en") and user["calendar"] in ("jalali", "gregorian")


def test_campaigns_reference_what_exists(small: Scenario) -> None:
    for ws in small.workspaces:
        content = {c["key"] for c in ws.content}
        markets = {m["key"] for m in ws.target_markets}
        for campaign in ws.campaigns:
            assert set(campaign["content"]) <= content  # type: ignore[arg-type]
            if campaign["kind"] == "marketing":
                assert campaign["owner_team"] == "marketing" and campaign["target_market_key"] in markets
                assert campaign["budget"] > 0 and campaign["expected_return"] > 0  # type: ignore[operator]
                assert {c["type"] for c in campaign["channels"]} <= {"paid", "owned", "earned"}  # type: ignore[attr-defined]
    branding = small.workspace("darcheh").campaigns[0]
    assert branding["kind"] == "branding" and branding["owner_team"] == "pr"
    assert any(k.get("attribute") == "natural" for k in branding["kpis"])  # type: ignore[attr-defined]


def test_sponsored_comments_name_a_campaign_that_exists(
    small_items: dict[str, list[dict[str, object]]], small: Scenario
) -> None:
    for workspace, items in small_items.items():
        keys = {c["key"] for c in small.workspace(workspace).campaigns}
        sponsored = [i for i in items if isinstance(i.get("context"), dict) and i["context"].get("sponsored")]
        assert sponsored
        assert {i["context"]["campaign"] for i in sponsored} <= keys  # type: ignore[index]


def test_loops_send_their_steps_and_stop_at_conversion(small: Scenario) -> None:
    for ws in small.workspaces:
        content = {c["key"] for c in ws.content}
        segments = {s["key"] for s in ws.segments}
        for loop in ws.loops:
            assert loop["segment"] in segments
            steps = {s["step"]: s["content"] for s in loop["steps"]}  # type: ignore[attr-defined]
            assert set(steps.values()) <= content
            journeys: dict[str, list[dict[str, object]]] = defaultdict(list)
            for event in loop["loop_events"]:  # type: ignore[attr-defined]
                assert re.fullmatch(r"c-[0-9a-f]{12}", event["contact"])
                assert steps[event["step"]] == event["content"]
                journeys[event["contact"]].append(event)
            for events in journeys.values():
                names = [e["event"] for e in events]
                assert names[0] == "send" and names.count("convert") <= 1
                assert "convert" not in names[:-1] and "unsubscribe" not in names[:-1]
            assert sum(e["event"] == "convert" for e in loop["loop_events"]) > 0  # type: ignore[attr-defined]
