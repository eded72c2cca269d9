"""The web app through HTTP: login, CSRF, the three pages, languages, calendars, roles and workspaces."""

from __future__ import annotations

import pytest

from tests_support import PASSWORD, Site, text_of


def test_pages_need_login(site: Site) -> None:
    for path in ("/pr", "/marketing", "/exchange", "/"):
        response = site.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_login_needs_csrf_and_right_password(site: Site) -> None:
    no_token = site.client.post("/login", data={"username": "pr-user", "password": PASSWORD})
    assert no_token.status_code == 403
    token = site.csrf()
    wrong = site.client.post("/login", data={"username": "pr-user", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "نام کاربری یا گذرواژه نادرست است" in wrong.text  # Persian first
    good = site.client.post(
        "/login",
        data={
            "username": "pr-user",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/",
        },
    )
    assert good.status_code == 303 and good.headers["location"] == "/"


def test_pr_desk_lists_items_newest_first_with_filters_and_formats(site: Site) -> None:
    site.login("pr-user")
    page = site.client.get("/pr")
    assert page.status_code == 200
    body = text_of(page.text)
    assert (
        body.index("Hello, is green tea available?")
        < body.index("Niloofar Tea expands")
        < body.index("عالیه")
    )
    only_news = site.client.get("/pr", params={"source": "news"})
    assert "Niloofar Tea expands" in only_news.text and "عالیه" not in only_news.text
    by_unit = site.client.get("/pr", params={"unit": "media", "format": "json"}).json()
    assert [row["external_id"] for row in by_unit] == ["a1"]
    csv = site.client.get("/pr", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "external_id" in csv.text.splitlines()[0]
    assert "second brand" not in page.text


def test_marketing_desk_chart_and_raw_controls_by_role(site: Site) -> None:
    site.login("marketing-user")
    page = site.client.get("/marketing")
    assert page.status_code == 200
    assert 'id="series-chart-data"' in page.text and "site_visits" in page.text
    assert 'id="rebuild-rollups"' in page.text
    data = site.client.get("/marketing", params={"format": "json"}).json()
    assert [row["value"] for row in data] == [1200.0, 1350.0]
    site.client.post("/logout", data={"csrf_token": site.csrf("/marketing")})
    site.login("pr-user")
    pr_view = site.client.get("/marketing")
    assert pr_view.status_code == 200 and "site_visits" in pr_view.text
    assert 'id="rebuild-rollups"' not in pr_view.text
    refused = site.client.post("/marketing/rollups", data={"csrf_token": site.csrf("/marketing")})
    assert refused.status_code == 403


def test_marketing_sees_no_unshared_messages_and_viewer_none(site: Site) -> None:
    site.login("marketing-user")
    assert "عالیه" not in site.client.get("/pr").text
    site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
    site.login("viewer-user")
    page = site.client.get("/pr")
    assert "عالیه" not in page.text and "not the messages themselves" in page.text


def test_exchange_shows_both_teams(site: Site) -> None:
    site.login("viewer-user")
    page = site.client.get("/exchange")
    assert page.status_code == 200
    assert 'id="exchange-pr"' in page.text and 'id="exchange-marketing"' in page.text
    rows = site.client.get("/exchange", params={"format": "json"}).json()
    site_visits = next(r for r in rows if r["key"] == "site_visits")
    assert site_visits["value"] == 2550.0 and site_visits["team"] == "marketing"


def test_persian_interface_is_rtl_with_jalali_dates(site: Site) -> None:
    site.login("pr-user")
    english = site.client.get("/pr")
    assert 'dir="ltr"' in english.text and "PR desk" in english.text and "2026" in english.text
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf("/pr"), "next": "/pr"})
    site.client.post(
        "/preferences", data={"calendar": "jalali", "csrf_token": site.csrf("/pr"), "next": "/pr"}
    )
    persian = site.client.get("/pr")
    assert '<html lang="fa" dir="rtl">' in persian.text
    assert "میز روابط عمومی" in persian.text
    assert "۱۴۰۴" in persian.text and "اسفند" in persian.text  # 2026-03-01 is 10 Esfand 1404


def test_workspace_switch_only_to_own_workspaces(site: Site) -> None:
    site.login("pr-user")
    token = site.csrf("/pr")
    site.client.post("/workspace", data={"workspace_id": str(site.other.workspace_id), "csrf_token": token})
    assert "second brand" not in site.client.get("/pr").text
    site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
    site.login("admin-user")
    token = site.csrf("/pr")
    site.client.post("/workspace", data={"workspace_id": str(site.other.workspace_id), "csrf_token": token})
    page = site.client.get("/pr")
    assert "second brand" in page.text and "عالیه" not in page.text


def test_plotly_served_from_the_installed_package(site: Site) -> None:
    response = site.client.get("/vendor/plotly.min.js")
    assert response.status_code == 200 and b"plotly" in response.content[:2000].lower()


def test_attributes_on_the_pr_desk_read_by_their_labels(site: Site) -> None:
    from web_data import ingest_objects

    app = site.client.app
    item = {
        "id": "attr-1",
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-02T10:00:00+03:30",
        "text": "چای سبز نیلوفر خیلی طبیعی و ارگانیکه",
        "author": {"handle": "sara"},
    }
    ingest_objects(app.state.store, site.workspace, item)  # type: ignore[attr-defined]
    site.login("pr-user")
    english = site.client.get("/pr")
    assert 'title="natural">Natural</span>' in english.text  # the attribute's label, not its key
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf("/pr"), "next": "/pr"})
    persian = site.client.get("/pr")
    assert 'title="natural">طبیعی</span>' in persian.text


