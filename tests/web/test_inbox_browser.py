"""The inbox flow in a real headless Chromium: a PR person logs in, opens the inbox, opens a conversation,
assigns it to themself, writes a reply and resolves it; then the same pages in Persian (right to left,
Jalali dates). Screenshots go to $PEYVAND_SCREENSHOTS (or the test's temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from browser_support import launch, screenshots, serve
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.inbox_sweep import sweep_inbox
from peyvand.services.sla_policies import save_sla_policy
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from tests_support import PASSWORD
from web_data import SAMPLE, ingest_objects

pytestmark = pytest.mark.browser


def _fresh_message() -> dict[str, object]:
    at = (datetime.now(UTC) - timedelta(minutes=20)).isoformat()
    return {
        "id": "fresh",
        "source": "instagram",
        "kind": "direct_message",
        "created_at": at,
        "text": "سلام، سفارش من کی می‌رسه؟ دو هفته است منتظرم",
        "author": {"handle": "mahsa.k", "name": "مهسا کریمی"},
    }


@pytest.fixture
def inbox_server(tmp_path: Path, brand: BrandProfile) -> Iterator[str]:
    engine = make_engine(str(tmp_path / "inbox.sqlite"))
    upgrade(engine)
    store = Store(engine)
    workspace = create_workspace(store, brand=brand, slug="niloofar")
    user = create_user(
        store, username="pr-user", password=PASSWORD, display_name="Sara", locale="en", calendar="gregorian"
    )
    grant_role(store, workspace_id=workspace.id, user_id=user.id, role="pr")
    operator = Actor.operator(workspace.id)
    save_sla_policy(store, operator, name="PR standard", first_response_minutes=60, week="always")
    ingest_objects(store, operator, *SAMPLE, _fresh_message())
    sweep_inbox(store, workspace_id=workspace.id, repeat=False)
    with serve(store, tmp_path / "inbox.sqlite") as url:
        yield url
    engine.dispose()


def test_work_a_conversation_in_the_inbox(inbox_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = screenshots(tmp_path)
    server = inbox_server
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{server}/pr/inbox")
        page.fill("input[name=username]", "pr-user")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{server}/pr/inbox")
        rows = page.locator("#inbox tbody tr.conversation")
        assert rows.count() == 3
        assert page.locator("#inbox .sla-running").count() == 1  # the fresh message, within its hour
        assert page.locator("#inbox .sla-missed").count() == 2  # the March messages nobody answered
        page.screenshot(path=str(shots / "inbox-en.png"), full_page=True)

        page.click("#inbox a.person:has-text('reza')")
        page.wait_for_selector("#thread")
        assert "Hello, is green tea available?" in page.locator("#thread").inner_text()
        page.click("#assign-me")
        page.wait_for_load_state()
        assert page.locator("#assignee").inner_text() == "Sara"
        assert page.locator("#not-sent-notice").is_visible()
        page.fill("#reply-text", "Yes! Green tea is in stock in every store.")
        page.click("#send-reply")
        page.wait_for_load_state()
        outbound = page.locator("#thread li.msg.outbound")
        assert outbound.count() == 1 and "in stock in every store" in outbound.inner_text()
        assert "Not sent" in outbound.inner_text()
        page.click("#resolve")
        page.wait_for_load_state()
        assert page.locator(".conversation-head .status-resolved").count() == 1
        assert "replied" in page.locator("#history").inner_text()
        page.screenshot(path=str(shots / "conversation-en.png"), full_page=True)

        page.click("#switch-fa")
        page.wait_for_load_state()
        page.click("#switch-jalali")
        page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "rtl"
        assert "بسته‌شده" in page.locator(".conversation-head").inner_text()
        assert "۱۴۰۴" in page.locator("#thread").inner_text()  # March 2026 is Esfand 1404
        page.screenshot(path=str(shots / "conversation-fa.png"), full_page=True)
        page.click("#nav-inbox")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "صندوق گفت‌وگوها"
        assert page.locator("#inbox tbody tr.conversation").count() == 2  # the resolved one left the list
        page.screenshot(path=str(shots / "inbox-fa.png"), full_page=True)
        browser.close()
