"""Bad input gets a clear error, never a crash: every state-changing page route (enumerated from the app)
and every page's query string, sent values of the wrong type, size or kind, answers 4xx (or does the
thing), never 500."""

from __future__ import annotations

import itertools
from typing import Any

from peyvand.services.campaigns import save_campaign
from security.routes import app_routes
from security.security_data import WorkspaceObjects
from security.test_workspace_scope import _values
from tests_support import Site

FIELDS = (
    "text", "note", "status", "priority", "assignee", "snooze", "unit", "item_id", "field", "value",
    "share_with", "ids", "name", "policy_id", "first_response_minutes", "next_response_minutes",
    "resolution_minutes", "escalate_after_minutes", "week", "thursday", "opens", "closes", "strategy", "cap",
    "auto_assign", "units", "in_rotation", "url", "rule_id", "action", "days", "reset", "decision", "stance",
    "beats", "notes", "contacted_on", "title", "published_at", "kind", "language", "key", "starts_on",
    "ends_on", "budget", "expected_return", "channels", "products", "target_market_key", "dims", "safe",
    "locale", "calendar", "next", "scope", "app_secret", "source", "format", "campaign", "name_en",
    "description", "currency", "owner_team", "iranian_holidays", "active", "q", "sort", "person", "sla",
    "escalated", "task", "label", "model", "limit",
)  # fmt: skip
GARBAGE = (
    "",
    "²",  # str.isdigit() says yes, int() says no
    "-1",
    "nan",
    "99999999999999999999999",
    "x" * 5000,
    "\x00",
    "2026-13-45",
    '{"city": 5}',
)
SKIP = {"/logout", "/login", "/workspace"}  # they end or replace the session the test is using


def _post_routes(site: Site) -> list[Any]:
    routes = app_routes(site.client.app)  # type: ignore[arg-type]
    return [r for r in routes if r.method == "POST" and r.is_page and r.path not in SKIP]


def test_no_post_route_answers_500_to_bad_form_values(site: Site, rich: WorkspaceObjects) -> None:
    site.login("admin-user")
    token = site.csrf("/pr")
    crashes = []
    for garbage in GARBAGE:
        for route in _post_routes(site):
            url = route.fill(_values(route, rich))
            form: dict[str, Any] = dict.fromkeys(FIELDS, garbage)
            form.update(
                csrf_token=token, ids=[garbage], units=[garbage], share_with=[garbage], scope=[garbage]
            )
            files = {"file": ("x.csv", garbage.encode() or b"-"), "mapping": ("m.toml", garbage.encode())}
            try:
                response = site.client.post(url, data=form, files=files if "import" in url else None)
            except Exception as exc:  # the test client raises what the app did not handle (a 500)
                crashes.append((url, garbage[:10], repr(exc)[:200]))
                continue
            if response.status_code >= 500:
                crashes.append((url, garbage[:10], str(response.status_code)))
        assert site.client.get("/pr").status_code == 200, garbage  # still signed in
    assert crashes == [], "\n".join(map(str, crashes))


QUERY_FIELDS = (
    "page", "days", "series", "grain", "unit", "by", "compare", "audience", "q", "via", "shared", "brand",
    "sales", "status", "assignee", "person", "sort", "rule", "table", "task",
)  # fmt: skip
QUERY_GARBAGE = ("²", "-1", "99999999999999999999999", "x" * 3000, "\x00")


