"""The privacy page: an admin sets the workspace's retention, finds a person, downloads their data as
JSON and erases it after typing their handle; every form needs the CSRF token; other roles get 403; a
person of another workspace is not found; the pages that showed an erased message say it was erased."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from peyvand.storage.tables import AuthorRecord, Item, Workspace
from tests_support import Site, text_of

PAGE = "/settings/privacy"


def _post(site: Site, path: str, **data: str) -> Any:
    return site.client.post(path, data={**data, "csrf_token": site.csrf(PAGE)})


def _author(site: Site, handle: str, workspace_id: int | None = None) -> int:
    store = site.client.app.state.store  # type: ignore[attr-defined]
    with store.read() as session:
        found = session.scalar(
            select(AuthorRecord.id).where(
                AuthorRecord.workspace_id == (workspace_id or site.workspace.workspace_id),
                AuthorRecord.handle == handle,
            )
        )
    assert found is not None
    return int(found)


def test_an_admin_finds_exports_and_erases_a_person(site: Site) -> None:
    site.login("admin-user")
    page = site.client.get(PAGE, params={"q": "sara"})
    assert page.status_code == 200
    assert 'href="/settings/privacy"' in page.text  # the admin's menu links to it
    sara = _author(site, "sara")
    assert f'data-person="{sara}"' in page.text and "reza" not in text_of(page.text)
    download = _post(site, f"{PAGE}/people/{sara}/export")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    document = json.loads(download.content)
    assert [i["text"] for i in document["items"]] == ["چای سبز نیلوفر عالیه"]
    assert [a["handle"] for a in document["authors"]] == ["sara"]

    refused = _post(site, f"{PAGE}/people/{sara}/erase", confirmation="reza", q="sara")
    assert refused.status_code == 400 and 'id="refused"' in refused.text
    done = _post(site, f"{PAGE}/people/{sara}/erase", confirmation="@Sara", q="sara")
    assert done.status_code == 200 and 'id="erased"' in done.text
    assert "Messages erased" in text_of(done.text)
    store = site.client.app.state.store  # type: ignore[attr-defined]
    with store.read() as session:
        item = session.scalars(select(Item).where(Item.author_id == sara)).one()
        assert item.text is None and item.sentiment is not None
        conversation_id = item.conversation_id
    thread = site.client.get(f"/pr/conversations/{conversation_id}")
    assert thread.status_code == 200
    assert "erased (privacy)" in thread.text and not re.search(r">\s*None\s*<", thread.text)
    desk = site.client.get("/pr", params={"days": "3650"}).text
    contacts = site.client.get("/reputation/media", params={"audience": "all"}).text
    assert "sara" not in desk and "sara" not in contacts and "erased (privacy)" in desk
    assert not re.search(r">\s*None\s*<", desk + contacts)
    again = _post(site, f"{PAGE}/people/{sara}/erase", confirmation=str(sara))
    assert again.status_code == 200 and "already erased" in again.text


def test_the_admin_sets_the_retention(site: Site) -> None:
    site.login("admin-user")
    assert _post(site, f"{PAGE}/retention", keep="days", days="90").status_code == 303
    store = site.client.app.state.store  # type: ignore[attr-defined]

    def days() -> int | None:
        with store.read() as session:
            ws = session.get(Workspace, site.workspace.workspace_id)
            assert ws is not None
            return ws.retention_days

    assert days() == 90
    assert "90 days" in text_of(site.client.get(PAGE).text)
    assert _post(site, f"{PAGE}/retention", keep="days", days="0").status_code == 400
    assert _post(site, f"{PAGE}/retention", keep="days", days="").status_code == 400
    assert days() == 90
    assert _post(site, f"{PAGE}/retention", keep="forever").status_code == 303
    assert days() is None


def test_every_form_needs_the_csrf_token(site: Site) -> None:
    site.login("admin-user")
    sara = _author(site, "sara")
    for path, data in (
        (f"{PAGE}/retention", {"keep": "forever"}),
        (f"{PAGE}/people/{sara}/export", {}),
        (f"{PAGE}/people/{sara}/erase", {"confirmation": "sara"}),
    ):
        assert site.client.post(path, data=data).status_code in (400, 403)
    assert _author(site, "sara") == sara  # not erased


@pytest.mark.parametrize("username", ["pr-user", "marketing-user", "viewer-user"])
def test_other_roles_get_403(site: Site, username: str) -> None:
    site.login(username)
    assert site.client.get(PAGE).status_code == 403
    assert 'href="/settings/privacy"' not in site.client.get("/exchange").text
    sara = _author(site, "sara")
    for path, data in (
        (f"{PAGE}/retention", {"keep": "days", "days": "1"}),
        (f"{PAGE}/people/{sara}/export", {}),
        (f"{PAGE}/people/{sara}/erase", {"confirmation": "sara"}),
    ):
        token = site.csrf("/exchange")
        assert site.client.post(path, data={**data, "csrf_token": token}).status_code == 403
    assert _author(site, "sara") == sara


def test_another_workspaces_person_is_not_found(site: Site) -> None:
    site.login("admin-user")  # admin of both workspaces, acting in the first
    bob = _author(site, "bob", site.other.workspace_id)
    assert "bob" not in text_of(site.client.get(PAGE, params={"q": "bob"}).text)
    assert _post(site, f"{PAGE}/people/{bob}/export").status_code == 404
    assert _post(site, f"{PAGE}/people/{bob}/erase", confirmation="bob").status_code == 404
    assert _author(site, "bob", site.other.workspace_id) == bob


def test_the_page_reads_in_persian(site: Site) -> None:
    site.login("admin-user")
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf(PAGE), "next": PAGE})
    page = site.client.get(PAGE, params={"q": "sara"}).text
    assert '<html lang="fa" dir="rtl">' in page
    for words in ("حریم خصوصی", "مدت نگه‌داری", "برون‌بری (JSON)", "پاک کن"):
        assert words in page


def test_an_admin_clears_an_imports_rejected_input_and_others_cannot(site: Site) -> None:
    from api_support import bearer, ndjson, token_for

    token = token_for(site.client, site.workspace)
    outcome = site.client.post(
        "/api/v1/items:batch",
        content=ndjson(b'{"id": "r1", "text": "secret text of sara"}'),
        headers=bearer(token),
    ).json()
    run_id = outcome["import_id"]
    site.login("pr-user")
    assert "secret text of sara" in site.client.get(f"/imports/{run_id}").text
    refused = site.client.post(
        f"/imports/{run_id}/clear-input", data={"csrf_token": site.csrf(f"/imports/{run_id}")}
    )
    assert refused.status_code == 403
    site.login("admin-user")
    page = site.client.get(f"/imports/{run_id}")
    assert 'id="clear-input"' in page.text
    cleared = site.client.post(
        f"/imports/{run_id}/clear-input", data={"csrf_token": site.csrf(f"/imports/{run_id}")}
    )
    assert cleared.status_code == 303
    after = site.client.get(f"/imports/{run_id}").text
    assert "secret text of sara" not in after and 'id="input-cleared"' not in after  # no query: no notice
    assert "line" in after.lower()  # the reject's line and reason stay
    assert "secret text of sara" not in site.client.get(f"/imports/{run_id}", params={"format": "json"}).text
