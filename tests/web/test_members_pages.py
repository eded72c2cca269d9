"""The members page: an admin lists, adds (an existing account, or a new one with a one-time password),
changes roles, removes, disables and enables the people of their workspace, in their workspace only; the
workspace always keeps an active admin; other roles get 403; every change is audited and ends the person's
sessions."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import select

from peyvand.services.users import authenticate, grant_role, memberships, user_id_by_name
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry
from tests_support import PASSWORD, Site, signed_in_as, still_signed_in, text_of

PAGE = "/settings/members"


def _uid(store: Store, username: str) -> int:
    user_id = user_id_by_name(store, username=username)
    assert user_id is not None
    return user_id


def _roles(site: Site) -> dict[str, str]:
    return {m["username"]: m["role"] for m in site.client.get(PAGE, params={"format": "json"}).json()}


def _post(site: Site, path: str, **data: str) -> Any:
    return site.client.post(path, data={**data, "csrf_token": site.csrf(PAGE)})


def _role_in_a(store: Store, site: Site, username: str) -> str | None:
    mine = memberships(store, user_id=_uid(store, username))
    return next((m.role for m in mine if m.workspace_id == site.workspace.workspace_id), None)


def _audited(store: Store, action: str, user_id: int) -> list[AuditEntry]:
    with store.read() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target == str(user_id))
            )
        )


def test_an_admin_lists_the_workspaces_members_in_three_forms(site: Site) -> None:
    site.login("admin-user")
    page = site.client.get(PAGE)
    assert page.status_code == 200
    text = text_of(page.text)
    for name in ("admin-user", "pr-user", "marketing-user", "viewer-user"):
        assert name in text
    assert "outsider" not in text  # a member of the other workspace only
    assert 'href="/settings/members"' in page.text  # the admin's menu links to it
    assert _roles(site) == {
        "admin-user": "admin",
        "marketing-user": "marketing",
        "pr-user": "pr",
        "viewer-user": "viewer",
    }
    rows = list(csv.DictReader(io.StringIO(site.client.get(PAGE, params={"format": "csv"}).text)))
    assert {r["username"]: r["active"] for r in rows}["pr-user"] == "True"
    signed_in = {
        m["username"]: m["last_sign_in_at"] for m in site.client.get(PAGE, params={"format": "json"}).json()
    }
    assert (
        signed_in["admin-user"] is not None and signed_in["viewer-user"] is None
    )  # only the admin signed in


def test_an_admin_adds_an_existing_account(site: Site, store: Store) -> None:
    """An agency's admin (admin of both workspaces in `site`) brings one of its people into another client."""
    site.login("admin-user")
    answer = _post(site, f"{PAGE}/add", username="outsider", role="viewer")
    assert answer.status_code == 303
    assert _roles(site)["outsider"] == "viewer"
    in_a = [
        e
        for e in _audited(store, "membership.grant", _uid(store, "outsider"))
        if e.workspace_id == site.workspace.workspace_id
    ]
    assert [(e.user_id, e.details) for e in in_a] == [(_uid(store, "admin-user"), {"role": "viewer"})]
    again = _post(site, f"{PAGE}/add", username="outsider", role="pr")
    assert again.status_code == 400 and "already a member" in again.text
    missing = _post(site, f"{PAGE}/add", username="nobody-here", role="pr")
    assert missing.status_code == 400 and "no account with this username" in missing.text


def test_an_admin_cannot_pull_in_another_clients_people_nor_tell_they_exist(site: Site, store: Store) -> None:
    grant_role(store, workspace_id=site.other.workspace_id, user_id=_uid(store, "admin-user"), role="viewer")
    site.login("admin-user")  # now admin of this workspace only; "outsider" belongs to the other one
    answer = _post(site, f"{PAGE}/add", username="outsider", role="viewer")
    missing = _post(site, f"{PAGE}/add", username="nobody-here", role="viewer")
    assert answer.status_code == missing.status_code == 400
    assert "no account with this username" in answer.text and "no account with this username" in missing.text
    assert "outsider" not in _roles(site)


@pytest.mark.parametrize("username", ["<img src=x onerror=alert(1)>", "Admin-User", "sara ahmadi", "​sara"])
def test_a_new_username_is_plain_and_unlike_any_other(site: Site, store: Store, username: str) -> None:
    site.login("admin-user")
    answer = _post(site, f"{PAGE}/new", username=username, role="pr")
    assert answer.status_code == 400
    assert username.strip() not in _roles(site)


