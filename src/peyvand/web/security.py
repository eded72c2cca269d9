"""Sessions, the signed-in viewer, and CSRF protection.

Sessions are Starlette's signed cookies (itsdangerous). A signed cookie cannot be taken back, so each one
also holds its user's session version at sign-in (`sv`), compared with the stored one on every request
(`signed_in_user`): raising the version (`services.users.end_sessions`, a password change, disabling, a
membership change) ends every session of that user at once, stolen copies included. Logging out of one
browser only empties that browser's cookie: "Log out of every device" is what revokes a copied one.

CSRF uses the synchronizer-token pattern: a random token kept in the session and sent back with every form
(or the X-CSRF-Token header), compared in constant time. It is a few lines, so no extra package: the
session already gives us the server-side secret store.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request

from peyvand.services.access import Actor
from peyvand.services.users import MembershipInfo, UserInfo, get_user, memberships
from peyvand.storage.db import Store
from peyvand.storage.sealed import SESSION_KEY, kept_secret

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sent with every answer: no page may be framed by another site (clickjacking of the forms), answers are
# read as the type they say they are, and addresses inside Peyvand are not sent to other sites.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'",
    ),
    (b"referrer-policy", b"same-origin"),
)
# Pages and downloads hold the workspace's messages and people: no cache keeps them (the browser's back
# button fetches again). The static files and the Plotly bundle are the same for everyone.
NOT_STORED = (b"cache-control", b"no-store")
PUBLIC_FILES = ("/static/", "/vendor/")
ASGIMessage = MutableMapping[str, Any]
ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[ASGIMessage]],
        Callable[[ASGIMessage], Awaitable[None]],
    ],
    Awaitable[None],
]


class PasswordChangeRequired(Exception):
    """The signed-in user was given a one-time password: until they choose their own, every page sends
    them to their account page (`PASSWORD_CHANGE_PATHS` stay open)."""


# What a user who must change their password may still reach: the account page and its form, signing
# out, and the language and calendar switches.
PASSWORD_CHANGE_PATHS = frozenset({"/account", "/account/password", "/logout", "/locale", "/preferences"})


class LoginRequired(Exception):
    """The page needs a signed-in user; the app redirects to the login page."""


@dataclass(frozen=True)
class Viewer:
    user: UserInfo
    actor: Actor
    membership: MembershipInfo
    memberships: list[MembershipInfo]


class SecurityHeaders:
    """A pure ASGI middleware adding `SECURITY_HEADERS` (and `NOT_STORED`, but to public files) to every
    HTTP answer that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[ASGIMessage]],
        send: Callable[[ASGIMessage], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        shared = str(scope.get("path", "")).startswith(PUBLIC_FILES)
        extra = SECURITY_HEADERS if shared else (*SECURITY_HEADERS, NOT_STORED)

        async def with_headers(message: ASGIMessage) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def session_secret(store: Store, configured: str | None) -> str:
    """The configured key, else one generated once and kept in the database (never in a file)."""
    if configured:
        return configured
    kept = kept_secret(store, SESSION_KEY)
    assert kept is not None
    return kept


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token does not match the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise HTTPException(
            status_code=403, detail="CSRF token missing or wrong; reload the page and try again"
        )


def start_session(request: Request, user: UserInfo) -> None:
    """Sign `user` in: a fresh session (keeping the CSRF token) holding their id and session version."""
    csrf = request.session.get("csrf")
    request.session.clear()
    request.session.update(uid=user.id, sv=user.session_version, csrf=csrf)


def signed_in_user(request: Request) -> UserInfo:
    """The session's user, while they are active and the session's version is theirs; otherwise the
    sign-in is dropped from the session and `LoginRequired` is raised."""
    store: Store = request.app.state.store
    user_id = request.session.get("uid")
    user = get_user(store, user_id=int(user_id)) if user_id else None
    if user is None or request.session.get("sv") != user.session_version:
        for key in ("uid", "sv", "ws"):
            request.session.pop(key, None)
        raise LoginRequired()
    return user


def current_viewer(request: Request) -> Viewer:
    """The signed-in user in their chosen workspace, checked against their session version and their
    memberships on every request."""
    store: Store = request.app.state.store
    user = signed_in_user(request)
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired()
    mine = memberships(store, user_id=user.id)
    if not mine:
        raise HTTPException(status_code=403, detail="You are not a member of any workspace.")
    chosen = next((m for m in mine if m.workspace_id == request.session.get("ws")), mine[0])
    request.session["ws"] = chosen.workspace_id
    actor = Actor(workspace_id=chosen.workspace_id, role=chosen.role, user_id=user.id)
    return Viewer(user, actor, chosen, mine)
