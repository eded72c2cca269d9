"""The PR inbox pages: the conversation list (filters, search, saved filters, bulk actions) and one
conversation (thread, reply, notes, assignment, status, priority, unit, overrides, handoff)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field

from peyvand.services.conversation_view import conversation_view
from peyvand.services.handoffs import hand_off_conversation, list_handoffs, set_handoff_status
from peyvand.services.inbox import InboxFilters, list_inbox
from peyvand.services.inbox_actions import (
    Change,
    add_note,
    bulk_update,
    set_conversation_unit,
    update_conversation,
)
from peyvand.services.overrides import override_label, override_routing
from peyvand.services.replies import reply_to_conversation
from peyvand.services.saved_filters import delete_filter, list_filters, save_filter
from peyvand.web.params import MAX_ROW_ID, FormRowId, PageNumber, RowId, form_int
from peyvand.web.render import EXPORT_ROWS, table_response, wants
from peyvand.web.routes.auth import _safe_next
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
Text = Annotated[str, Form()]
Maybe = Annotated[str | None, Form()]
CSRF = [Depends(verify_csrf)]
SNOOZES = ("1h", "3h", "tomorrow", "next_week")


def _back(next_url: str | None, default: str) -> RedirectResponse:
    return RedirectResponse(_safe_next(next_url) if next_url else default, status_code=303)


def snooze_until(preset: str | None, tz: str, now: datetime | None = None) -> datetime | None:
    """The wake-up time of a snooze preset: in one or three hours, tomorrow or in a week at 09:00 local."""
    now = now or datetime.now(UTC)
    if preset in ("1h", "3h"):
        return now + timedelta(hours=int(preset[0]))
    if preset in ("tomorrow", "next_week"):
        local = now.astimezone(ZoneInfo(tz)).date() + timedelta(days=1 if preset == "tomorrow" else 7)
        return datetime.combine(local, time(9), tzinfo=ZoneInfo(tz)).astimezone(UTC)
    return None


def _assignee(value: str | None, viewer: Viewer) -> int | None:
    """The assignee field: "me", a user id, "0" for nobody, or empty to leave it as it is."""
    return viewer.actor.user_id if value == "me" else form_int(value, name="the assignee")


@router.get("/pr/inbox", include_in_schema=False)
def inbox_page(request: Request, viewer: ViewerDep, page: PageNumber = 1) -> Response:
    store, actor = request.app.state.store, viewer.actor
    filters = InboxFilters.from_query(dict(request.query_params))
    fmt = wants(request)
    if fmt != "html":  # the whole filtered list, not the page on the screen
        every = list_inbox(store, actor, filters=filters, page=page, per_page=EXPORT_ROWS)
        rows = [r.to_json() for r in every.rows]
        return table_response(fmt, rows, "inbox", total=every.total, request=request, page=page)
    result = list_inbox(store, actor, filters=filters, page=page)
    return request.app.state.renderer.page(
        request, "inbox.html", viewer, inbox=result, saved=list_filters(store, actor), nav="pr", sub="inbox"
    )


@router.post("/pr/inbox/bulk", include_in_schema=False, dependencies=CSRF)
def inbox_bulk(
    request: Request,
    viewer: ViewerDep,
    ids: Annotated[list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] | None, Form()] = None,
    assignee: Maybe = None,
    status: Maybe = None,
    priority: Maybe = None,
    next: Maybe = None,
) -> Response:
    change = Change(assignee_id=_assignee(assignee, viewer), status=status or None, priority=priority or None)
    bulk_update(request.app.state.store, viewer.actor, conversation_ids=ids or [], change=change)
    return _back(next, "/pr/inbox")


@router.post("/pr/inbox/filters", include_in_schema=False, dependencies=CSRF)
async def inbox_save_filter(request: Request, viewer: ViewerDep) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    saved = save_filter(
        request.app.state.store,
        viewer.actor,
        name=values.get("name", ""),
        filters=InboxFilters.from_query(values),
    )
    return RedirectResponse(saved.href, status_code=303)


@router.post("/pr/inbox/filters/{filter_id}/delete", include_in_schema=False, dependencies=CSRF)
def inbox_delete_filter(request: Request, viewer: ViewerDep, filter_id: RowId) -> Response:
    delete_filter(request.app.state.store, viewer.actor, filter_id=filter_id)
    return RedirectResponse("/pr/inbox", status_code=303)


@router.get("/pr/conversations/{conversation_id}", include_in_schema=False)
def conversation_page(request: Request, viewer: ViewerDep, conversation_id: RowId) -> Response:
    view = conversation_view(request.app.state.store, viewer.actor, conversation_id=conversation_id)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [m.to_json() for m in view.messages], f"conversation-{conversation_id}")
    return request.app.state.renderer.page(
        request, "conversation.html", viewer, view=view, snoozes=SNOOZES, nav="pr", sub="inbox"
    )


def _here(conversation_id: int) -> RedirectResponse:
    return RedirectResponse(f"/pr/conversations/{conversation_id}", status_code=303)


@router.post("/pr/conversations/{conversation_id}/update", include_in_schema=False, dependencies=CSRF)
def conversation_update(
    request: Request,
    viewer: ViewerDep,
    conversation_id: RowId,
    assignee: Maybe = None,
    status: Maybe = None,
    snooze: Maybe = None,
    priority: Maybe = None,
) -> Response:
    """One form for the controls: assign ("me", a user id, "0" for nobody), status (with a snooze preset,
    or none to keep the current snooze) and priority; fields left empty stay as they are."""
    actor = viewer.actor
    assignee_id = _assignee(assignee, viewer)
    until = snooze_until(snooze, viewer.membership.timezone) if status == "snoozed" else None
    if status == "snoozed" and until is None:  # "keep": the conversation stays snoozed as it is
        status = None
    change = Change(
        assignee_id=assignee_id, status=status or None, snoozed_until=until, priority=priority or None
    )
    update_conversation(request.app.state.store, actor, conversation_id=conversation_id, change=change)
    return _here(conversation_id)


@router.post("/pr/conversations/{conversation_id}/unit", include_in_schema=False, dependencies=CSRF)
def conversation_unit(
    request: Request, viewer: ViewerDep, conversation_id: RowId, unit: Maybe = None
) -> Response:
    set_conversation_unit(request.app.state.store, viewer.actor, conversation_id=conversation_id, unit=unit)
    return _here(conversation_id)


@router.post("/pr/conversations/{conversation_id}/notes", include_in_schema=False, dependencies=CSRF)
def conversation_note(request: Request, viewer: ViewerDep, conversation_id: RowId, text: Text) -> Response:
    add_note(request.app.state.store, viewer.actor, conversation_id=conversation_id, text=text)
    return _here(conversation_id)


@router.post("/pr/conversations/{conversation_id}/reply", include_in_schema=False, dependencies=CSRF)
def conversation_reply(request: Request, viewer: ViewerDep, conversation_id: RowId, text: Text) -> Response:
    reply_to_conversation(request.app.state.store, viewer.actor, conversation_id=conversation_id, text=text)
    return _here(conversation_id)


@router.post("/pr/conversations/{conversation_id}/handoff", include_in_schema=False, dependencies=CSRF)
def conversation_handoff(request: Request, viewer: ViewerDep, conversation_id: RowId, note: Text) -> Response:
    hand_off_conversation(request.app.state.store, viewer.actor, conversation_id=conversation_id, note=note)
    return _here(conversation_id)


@router.post("/pr/conversations/{conversation_id}/override", include_in_schema=False, dependencies=CSRF)
def conversation_override(
    request: Request,
    viewer: ViewerDep,
    conversation_id: RowId,
    item_id: FormRowId,
    value: Text,
    field: Maybe = None,
    share_with: Annotated[list[str] | None, Form()] = None,
    note: Maybe = None,
) -> Response:
    """A person's correction of one message: routing ("team/unit"), sentiment, intent or audience. The
    page sends "field:value" in one choice; `field` and `value` apart are read too."""
    store, actor = request.app.state.store, viewer.actor
    if ":" in value:
        field, _, value = value.partition(":")
    field = field or ""
    if field == "routing":
        team, _, unit = value.partition("/")
        override_routing(
            store,
            actor,
            item_id=item_id,
            team=team,
            unit=unit or None,
            share_with=share_with or [],
            note=note,
        )
    else:
        override_label(store, actor, field=field, item_id=item_id, label=value, note=note)
    return _here(conversation_id)


@router.get("/exchange/handoffs", include_in_schema=False)
def handoffs_table(request: Request, viewer: ViewerDep, days: int = 90) -> Response:
    """The exchange's handoffs table as csv or json (the page itself is the exchange)."""
    fmt = wants(request)
    if fmt == "html":
        return RedirectResponse("/exchange#handoffs", status_code=303)
    rows = list_handoffs(request.app.state.store, viewer.actor, days=max(1, min(days, 3650)))
    return table_response(fmt, [h.to_json() for h in rows], "handoffs")


@router.post("/exchange/handoffs/{handoff_id}", include_in_schema=False, dependencies=CSRF)
def handoff_status(request: Request, viewer: ViewerDep, handoff_id: RowId, status: Text) -> Response:
    set_handoff_status(request.app.state.store, viewer.actor, handoff_id=handoff_id, status=status)
    return RedirectResponse("/exchange#handoffs", status_code=303)