def test_no_page_answers_500_to_bad_query_values(site: Site, rich: WorkspaceObjects) -> None:
    site.login("admin-user")
    routes = [r for r in app_routes(site.client.app) if r.method == "GET" and r.is_page]  # type: ignore[arg-type]
    crashes = []
    # All fields at once, then without those the framework checks (a 422 there would hide what the
    # services parse themselves: `assignee=²` reached int() only when `page` was valid).
    checked_by_the_framework = {"page", "days", "series"}
    field_sets = (QUERY_FIELDS, tuple(f for f in QUERY_FIELDS if f not in checked_by_the_framework))
    for garbage, route, fmt, fields in itertools.product(QUERY_GARBAGE, routes, (None, "json"), field_sets):
        url = route.fill(_values(route, rich))
        params = {**dict.fromkeys(fields, garbage), **({"format": fmt} if fmt else {})}
        try:
            response = site.client.get(url, params=params)
        except Exception as exc:  # the test client raises what the app did not handle (a 500)
            crashes.append((url, garbage[:10], fmt, repr(exc)[:200]))
            continue
        if response.status_code >= 500:
            crashes.append((url, garbage[:10], fmt, str(response.status_code)))
    assert crashes == [], "\n".join(map(str, crashes))


def test_ids_no_row_can_have_are_refused_not_crashed_on(site: Site, rich: WorkspaceObjects) -> None:
    site.login("admin-user")
    token = site.csrf("/pr")
    routes = [r for r in app_routes(site.client.app) if r.is_page and set(r.params) - {"key"}]  # type: ignore[arg-type]
    crashes = []
    for number, route in itertools.product((0, -1, 2**31, 10**30), routes):
        values = dict.fromkeys(route.params, number)
        url = route.fill(values)
        try:
            if route.method == "GET":
                status = site.client.get(url).status_code
            else:
                status = site.client.post(
                    url, data={"csrf_token": token, "text": "x", "note": "x"}
                ).status_code
        except Exception as exc:  # the test client raises what the app did not handle (a 500)
            crashes.append((url, repr(exc)[:200]))
            continue
        if status not in (404, 422) and not (status == 400 and "/assignment/agents/" in url):
            crashes.append((url, str(status)))
    assert crashes == [], "\n".join(map(str, crashes))


RULE = """id = "sec-rule"
when = { feedback = ["interaction"], intent = ["complaint"] }
unit = "media"

[reason]
en = "complaints to media"
fa = "شکایت"
"""


def _baselines(rich: WorkspaceObjects) -> dict[str, dict[str, Any]]:
    """A valid form for each state-changing route, by path: one field at a time is then spoiled."""
    cid, ids = rich.ids["conversation"], rich.ids
    return {
        f"/pr/conversations/{cid}/update": {"assignee": "me", "status": "snoozed", "snooze": "1h",
                                            "priority": "high"},
        f"/pr/conversations/{cid}/unit": {"unit": "media"},
        f"/pr/conversations/{cid}/notes": {"text": "ok"},
        f"/pr/conversations/{cid}/reply": {"text": "ok"},
        f"/pr/conversations/{cid}/handoff": {"note": "ok"},
        f"/pr/conversations/{cid}/override": {"item_id": str(ids["item"]), "field": "routing",
                                              "value": "pr/media", "share_with": "marketing", "note": "n"},
        "/pr/inbox/bulk": {"ids": str(cid), "assignee": "me", "status": "pending", "priority": "low",
                           "next": "/pr/inbox"},
        "/pr/inbox/filters": {"name": "f", "status": "all", "assignee": "me", "unit": "media",
                              "priority": "high", "sla": "missed", "person": str(ids["author"]), "q": "x",
                              "sort": "due"},
        f"/exchange/handoffs/{ids['handoff']}": {"status": "done"},
        "/pr/settings/sla": {"policy_id": str(ids["sla_policy"]), "name": "p", "unit": "media",
                             "first_response_minutes": "60", "next_response_minutes": "60",
                             "resolution_minutes": "600", "escalate_after_minutes": "30", "week": "iranian",
                             "thursday": "half", "opens": "08:00", "closes": "16:00", "active": "on"},
        "/pr/settings/rules": {"text": RULE, "rule_id": "", "action": "dry_run", "days": "30"},
        "/pr/settings/assignment": {"strategy": "round_robin", "cap": "5", "auto_assign": "on"},
        f"/pr/settings/assignment/agents/{rich.users['pr']}": {"units": "media", "in_rotation": "on"},
        "/pr/settings/outbound": {"url": "https://hooks.example/x"},
        f"/reputation/crises/{ids['crisis']}": {"decision": "confirm", "note": "n"},
        "/reputation/refresh": {"back": "/reputation"},
        "/reputation/content": {"title": "T", "url": "https://x.example", "kind": "article", "language": "en",
                                "published_at": "2026-03-01T09:00", "text": "t", "key": "k",
                                "campaign": "sec-brand", "unit": "media"},
        f"/reputation/media/{ids['author']}": {"stance": "neutral", "beats": "tea", "notes": "n",
                                               "contacted_on": "2026-03-01"},
        "/marketing/campaigns": {"key": "k2", "name": "n", "kind": "marketing", "owner_team": "marketing",
                                 "currency": "IRT", "starts_on": "2026-01-01", "ends_on": "2026-02-01",
                                 "products": "green-tea", "channels": "ads: paid", "budget": "100",
                                 "expected_return": "200", "target_market_key": "sec-market"},
        "/marketing/markets": {"kind": "segment", "key": "s", "name": "S", "dims": '{"city": ["tehran"]}',
                               "name_en": "S", "description": "d"},
        f"/marketing/loops/{rich.keys['loop']}/pause": {"note": "n"},
        f"/marketing/loops/{rich.keys['loop']}/crisis-safe": {"safe": "1"},
        "/integrations/tokens": {"name": "t", "scope": "ingest"},
        "/integrations/webhooks": {"kind": "meta", "name": "m", "app_secret": "s", "source": "src"},
        "/preferences": {"calendar": "jalali", "next": "/"},
        "/pr/labels": {"item_id": str(ids["item"]), "task": "sentiment", "label": "negative", "next_id": "0"},
    }  # fmt: skip


