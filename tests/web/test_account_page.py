"""My account: every signed-in person reaches it from their name in the header; changing the password needs
the current one, ends every other session and keeps this browser signed in; the language and calendar
switches and "log out of every device" are the header's own routes."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import select

from peyvand.services.users import authenticate, user_id_by_name
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry
from tests_support import PASSWORD, Site, signed_in_as, still_signed_in, text_of

NEW = "a-new-password-7"


def _change(site: Site, current: str, new: str = NEW, again: str | None = None) -> Any:
    return site.client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
            "csrf_token": site.csrf("/account"),
        },
    )


@pytest.mark.parametrize("role", ["admin", "pr", "marketing", "viewer"])
def test_every_signed_in_person_reaches_their_account_from_their_name(site: Site, role: str) -> None:
    site.login(f"{role}-user")
    header = site.client.get("/exchange").text
    assert 'href="/account" id="account-link"' in header
    page = site.client.get("/account")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"{role}-user" in text and "Change password" in text and "Log out of every device" in text
    assert 'action="/locale"' in page.text and 'action="/preferences"' in page.text
    rows = list(csv.DictReader(io.StringIO(site.client.get("/account", params={"format": "csv"}).text)))
    assert [r["role"] for r in rows if r["workspace"] == "niloofar"] == [role]
    assert {"workspace": "niloofar", "workspace_name": rows[0]["workspace_name"], "role": role} in (
        site.client.get("/account", params={"format": "json"}).json()
    )


def test_the_account_page_needs_a_sign_in(site: Site) -> None:
    answer = site.client.get("/account")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_wrong_current_password_changes_nothing(site: Site, store: Store) -> None:
    site.login("pr-user")
    answer = _change(site, "not-my-password")
    assert answer.status_code == 400 and "The current password is wrong." in answer.text
    assert authenticate(store, username="pr-user", password=PASSWORD) is not None
    assert authenticate(store, username="pr-user", password=NEW) is None
    assert still_signed_in(site.client)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        (NEW, "a-different-one-7", "The two new passwords are not the same."),
        ("short", "short", "A password needs at least 8 characters."),
        (PASSWORD, PASSWORD, "The new password must differ from the current one."),
    ],
)
def test_the_new_password_is_checked(site: Site, store: Store, new: str, again: str, message: str) -> None:
    site.login("pr-user")
    answer = _change(site, PASSWORD, new, again)
    assert answer.status_code == 400 and message in answer.text
    assert authenticate(store, username="pr-user", password=PASSWORD) is not None


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(site: Site, store: Store) -> None:
    site.login("pr-user")
    with signed_in_as(site, "pr-user") as laptop:
        assert still_signed_in(laptop)
        answer = _change(site, PASSWORD)
        assert answer.status_code == 303 and answer.headers["location"] == "/account?changed=password"
        assert not still_signed_in(laptop)
    assert still_signed_in(site.client)
    assert "Your password is changed" in site.client.get(answer.headers["location"]).text
    assert authenticate(store, username="pr-user", password=NEW) is not None
    assert authenticate(store, username="pr-user", password=PASSWORD) is None
    uid = user_id_by_name(store, username="pr-user")
    with store.read() as session:
        audited = session.scalars(
            select(AuditEntry.user_id).where(
                AuditEntry.action == "user.password", AuditEntry.target == str(uid)
            )
        ).all()
    assert audited == [uid]  # done by the person themselves


def test_guessing_the_current_password_is_throttled_like_a_sign_in(site: Site) -> None:
    site.login("pr-user")
    statuses = [_change(site, f"guess-{n}").status_code for n in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429
    assert _change(site, PASSWORD).status_code == 429  # even the right one, until the window passes


def test_the_password_change_needs_the_csrf_token(site: Site, store: Store) -> None:
    site.login("pr-user")
    for token in ({}, {"csrf_token": "wrong-token"}):
        answer = site.client.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW, **token},
        )
        assert answer.status_code == 403 and "CSRF" in answer.text
    assert authenticate(store, username="pr-user", password=PASSWORD) is not None


def test_log_out_of_every_device_from_the_account_page(site: Site) -> None:
    site.login("pr-user")
    page = site.client.get("/account").text
    assert 'id="account-logout-everywhere"' in page
    with signed_in_as(site, "pr-user") as laptop:
        answer = site.client.post("/logout", data={"csrf_token": site.csrf("/account"), "everywhere": "true"})
        assert answer.status_code == 303
        assert not still_signed_in(laptop) and not still_signed_in(site.client)


def test_the_language_switch_comes_back_to_the_account_page(site: Site) -> None:
    site.login("pr-user")
    answer = site.client.post(
        "/locale", data={"locale": "fa", "csrf_token": site.csrf("/account"), "next": "/account"}
    )
    assert answer.headers["location"] == "/account"
    page = site.client.get("/account").text
    assert 'dir="rtl"' in page and "حساب من" in page
