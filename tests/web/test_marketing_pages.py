"""The marketing desk's pages through HTTP, per role: signals on the series chart and listed, campaigns
with their return, the campaign form's warnings, loops, target markets, the exchange's marketing → PR
section and brand-to-sales link, and the PR desk's shared signals; every table as CSV and JSON."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from marketing_data import FIRST, days, ingest, loop_csv, mention_items, metric_items, store_campaign, visits
from peyvand.services.audiences import save_audience
from peyvand.services.loop_import import import_loop_events_csv
from peyvand.services.signals import detect_signals
from peyvand.services.users import set_preferences, user_id_by_name
from peyvand.storage.db import Store
from peyvand.storage.tables import Job, MetricSeries
from tests_support import Site, text_of

CHANGE = FIRST + timedelta(days=150)
LOOP_ROWS = [
    ("welcome", "c1", 1, "send", "2026-03-01T10:00:00+03:30", None),
    ("welcome", "c1", 2, "send", "2026-03-04T10:00:00+03:30", None),
    ("welcome", "c1", 2, "convert", "2026-03-04T12:00:00+03:30", 450000),
    ("welcome", "c2", 1, "send", "2026-03-01T10:00:00+03:30", None),
]


@pytest.fixture
def desk(site: Site, store: Store) -> Site:
    actor = site.workspace
    ingest(store, actor, metric_items("store_visits", visits(4), source="store_counter"))
    counts = dict.fromkeys(days(200), 2)
    counts[CHANGE] = 45
    ingest(store, actor, mention_items(counts))
    store_campaign(store, actor, lift=0.3, seed=11)
    import_loop_events_csv(store, actor, io.StringIO(loop_csv(LOOP_ROWS)))
    market = {"kind": "target_market", "key": "tehran", "name": "تهران", "dims": {"city": ["tehran"]}}
    save_audience(store, actor, market)
    detect_signals(store, actor, history=True)
    return site


def _chart(html: str, element_id: str) -> dict[str, Any]:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert match, element_id
    return dict(json.loads(match.group(1)))


def _series_id(store: Store, site: Site, key: str) -> int:
    with store.read() as session:
        found = session.scalar(
            select(MetricSeries.id).where(
                MetricSeries.workspace_id == site.workspace.workspace_id, MetricSeries.key == key
            )
        )
    assert found is not None
    return int(found)


def test_marketing_works_the_desk(desk: Site, store: Store) -> None:
    desk.login("marketing-user")
    series = _series_id(store, desk, "store_visits")
    page = desk.client.get("/marketing", params={"series": series})
    assert page.status_code == 200
    assert 'id="series-signals-table"' in page.text and 'data-direction="rise"' in page.text
    chart = _chart(page.text, "series-chart-data")  # the signal is marked on the chart
    assert any(shape["type"] == "rect" for shape in chart["layout"]["shapes"])
    assert chart["data"][-1]["name"] == "signals" and chart["layout"]["annotations"]
    assert 'id="campaign-timeline"' in page.text and 'data-key="spring"' in page.text
    signals = desk.client.get("/marketing/signals", params={"format": "json"}).json()
    near = [s for s in signals if abs((date.fromisoformat(s["start"]) - CHANGE).days) <= 3]
    rise = next(s for s in near if s["series"] == "store_visits")
    assert rise["direction"] == "rise" and rise["share_with"] == ["pr"] and rise["campaigns"] == ["spring"]
    assert rise["first_year"] and 140 <= rise["history_days"] <= 160  # a yearly season is not known yet
    every = desk.client.get("/marketing", params={"series": series, "format": "json"}).json()
    assert every[0]["day"] == FIRST.isoformat()  # the whole history, not the last 540 days
    recent = desk.client.get("/marketing", params={"series": series, "format": "json", "days": 90}).json()
    assert len(recent) <= 91 and recent[-1] == every[-1]
    assert 'id="series-range"' in page.text
    assert desk.client.get("/marketing", params={"series": 999_999, "format": "json"}).status_code == 404
    csv = desk.client.get("/marketing/signals", params={"format": "csv"})
    assert csv.text.splitlines()[0].startswith("id,series,grain,start,end,direction,kind,effect")
    listing = desk.client.get("/marketing/signals")
    assert 'id="detect-signals"' in listing.text and "mention_spike" not in text_of(listing.text)
    assert 'class="first-year"' in listing.text and "Store visits" in text_of(listing.text)
    queued = desk.client.post(
        "/marketing/signals/detect", data={"csrf_token": desk.csrf("/marketing/signals")}
    )
    assert queued.status_code == 303
    with store.read() as session:
        jobs = list(session.scalars(select(Job).where(Job.kind == "detect_signals", Job.status == "queued")))
    assert [job.payload.get("history", False) for job in jobs] == [False, True]  # after ingest, and asked for


def test_campaign_pages_and_return(desk: Site) -> None:
    desk.login("marketing-user")
    listing = desk.client.get("/marketing/campaigns")
    assert 'data-verdict="earned its money back"' in listing.text and 'id="justification"' in listing.text
    rows = desk.client.get("/marketing/campaigns", params={"format": "json"}).json()
    assert rows[0]["key"] == "spring" and rows[0]["spend_source"] == "ad_spend" and rows[0]["roi_low"] > 0
    assert "verdict" in desk.client.get("/marketing/campaigns", params={"format": "csv"}).text.splitlines()[0]
    page = desk.client.get("/marketing/campaigns/spring")
    assert "earned its money back" in page.text and 'id="campaign-chart-data"' in page.text
    assert 'id="attribution-assumption"' in page.text and "assumption, not a measurement" in page.text
    newsletter = page.text.split('data-channel="newsletter"')[1].split("</tr>")[0]
    assert "data-no-data" in newsletter and "[" not in newsletter  # no data, not a measured zero
    daily = desk.client.get("/marketing/campaigns/spring", params={"format": "json"}).json()
    assert len(daily) == 28 and {"day", "actual", "counterfactual", "lift"} <= set(daily[0])
    desk.client.post("/locale", data={"locale": "fa", "csrf_token": desk.csrf("/pr"), "next": "/pr"})
    persian = desk.client.get("/marketing/campaigns/spring")
    assert 'dir="rtl"' in persian.text and "هزینه‌اش را برگرداند" in persian.text
    shown = text_of(re.sub(r"<script.*?</script>", "", persian.text, flags=re.S))
    assert "تبلیغات اینستاگرام" in shown and "خبرنامه" in shown and "instagram_ads" not in shown
    assert "green-tea" not in shown and "ad_spend" not in shown and "IRR" not in shown and "ریال" in shown


def test_campaign_form_saves_and_warns(desk: Site) -> None:
    desk.login("marketing-user")
    form = desk.client.get("/marketing/campaigns/new")
    assert form.status_code == 200 and 'id="campaign-form"' in form.text
    data = {
        "csrf_token": desk.csrf("/marketing/campaigns/new"),
        "key": "autumn",
        "name": "پاییز",
        "kind": "marketing",
        "owner_team": "pr",
        "starts_on": "2026-03-10",
        "channels": "instagram_ads: paid\nnewsletter: owned",
        "target_market_key": "tehran",
    }
    saved = desk.client.post("/marketing/campaigns", data=data)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/marketing/campaigns/autumn?")
    page = desk.client.get(saved.headers["location"])
    assert 'data-warning="owner"' in page.text and 'data-warning="products"' in page.text
    assert "تهران" in page.text  # the target market's name
    edit = desk.client.get("/marketing/campaigns/autumn/edit")
    assert 'value="autumn"' in edit.text and "newsletter: owned" in edit.text


def test_loops_and_markets(desk: Site) -> None:
    desk.login("marketing-user")
    loops = desk.client.get("/marketing/loops")
    assert 'data-loop="welcome"' in loops.text and 'id="loop-import"' in loops.text
    rows = desk.client.get("/marketing/loops", params={"format": "json"}).json()
    assert rows[0]["loop"] == "welcome" and rows[0]["contacts"] == 2 and rows[0]["converted"] == 1
    page = desk.client.get("/marketing/loops/welcome")
    assert 'id="drop-off"' in page.text and 'id="loop-chart-data"' in page.text
    steps = desk.client.get("/marketing/loops/welcome", params={"format": "csv"}).text.splitlines()
    assert steps[0].startswith("step,position,reached") and len(steps) == 3
    token = desk.csrf("/marketing/loops/welcome")
    desk.client.post("/marketing/loops/welcome/pause", data={"csrf_token": token, "note": "new copy"})
    assert 'data-status="paused"' in desk.client.get("/marketing/loops/welcome").text
    upload = desk.client.post(
        "/marketing/loops-import",
        data={"csrf_token": token},
        files={
            "file": (
                "events.csv",
                loop_csv(
                    [
                        ("welcome", "c3", 1, "send", "2026-03-05", None),
                        ("welcome", "c4", 1, "sent", "2026-03-05", None),
                    ]
                ),
                "text/csv",
            )
        },
    )
    assert upload.status_code == 200 and 'id="import-result"' in upload.text
    result = text_of(upload.text)
    assert "Imported: 1 accepted" in result and "1 rejected" in result
    assert 'id="import-rejects"' in upload.text and "<td>3</td>" in upload.text  # the line of the bad row
    markets = desk.client.get("/marketing/markets", params={"format": "json"}).json()
    assert markets[0]["key"] == "tehran" and markets[0]["used_by"] == []
    saved = desk.client.post(
        "/marketing/markets",
        data={
            "csrf_token": token,
            "kind": "segment",
            "key": "vip",
            "name": "VIP",
            "dims": '{"orders": {"gte": 5}}',
        },
    )
    assert saved.status_code == 303
    assert 'data-key="vip"' in desk.client.get("/marketing/markets").text


def test_pr_and_viewer_see_numbers_not_controls(desk: Site) -> None:
    desk.login("pr-user")
    page = desk.client.get("/marketing")
    assert page.status_code == 200 and 'id="raw-data"' not in page.text
    assert 'id="detect-signals"' not in desk.client.get("/marketing/signals").text
    assert 'id="loop-import"' not in desk.client.get("/marketing/loops").text
    assert 'id="new-campaign"' not in desk.client.get("/marketing/campaigns").text
    assert desk.client.get("/marketing/campaigns/new").status_code == 403
    token = desk.csrf("/marketing/loops")
    assert desk.client.post("/marketing/loops/welcome/pause", data={"csrf_token": token}).status_code == 403
    assert desk.client.post("/marketing/signals/detect", data={"csrf_token": token}).status_code == 403
    pr_desk = desk.client.get("/pr")
    assert 'id="pr-shared-signals"' in pr_desk.text and "store_visits" in pr_desk.text
    exchange = desk.client.get("/exchange")
    assert 'id="exchange-signals"' in exchange.text and 'class="shared-pr"' in exchange.text
    assert 'id="exchange-brand-sales"' in exchange.text and "not proof of cause" in exchange.text
    lags = desk.client.get("/exchange/brand-sales", params={"format": "json"}).json()
    assert lags[0]["finding"] in ("not enough data", "no predictive link found", "brand leads sales",
                                  "sales lead brand", "each helps predict the other")  # fmt: skip
    assert desk.client.get("/exchange/brand-sales", params={"format": "csv"}).status_code == 200
    desk.client.post("/logout", data={"csrf_token": desk.csrf("/pr")})
    desk.login("viewer-user")
    assert "earned its money back" in desk.client.get("/marketing/campaigns/spring").text
    assert desk.client.get("/marketing/loops/welcome").status_code == 200
    assert desk.client.get("/marketing/markets").status_code == 200


def test_a_day_a_store_did_not_report_is_marked_incomplete_on_the_total(site: Site, store: Store) -> None:
    north = metric_items("store_visits", visits(5, change_at=None), dims={"store": "north"})
    south = metric_items("store_visits", visits(6, change_at=None), dims={"store": "south"})
    down = FIRST + timedelta(days=120)
    ingest(store, site.workspace, north + [i for i in south if i["at"] != down.isoformat()])
    site.login("marketing-user")
    total = _series_id(store, site, "store_visits")
    english = {"locale": "en", "csrf_token": site.csrf(), "next": "/marketing"}
    site.client.post("/locale", data=english)
    page = site.client.get("/marketing", params={"series": total})
    marked = next(t for t in _chart(page.text, "series-chart-data")["data"] if t.get("name") == "incomplete")
    assert marked["x"] == [down.isoformat()]
    assert "incomplete: south did not report" in marked["text"][0]
    rows = site.client.get("/marketing", params={"series": total, "format": "json"}).json()
    assert [r["day"] for r in rows if r["missing_parts"]] == [down.isoformat()]
    breakdown = _series_id(store, site, 'store_visits{"store":"north"}')  # a part has nothing to miss
    page = site.client.get("/marketing", params={"series": breakdown})
    assert all(t.get("name") != "incomplete" for t in _chart(page.text, "series-chart-data")["data"])


def test_series_are_named_by_their_products_names_and_p_values_read_as_numbers(
    site: Site, store: Store
) -> None:
    # green-tea's brand names are ["green tea", "چای سبز"]: each language shows the one in its script
    ingest(store, site.workspace, metric_items("orders", visits(7), dims={"product": "green-tea"}))
    detect_signals(store, site.workspace, history=True)
    site.login("marketing-user")
    listing = site.client.get("/marketing/signals")
    assert "Orders · green tea" in text_of(listing.text) and "green-tea" not in text_of(listing.text)
    exported = site.client.get("/marketing/signals", params={"format": "json"}).json()
    assert {(row["series"], row["series_name"]) for row in exported} >= {
        ('orders{"product":"green-tea"}', "Orders · green tea")
    }
    assert re.search(
        r'<td class="nowrap" title="[0-9.e-]+"><span dir="ltr">(&lt; )?0\.[0-9]{3}</span>', listing.text
    )
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf(), "next": "/"})
    listing = site.client.get("/marketing/signals")
    assert "سفارش\u200cها · چای سبز" in text_of(listing.text)
    assert re.search(r'<span dir="ltr">(&lt; )?۰٫[۰-۹]{3}</span>', listing.text)


def test_a_day_without_events_is_drawn_as_zero(site: Site, store: Store) -> None:
    first = date(2026, 3, 1)
    checkins = [
        {"id": f"c{k}", "source": "door", "kind": "event", "event": "store_checkin", "at": f"{day}T10:00:00Z"}
        for k, day in enumerate([first, first, first + timedelta(days=2)])
    ]
    ingest(store, site.workspace, checkins)
    site.login("marketing-user")
    page = site.client.get("/marketing", params={"series": _series_id(store, site, "store_checkin")})
    line = _chart(page.text, "series-chart-data")["data"][0]
    assert line["y"] == [2, 0, 1]  # the day between had no check-ins: zero, not a break in the line


def test_a_refused_campaign_form_comes_back_filled_with_the_reason_in_the_viewers_language(
    desk: Site,
) -> None:
    desk.login("marketing-user")
    data = {
        "csrf_token": desk.csrf("/marketing/campaigns/new"),
        "key": "winter",
        "name": "زمستان",
        "kind": "marketing",
        "starts_on": "2026-03-10",
        "budget": "-500",
    }
    refused = desk.client.post("/marketing/campaigns", data=data)
    assert refused.status_code == 400 and 'id="form-error"' in refused.text
    assert "budget cannot be negative" in refused.text
    assert 'value="زمستان"' in refused.text and 'value="-500"' in refused.text
    store = desk.client.app.state.store  # type: ignore[attr-defined]
    user_id = user_id_by_name(store, username="marketing-user")
    assert user_id is not None
    set_preferences(store, user_id=user_id, locale="fa", calendar="jalali")
    data["csrf_token"] = desk.csrf("/marketing/campaigns/new")
    form = desk.client.get("/marketing/campaigns/new").text
    assert 'placeholder="1405-01-15"' in form  # days are typed in the viewer's calendar
    persian = desk.client.post("/marketing/campaigns", data={**data, "starts_on": "1405-01-15"})
    assert persian.status_code == 400 and "نمی‌تواند منفی باشد" in persian.text
    assert 'value="1405-01-15"' in persian.text
