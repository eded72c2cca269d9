"""The reputation pages through HTTP: every role sees the numbers it may see, in HTML, CSV and JSON; PR
confirms a crisis, registers content and edits the media list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from peyvand.services.campaigns import save_campaign
from peyvand.services.content_spread import find_pickups
from peyvand.services.crises import detect_crises
from reputation_data import Row, add_items, burst, calm_days
from tests_support import Site, text_of

FIRST = date(2026, 1, 3)
PAGES = [
    "/reputation",
    "/reputation/attributes",
    "/reputation/voice",
    "/reputation/crises",
    "/reputation/content",
    "/reputation/branding",
]


def _story(site: Site, *, crisis: bool = False) -> None:
    """A brand conversation with a journalist, a rival mention and a branding campaign; with `crisis`,
    five months of it with a burst of anger (enough history for the signal engine)."""
    store, actor = site.client.app.state.store, site.workspace  # type: ignore[attr-defined]
    if crisis:
        add_items(store, actor, calm_days(FIRST, 150, per_day=20))
        add_items(store, actor, burst(FIRST + timedelta(days=120), [40, 60, 35, 20]), prefix="angry")
    else:
        add_items(store, actor, calm_days(FIRST + timedelta(days=80), 45, per_day=4))
    add_items(
        store,
        actor,
        [
            Row(
                FIRST + timedelta(days=100),
                "positive",
                attributes=[("natural", "positive")],
                author="reporter",
                audience="journalist",
                followers=9000,
                source="news",
                kind="article",
                text="Niloofar launch https://niloofar.example/press/launch",
            ),
            Row(FIRST + timedelta(days=101), brand=False, competitors=["golden-leaf"]),
        ],
        prefix="story",
    )
    save_campaign(
        store,
        actor,
        {
            "key": "natural-spring",
            "kind": "branding",
            "name": "طبیعی در بهار",
            "name_en": "Natural spring",
            "starts_on": (FIRST + timedelta(days=90)).isoformat(),
            "ends_on": (FIRST + timedelta(days=119)).isoformat(),
            "kpis": [{"key": "attribute_share", "attribute": "natural", "target": 0.2}, {"key": "revenue"}],
        },
    )
    detect_crises(store, actor)


def test_every_role_reads_the_pages_in_three_forms(site: Site) -> None:
    _story(site)
    for role in ("admin", "pr", "marketing", "viewer"):
        site.login(f"{role}-user")
        for path in PAGES:
            page = site.client.get(path)
            assert page.status_code == 200, (role, path, page.text[:300])
            assert 'id="reputation-tabs"' in page.text
            as_json = site.client.get(path, params={"format": "json"})
            assert as_json.status_code == 200 and isinstance(as_json.json(), list), (role, path)
            as_csv = site.client.get(path, params={"format": "csv"})
            assert as_csv.headers["content-type"].startswith("text/csv"), (role, path)
        media = site.client.get("/reputation/media")
        assert media.status_code == (200 if role in ("admin", "pr") else 403), role
        site.client.post("/logout", data={"csrf_token": site.csrf("/reputation")})


def test_sentiment_page_numbers_and_chart(site: Site) -> None:
    _story(site)
    site.login("viewer-user")
    page = site.client.get("/reputation", params={"unit": "month", "days": 0})
    assert 'id="sentiment-chart-data"' in page.text and '"fill": "tonexty"' in page.text
    rows = site.client.get("/reputation", params={"unit": "month", "days": 0, "format": "json"}).json()
    overall = [r for r in rows if r["split"] == "all"]
    assert sum(r["volume"] for r in overall) == sum(r["volume"] for r in rows if r["split"] == "source")
    assert all(r["low"] <= (r["net_sentiment"] or 0) <= r["high"] for r in overall if r["volume"])
    assert "message" not in rows[0] and "text" not in rows[0]


def test_crisis_page_confirm_and_exchange_state(site: Site) -> None:
    _story(site, crisis=True)
    site.login("pr-user")
    [crisis] = site.client.get("/reputation/crises", params={"format": "json"}).json()
    assert crisis["status"] == "suggested"
    exchange = site.client.get("/exchange")
    assert 'id="exchange-crisis"' in exchange.text and "suggested" in exchange.text
    token = site.csrf("/reputation/crises")
    done = site.client.post(
        f"/reputation/crises/{crisis['id']}",
        data={"decision": "confirm", "note": "recall", "csrf_token": token},
    )
    assert done.status_code == 303
    page = site.client.get("/reputation/crises")
    assert 'data-status="confirmed"' in page.text and "recall" in page.text
    site.client.post("/logout", data={"csrf_token": site.csrf("/reputation")})
    site.login("marketing-user")
    refused = site.client.post(
        f"/reputation/crises/{crisis['id']}",
        data={"decision": "dismiss", "csrf_token": site.csrf("/reputation/crises")},
    )
    assert refused.status_code == 403
    assert 'name="decision"' not in site.client.get("/reputation/crises").text


def test_register_content_then_see_its_pickups(site: Site) -> None:
    _story(site)
    site.login("pr-user")
    token = site.csrf("/reputation/content")
    response = site.client.post(
        "/reputation/content",
        data={
            "csrf_token": token,
            "title": "Niloofar launch",
            "url": "https://niloofar.example/press/launch",
            "kind": "press_release",
            "language": "en",
            "published_at": (FIRST + timedelta(days=99)).isoformat() + "T09:00",
            "text": "Niloofar launches its new tea",
        },
    )
    assert response.status_code == 303
    location = response.headers["location"].split("?")[0]
    find_pickups(site.client.app.state.store, site.workspace)  # type: ignore[attr-defined]
    piece = site.client.get(location)
    assert 'id="growth-chart-data"' in piece.text and "reporter" in piece.text
    assert site.client.get(location, params={"table": "curve", "format": "json"}).json()[1]["pickups"] == 1
    site.client.post("/logout", data={"csrf_token": site.csrf("/reputation")})
    site.login("viewer-user")
    assert "reporter" not in site.client.get(location).text
    pieces = site.client.get("/reputation/content", params={"format": "json"}).json()
    assert [(p["pickups"], p["earned_reach"]) for p in pieces] == [(1, 9000)]


def test_branding_page_and_warnings(site: Site) -> None:
    _story(site)
    site.login("viewer-user")
    page = site.client.get("/reputation/branding/natural-spring")
    assert page.status_code == 200 and 'id="campaign-kpis"' in page.text
    assert "sales_kpi" not in page.text and "A sales KPI" in text_of(page.text)
    rows = site.client.get("/reputation/branding", params={"format": "json"}).json()
    assert {r["key"] for r in rows} == {"attribute_share", "revenue"}
    assert site.client.get("/reputation/branding/nope").status_code == 404


def test_media_list_edit(site: Site) -> None:
    _story(site)
    site.login("pr-user")
    [contact] = site.client.get("/reputation/media", params={"format": "json"}).json()
    assert (contact["handle"], contact["items"], contact["audience"]) == ("reporter", 1, "journalist")
    token = site.csrf("/reputation/media")
    site.client.post(
        f"/reputation/media/{contact['id']}",
        data={
            "csrf_token": token,
            "stance": "supportive",
            "beats": "food, health",
            "notes": "met at expo",
            "contacted_on": "2026-04-20",
        },
    )
    [after] = site.client.get("/reputation/media", params={"format": "json"}).json()
    assert (after["stance"], after["beats"], after["notes"]) == (
        "supportive",
        ["food", "health"],
        "met at expo",
    )
    assert after["last_contact_at"].startswith("2026-04-20")


@pytest.mark.parametrize("path", ["/reputation?unit=year", "/reputation/attributes?compare=nope"])
def test_bad_choices_are_refused_politely(site: Site, path: str) -> None:
    site.login("pr-user")
    assert site.client.get(path).status_code in (400, 404)
