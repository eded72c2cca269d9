"""Logging in (throttled: `services.login_throttle`) and out (of this browser, or of every device:
`services.users.end_sessions`), switching workspace, and the viewer's language and calendar."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.login_throttle import LoginLimits, SignInThrottled, sign_in
from peyvand.services.users import end_sessions, set_preferences
from peyvand.web.i18n import LOCALES
from peyvand.web.security import (
    LoginRequired,
    Viewer,
    current_viewer,
    signed_in_user,
    start_session,
    verify_csrf,
)

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form cannot be used to redirect elsewhere. Browsers read a
    backslash as a slash and drop tabs and newlines, so `/\\evil.example` and `/<tab>/evil.example` would
    be `//evil.example` to them: a path with a backslash or a control character is refused too."""
    if not target:
        return "/"
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def login_limits(request: Request) -> LoginLimits:
    """The sign-in throttle's limits from the settings (the login form and the account page's password
    change count against the same limits)."""
    settings = request.app.state.settings
    return LoginLimits(
        max_failures=settings.login_max_failures, window=timedelta(seconds=settings.login_lockout_seconds)
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    return request.app.state.renderer.page(request, "login.html", None, next=_safe_next(next), error=None)


@router.post("/login", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    renderer = request.app.state.renderer
    try:
        user = sign_in(
            request.app.state.store,
            username=username,
            password=password,
            address=client_address(request),
            limits=login_limits(request),
        )
    except SignInThrottled as exc:
        page = renderer.page(
            request,
            "login.html",
            None,
            status=429,
            next=_safe_next(next),
            error="throttled",
            minutes=math.ceil(exc.retry_after / 60),
        )
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if user is None:
        return renderer.page(
            request, "login.html", None, status=401, next=_safe_next(next), error="wrong_credentials"
        )
    start_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def logout(request: Request, everywhere: Annotated[bool, Form()] = False) -> Response:
    """Log this browser out; with `everywhere`, every session of the user ends (other devices, and any
    copy of the cookie)."""
    if everywhere:
        try:
            user = signed_in_user(request)
        except LoginRequired:
            pass
        else:
            end_sessions(request.app.state.store, user_id=user.id, by=user.id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/locale", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def choose_locale(
    request: Request, locale: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    """The language switch: kept on the user when signed in, in the session otherwise."""
    if locale in LOCALES:
        request.session["locale"] = locale
        uid = request.session.get("uid")
        if uid:
            viewer = current_viewer(request)
            set_preferences(
                request.app.state.store, user_id=viewer.user.id, locale=locale, calendar=viewer.user.calendar
            )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/preferences", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def preferences(
    request: Request,
    viewer: Annotated[Viewer, Depends(current_viewer)],
    calendar: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    set_preferences(
        request.app.state.store, user_id=viewer.user.id, locale=viewer.user.locale, calendar=calendar
    )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/workspace", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def switch_workspace(
    request: Request,
    viewer: Annotated[Viewer, Depends(current_viewer)],
    workspace_id: Annotated[int, Form()],
) -> Response:
    """Switch to another workspace the user is a member of (others are ignored)."""
    if any(m.workspace_id == workspace_id for m in viewer.memberships):
        request.session["ws"] = workspace_id
    return RedirectResponse("/", status_code=303)
