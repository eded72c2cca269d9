"""Right-to-left layout in a real headless Chromium, in Persian (the default) and in English: a message
reads in its detected language's direction even when it opens with a Latin @handle, a flow arrow points
the way the page reads, a table wider than the window scrolls inside its box (the page never scrolls
sideways), and the campaign calendar shows each campaign's whole name and dates.
Screenshots go to $PEYVAND_SCREENSHOTS (or the test's temporary folder)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from browser_support import launch, screenshots, serve
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.campaigns import save_campaign
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from tests_support import PASSWORD
from web_data import ingest_objects

pytestmark = pytest.mark.browser

PERSIAN_HANDLE = "@niloofar سلام، قیمت چای سبز چنده؟ می‌خوام برای مغازه‌ام بخرم"
ENGLISH_HANDLE = "@niloofar is the green tea in stock? I want to buy two boxes"
LONG_LINK = "سفارشم رو از این لینک دادم ولی نرسید https://shop.example/orders/" + "a1b2c3d4e5" * 12
START = date(2026, 1, 1)


def _messages() -> list[dict[str, object]]:
    texts = [("fa", PERSIAN_HANDLE), ("en", ENGLISH_HANDLE), ("link", LONG_LINK)]
    return [
        {
            "id": f"dm-{key}",
            "source": "instagram",
            "kind": "direct_message",
            "created_at": f"2026-03-0{n}T10:00:00Z",
            "text": text,
            "author": {"handle": f"customer{n}"},
        }
        for n, (key, text) in enumerate(texts, start=1)
    ]


def _campaign(key: str, name: str, name_en: str, starts: date, days: int) -> dict[str, object]:
    return {
        "key": key,
        "kind": "marketing",
        "name": name,
        "name_en": name_en,
        "products": ["green-tea"],
        "starts_on": starts.isoformat(),
        "ends_on": (starts + timedelta(days=days - 1)).isoformat(),
        "budget": 5_000_000,
        "channels": [{"name": "instagram_ads", "type": "paid"}],
    }


@pytest.fixture
def rtl_server(tmp_path: Path, brand: BrandProfile) -> Iterator[str]:
    engine = make_engine(str(tmp_path / "rtl.sqlite"))
    upgrade(engine)
    store = Store(engine)
    actor = Actor.operator(create_workspace(store, brand=brand, slug="niloofar").id)
    user = create_user(
        store, username="neda", password=PASSWORD, display_name="ندا", locale="fa", calendar="jalali"
    )
    grant_role(store, workspace_id=actor.workspace_id, user_id=user.id, role="pr")
    ingest_objects(store, actor, *_messages())
    save_campaign(store, actor, _campaign("winter", "چای زمستانی نیلوفر", "Niloofar winter tea", START, 80))
    short = START + timedelta(days=85)
    save_campaign(store, actor, _campaign("brew", "چای تازه‌دم تهران", "Fresh brew Tehran", short, 6))
    late = START + timedelta(days=170)
    save_campaign(store, actor, _campaign("nights", "شب‌های دمنوش", "Herbal nights", late, 5))
    with serve(store, tmp_path / "rtl.sqlite") as url:
        yield url
    engine.dispose()


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/pr")
    page.fill("input[name=username]", "neda")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/pr")


def _direction(page: Any, selector: str, text: str) -> str:
    """The computed direction of the first element under `selector` whose text starts with `text`."""
    found: str = page.evaluate(
        """([selector, text]) => {
            const all = [...document.querySelectorAll(selector)];
            const el = all.find(e => e.textContent.trim().startsWith(text));
            return el ? getComputedStyle(el).direction : "missing";
        }""",
        [selector, text],
    )
    return found


def _page_overflow(page: Any) -> int:
    """How far the page scrolls sideways, in pixels (0 when it does not)."""
    return int(page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def test_messages_read_in_their_language_direction(rtl_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _sign_in(page, rtl_server)
        assert page.get_attribute("html", "dir") == "rtl"
        assert _direction(page, "#pr-items td.message", "@niloofar سلام") == "rtl"
        assert _direction(page, "#pr-items td.message", "@niloofar is the") == "ltr"
        handle = page.locator("#pr-items td.message bdi").first  # the handle itself stays "@niloofar"
        assert handle.inner_text() == "@niloofar"
        assert handle.evaluate("e => getComputedStyle(e).direction") == "ltr"
        page.screenshot(path=str(shots / "rtl-pr-fa.png"), full_page=True)

        page.goto(f"{rtl_server}/pr/inbox?status=all")
        assert _direction(page, "#inbox td.message", "@niloofar سلام") == "rtl"
        assert _direction(page, "#inbox td.message", "@niloofar is the") == "ltr"
        page.click("#inbox tr.conversation:has-text('@niloofar سلام') a.plain")
        page.wait_for_selector("#thread")
        assert _direction(page, "#thread .body", "@niloofar سلام") == "rtl"
        browser.close()


def test_flow_arrow_points_the_way_the_page_reads(rtl_server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _sign_in(page, rtl_server)
        shared = page.locator("#pr-items tr:has-text('@niloofar سلام') summary").inner_text()
        assert "←" in shared and "→" not in shared  # روابط عمومی ← بازاریابی
        page.click("#switch-en")
        page.wait_for_load_state()
        assert page.get_attribute("html", "dir") == "ltr"
        shared = page.locator("#pr-items tr:has-text('@niloofar is the') summary").inner_text()
        assert "→" in shared and "←" not in shared  # PR → Marketing
        browser.close()


PAGES = ("/pr", "/pr/inbox?status=all", "/marketing/campaigns")


@pytest.mark.parametrize("width", [1024, 600])
def test_wide_tables_scroll_inside_not_the_page(rtl_server: str, tmp_path: Path, width: int) -> None:
    from playwright.sync_api import sync_playwright

    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": width, "height": 900})
        _sign_in(page, rtl_server)
        for language in ("fa", "en"):
            for path in PAGES:
                page.goto(f"{rtl_server}{path}")
                assert _page_overflow(page) == 0, (language, path)
            if width < 1000:  # the campaigns table (11 columns) is wider than the window …
                table = page.locator("#campaigns")
                assert table.evaluate("t => t.scrollWidth") > width
                box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
                assert box[0] > box[1]  # … and scrolls inside its box
            page.screenshot(path=str(shots / f"rtl-campaigns-{language}-{width}.png"))
            if language == "fa":
                page.click("#switch-en")
                page.wait_for_load_state()
        browser.close()


def _labels(page: Any) -> list[dict[str, Any]]:
    """Each calendar label: its text and direction, whether its text is cut, whether it stays in the strip."""
    found: list[dict[str, Any]] = page.evaluate(
        """() => {
            const strip = document.querySelector("#campaign-timeline .strip").getBoundingClientRect();
            return [...document.querySelectorAll("#campaign-timeline .strip-label")].map(e => {
                const r = e.getBoundingClientRect();
                return {text: e.textContent.trim(), dir: getComputedStyle(e).direction,
                        cut: e.scrollWidth > e.clientWidth + 1,
                        inside: r.left >= strip.left - 1 && r.right <= strip.right + 1};
            });
        }"""
    )
    return found


def test_campaign_calendar_shows_whole_names(rtl_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shots = screenshots(tmp_path)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1024, "height": 900})
        _sign_in(page, rtl_server)
        page.goto(f"{rtl_server}/marketing/campaigns")
        labels = _labels(page)
        names = ["چای زمستانی نیلوفر", "چای تازه‌دم تهران", "شب‌های دمنوش"]
        assert [label["text"].split(" • ")[0] for label in labels] == names
        assert all(label["dir"] == "rtl" and not label["cut"] and label["inside"] for label in labels), labels
        page.locator("#campaign-timeline").screenshot(path=str(shots / "rtl-calendar-fa.png"))

        page.click("#switch-en")
        page.wait_for_load_state()
        labels = _labels(page)
        names = ["Niloofar winter tea", "Fresh brew Tehran", "Herbal nights"]
        assert [label["text"].split(" · ")[0] for label in labels] == names
        assert all(label["dir"] == "ltr" and not label["cut"] and label["inside"] for label in labels), labels
        page.locator("#campaign-timeline").screenshot(path=str(shots / "rtl-calendar-en.png"))
        browser.close()
