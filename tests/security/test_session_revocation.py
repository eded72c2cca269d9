"""Server-side revocation of the signed session cookies: a copy of a cookie (a stolen one) stops working
once its user's session version is raised: on "Log out of every device", a password change, disabling the
user, or a change of their memberships (docs/settings.md#sessions)."""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import itsdangerous
import pytest
from fastapi.testclient import TestClient

from peyvand.services.users import (
    authenticate,
    change_password,
    end_sessions,
    get_user,
    grant_role,
    revoke_role,
    set_active,
    user_id_by_name,
)
from peyvand.storage.db import Store
from tests_support import PASSWORD, Site

SECRET_KEY = "test-secret-key-for-sessions"  # the `site` fixture's PEYVAND_SECRET_KEY
Event = Callable[[Store, Site, int], None]


@contextmanager
def thief_of(site: Site) -> Iterator[TestClient]:
    """A second browser holding a copy of the site client's session cookie."""
    with TestClient(site.client.app, follow_redirects=False) as thief:
        thief.cookies.set("peyvand_session", site.client.cookies["peyvand_session"])
        yield thief


def signed_in(client: TestClient) -> bool:
    answer = client.get("/pr")
    if answer.status_code == 200:
        return True
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), answer.status_code
    return False


EVENTS: dict[str, Event] = {
    "log out of every device": lambda store, site, uid: end_sessions(store, user_id=uid),
    "password changed": lambda store, site, uid: change_password(store, user_id=uid, password="a-new-pass-9"),
    "user disabled": lambda store, site, uid: set_active(store, user_id=uid, active=False),
    "role removed": lambda store, site, uid: revoke_role(
        store, workspace_id=site.workspace.workspace_id, user_id=uid
    ),
    "role changed": lambda store, site, uid: grant_role(
        store, workspace_id=site.workspace.workspace_id, user_id=uid, role="viewer"
    ),
    "role in another workspace": lambda store, site, uid: grant_role(
        store, workspace_id=site.other.workspace_id, user_id=uid, role="viewer"
    ),
}


@pytest.mark.parametrize("event", EVENTS, ids=list(EVENTS))
def test_a_copied_cookie_stops_working_after(event: str, site: Site, store: Store) -> None:
    site.login("pr-user")
    uid = user_id_by_name(store, username="pr-user")
    assert uid is not None
    with thief_of(site) as thief:
        assert signed_in(thief) and signed_in(site.client)  # the copy works, until …
        EVENTS[event](store, site, uid)
        assert not signed_in(thief)
        assert not signed_in(site.client)
        assert not signed_in(thief)  # and it stays refused on the next request too


def test_granting_the_role_a_user_already_has_ends_no_session(site: Site, store: Store) -> None:
    site.login("pr-user")
    uid = user_id_by_name(store, username="pr-user")
    assert uid is not None
    grant_role(store, workspace_id=site.workspace.workspace_id, user_id=uid, role="pr")
    assert signed_in(site.client)


def test_a_changed_password_is_the_one_that_signs_in(site: Site, store: Store) -> None:
    uid = user_id_by_name(store, username="pr-user")
    assert uid is not None
    change_password(store, user_id=uid, password="a-new-pass-9")
    assert authenticate(store, username="pr-user", password=PASSWORD) is None
    assert authenticate(store, username="pr-user", password="a-new-pass-9") is not None


def test_the_log_out_of_every_device_button_ends_every_copy(site: Site) -> None:
    site.login("pr-user")
    page = site.client.get("/pr").text
    assert 'id="logout-everywhere"' in page and "Log out of every device" in page
    with thief_of(site) as thief:
        assert signed_in(thief)
        token = site.csrf("/pr")
        answer = site.client.post("/logout", data={"csrf_token": token, "everywhere": "true"})
        assert answer.status_code == 303 and answer.headers["location"] == "/login"
        assert not signed_in(thief)
        assert not signed_in(site.client)
    site.login("pr-user")  # signing in again gives a session that works
    assert signed_in(site.client)


def test_log_out_alone_ends_only_this_browsers_session(site: Site) -> None:
    """Documented: the other devices (and copies) stay signed in; that is what the other button is for."""
    site.login("pr-user")
    with thief_of(site) as thief:
        site.client.post("/logout", data={"csrf_token": site.csrf("/pr")})
        assert not signed_in(site.client)
        assert signed_in(thief)


def test_a_revoked_cookie_cannot_log_everyone_out_again(site: Site, store: Store) -> None:
    """A refused cookie asking to log out everywhere raises nobody's version (the new session survives)."""
    site.login("pr-user")
    uid = user_id_by_name(store, username="pr-user")
    assert uid is not None
    with thief_of(site) as thief:
        token = site.csrf("/pr")
        end_sessions(store, user_id=uid)
        site.login("pr-user")
        thief.post("/logout", data={"csrf_token": token, "everywhere": "true"})
        assert signed_in(site.client)


def _cookie(session: dict[str, object]) -> str:
    """A cookie signed as Starlette's SessionMiddleware signs it."""
    data = b64encode(json.dumps(session).encode("utf-8"))
    return itsdangerous.TimestampSigner(SECRET_KEY).sign(data).decode("utf-8")


def _present(browser: TestClient, cookie: str) -> None:
    browser.cookies.clear()  # else the cookie the server set last is sent too
    browser.cookies.set("peyvand_session", cookie)


def test_a_validly_signed_cookie_without_the_current_version_is_refused(site: Site, store: Store) -> None:
    """A cookie from before the session version existed (no `sv`), or with an old one, signs nobody in."""
    uid = user_id_by_name(store, username="pr-user")
    user = get_user(store, user_id=uid) if uid else None
    assert uid is not None and user is not None
    version = user.session_version
    with TestClient(site.client.app, follow_redirects=False) as browser:
        _present(browser, _cookie({"uid": uid, "sv": version}))
        assert signed_in(browser)  # the forging is right: the current version signs in
        for session in ({"uid": uid}, {"uid": uid, "sv": None}, {"uid": uid, "sv": str(version)}):
            _present(browser, _cookie(session))
            assert not signed_in(browser), session
        end_sessions(store, user_id=uid)
        _present(browser, _cookie({"uid": uid, "sv": version}))
        assert not signed_in(browser)
        _present(browser, _cookie({"uid": uid, "sv": version + 1}))
        assert signed_in(browser)
