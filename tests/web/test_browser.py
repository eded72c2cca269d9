"""One flow in a real headless Chromium (Debian's package, driven by Playwright): log in, open the PR desk,
see an item; switch to Persian and see the right-to-left page with Jalali dates; open the marketing chart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import launch, screenshots, serve
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from tests_support import PASSWORD
from web_data import ingest_sample

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path, brand: BrandProfile) -> Iterator[str]:
    engine = make_engine(str(tmp_path / "browser.sqlite"))
    upgrade(engine)
    store = Store(engine)
    ws = create_workspace(store, brand=brand, slug="niloofar")
    user = create_user(
        store, username="pr-user", password=PASSWORD, display_name="Sara", locale="en", calendar="gregorian"
    )
    grant_role(store, workspace_id=ws.id, user_id=user.id, role="admin")
    ingest_sample(store, Actor.operator(ws.id))
    with serve(store, tmp_path / "browser.sqlite") as url:
        yield url
    engine.dispose()


def test_log_in_open_pr_desk_switch_to_persian(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/pr")
        assert "/login" in page.url
        page.fill("input[name=username]", "pr-user")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{server}/pr")
        assert page.locator("#pr-items tbody tr").count() >= 3
        assert page.locator("#pr-items").get_by_text("Hello, is green tea available?").is_visible()
        page.screenshot(path=str(shots / "pr-desk-en.png"), full_page=True)

        page.click("#switch-fa")
        page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.locator("h1").inner_text() == "میز روابط عمومی"
        page.click("#switch-jalali")
        page.wait_for_load_state()
        assert "اسفند" in page.locator("#pr-items").inner_text()
        page.screenshot(path=str(shots / "pr-desk-fa.png"), full_page=True)

        page.click("a[href='/marketing']")
        page.wait_for_selector("#series-chart[data-drawn='1']", timeout=15000)
        assert page.locator("#series-chart .main-svg").count() >= 1
        page.screenshot(path=str(shots / "marketing-fa.png"), full_page=True)
        browser.close()
