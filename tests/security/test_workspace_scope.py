"""Every query is scoped to a workspace: a person of workspace B who names workspace A's objects (in a path,
a form or a query string) gets 404, and A's objects stay as they were.

The attacker is the strongest person B has: an admin (every permission), who is also an admin of A but
has switched to B, so any answer but 404 comes from a missing workspace check, not from a role.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from peyvand.services.api_tokens import create_token
from peyvand.services.ingest import ingest_records
from peyvand.sources.base import Record
from peyvand.storage.tables import Conversation, DecisionLog, Handoff, Item
from peyvand.storage.tables_inbox import SlaPolicyRecord
from peyvand.storage.tables_reputation import Crisis
from security.routes import Route, app_routes
from security.security_data import UNSHARED_TEXT, WorkspaceObjects
from tests_support import Site

# What a path parameter names, by the route's path (a parameter name can mean different things).
KEYED = {
    "/reputation/branding/{key}": "branding",
    "/marketing/campaigns/{key}": "campaign",
    "/marketing/campaigns/{key}/edit": "campaign",
    "/marketing/loops/{key}": "loop",
    "/marketing/loops/{key}/pause": "loop",
    "/marketing/loops/{key}/resume": "loop",
    "/marketing/loops/{key}/crisis-safe": "loop",
}
IDS = {
    "conversation_id": "conversation",
    "filter_id": "saved_filter",
    "handoff_id": "handoff",
    "policy_id": "sla_policy",
    "token_id": "token",
    "endpoint_id": "webhook",
    "run_id": "run",
    "crisis_id": "crisis",
    "content_id": "content",
    "author_id": "author",
}
# A valid form for each state-changing route, so that only the workspace check can refuse it.
FORMS: dict[str, dict[str, Any]] = {
    "/pr/conversations/{conversation_id}/update": {"status": "resolved", "priority": "urgent"},
    "/pr/conversations/{conversation_id}/unit": {"unit": "advertising"},
    "/pr/conversations/{conversation_id}/notes": {"text": "note from B"},
    "/pr/conversations/{conversation_id}/reply": {"text": "reply from B"},
    "/pr/conversations/{conversation_id}/handoff": {"note": "handoff from B"},
    "/pr/conversations/{conversation_id}/override": {"field": "sentiment", "value": "negative"},
    "/exchange/handoffs/{handoff_id}": {"status": "done"},
    "/reputation/crises/{crisis_id}": {"decision": "confirm", "note": "from B"},
    "/reputation/media/{author_id}": {"stance": "critical", "notes": "from B"},
    "/marketing/loops/{key}/pause": {"note": "from B"},
    "/marketing/loops/{key}/crisis-safe": {"safe": "1"},
    "/pr/settings/assignment/agents/{user_id}": {"units": ["media"], "in_rotation": "on"},
    "/settings/members/{user_id}/role": {"role": "viewer"},
}


def _as_admin_of_b(site: Site) -> None:
    site.login("admin-user")
    token = site.csrf("/pr")
    switched = site.client.post(
        "/workspace", data={"workspace_id": site.other.workspace_id, "csrf_token": token}
    )
    assert switched.status_code == 303
    texts = [i["text"] for i in site.client.get("/pr", params={"format": "json"}).json()]
    assert "a message for the second brand only" in texts and UNSHARED_TEXT not in texts


def _values(route: Route, rich: WorkspaceObjects) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in route.params:
        if name == "key" and route.path == "/help/{key}":
            values[name] = "formulas"  # a document of the product, the same in every workspace
        elif name == "key":
            values[name] = rich.keys[KEYED[route.path]]
        elif name == "user_id":
            values[name] = rich.users["pr"]  # a PR person of A only
        else:
            values[name] = rich.ids[IDS[name]]
    return values


def _request(site: Site, route: Route, rich: WorkspaceObjects) -> tuple[str, int, str]:
    url = route.fill(_values(route, rich))
    if route.method == "GET":
        response = site.client.get(url)
    else:
        form = dict(FORMS.get(route.path, {}))
        if route.path.endswith("/override"):
            form["item_id"] = rich.ids["item"]
        response = site.client.post(url, data={**form, "csrf_token": site.csrf("/pr")})
    return url, response.status_code, response.text


def _id_routes(site: Site) -> list[Route]:
    routes = [r for r in app_routes(site.client.app) if r.is_page and r.params]  # type: ignore[arg-type]
    routes = [r for r in routes if r.path != "/help/{key}"]  # the product's documents: no workspace's objects
    assert len(routes) >= 20, routes  # the enumeration found the app's routes
    return routes


def test_every_id_taking_route_answers_404_for_another_workspaces_objects(
    site: Site, rich: WorkspaceObjects
) -> None:
    _as_admin_of_b(site)
    answers = {}
    for route in _id_routes(site):
        url, status, text = _request(site, route, rich)
        answers[f"{route.method} {url}"] = status
        assert UNSHARED_TEXT not in text, url
        if route.method == "GET":
            for fmt in ("csv", "json"):
                other = site.client.get(url, params={"format": fmt})
                assert other.status_code == 404, (url, fmt, other.status_code)
                assert UNSHARED_TEXT not in other.text
    # Putting a user of another workspace in B's rotation is refused as invalid (the user is not B's).
    agents = {k: v for k, v in answers.items() if "/assignment/agents/" in k}
    assert set(agents.values()) == {400}, agents
    others = {k: v for k, v in answers.items() if k not in agents}
    assert {k: v for k, v in others.items() if v != 404} == {}
    _assert_a_unchanged(site, rich)
    # The same ids in their own workspace: every page is there (the 404s above were the scope, not typos).
    site.client.post(
        "/workspace", data={"workspace_id": site.workspace.workspace_id, "csrf_token": site.csrf()}
    )
    for route in _id_routes(site):
        if route.method == "GET":
            url = route.fill(_values(route, rich))
            assert site.client.get(url).status_code == 200, url


def _assert_a_unchanged(site: Site, rich: WorkspaceObjects) -> None:
    store = site.client.app.state.store  # type: ignore[attr-defined]
    with store.read() as session:
        conversation = session.get(Conversation, rich.ids["conversation"])
        assert conversation is not None
        assert (conversation.status, conversation.priority, conversation.unit) == ("open", "normal", None)
        corrections = session.scalars(select(DecisionLog.id).where(DecisionLog.item_id == rich.ids["item"]))
        assert list(corrections) == []
        crisis = session.get(Crisis, rich.ids["crisis"])
        assert crisis is not None and crisis.status == "suggested"
        handoff = session.get(Handoff, rich.ids["handoff"])
        assert handoff is not None and handoff.status == "open"
        assert session.get(SlaPolicyRecord, rich.ids["sla_policy"]) is not None
        texts = list(
            session.scalars(select(Item.text).where(Item.conversation_id == rich.ids["conversation"]))
        )
        assert "reply from B" not in texts


def test_ids_in_forms_and_queries_are_scoped_too(site: Site, rich: WorkspaceObjects) -> None:
    _as_admin_of_b(site)
    token = site.csrf("/pr")
    bulk = site.client.post(
        "/pr/inbox/bulk", data={"ids": [rich.ids["conversation"]], "status": "resolved", "csrf_token": token}
    )
    assert bulk.status_code == 404
    policy = site.client.post(
        "/pr/settings/sla",
        data={"policy_id": rich.ids["sla_policy"], "name": "taken over", "first_response_minutes": "5",
              "csrf_token": token},
    )  # fmt: skip
    assert policy.status_code == 404
    mine = site.client.get("/pr/inbox", params={"format": "json"}).json()
    override = site.client.post(
        f"/pr/conversations/{mine[0]['id']}/override",
        data={"item_id": rich.ids["item"], "field": "sentiment", "value": "negative", "csrf_token": token},
    )
    assert override.status_code == 404
    series = site.client.get("/marketing", params={"series": rich.ids["series"], "format": "json"})
    assert series.status_code == 404 and "Zq" not in series.text  # another workspace's series is not found
    compare = site.client.get("/reputation/attributes", params={"compare": rich.keys["branding"]})
    assert compare.status_code in (400, 404) and "Zq brand" not in compare.text
    _assert_a_unchanged(site, rich)
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        record = session.get(SlaPolicyRecord, rich.ids["sla_policy"])
        assert record is not None and record.name == "Zq policy"


def test_the_person_filter_does_not_read_another_workspaces_people(
    site: Site, rich: WorkspaceObjects
) -> None:
    """`?person=` names an author; an author id of workspace A must not find B's conversations of people
    with the same handle (which would tell B who A's author is)."""
    app: Any = site.client.app
    item = {"id": "b-same", "source": "x", "kind": "comment", "created_at": "2026-03-01T10:00:00Z",
            "text": "hello from the same handle", "author": {"handle": "zq_unshared"}}  # fmt: skip
    ingest_records(app.state.store, site.other, [Record("1", item=item)], label="t", format="t")
    _as_admin_of_b(site)
    found = site.client.get("/pr/inbox", params={"person": rich.ids["author"], "format": "json"}).json()
    assert found == []


def test_api_tokens_read_only_their_own_workspaces_import_runs(site: Site, rich: WorkspaceObjects) -> None:
    app: Any = site.client.app
    from peyvand.services.access import Actor

    b_admin = Actor(site.other.workspace_id, "admin", rich.users["admin"])
    b_token = create_token(
        app.state.store, b_admin, name="b", scopes=["imports:read"], pepper=app.state.token_pepper
    ).secret
    headers = {"Authorization": f"Bearer {b_token}"}
    answer = site.client.get(f"/api/v1/imports/{rich.ids['run']}", headers=headers)
    assert answer.status_code == 404 and "Zqx" not in answer.text
    mine = site.client.get(
        f"/api/v1/imports/{rich.ids['run']}", headers={"Authorization": f"Bearer {rich.token}"}
    )
    assert mine.status_code == 200 and mine.json()["rejected"] == 1
    with app.state.store.read() as session:
        assert session.scalar(select(Conversation.id).where(Conversation.id == rich.ids["conversation"]))
