"""Roles are checked in the services: viewers see no message bodies and no people's names anywhere, and
marketing sees PR's messages only when PR shared or handed them to marketing. Every GET page of the app,
enumerated from its routes, is read as each role in its three forms (the page, CSV, JSON)."""

from __future__ import annotations

import pytest

from security.routes import app_routes
from security.security_data import MARKETING_SECRETS, VIEWER_SECRETS, WorkspaceObjects
from security.test_workspace_scope import _values
from tests_support import Site

LEAKS = {"viewer": VIEWER_SECRETS, "marketing": MARKETING_SECRETS}


def _pages(site: Site, rich: WorkspaceObjects) -> list[str]:
    routes = [r for r in app_routes(site.client.app) if r.is_page and r.method == "GET"]  # type: ignore[arg-type]
    urls = [r.fill(_values(r, rich)) for r in routes]
    extra = [
        f"/pr/conversations/{rich.ids['shared_conversation']}",
        "/pr/inbox?q=Zqx",
        "/pr?source=instagram",
        "/reputation/media?audience=all",
        "/exchange/handoffs",
    ]
    return [*urls, *extra]


@pytest.mark.parametrize("role", ["viewer", "marketing"])
def test_no_message_text_or_names_reach_a_role_that_may_not_read_them(
    site: Site, rich: WorkspaceObjects, role: str
) -> None:
    site.login(f"{role}-user")
    leaks = []
    statuses = {}
    for url in _pages(site, rich):
        for fmt in (None, "csv", "json"):
            response = site.client.get(url, params={"format": fmt} if fmt else None)
            statuses[(url, fmt)] = response.status_code
            assert response.status_code < 500, (url, fmt, response.text[-2000:])
            leaks += [(url, fmt, s) for s in LEAKS[role] if s in response.text]
    assert leaks == []
    assert statuses[("/exchange", None)] == 200  # the test did read pages


def test_marketing_reads_what_pr_shared_with_it(site: Site, rich: WorkspaceObjects) -> None:
    """The other side of the rule above: shared conversations and handoffs are there for marketing."""
    site.login("marketing-user")
    shared = site.client.get(f"/pr/conversations/{rich.ids['shared_conversation']}")
    assert shared.status_code == 200 and "Zqxsharedtext" in shared.text
    assert "Zqxhandoffnote" in site.client.get("/exchange").text


def test_the_words_looked_for_are_on_the_pages_of_those_who_may_read_them(
    site: Site, rich: WorkspaceObjects
) -> None:
    """A control for the test above: an admin finds every one of those words somewhere, so their absence
    for viewers and marketing is the access rule at work, not data the pages never show."""
    site.login("admin-user")
    seen: set[str] = set()
    for url in _pages(site, rich):
        for fmt in (None, "csv", "json"):
            text = site.client.get(url, params={"format": fmt} if fmt else None).text
            seen |= {s for s in VIEWER_SECRETS if s in text}
    assert set(VIEWER_SECRETS) - seen == set()
