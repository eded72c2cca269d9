"""Stored names and explanations shown in the viewer's language: an import run's name (a live run's day in
the viewer's calendar and digits, its channel's words translated) and the text models' comparison."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from peyvand.services.ingest import ingest_records
from peyvand.services.ingest_live import ingest_live
from peyvand.services.text_labels import import_labels
from peyvand.services.text_training import train_models
from peyvand.services.users import create_user, grant_role
from peyvand.storage.db import Store
from tests_support import PASSWORD, Site, text_of
from text_data import made_up_labels

ASCII_DIGIT = re.compile(r"[0-9]")
DAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 5 Azar 1405


@pytest.fixture
def persian(site: Site, store: Store) -> Site:
    """An admin of the first workspace who reads Persian with the Jalali calendar."""
    user = create_user(store, username="persian-admin", password=PASSWORD, locale="fa", calendar="jalali")
    grant_role(store, workspace_id=site.workspace.workspace_id, user_id=user.id, role="admin")
    return site


def _run_names(site: Site) -> dict[str, str]:
    page = site.client.get("/imports")
    assert page.status_code == 200
    rows = re.findall(
        r'<tr data-run="\d+" data-via="(\w+)">\s*<td>.*?</td>\s*<td>(.*?)</td>', page.text, re.S
    )
    return {via: text_of(cell) for via, cell in rows}


def test_a_live_run_is_named_in_the_viewers_language_and_calendar(
    persian: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("peyvand.services.ingest_live.utcnow", lambda: DAY)
    ingest_live(
        store, persian.workspace, [], channel="meta webhook «instagram»", format="meta-webhook", via="webhook"
    )
    ingest_records(
        store, persian.workspace, [], label="demo export: result.json", format="telegram", via="demo"
    )
    persian.login("persian-admin")
    names = _run_names(persian)
    assert names["webhook"] == "وب‌هوک متا «instagram» • ۵ آذر ۱۴۰۵"
    assert not ASCII_DIGIT.search(names["webhook"])
    assert names["demo"] == "خروجی نمونهٔ نمایشی: result.json"
    assert names["cli"] == "t"  # any other label (a file's name or path) is shown as stored
    persian.client.post("/logout", data={"csrf_token": persian.csrf("/imports")})
    persian.login("admin-user")  # English, Gregorian
    names = _run_names(persian)
    assert names["webhook"] == "Meta webhook «instagram» · 26 Nov 2026"
    assert names["demo"] == "demo export: result.json"


def test_the_text_models_comparison_is_in_the_viewers_language(persian: Site, store: Store) -> None:
    import_labels(store, persian.workspace, made_up_labels("intent"), task="intent")
    [outcome] = train_models(store, persian.workspace, tasks=["intent"])
    assert outcome.in_use and outcome.learned_macro_f1 is not None and outcome.builtin_macro_f1 is not None
    persian.login("persian-admin")
    row = re.search(r'<tr data-task="intent">(.*?)</tr>', persian.client.get("/pr/settings/text").text, re.S)
    assert row is not None
    cell = text_of(row.group(1))
    fa = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")
    learned = f"{outcome.learned_macro_f1:.3f}".translate(fa)
    builtin = f"{outcome.builtin_macro_f1:.3f}".translate(fa)
    assert f"مدل آموخته {learned} در برابر قاعده‌های درونی {builtin}" in cell
    assert "beats" not in cell and "learned model" not in cell and not re.search(r"\b[a-z]+ [a-z]+\b", cell)
    persian.client.post("/logout", data={"csrf_token": persian.csrf("/pr/settings/text")})
    persian.login("admin-user")
    row = re.search(r'<tr data-task="intent">(.*?)</tr>', persian.client.get("/pr/settings/text").text, re.S)
    assert row is not None
    assert (
        f"Learned model {outcome.learned_macro_f1:.3f} against built-in rules {outcome.builtin_macro_f1:.3f}"
        in text_of(row.group(1))
    )


def test_an_hourly_chart_is_in_local_time_and_the_viewers_calendar() -> None:
    from datetime import UTC, datetime

    from peyvand.services.series import Point
    from peyvand.web.charts import series_chart

    points = [Point(datetime(2026, 3, 20, h, 30, tzinfo=UTC), None, float(h), 1) for h in range(20, 24)]
    chart = series_chart(points, grain="hour", title="t", locale="fa", calendar="jalali", tz="Asia/Tehran")
    line = chart["data"][0]
    assert line["x"][0] == "2026-03-21T00:00"  # 20:30 UTC is midnight in Tehran, on Nowruz
    assert "UTC" not in line["text"][0] and "۰۰:۰۰" in line["text"][0]
    axis = chart["layout"]["xaxis"]
    assert axis["tickvals"][0].endswith("T00:00") and "فروردین" in axis["ticktext"][-1]
