"""The reputation pages in a real headless Chromium: the sentiment chart draws (with its interval band),
in English and then in Persian (right to left, Jalali dates); the crisis page and a piece's growth curve
draw too. Screenshots go to $PEYVAND_SCREENSHOTS (or the test's temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from browser_support import launch, screenshots, serve
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.content_spread import register_pr_content
from peyvand.services.reputation_jobs import refresh_reputation
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from reputation_data import Row, add_items, burst, calm_days
from tests_support import PASSWORD

pytestmark = pytest.mark.browser
FIRST = date(2026, 1, 3)


def _story(store: Store, actor: Actor) -> int:
    add_items(store, actor, calm_days(FIRST, 150, per_day=20))
    add_items(store, actor, burst(FIRST + timedelta(days=120), [40, 60, 35, 20]), prefix="angry")
    release = FIRST + timedelta(days=130)
    content_id = register_pr_content(
        store,
        actor,
        {
            "title": "چای نیلوفر گواهی ارگانیک گرفت",
            "url": "https://niloofar.example/press/organic",
            "published_at": f"{release.isoformat()}T09:00",
        },
    )
    shares = [
        Row(
            release + timedelta(days=d),
            "positive",
            text=f"https://niloofar.example/press/organic #{k}",
            author=f"fan{k}",
            followers=300 * (k + 1),
        )
        for d, n in enumerate([3, 6, 4, 2, 1])
        for k in range(n)
    ]
    add_items(store, actor, shares, prefix="share")
    refresh_reputation(store, actor)
    return content_id


@pytest.fixture
def reputation_server(tmp_path: Path, brand: BrandProfile) -> Iterator[tuple[str, int]]:
    engine = make_engine(str(tmp_path / "reputation.sqlite"))
    upgrade(engine)
    store = Store(engine)
    workspace = create_workspace(store, brand=brand, slug="niloofar")
    user = create_user(
        store, username="pr-user", password=PASSWORD, display_name="Sara", locale="en", calendar="gregorian"
    )
    grant_role(store, workspace_id=workspace.id, user_id=user.id, role="pr")
    content_id = _story(store, Actor.operator(workspace.id))
    with serve(store, tmp_path / "reputation.sqlite") as url:
        yield url, content_id
    engine.dispose()


def test_reputation_charts_draw_in_english_and_persian(
    reputation_server: tuple[str, int], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, content_id = reputation_server
    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{base}/reputation")
        page.fill("input[name=username]", "pr-user")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/reputation")
        page.wait_for_selector("#sentiment-chart[data-drawn='1']", timeout=15000)
        assert page.locator("#sentiment-chart .main-svg").count() >= 1
        assert page.locator("#sentiment-chart path.js-fill").count() >= 1  # the interval band
        assert page.locator("#net-sentiment-total .big").inner_text().strip() != "—"
        page.screenshot(path=str(shots / "reputation-en.png"), full_page=True)

        page.click("#switch-fa")
        page.wait_for_load_state()
        page.click("#switch-jalali")
        page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.locator("h1").inner_text() == "وجهه"
        page.wait_for_selector("#sentiment-chart[data-drawn='1']", timeout=15000)
        ticks = page.locator("#sentiment-chart .xtick text").all_text_contents()
        assert any(
            month in " ".join(ticks) for month in ("دی", "بهمن", "اسفند", "فروردین", "اردیبهشت", "خرداد")
        )
        page.screenshot(path=str(shots / "reputation-fa.png"), full_page=True)

        page.goto(f"{base}/reputation/crises")
        page.wait_for_selector("#crisis-chart[data-drawn='1']", timeout=15000)
        assert page.locator("section.crisis[data-status='suggested']").count() == 1
        page.screenshot(path=str(shots / "crises-fa.png"), full_page=True)

        page.goto(f"{base}/reputation/content/{content_id}")
        page.wait_for_selector("#growth-chart[data-drawn='1']", timeout=15000)
        assert page.locator("#piece-pickups .big").inner_text().strip() == "۱۶"
        page.screenshot(path=str(shots / "content-fa.png"), full_page=True)
        browser.close()
