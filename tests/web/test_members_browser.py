"""The members page in Persian (right to left) in a real headless Chromium: an admin opens it from the
menu, makes a new account (its one-time password shown once) and adds an existing one. Screenshots go to
$PEYVAND_SCREENSHOTS (or the test's temporary folder)."""

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
from peyvand.services.users import authenticate, create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.settings import load_settings
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from peyvand.web.app import create_app
from tests_support import PASSWORD

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
def server(tmp_path: Path, brand: BrandProfile) -> Iterator[tuple[str, Store]]:
    engine = make_engine(str(tmp_path / "members.sqlite"))
    upgrade(engine)
    store = Store(engine)
    workspace = create_workspace(store, brand=brand, slug="niloofar")
    admin = create_user(store, username="admin-user", password=PASSWORD, display_name="نسرین", locale="fa")
    grant_role(store, workspace_id=workspace.id, user_id=admin.id, role="admin")
    create_user(store, username="reza", password=PASSWORD, display_name="رضا")  # no workspace yet
    port = _free_port()
    settings = load_settings(database_url=str(tmp_path / "members.sqlite"), secret_key="browser-test-key")
    app = create_app(settings, store=store, start_worker=False)
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    running.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def test_an_admin_adds_members_in_persian(server: tuple[str, Store], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url, store = server
    executable = _chromium()
    shots = Path(os.environ.get("PEYVAND_SCREENSHOTS", tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/login")
        page.fill("input[name=username]", "admin-user")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.click("#members-link")
        page.wait_for_url(f"{url}/settings/members")
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.locator("h1").inner_text() == "اعضا"

        page.fill("#add-new-form input[name=username]", "maryam")
        page.fill("#add-new-form input[name=display_name]", "مریم")
        page.select_option("#add-new-form select[name=role]", "pr")
        page.click("#add-new-form button[type=submit]")
        page.wait_for_selector("#new-member-password")
        password = page.locator("#new-member-password").inner_text().strip()
        assert authenticate(store, username="maryam", password=password) is not None
        row = page.locator("tr[data-member=maryam]")
        assert "مریم" in row.inner_text()
        assert row.locator("select[name=role]").input_value() == "pr"
        page.screenshot(path=str(shots / "members-fa.png"), full_page=True)

        page.fill("#add-existing-form input[name=username]", "reza")
        page.select_option("#add-existing-form select[name=role]", "viewer")
        page.click("#add-existing-form button[type=submit]")
        page.wait_for_selector("tr[data-member=reza]")
        assert page.locator("tr[data-member=reza] select[name=role]").input_value() == "viewer"
        assert page.locator("#new-member-password").count() == 0  # the password was shown once

        remove = "tr[data-member=reza] form[action$='/remove'] button"
        questions: list[str] = []
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
        page.click(remove)  # asked first; dismissed, nothing is sent
        page.wait_for_timeout(300)
        assert questions and "reza" in questions[0]
        assert page.locator("tr[data-member=reza]").count() == 1
        page.once("dialog", lambda dialog: dialog.accept())
        page.click(remove)
        page.wait_for_selector("tr[data-member=reza]", state="detached")
        browser.close()
