"""The labelling page from the keyboard, in a real headless Chromium: j moves to the next message, a digit
gives it that label, the page comes back on the message after it; then in Persian. Screenshots go to
$PEYVAND_SCREENSHOTS (or the test's temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from browser_support import launch, screenshots, serve
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from peyvand.storage.tables import Item
from peyvand.storage.tables_text import TextLabel
from tests_support import PASSWORD
from text_data import ingest_messages

pytestmark = pytest.mark.browser
TEXTS = ["سلام", "خیلی عالی بود ممنون", "افتضاح بود", "The tea arrived today"]


@pytest.fixture
def server(tmp_path: Path, brand: BrandProfile) -> Iterator[tuple[str, Store]]:
    engine = make_engine(str(tmp_path / "labels.sqlite"))
    upgrade(engine)
    store = Store(engine)
    workspace = create_workspace(store, brand=brand, slug="niloofar")
    user = create_user(store, username="pr-user", password=PASSWORD, display_name="Sara", locale="en")
    grant_role(store, workspace_id=workspace.id, user_id=user.id, role="pr")
    ingest_messages(store, Actor.operator(workspace.id), TEXTS)
    with serve(store, tmp_path / "labels.sqlite") as url:
        yield url, store
    engine.dispose()


def test_label_messages_from_the_keyboard(server: tuple[str, Store], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = screenshots(tmp_path)
    base, store = server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{base}/pr/labels?task=sentiment")
        page.fill("input[name=username]", "pr-user")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{base}/pr/labels?task=sentiment")
        items = page.locator("li.candidate")
        assert items.count() == 4 and "focused" in (items.nth(0).get_attribute("class") or "")
        second = items.nth(1)
        second_id, third_id = second.get_attribute("data-item"), items.nth(2).get_attribute("data-item")
        text = second.locator(".body").inner_text()
        page.keyboard.press("j")
        assert "focused" in (second.get_attribute("class") or "")
        page.screenshot(path=str(shots / "labelling-en.png"), full_page=True)
        page.keyboard.press("2")  # sentiment: 1 positive, 2 negative, 3 neutral
        page.wait_for_url(f"**/pr/labels?task=sentiment&focus={third_id}*")
        assert page.locator("li.candidate").count() == 3
        assert "focused" in (page.locator(f"#item-{third_id}").get_attribute("class") or "")
        page.click("#switch-fa")
        page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.locator("h1").inner_text() == "برچسب‌زدن پیام‌ها"
        page.screenshot(path=str(shots / "labelling-fa.png"), full_page=True)
        browser.close()
    with store.read() as session:
        label = session.scalars(select(TextLabel)).one()
        item = session.get(Item, label.item_id)
        assert str(label.item_id) == second_id and label.label == "negative" and label.source == "page"
        assert item is not None and item.text == text and item.sentiment == "negative"