FIELD_GARBAGE = ("²", "nan", "-5", "x" * 3000, "\x00", "2026-13-45", "99999999999999999999999")


def test_no_form_answers_500_when_one_field_is_wrong(site: Site, rich: WorkspaceObjects) -> None:
    site.login("admin-user")
    token = site.csrf("/pr")
    crashes = []
    for url, baseline in _baselines(rich).items():
        baseline_status = site.client.post(url, data={**baseline, "csrf_token": token}).status_code
        assert baseline_status < 400, (url, baseline_status)  # the form is valid as it stands
        for name, garbage in itertools.product(baseline, FIELD_GARBAGE):
            form = {**baseline, name: garbage, "csrf_token": token}
            crashes += _crash(site, "POST", url, form, (name, garbage[:10]))
    # whatever was accepted, every page still shows (a stored NaN must not break a page later)
    for route in app_routes(site.client.app):  # type: ignore[arg-type]
        if route.method == "GET" and route.is_page:
            crashes += _crash(site, "GET", route.fill(_values(route, rich)), None, ("page",))
    assert crashes == [], "\n".join(map(str, crashes))


def _crash(
    site: Site, method: str, url: str, form: dict[str, Any] | None, what: tuple[str, ...]
) -> list[Any]:
    """[] when the request was answered below 500, else what crashed."""
    try:
        status = site.client.request(method, url, data=form).status_code
    except Exception as exc:  # the test client raises what the app did not handle (a 500)
        return [(url, *what, repr(exc)[:300])]
    return [(url, *what, str(status))] if status >= 500 else []


def test_downloads_named_after_a_persian_key_are_served(site: Site) -> None:
    """A download's file name holds the campaign's key; HTTP headers are Latin-1, so a Persian key once
    failed the whole answer."""
    app: Any = site.client.app
    key = 'بهار "۱"'
    save_campaign(app.state.store, site.workspace, {"key": key, "kind": "marketing", "name": "بهار",
                                                    "starts_on": "2026-01-01"})  # fmt: skip
    site.login("admin-user")
    response = site.client.get(f"/marketing/campaigns/{key}", params={"format": "csv"})
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.isascii() and "filename*=UTF-8''campaign-%D8%A8" in disposition
    assert 'filename="campaign-_.csv"' in disposition
