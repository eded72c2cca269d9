"""One flow in a real headless Chromium (Debian's package, driven by Playwright): log in, open the PR desk,
see an item; switch to Persian and see the right-to-left page with Jalali dates; open the marketing chart."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.settings import load_settings
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from peyvand.web.app import create_app
from tests_support import PASSWORD
from web_data import ingest_sample

pytestmark = pytest.mark.browser


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("PEYVAND_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    port = _free_port()
    app = create_app(
        load_settings(database_url=str(tmp_path / "browser.sqlite"), secret_key="browser-test-key"),
        store=store,
        start_worker=False,
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_log_in_open_pr_desk_switch_to_persian(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    shots = Path(os.environ.get("PEYVAND_SCREENSHOTS", tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
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
