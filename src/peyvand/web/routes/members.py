"""The members page (admins, `members.manage`): the workspace's people and roles; adding an existing
account or a new one (its one-time password shown once), changing a role, removing from the workspace,
disabling and enabling. The rules (own workspace only, always an active admin left) are the service's:
`peyvand.services.members`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.members import (
    ROLES,
    MemberRefused,
    NewMember,
    add_member,
    change_member_role,
    create_member,
    list_members,
    remove_member,
    set_member_active,
)
from peyvand.services.users import get_user
from peyvand.web.params import RowId
from peyvand.web.render import table_response, wants
from peyvand.web.security import Viewer, current_viewer, start_session, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
Text = Annotated[str, Form(max_length=200)]
CSRF = [Depends(verify_csrf)]
PAGE = "/settings/members"


def _page(
    request: Request,
    viewer: Viewer,
    *,
    status: int = 200,
    new_member: NewMember | None = None,
    refused: MemberRefused | None = None,
) -> Response:
    members = list_members(request.app.state.store, viewer.actor)
    context: dict[str, Any] = {
        "members": members,
        "roles": ROLES,
        "new_member": new_member,
        "refused": refused.reason if refused else None,
        "message": str(refused) if refused else None,
    }
    return request.app.state.renderer.page(
        request, "members.html", viewer, status=status, nav="members", **context
    )


def _done(request: Request, viewer: Viewer, user_id: int) -> Response:
    """Back to the members page; when the admin changed their own membership (which ends their sessions),
    this browser goes on in a fresh session, on their desk (they may no longer manage members)."""
    if user_id != viewer.user.id:
        return RedirectResponse(PAGE, status_code=303)
    user = get_user(request.app.state.store, user_id=user_id)
    if user is not None:
        start_session(request, user)
        request.session["ws"] = viewer.actor.workspace_id  # or their first workspace, if removed from it
    return RedirectResponse("/", status_code=303)


@router.get(PAGE, include_in_schema=False)
def members_page(request: Request, viewer: ViewerDep) -> Response:
    fmt = wants(request)
    if fmt != "html":
        members = list_members(request.app.state.store, viewer.actor)
        return table_response(fmt, [m.to_json() for m in members], "members")
    return _page(request, viewer)


@router.post(f"{PAGE}/add", include_in_schema=False, dependencies=CSRF)
def add_existing(request: Request, viewer: ViewerDep, username: Text, role: Text) -> Response:
    """Give an existing account a role in this workspace."""
    try:
        add_member(request.app.state.store, viewer.actor, username=username, role=role)
    except MemberRefused as exc:
        return _page(request, viewer, status=400, refused=exc)
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/new", include_in_schema=False, dependencies=CSRF)
def add_new(
    request: Request,
    viewer: ViewerDep,
    username: Text,
    role: Text,
    display_name: Text = "",
    locale: Text = "fa",
) -> Response:
    """Make an account and give it a role; the answer is the only place its one-time password is shown."""
    try:
        made = create_member(
            request.app.state.store,
            viewer.actor,
            username=username,
            role=role,
            display_name=display_name,
            locale=locale,
        )
    except MemberRefused as exc:
        return _page(request, viewer, status=400, refused=exc)
    return _page(request, viewer, new_member=made)


@router.post(f"{PAGE}/{{user_id}}/role", include_in_schema=False, dependencies=CSRF)
def change_role(request: Request, viewer: ViewerDep, user_id: RowId, role: Text) -> Response:
    try:
        change_member_role(request.app.state.store, viewer.actor, user_id=user_id, role=role)
    except MemberRefused as exc:
        return _page(request, viewer, status=400, refused=exc)
    return _done(request, viewer, user_id)


@router.post(f"{PAGE}/{{user_id}}/remove", include_in_schema=False, dependencies=CSRF)
def remove(request: Request, viewer: ViewerDep, user_id: RowId) -> Response:
    try:
        remove_member(request.app.state.store, viewer.actor, user_id=user_id)
    except MemberRefused as exc:
        return _page(request, viewer, status=400, refused=exc)
    return _done(request, viewer, user_id)


@router.post(f"{PAGE}/{{user_id}}/disable", include_in_schema=False, dependencies=CSRF)
def disable(request: Request, viewer: ViewerDep, user_id: RowId) -> Response:
    return _set_active(request, viewer, user_id, active=False)


@router.post(f"{PAGE}/{{user_id}}/enable", include_in_schema=False, dependencies=CSRF)
def enable(request: Request, viewer: ViewerDep, user_id: RowId) -> Response:
    return _set_active(request, viewer, user_id, active=True)


def _set_active(request: Request, viewer: Viewer, user_id: int, *, active: bool) -> Response:
    try:
        set_member_active(request.app.state.store, viewer.actor, user_id=user_id, active=active)
    except MemberRefused as exc:
        return _page(request, viewer, status=400, refused=exc)
    return RedirectResponse(PAGE, status_code=303)
