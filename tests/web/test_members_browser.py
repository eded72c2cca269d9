"""The members page in Persian (right to left) in a real headless Chromium: an admin opens it from the
menu, makes a new account (its one-time password shown once) and adds an existing one. Screenshots go to
$PEYVAND_SCREENSHOTS (or the test's temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import launch, screenshots, serve
from peyvand.domain.brand import BrandProfile
from peyvand.services.users import authenticate, create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from tests_support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path, brand: BrandProfile) -> Iterator[tuple[str, Store]]:
    engine = make_engine(str(tmp_path / "members.sqlite"))
    upgrade(engine)
    store = Store(engine)
    workspace = create_workspace(store, brand=brand, slug="niloofar")
    admin = create_user(store, username="admin-user", password=PASSWORD, display_name="نسرین", locale="fa")
    grant_role(store, workspace_id=workspace.id, user_id=admin.id, role="admin")
    create_user(store, username="reza", password=PASSWORD, display_name="رضا")  # no workspace yet
    with serve(store, tmp_path / "members.sqlite") as url:
        yield url, store
    engine.dispose()


def test_an_admin_adds_members_in_persian(server: tuple[str, Store], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url, store = server
    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
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
