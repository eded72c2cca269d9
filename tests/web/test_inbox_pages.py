"""The inbox pages over HTTP: they render, every table answers csv and json, every POST needs the CSRF
token, the working flow (assign, reply, resolve), roles, and the secret shown once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from peyvand.storage.tables import Conversation, Item
from peyvand.web.routes import inbox, inbox_settings
from tests_support import Site, text_of

TABLE_PAGES = ("/pr/inbox", "/pr/sla", "/pr/settings/sla", "/pr/settings/rules", "/pr/settings/assignment",
               "/pr/settings/outbound")  # fmt: skip


def _conversation(site: Site, external_id: str) -> int:
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        found = session.scalar(
            select(Item.conversation_id).where(
                Item.workspace_id == site.workspace.workspace_id, Item.external_id == external_id
            )
        )
    assert found is not None
    return int(found)


def _post(site: Site, path: str, data: dict[str, str], page: str = "/pr/inbox") -> int:
    response = site.client.post(path, data={**data, "csrf_token": site.csrf(page)})
    return response.status_code


def test_inbox_pages_render_and_answer_csv_and_json(site: Site) -> None:
    site.login("admin-user")
    cid = _conversation(site, "d1")
    for path in (*TABLE_PAGES, f"/pr/conversations/{cid}"):
        page = site.client.get(path)
        assert page.status_code == 200, path
        assert 'id="nav-inbox"' in page.text
        as_json = site.client.get(path, params={"format": "json"})
        assert as_json.status_code == 200 and isinstance(as_json.json(), list), path
        as_csv = site.client.get(path, params={"format": "csv"})
        assert as_csv.headers["content-type"].startswith("text/csv"), path
    rows = site.client.get("/pr/inbox", params={"format": "json"}).json()
    assert {r["source"] for r in rows} == {"instagram", "telegram"}  # conversations, not the news article
    assert {"status", "priority", "assignee", "unit", "sla", "other_sources"} <= set(rows[0])
    thread = site.client.get(f"/pr/conversations/{cid}", params={"format": "json"}).json()
    assert [m["text"] for m in thread] == ["Hello, is green tea available?"]
    assert "second brand" not in site.client.get("/pr/inbox").text


def test_every_inbox_post_needs_the_csrf_token(site: Site) -> None:
    site.login("admin-user")
    routes = [*inbox.router.routes, *inbox_settings.router.routes]
    paths = [r.path for r in routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert len(paths) == 17  # a new POST route must be added here knowingly
    for path in paths:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        response = site.client.post(
            concrete, data={"text": "x", "status": "resolved", "url": "https://x.example"}
        )
        assert response.status_code == 403, path
        assert "CSRF" in response.text, path


def test_assign_reply_and_resolve_through_the_pages(site: Site) -> None:
    site.login("pr-user")
    cid = _conversation(site, "d1")
    page = f"/pr/conversations/{cid}"
    assert _post(site, f"{page}/update", {"assignee": "me"}, page) == 303
    body = text_of(site.client.get(page).text)
    assert "Assignee: pr" in body
    assert "your reply will be logged in the thread but not sent out" in body
    assert _post(site, f"{page}/reply", {"text": "Yes, it is in stock."}, page) == 303
    assert _post(site, f"{page}/notes", {"text": "Customer from Tabriz"}, page) == 303
    assert _post(site, f"{page}/update", {"status": "resolved"}, page) == 303
    after = site.client.get(page).text
    assert "Yes, it is in stock." in after and "Not sent" in after and "Customer from Tabriz" in after
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        conversation = session.get(Conversation, cid)
        assert conversation is not None and conversation.status == "resolved"
    assert cid not in {r["id"] for r in site.client.get("/pr/inbox", params={"format": "json"}).json()}
    mine = site.client.get("/pr/inbox", params={"status": "all", "assignee": "me", "format": "json"}).json()
    assert [r["id"] for r in mine] == [cid]


def test_bulk_form_saved_filters_and_search(site: Site) -> None:
    site.login("pr-user")
    ids = [str(_conversation(site, x)) for x in ("c1", "d1")]
    response = site.client.post(
        "/pr/inbox/bulk",
        data={"ids": ids, "priority": "high", "csrf_token": site.csrf("/pr/inbox"), "next": "/pr/inbox"},
    )
    assert response.status_code == 303
    rows = site.client.get("/pr/inbox", params={"priority": "high", "format": "json"}).json()
    assert sorted(str(r["id"]) for r in rows) == sorted(ids)
    saved = site.client.post(
        "/pr/inbox/filters", data={"name": "Hot", "priority": "high", "csrf_token": site.csrf("/pr/inbox")}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/pr/inbox?priority=high"
    assert ">Hot</a>" in site.client.get("/pr/inbox").text
    found = site.client.get("/pr/inbox", params={"q": "عاليه", "format": "json"}).json()  # Arabic ي
    assert [r["id"] for r in found] == [int(ids[0])]


def test_roles_marketing_and_viewers_do_not_work_the_inbox(site: Site) -> None:
    site.login("marketing-user")
    assert site.client.get("/pr/inbox").status_code == 403
    cid = _conversation(site, "d1")
    assert _post(site, f"/pr/conversations/{cid}/reply", {"text": "hi"}, "/pr") == 403
    assert 'id="nav-inbox"' not in site.client.get("/pr").text
    site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
    site.login("viewer-user")
    assert site.client.get("/pr/inbox").status_code == 403
    assert site.client.get(f"/pr/conversations/{cid}").status_code == 403
    assert site.client.get("/pr/sla").status_code == 200  # numbers only
    site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
    site.login("pr-user")
    assert (
        _post(site, "/pr/settings/sla", {"name": "x", "first_response_minutes": "5"}, "/pr/settings/sla")
        == 403
    )
    assert (
        _post(site, "/pr/settings/outbound", {"url": "https://x.example/hook"}, "/pr/settings/outbound")
        == 403
    )


def test_outbound_secret_is_shown_once(site: Site) -> None:
    site.login("admin-user")
    response = site.client.post(
        "/pr/settings/outbound",
        data={"url": "https://hooks.example/peyvand", "csrf_token": site.csrf("/pr/settings/outbound")},
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    secret = re.search(r"whsec_[A-Za-z0-9+/=]+", response.text)
    assert secret
    later = site.client.get("/pr/settings/outbound").text
    assert secret.group(0) not in later and "https://hooks.example/peyvand" in later
    assert secret.group(0) not in site.client.get("/pr/settings/outbound", params={"format": "json"}).text


def test_sla_policy_form_and_rule_dry_run(site: Site) -> None:
    site.login("admin-user")
    data = {"name": "Standard", "first_response_minutes": "60", "week": "iranian", "thursday": "half",
            "opens": "09:00", "closes": "17:00", "iranian_holidays": "on", "active": "on"}  # fmt: skip
    assert _post(site, "/pr/settings/sla", data, "/pr/settings/sla") == 303
    policies = site.client.get("/pr/settings/sla", params={"format": "json"}).json()
    assert [(p["name"], p["first_response_minutes"], p["thursday"]) for p in policies] == [
        ("Standard", 60.0, "half")
    ]
    rule = site.client.get("/pr/settings/rules", params={"rule": "R2-conversations"}).text
    text = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', rule, re.S)
    assert text
    import html

    changed = html.unescape(text.group(1)).replace('team = "pr"', 'team = "pr"\nunit = "media"')
    dry = site.client.post(
        "/pr/settings/rules",
        data={"text": changed, "rule_id": "R2-conversations", "action": "dry_run", "days": "3650",
              "csrf_token": site.csrf("/pr/settings/rules")},
    )  # fmt: skip
    assert dry.status_code == 200 and 'id="dry-run-result"' in dry.text and "pr/media" in dry.text


def test_exchange_shows_handoffs_to_marketing_not_to_viewers(site: Site) -> None:
    site.login("pr-user")
    cid = _conversation(site, "d1")
    page = f"/pr/conversations/{cid}"
    assert _post(site, f"{page}/handoff", {"note": "Wholesale lead: send prices"}, page) == 303
    site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
    site.login("marketing-user")
    exchange = site.client.get("/exchange").text
    assert 'id="handoffs"' in exchange and "Wholesale lead: send prices" in exchange
    assert site.client.get(page).status_code == 200  # marketing reads the handed-off conversation
    table = site.client.get("/exchange/handoffs", params={"format": "json"}).json()
    assert [(h["note"], h["status"], h["conversation_id"]) for h in table] == [
        ("Wholesale lead: send prices", "open", cid)
    ]
    assert site.client.get("/exchange/handoffs", params={"format": "csv"}).text.startswith("id,")
    site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
    site.login("viewer-user")
    assert "Wholesale lead" not in site.client.get("/exchange").text
    assert site.client.get("/exchange/handoffs", params={"format": "json"}).status_code == 403


@pytest.mark.parametrize("path", ["/pr/inbox", "/pr/sla", "/pr/settings/sla"])
def test_inbox_pages_in_persian_are_right_to_left(site: Site, path: str) -> None:
    site.login("pr-user")
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf("/pr"), "next": "/pr"})
    page = site.client.get(path).text
    assert '<html lang="fa" dir="rtl">' in page and "صندوق گفت‌وگوها" in page


def test_a_download_holds_the_whole_filtered_list_in_parts(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows 50 conversations; its csv/json holds all of them (in parts of EXPORT_ROWS, the
    total and the next part in the headers)."""
    from peyvand.web import render
    from web_data import ingest_objects

    app: Any = site.client.app
    ingest_objects(
        app.state.store,
        site.workspace,
        *(
            {"id": f"bulk{n}", "source": "telegram", "kind": "direct_message",
             "created_at": "2026-03-02T10:00:00Z", "text": f"سلام، سفارش {n} کی میرسه؟",
             "author": {"handle": f"person{n}"}}
            for n in range(60)
        ),
    )  # fmt: skip
    site.login("admin-user")
    everything = site.client.get("/pr/inbox", params={"format": "json", "status": "all"})
    total = int(everything.headers["X-Total-Count"])
    assert total >= 60 and len(everything.json()) == total and "Link" not in everything.headers
    shown = site.client.get("/pr/inbox", params={"status": "all"}).text
    assert shown.count('name="ids"') == 50
    monkeypatch.setattr(render, "EXPORT_ROWS", 25)
    monkeypatch.setattr(inbox, "EXPORT_ROWS", 25)
    first = site.client.get("/pr/inbox", params={"format": "csv", "status": "all"})
    assert first.text.count("\n") == 26 and 'page=2>; rel="next"' in first.headers["Link"]
    seen = 0
    for part in range(1, -(-total // 25) + 1):
        answer = site.client.get("/pr/inbox", params={"format": "json", "status": "all", "page": part})
        seen += len(answer.json())
    assert seen == total and "Link" not in answer.headers
