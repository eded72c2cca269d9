"""My account (every signed-in person): their workspaces and roles, their language and calendar (the same
switches as the header: `/locale`, `/preferences`), changing their password, and logging out of every
device (the header's `/logout` with `everywhere`)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import InvalidInput
from peyvand.services.account import SamePassword, WrongPassword, change_own_password
from peyvand.services.login_throttle import SignInThrottled
from peyvand.web.render import table_response, wants
from peyvand.web.routes.auth import client_address, login_limits
from peyvand.web.security import Viewer, current_viewer, start_session, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
Secret = Annotated[str, Form(max_length=1024)]


def _page(request: Request, viewer: Viewer, status: int = 200, **shown: Any) -> Response:
    return request.app.state.renderer.page(
        request,
        "account.html",
        viewer,
        status=status,
        nav="account",
        changed=shown.get("changed", False),
        error=shown.get("error"),
        minutes=shown.get("minutes"),
    )


@router.get("/account", include_in_schema=False)
def account_page(request: Request, viewer: ViewerDep) -> Response:
    fmt = wants(request)
    if fmt != "html":
        rows = [
            {"workspace": m.workspace_slug, "workspace_name": m.workspace_name, "role": m.role}
            for m in viewer.memberships
        ]
        return table_response(fmt, rows, "my-workspaces")
    return _page(request, viewer, changed=request.query_params.get("changed") == "password")


@router.post("/account/password", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def change_my_password(
    request: Request,
    viewer: ViewerDep,
    current_password: Secret,
    new_password: Secret,
    new_password_again: Secret,
) -> Response:
    """Change the password (the current one is checked like a sign-in, throttled); every session of the
    person ends, and this browser goes on in a fresh one."""
    if new_password != new_password_again:
        return _page(request, viewer, status=400, error="mismatch")
    try:
        user = change_own_password(
            request.app.state.store,
            user_id=viewer.user.id,
            current_password=current_password,
            new_password=new_password,
            address=client_address(request),
            limits=login_limits(request),
        )
    except SignInThrottled as exc:
        page = _page(request, viewer, status=429, error="throttled", minutes=math.ceil(exc.retry_after / 60))
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except WrongPassword:
        return _page(request, viewer, status=400, error="wrong_current")
    except SamePassword:
        return _page(request, viewer, status=400, error="same")
    except InvalidInput:
        return _page(request, viewer, status=400, error="weak")
    start_session(request, user)
    request.session["ws"] = viewer.actor.workspace_id
    return RedirectResponse("/account?changed=password", status_code=303)