def test_an_admin_makes_a_new_account_whose_password_is_shown_once(site: Site, store: Store) -> None:
    site.login("admin-user")
    answer = _post(site, f"{PAGE}/new", username="maryam", role="pr", display_name="مریم", locale="fa")
    assert answer.status_code == 200
    found = re.search(r'id="new-member-password">([^<]+)<', answer.text)
    assert found
    password = found.group(1)
    assert len(password) >= 12 and _roles(site)["maryam"] == "pr"
    assert password not in site.client.get(PAGE).text  # shown once only
    assert authenticate(store, username="maryam", password=password) is not None
    with signed_in_as(site, "maryam", password) as maryam:
        # the one-time password was seen by the admin: every page leads to the account page until she
        # chooses her own
        held = maryam.get("/exchange")
        assert held.status_code == 303 and held.headers["location"] == "/account?must_change=1"
        account = maryam.get("/account")
        assert account.status_code == 200 and 'id="must-change-password"' in account.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', account.text)
        assert token
        form = {"current_password": password, "new_password": "my-own-pass-1", "csrf_token": token.group(1)}
        changed = maryam.post("/account/password", data={**form, "new_password_again": "my-own-pass-1"})
        assert changed.status_code == 303
        assert still_signed_in(maryam)
        assert 'id="must-change-password"' not in maryam.get("/account").text
    assert _audited(store, "user.create", _uid(store, "maryam"))
    taken = _post(site, f"{PAGE}/new", username="maryam", role="pr")
    assert taken.status_code == 400 and "An account with this username exists" in taken.text


def test_an_admin_changes_a_role_and_the_persons_sessions_end(site: Site, store: Store) -> None:
    site.login("admin-user")
    with signed_in_as(site, "pr-user") as pr:
        assert still_signed_in(pr)
        pr_id = _uid(store, "pr-user")
        answer = _post(site, f"{PAGE}/{pr_id}/role", role="marketing")
        assert answer.status_code == 303
        assert _roles(site)["pr-user"] == "marketing"
        assert not still_signed_in(pr)
    assert _audited(store, "membership.grant", pr_id)[-1].details == {"role": "marketing"}
    assert still_signed_in(site.client)  # the admin's own session is untouched


def test_an_admin_removes_a_member_from_the_workspace(site: Site, store: Store) -> None:
    site.login("admin-user")
    viewer_id = _uid(store, "viewer-user")
    answer = _post(site, f"{PAGE}/{viewer_id}/remove")
    assert answer.status_code == 303
    assert "viewer-user" not in _roles(site)
    assert memberships(store, user_id=viewer_id) == []
    assert authenticate(store, username="viewer-user", password=PASSWORD) is not None  # the account stays
    (entry,) = _audited(store, "membership.revoke", viewer_id)
    assert entry.workspace_id == site.workspace.workspace_id
    assert _post(site, f"{PAGE}/{viewer_id}/remove").status_code == 404


def test_an_admin_disables_and_enables_a_member(site: Site, store: Store) -> None:
    site.login("admin-user")
    marketing_id = _uid(store, "marketing-user")
    with signed_in_as(site, "marketing-user") as marketing:
        assert _post(site, f"{PAGE}/{marketing_id}/disable").status_code == 303
        assert not still_signed_in(marketing)
    assert authenticate(store, username="marketing-user", password=PASSWORD) is None
    member = next(
        m for m in site.client.get(PAGE, params={"format": "json"}).json() if m["user_id"] == marketing_id
    )
    assert member["active"] is False
    assert _post(site, f"{PAGE}/{marketing_id}/enable").status_code == 303
    assert authenticate(store, username="marketing-user", password=PASSWORD) is not None
    assert _audited(store, "user.disable", marketing_id) and _audited(store, "user.enable", marketing_id)


def test_disabling_someone_of_another_workspace_too_is_refused(site: Site, store: Store) -> None:
    """The outsider also belongs to workspace B, where this admin (of A only, here) is not an admin:
    disabling them would lock them out of B too."""
    grant_role(store, workspace_id=site.workspace.workspace_id, user_id=_uid(store, "outsider"), role="pr")
    grant_role(store, workspace_id=site.other.workspace_id, user_id=_uid(store, "admin-user"), role="viewer")
    site.login("admin-user")
    answer = _post(site, f"{PAGE}/{_uid(store, 'outsider')}/disable")
    assert answer.status_code == 400 and "remove them from this workspace" in answer.text.lower()
    assert authenticate(store, username="outsider", password=PASSWORD) is not None