def test_english_pages_show_no_stored_keys(site: Site) -> None:
    """Kinds, intents, roles and metrics read as words in English too (the English catalogue names them;
    any other key reads as words), not as "direct_message" or "pr"."""
    import re

    site.login("pr-user")
    for path in ("/pr", "/exchange", "/pr/inbox"):
        body = text_of(site.client.get(path).text)
        assert not re.findall(r"\b[a-z]+_[a-z_]+\b", body), path
    assert "PR" in text_of(site.client.get("/account").text)


def test_error_pages_speak_the_viewers_language_and_hide_internals(site: Site) -> None:
    site.login("pr-user")
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf("/pr"), "next": "/pr"})
    denied = site.client.get("/settings/members")
    assert denied.status_code == 403 and "دسترسی" in denied.text and "may not" not in denied.text
    bad = site.client.get("/reputation", params={"days": "abc"})
    assert bad.status_code == 422 and "این مقدارها خوانده نشد" in bad.text and "days" in bad.text
    assert "Input should" not in bad.text
    refused = site.client.post(  # a service's refusal, written in English, is shown in Persian
        "/pr/inbox/filters",
        data={"name": "  ", "csrf_token": site.csrf("/pr/inbox")},
        headers={"referer": "http://testserver/pr/inbox?status=open"},
    )
    assert refused.status_code == 400 and "فیلتر ذخیره‌شده به نام نیاز دارد" in refused.text
    assert "a saved filter needs" not in refused.text
    assert '<a href="/pr/inbox?status=open" id="error-back">' in refused.text
    elsewhere = site.client.post(
        "/pr/inbox/filters",
        data={"name": "  ", "csrf_token": site.csrf("/pr/inbox")},
        headers={"referer": "https://evil.example/pr/inbox"},
    )
    assert 'id="error-back"' not in elsewhere.text
    site.client.post("/locale", data={"locale": "en", "csrf_token": site.csrf("/pr"), "next": "/pr"})
    missing = site.client.get("/no-such-page")
    assert "Not found." in missing.text and 'lang="en"' in missing.text


def test_formula_references_link_to_the_help_pages_served_by_the_app(site: Site) -> None:
    """ "See docs/formulas.md" on a page is a link, and the document is rendered by the app itself (a
    self-hosted install may have no internet), with links between documents kept inside the app."""
    site.login("pr-user")
    exchange = site.client.get("/exchange")
    assert '<a href="/help/formulas" dir="ltr">docs/formulas.md</a>' in exchange.text
    page = site.client.get("/help/formulas")
    assert page.status_code == 200 and '<h1 id="formulas">Formulas</h1>' in page.text
    assert "net sentiment" in text_of(page.text)
    assert 'href="/help/formulas-pr"' in page.text  # a link to another document
    assert site.client.get("/help/no-such-doc").status_code == 404
    assert site.client.get("/help/..%2Fpyproject").status_code == 404


def test_routing_rules_read_as_words(site: Site) -> None:
    site.login("admin-user")
    page = site.client.get("/pr/settings/rules")
    body = text_of(page.text)
    assert page.status_code == 200 and "Feedback : interaction , mention" in body  # tags become spaces
    assert '{"feedback"' not in body and "paid_media" not in body  # the JSON is only the tooltip


def test_a_rule_cannot_write_into_the_rules_page_and_empty_values_stay_empty(site: Site) -> None:
    """A rule's values are data: one cannot open an attribute through the JSON tooltip (escaped), and an
    empty value shows nothing (gettext("") would be the catalogue's header)."""
    from html.parser import HTMLParser

    from peyvand.services.routing_rules import apply_rule_change, list_routing_rules, parse_rule

    class Handlers(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found += [name for name, _ in attrs if name == "onmouseover"]

    store = site.client.app.state.store  # type: ignore[attr-defined]
    admin = site.workspace  # the operator of the test workspace
    text = next(r.text for r in list_routing_rules(store, admin) if r.id == "R1-reactions")
    hostile = 'source = ["x onmouseover=alert(1) y", ""]\n'
    rule = parse_rule(text.replace("[when]\n", f"[when]\n{hostile}"))
    assert rule["when"]["source"][0].startswith("x onmouseover")
    apply_rule_change(store, admin, rule_id="R1-reactions", rule=rule, days=1)
    site.login("admin-user")
    page = site.client.get("/pr/settings/rules").text
    parser = Handlers()
    parser.feed(page)
    assert parser.found == [] and "onmouseover=alert(1)" in page  # shown, as text
    assert "Project-Id-Version" not in page and "Generated-By" not in page


def test_help_pages_give_headings_the_ids_their_links_use(site: Site) -> None:
    site.login("pr-user")
    page = site.client.get("/help/settings").text
    assert '<h2 id="signing-in">' in page


def test_a_campaign_channel_needs_a_name() -> None:
    from peyvand.services.access import InvalidInput
    from peyvand.services.campaign_forms import parse_channels

    assert parse_channels("instagram_ads: paid\nnewsletter") == [
        {"name": "instagram_ads", "type": "paid"},
        {"name": "newsletter", "type": "paid"},
    ]
    with pytest.raises(InvalidInput, match="needs a name"):
        parse_channels(": paid")
