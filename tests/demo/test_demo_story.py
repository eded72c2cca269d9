"""The story the demo must tell (DESIGN §1): the injected changes, the crisis, the press release that
travels, the branding campaign moving "natural", the seasons, and the volumes."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter

from demo.demo_support import Summary, normal, series_key
from peyvand.demo import Scenario

D = dt.date.fromisoformat


def _mean(values: dict[str, float], start: dt.date, end: dt.date) -> float:
    picked = [v for day, v in values.items() if start <= D(day) <= end]
    assert picked, (start, end)
    return statistics.fmean(picked)


def test_volumes_at_full_scale(full_summary: dict[str, Summary]) -> None:
    inbound = sum(s.inbound for s in full_summary.values())
    assert 7_500 <= inbound <= 12_000, inbound  # 820 days
    darcheh = full_summary["darcheh"]
    assert 2_000 <= darcheh.outbound <= 7_500
    assert 20_000 <= sum(s.kinds["event"] for s in full_summary.values()) <= 100_000
    assert 9_000 <= darcheh.kinds["metric"] <= 12_000
    assert {"comment", "direct_message", "reply", "review", "email", "article", "post", "mention"} <= set(
        darcheh.kinds
    )


def test_volumes_at_small_scale(small_items: dict[str, list[dict[str, object]]]) -> None:
    texts = [i for items in small_items.values() for i in items if i["kind"] not in ("metric", "event")]
    inbound = [i for i in texts if i.get("direction") != "outbound"]
    assert 200 <= len(inbound) <= 700, len(inbound)
    events = sum(1 for items in small_items.values() for i in items if i["kind"] == "event")
    assert 1_000 <= events <= 10_000, events


def test_injected_changes_show_in_the_series(full: Scenario, full_summary: dict[str, Summary]) -> None:
    checked = 0
    for ws in full.workspaces:
        for change in ws.truth["changes"]:  # type: ignore[attr-defined]
            series = change["series"]
            if series["metric"] == "revenue":
                continue
            values = full_summary[ws.key].metrics[series_key(series["metric"], series["dims"])]
            start, end = D(change["start"]), D(change["end"])
            before = _mean(values, start - dt.timedelta(days=28), start - dt.timedelta(days=1))
            ratio = _mean(values, start, end) / before
            if change["kind"] == "none":
                assert abs(ratio - 1) < 0.12, (change["id"], ratio)
            elif change["direction"] == "rise":
                assert ratio > 1 + (change["factor"] - 1) / 2, (change["id"], ratio)
            else:
                assert ratio < 1 - (1 - change["factor"]) / 2, (change["id"], ratio)
            checked += 1
    changes = full.workspace("darcheh").truth["changes"]
    kinds = {(c["direction"], c["kind"]) for c in changes}  # type: ignore[attr-defined]
    assert {("rise", "level_shift"), ("fall", "level_shift"), ("rise", "spike"), (None, "none")} <= kinds
    assert checked >= 10


def test_the_press_spike_is_one_day(full: Scenario, full_summary: dict[str, Summary]) -> None:
    peak = D(full.workspace("darcheh").truth["press_release"]["peak_day"])  # type: ignore[index]
    site = full_summary["darcheh"].metrics[series_key("site_visits", {})]
    around = [site[(peak + dt.timedelta(days=k)).isoformat()] for k in (-7, -6, -5, -4, 4, 5, 6, 7)]
    assert site[peak.isoformat()] > 1.5 * statistics.median(around)


def test_one_marketing_campaign_earns_back_and_one_shows_no_lift(full: Scenario) -> None:
    truth = full.workspace("darcheh").truth
    returns = {m["campaign"]: m for m in truth["marketing"]}  # type: ignore[attr-defined]
    earns, flat = returns["fresh-brew-tehran"], returns["herbal-nights"]
    assert earns["earns_back"] and earns["return_on_spend"] > 1.5
    assert flat["incremental_revenue"] == 0 and not flat["earns_back"]


def test_ad_spend_adds_up_to_the_budget(full: Scenario, full_summary: dict[str, Summary]) -> None:
    for campaign in full.workspace("darcheh").campaigns:
        if campaign["kind"] != "marketing":
            continue
        spent = sum(
            sum(values.values())
            for (metric, dims), values in full_summary["darcheh"].metrics.items()
            if metric == "ad_spend" and dict(dims)["campaign"] == campaign["key"]
        )
        assert 0.85 < spent / campaign["budget"] < 1.1  # type: ignore[operator]


def test_crisis_is_a_negative_burst_with_journalists_asking(
    full: Scenario, full_summary: dict[str, Summary]
) -> None:
    crisis = full.workspace("darcheh").truth["crisis"]
    start, end = D(crisis["start"]), D(crisis["end"])  # type: ignore[index]
    negative: Counter[str] = Counter()
    press, languages = 0, set()
    for item in full_summary["darcheh"].texts:
        labels = item.get("demo_labels")
        if not isinstance(labels, dict) or labels["sentiment"] != "negative":
            continue
        day = str(item["created_at"])[:10]
        negative[day] += 1
        if start <= D(day) <= end:
            languages.add(labels["language"])
            press += labels["audience"] == "journalist" and labels["intent"] == "press_inquiry"
    usual = statistics.median(negative[(start - dt.timedelta(days=k)).isoformat()] for k in range(30, 60))
    assert max(negative[(start + dt.timedelta(days=k)).isoformat()] for k in range(4)) > 10 * max(usual, 1)
    assert press >= 5 and languages == {"fa", "en"}


def test_press_release_travels_and_grows(full: Scenario, full_summary: dict[str, Summary]) -> None:
    ws = full.workspace("darcheh")
    truth = ws.truth["press_release"]
    release = next(c for c in ws.content if c["key"] == truth["content"])  # type: ignore[index]
    sentences = [s.strip() for s in re.split(r"(?<=\.)\s", str(release["text"])) if len(s) > 40]
    ids = set(truth["pickup_ids"])  # type: ignore[index]
    pickups = [i for i in full_summary["darcheh"].texts if i["id"] in ids]
    assert len(pickups) == len(ids) >= 30
    quoting = [p for p in pickups if any(normal(s[:50]) in normal(str(p["text"])) for s in sentences)]
    linking = [p for p in pickups if "/press/organic-certificate" in str(p["text"])]
    assert len(quoting) >= 10 and len(linking) >= 10
    by_day = truth["pickups_by_day"]  # type: ignore[index]
    assert max(by_day, key=by_day.get) == truth["peak_day"]  # type: ignore[index]
    assert min(by_day) == truth["published_on"]  # type: ignore[index]


NATURAL = re.compile(r"(?<!\w)(طبیعی|ارگانیک|بدون افزودنی|natural|organic|no additives)")


def test_natural_rises_over_the_branding_campaign(full: Scenario, full_summary: dict[str, Summary]) -> None:
    branding = full.workspace("darcheh").truth["branding"]
    start, end = D(branding["start"]), D(branding["end"])  # type: ignore[index]
    middle = start + (end - start) / 2

    def share(first: dt.date, last: dt.date, *, brand: bool) -> float:
        said = natural = 0
        for item in full_summary["darcheh"].texts:
            labels = item.get("demo_labels")
            day = D(str(item["created_at"])[:10])
            if not isinstance(labels, dict) or not labels["attributes"] or not first <= day <= last:
                continue
            text = normal(str(item["text"]))
            about_rival = any(n in text for n in ("چایکند", "گلسنگ", "chaikand", "golsang"))
            if about_rival == brand:
                continue
            said += 1
            natural += bool(NATURAL.search(text))
        return natural / said

    before = share(start - dt.timedelta(days=120), start - dt.timedelta(days=1), brand=True)
    late = share(middle, end, brand=True)
    assert before < 0.12 and late > 2.5 * before
    rival_before = share(start - dt.timedelta(days=120), start - dt.timedelta(days=1), brand=False)
    rival_late = share(middle, end, brand=False)
    assert rival_late < late / 2 and abs(rival_late - rival_before) < 0.15


def test_iranian_week_and_holidays_shape_the_series(full: Scenario, full_summary: dict[str, Summary]) -> None:
    site = full_summary["darcheh"].metrics[series_key("site_visits", {})]
    by_weekday: dict[int, list[float]] = {}
    for day, value in site.items():
        by_weekday.setdefault(D(day).weekday(), []).append(value)
    friday, saturday = statistics.fmean(by_weekday[4]), statistics.fmean(by_weekday[5])
    assert friday < 0.8 * saturday
    truth = full.workspace("darcheh").truth["holidays"]
    nowruz = next(w for w in truth["nowruz"] if D(w["start"]) > D("2024-01-01"))  # type: ignore[index]
    store = full_summary["darcheh"].metrics[series_key("store_visits", {"store": "tajrish"})]
    n0 = D(nowruz["start"])
    rush = _mean(store, n0 - dt.timedelta(days=9), n0 - dt.timedelta(days=1))
    assert rush > 1.3 * _mean(store, n0 - dt.timedelta(days=40), n0 - dt.timedelta(days=20))
    ordinary = _mean(site, n0 - dt.timedelta(days=40), n0 - dt.timedelta(days=20))
    assert _mean(site, n0, D(nowruz["end"])) < 0.8 * ordinary
    yalda = next(w for w in truth["yalda"] if D(w["start"]) > D("2024-01-01"))  # type: ignore[index]
    saffron = full_summary["darcheh"].metrics[series_key("orders", {"product": "saffron"})]
    y0 = D(yalda["start"])
    ordinary = _mean(saffron, y0 - dt.timedelta(days=30), y0 - dt.timedelta(days=10))
    assert _mean(saffron, y0, D(yalda["end"])) > 1.5 * ordinary


def test_missing_days_are_missing_and_few(full: Scenario, full_summary: dict[str, Summary]) -> None:
    missing = full.workspace("darcheh").truth["missing_days"]
    assert 10 <= sum(len(v) for v in missing.values()) <= 20  # type: ignore[attr-defined]
    for day in missing["site_visits"]:  # type: ignore[index]
        assert day not in full_summary["darcheh"].metrics[series_key("site_visits", {})]


def test_events_cover_the_last_thirty_days(full_summary: dict[str, Summary]) -> None:
    days = sorted(full_summary["darcheh"].event_days)
    assert len(days) == 30 and days[-1] == "2025-06-01"
    assert min(full_summary["darcheh"].event_days.values()) > 500
