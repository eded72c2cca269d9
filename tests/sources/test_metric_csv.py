"""GA4, Matomo, store counter and ad platform CSV exports become `metric` items."""

from __future__ import annotations

import io

import pytest

from peyvand.sources import ads, ga4, store_visits
from peyvand.sources._values import parse_datetime, parse_hour, parse_number
from peyvand.sources.base import UnreadableInput


def _series(records, metric):
    return {
        (i["period"], i["id"].split(":")[1], tuple(sorted(i["dims"].items()))): i["value"]
        for r in records
        if (i := r.item) and i["metric"] == metric
    }


def test_ga4_report(run, payloads, items):
    records = run(payloads / "ga4" / "traffic_by_date.csv")
    assert len(records) == 5 * 7 + 1  # five rows of seven metrics, and the grand-total row
    assert records[-1].filtered == "a totals row (the sum of the other rows)"
    assert [r.locator for r in records if r.filtered == "no value in this cell"] == [
        "line 14, Engaged sessions"
    ]
    visits = [i for i in items(records) if i["metric"] == "site_visits"]
    assert [i["value"] for i in visits] == [1204, 518, 1388, 2941, 977]
    first = visits[0]
    assert first["at"] == "2026-02-28T20:30:00Z"  # 1 March, midnight in Tehran
    assert first["dims"] == {
        "property": "nahal.example - GA4",
        "session_primary_channel_group": "Organic Search",
    }
    assert first["source"] == "ga4" and first["kind"] == "metric" and first["period"] == "day"
    metrics = {i["metric"] for i in items(records)}
    assert {"site_users", "site_conversions", "revenue", "average_engagement_time_per_session"} <= metrics


def test_ga4_snapshot_tables_without_dates_are_filtered(run, payloads, items):
    records = run(payloads / "ga4" / "reports_snapshot.csv")
    assert sum(1 for r in records if r.filtered and r.filtered.startswith("a GA4 table without a Date")) == 5
    views = [i["value"] for i in items(records) if i["metric"] == "page_views"]
    assert views == [5230, 6011, 4870]


def test_ga4_ids_are_stable_and_unique(run, payloads, items):
    ids = [i["id"] for i in items(run(payloads / "ga4" / "traffic_by_date.csv"))]
    assert len(set(ids)) == len(ids)
    assert ids == [i["id"] for i in items(run(payloads / "ga4" / "traffic_by_date.csv"))]


def test_matomo_utf16_translated_export(run, payloads, items):
    records = run(payloads / "matomo" / "visits_summary_translated.csv")
    visits = _series(records, "site_visits")
    assert visits == {
        ("day", "2026-03-01", ()): 903,
        ("day", "2026-03-02", ()): 1070,
        ("day", "2026-03-04", ()): 1122,
    }
    avg = [i["value"] for i in items(records) if i["metric"] == "site_avg_visit_seconds"]
    assert avg[:2] == [220, 230]  # "00:03:40"
    assert [i["value"] for i in items(records) if i["metric"] == "site_bounce_rate"][0] == 44  # "44%"


def test_matomo_api_export_with_labels_and_week_ranges(run, payloads):
    records = run(payloads / "matomo" / "referrers_api.csv")
    visits = _series(records, "site_visits")
    assert visits[("day", "2026-03-01", (("label", "Search Engines"),))] == 402
    assert visits[("day", "2026-03-02", (("label", "Search Engines"),))] == 2950  # "2026-03-02,2026-03-08"


def test_store_counter(run, payloads, items):
    records = run(payloads / "store-visits" / "counter_hourly.csv")
    got = _series(records, "store_visits")
    assert got == {
        ("hour", "2026-03-01T10", (("store", "tehran-1"),)): 45,
        ("hour", "2026-03-01T11", (("store", "tehran-1"),)): 61,
        ("hour", "2026-03-01T10", (("store", "shiraz-1"),)): 22,
    }
    rejects = {r.locator: r.reject for r in records if r.reject}
    assert rejects == {
        "line 6": "'25' is not an hour of the day",
        "line 7, visitors_in": "'ten' is not a number",
    }
    first = items(records)[0]
    assert (first["at"], first["source"]) == ("2026-03-01T06:30:00Z", "store-visits")


def test_store_counter_in_persian_with_jalali_dates(run, payloads, items):
    records = run(payloads / "store-visits" / "counter_jalali_fa.csv")
    visits = [
        (i["dims"]["store"], i["at"], i["value"]) for i in items(records) if i["metric"] == "store_visits"
    ]
    assert visits == [
        ("تهران-1", "2026-03-01T05:30:00Z", 12),
        ("تهران-1", "2026-03-01T06:30:00Z", 1204),
        ("مشهد-2", "2026-03-02T05:30:00Z", 7),
    ]
    assert records[-1].filtered == "a totals row (the sum of the other rows)"


