"""The marketing desk in a real headless Chromium: the series chart draws with its signal marked (a shaded
window and a labelled effect), in English and in Persian (right to left, Jalali dates); the campaign page
draws actual against counterfactual."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from browser_support import launch, screenshots, serve
from marketing_data import FIRST, days, ingest, mention_items, metric_items, store_campaign, visits
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.signals import detect_signals
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from peyvand.storage.tables import MetricSeries
from tests_support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path, brand: BrandProfile) -> Iterator[tuple[str, int]]:
    engine = make_engine(str(tmp_path / "marketing.sqlite"))
    upgrade(engine)
    store = Store(engine)
    actor = Actor.operator(create_workspace(store, brand=brand, slug="niloofar").id)
    user = create_user(
        store, username="mina", password=PASSWORD, display_name="Mina", locale="en", calendar="gregorian"
    )
    grant_role(store, workspace_id=actor.workspace_id, user_id=user.id, role="marketing")
    ingest(store, actor, metric_items("store_visits", visits(4), source="store_counter"))
    counts = dict.fromkeys(days(200), 2)
    counts[FIRST + timedelta(days=150)] = 45
    ingest(store, actor, mention_items(counts))
    store_campaign(store, actor, lift=0.3, seed=11)
    detect_signals(store, actor, history=True)
    with store.read() as session:
        series = session.scalar(select(MetricSeries.id).where(MetricSeries.key == "store_visits"))
    with serve(store, tmp_path / "marketing.sqlite") as url:
        yield url, int(series or 0)
    engine.dispose()


def test_marketing_chart_draws_with_signal_markers(server: tuple[str, int], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, series = server
    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/marketing?series={series}")
        page.fill("input[name=username]", "mina")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_selector("#series-chart[data-drawn='1']", timeout=15000)
        assert page.locator("#series-chart .shapelayer path").count() >= 1  # the shaded signal window
        assert "▲" in (page.locator("#series-chart .annotation").first.text_content() or "")
        assert page.locator("#series-signals-table tbody tr[data-direction='rise']").count() >= 1
        page.screenshot(path=str(shots / "marketing-signals-en.png"), full_page=True)

        page.click("#switch-fa")
        page.wait_for_load_state()
        page.click("#switch-jalali")
        page.wait_for_selector("#series-chart[data-drawn='1']", timeout=15000)
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.locator("#series-chart .shapelayer path").count() >= 1
        assert "بهمن" in page.locator("#series-signals-table").inner_text()  # the rise, in Jalali dates
        ticks = " ".join(page.locator("#series-chart .ytick text").all_text_contents())
        assert re.search("[۱-۹]", ticks) and not re.search("[0-9]", ticks)  # the axis in Persian digits
        titles = page.locator("#series-chart .modebar-btn").evaluate_all("bs => bs.map(b => b.dataset.title)")
        assert "بزرگ‌نمایی" in titles and "Zoom in" not in titles  # the chart toolbar in Persian
        effect = page.locator("#series-chart .annotation").first.text_content() or ""
        assert "▲" in effect and not re.search("[0-9]", effect)
        page.screenshot(path=str(shots / "marketing-signals-fa.png"), full_page=True)

        page.goto(f"{base}/marketing/campaigns/spring")
        page.wait_for_selector("#campaign-chart[data-drawn='1']", timeout=15000)
        assert page.locator("#campaign-chart .scatterlayer .trace").count() >= 4
        ticks = " ".join(page.locator("#campaign-chart .ytick text").all_text_contents())
        assert not re.search("[0-9A-Za-z]", ticks), ticks  # amounts read «۲۰۰ هزار», not «200k»
        assert "هزینه‌اش را برگرداند" in page.locator("#verdict").inner_text()
        page.screenshot(path=str(shots / "marketing-campaign-fa.png"), full_page=True)
        browser.close()