@pytest.mark.parametrize("action", ["role", "remove", "disable"])
def test_the_last_admin_cannot_demote_remove_or_disable_themselves(
    site: Site, store: Store, action: str
) -> None:
    site.login("admin-user")
    admin_id = _uid(store, "admin-user")
    answer = _post(site, f"{PAGE}/{admin_id}/{action}", role="pr")
    assert answer.status_code == 400
    expected = "cannot disable yourself" if action == "disable" else "last admin"
    assert expected in text_of(answer.text)
    assert _role_in_a(store, site, "admin-user") == "admin"
    assert still_signed_in(site.client)


def test_with_another_admin_an_admin_may_step_down_and_stays_signed_in(site: Site, store: Store) -> None:
    grant_role(store, workspace_id=site.workspace.workspace_id, user_id=_uid(store, "pr-user"), role="admin")
    site.login("admin-user")
    answer = _post(site, f"{PAGE}/{_uid(store, 'admin-user')}/role", role="pr")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert _role_in_a(store, site, "admin-user") == "pr"
    assert still_signed_in(site.client)  # a fresh session, in the same workspace
    assert site.client.get(PAGE).status_code == 403  # no longer an admin here


@pytest.mark.parametrize("role", ["pr", "marketing", "viewer"])
def test_other_roles_get_403_on_the_page_and_every_post(site: Site, store: Store, role: str) -> None:
    site.login(f"{role}-user")
    for fmt in (None, "csv", "json"):
        answer = site.client.get(PAGE, params={"format": fmt} if fmt else None)
        assert answer.status_code == 403, fmt
    assert 'href="/settings/members"' not in site.client.get("/exchange").text
    token = site.csrf("/exchange")
    target = _uid(store, "viewer-user")
    posts = {
        f"{PAGE}/add": {"username": "outsider", "role": "admin"},
        f"{PAGE}/new": {"username": "sneaky", "role": "admin"},
        f"{PAGE}/{target}/role": {"role": "admin"},
        f"{PAGE}/{target}/remove": {},
        f"{PAGE}/{target}/disable": {},
        f"{PAGE}/{target}/enable": {},
    }
    for path, data in posts.items():
        assert site.client.post(path, data={**data, "csrf_token": token}).status_code == 403, path
    assert _role_in_a(store, site, "viewer-user") == "viewer"
    assert _role_in_a(store, site, "outsider") is None and user_id_by_name(store, username="sneaky") is None
    assert authenticate(store, username="viewer-user", password=PASSWORD) is not None


def test_an_admin_of_another_workspace_cannot_touch_this_ones_members(site: Site, store: Store) -> None:
    """admin-user administers both workspaces; switched to B, A's PR person is not found there."""
    site.login("admin-user")
    switched = site.client.post(
        "/workspace", data={"workspace_id": site.other.workspace_id, "csrf_token": site.csrf("/exchange")}
    )
    assert switched.status_code == 303
    assert "pr-user" not in _roles(site) and "outsider" in _roles(site)
    pr_id = _uid(store, "pr-user")
    for action in ("role", "remove", "disable", "enable"):
        answer = _post(site, f"{PAGE}/{pr_id}/{action}", role="viewer")
        assert answer.status_code == 404, action
    assert _role_in_a(store, site, "pr-user") == "pr"
    assert authenticate(store, username="pr-user", password=PASSWORD) is not None


def test_every_post_needs_the_csrf_token(site: Site, store: Store) -> None:
    site.login("admin-user")
    target = _uid(store, "viewer-user")
    for path in (
        f"{PAGE}/add",
        f"{PAGE}/new",
        *(f"{PAGE}/{target}/{a}" for a in ("role", "remove", "disable", "enable")),
    ):
        for token in (None, "wrong-token"):
            data = {"username": "outsider", "role": "admin"} | ({"csrf_token": token} if token else {})
            answer = site.client.post(path, data=data)
            assert answer.status_code == 403 and "CSRF" in answer.text, path
    assert _role_in_a(store, site, "viewer-user") == "viewer" and _role_in_a(store, site, "outsider") is None


def test_the_members_page_speaks_persian(site: Site, store: Store) -> None:
    site.login("admin-user")
    site.client.post("/locale", data={"locale": "fa", "csrf_token": site.csrf("/exchange"), "next": PAGE})
    page = site.client.get(PAGE).text
    assert 'dir="rtl"' in page and "اعضا" in page and "افزودن حساب موجود" in page
    refused = _post(site, f"{PAGE}/{_uid(store, 'admin-user')}/remove")
    assert "آخرین مدیر" in refused.text
