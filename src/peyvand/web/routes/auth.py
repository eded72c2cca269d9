"""Logging in and out, switching workspace, and the viewer's language and calendar."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.users import authenticate, set_preferences
from peyvand.web.i18n import LOCALES
from peyvand.web.security import Viewer, current_viewer, verify_csrf

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
    user = authenticate(request.app.state.store, username=username, password=password)
    if user is None:
        return request.app.state.renderer.page(
            request, "login.html", None, status=401, next=_safe_next(next), error="wrong_credentials"
        )
    csrf = request.session.get("csrf")
    request.session.clear()
    request.session.update(uid=user.id, csrf=csrf)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
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