def test_google_ads(run, payloads, items):
    records = run(payloads / "ads" / "google_ads_campaigns.csv")
    assert [r.filtered for r in records][-3:] == ["a totals row (the sum of the other rows)"] * 3
    spend = [i for i in items(records) if i["metric"] == "ad_spend"]
    assert [i["value"] for i in spend] == [84_500_000, 21_000_000, 90_100_000, 40_000_000]
    assert spend[1]["dims"] == {
        "channel_type": "paid",
        "platform": "google_ads",
        "campaign": "Brand - چای نهال",
        "campaign_type": "Search",
        "currency": "IRR",
    }
    assert sum(1 for r in records if r.filtered == "no value in this cell") == 2  # "--"


def test_meta_ads(run, payloads, items):
    records = run(payloads / "ads" / "meta_ads_export.csv")
    spend = [i for i in items(records) if i["metric"] == "ad_spend"]
    assert [(i["value"], i["dims"]["currency"], i["period"]) for i in spend] == [
        (120.15, "USD", "day"),
        (115.2, "USD", "day"),
        (300.0, "USD", "range"),
    ]
    assert spend[2]["period_end"] == "2026-03-07"
    assert {i["dims"]["platform"] for i in spend} == {"meta_ads"}
    clicks = [i["value"] for i in items(records) if i["metric"] == "ad_clicks"]
    assert clicks == [388, 350, 1201]


def test_a_table_without_the_expected_header_is_unreadable(context):
    with pytest.raises(UnreadableInput, match="no store counter"):
        list(store_visits.parse(io.BytesIO(b"a,b\n1,2\n"), context=context, name="s.csv"))
    with pytest.raises(UnreadableInput):
        list(ads.parse(io.BytesIO(b""), context=context, name="a.csv"))


def test_rows_with_extra_cells_and_bad_bytes_are_rejected(context):
    data = b"Date,Sessions\n20260301,5,7\n20260302,\xff\xfe\n20260303,9\n"
    records = list(ga4.parse(io.BytesIO(data), context=context, name="g.csv"))
    assert [r.reject or r.item["value"] for r in records] == [  # type: ignore[index]
        "3 cells, the header has 2",
        "not valid UTF-8 text",
        9,
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234),
        ("1.234,5", 1234.5),
        ("1,5", 1.5),
        ("12.5%", 12.5),
        ("$1,234.56", 1234.56),
        ("۱۲٬۳۴۵", 12345),
        ("1٫5", 1.5),
        ("00:02:13", 133),
        ("1 234 ریال", 1234),
        ("-3", -3),
        ("--", None),
        ("", None),
    ],
)
def test_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1.2.3x", "inf", "nan", "1e999"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "iso", "period"),
    [
        ("20260301", "2026-03-01T00:00:00", "day"),
        ("2026030114", "2026-03-01T14:00:00", "hour"),
        ("2026-03-01", "2026-03-01T00:00:00", "day"),
        ("1404/12/10", "2026-03-01T00:00:00", "day"),
        ("۱۴۰۴/۱۲/۱۰", "2026-03-01T00:00:00", "day"),
        ("2026-03", "2026-03-01T00:00:00", "month"),
        ("Mar 1, 2026", "2026-03-01T00:00:00", "day"),
        ("2026-03-01 10:30", "2026-03-01T10:30:00", "minute"),
    ],
)
def test_dates(text, iso, period):
    moment, got = parse_datetime(text)
    assert (moment.isoformat(), got) == (iso, period)


@pytest.mark.parametrize("text", ["01/03/2026", "20261301", "1404/13/40", "tomorrow"])
def test_not_dates(text):
    with pytest.raises(ValueError):
        parse_datetime(text)


def test_hours():
    assert [parse_hour(h) for h in ("9", "10:00", "10:00 - 11:00", "۲۳")] == [9, 10, 10, 23]
    with pytest.raises(ValueError):
        parse_hour("24")


def test_header_units_and_hourly_dates(context):
    data = b"Day,Campaign,Clicks (all),Link clicks,Amount spent (EUR)\n2026-03-01,C,10,4,1.5\n"
    got = [
        (r.item["metric"], r.item["dims"].get("currency"))
        for r in ads.parse(io.BytesIO(data), context=context)
    ]
    assert got == [("ad_clicks_all", None), ("ad_clicks", None), ("ad_spend", "EUR")]
    data = b"Date + hour (YYYYMMDDHH),Sessions\n2026030114,5\n"
    [record] = ga4.parse(io.BytesIO(data), context=context)
    assert record.item is not None
    assert (record.item["id"], record.item["period"], record.item["at"]) == (
        "site_visits:2026-03-01T14",
        "hour",
        "2026-03-01T10:30:00Z",
    )
