"""The privacy page (admins, `personal_data.manage`): the workspace's retention of messages and authors,
finding a person, exporting their data as a JSON file, and erasing it on request after typing their handle
or e-mail address. What each does is the service's: `peyvand.services.personal_data`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import InvalidInput
from peyvand.services.personal_data import (
    MAX_RETENTION_DAYS,
    Erasure,
    erase_person,
    export_person,
    find_people,
    retention_days,
    set_retention,
)
from peyvand.web.params import RowId, form_int
from peyvand.web.render import attachment
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
Text = Annotated[str, Form(max_length=300)]
CSRF = [Depends(verify_csrf)]
PAGE = "/settings/privacy"


def _page(
    request: Request,
    viewer: Viewer,
    *,
    query: str = "",
    status: int = 200,
    erased: Erasure | None = None,
    refused: str | None = None,
) -> Response:
    store, actor = request.app.state.store, viewer.actor
    context: dict[str, Any] = {
        "retention_days": retention_days(store, actor),
        "max_days": MAX_RETENTION_DAYS,
        "query": query,
        "people": find_people(store, actor, query=query) if query.strip() else [],
        "erased": erased,
        "refused": refused,
    }
    return request.app.state.renderer.page(
        request, "privacy_settings.html", viewer, status=status, nav="privacy", **context
    )


@router.get(PAGE, include_in_schema=False)
def privacy_page(
    request: Request, viewer: ViewerDep, q: Annotated[str, Query(max_length=300)] = ""
) -> Response:
    return _page(request, viewer, query=q)


@router.post(f"{PAGE}/retention", include_in_schema=False, dependencies=CSRF)
def save_retention(request: Request, viewer: ViewerDep, keep: Text = "days", days: Text = "") -> Response:
    """Keep messages and authors for `days` days, or for ever (`keep=forever`)."""
    try:
        chosen = None if keep == "forever" else form_int(days, name="days", maximum=MAX_RETENTION_DAYS)
        if keep != "forever" and chosen is None:
            raise InvalidInput("type a number of days, or choose to keep them until erased on request")
        set_retention(request.app.state.store, viewer.actor, days=chosen)
    except InvalidInput:
        return _page(request, viewer, status=400, refused="retention")
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/people/{{author_id}}/export", include_in_schema=False, dependencies=CSRF)
def export(request: Request, viewer: ViewerDep, author_id: RowId) -> Response:
    """The person's data as a JSON file (a POST: each export is audited, so no link or prefetch makes one)."""
    document = export_person(request.app.state.store, viewer.actor, author_id=author_id)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": attachment(f"person-{author_id}.json"),
            "Cache-Control": "no-store",
        },
    )


@router.post(f"{PAGE}/people/{{author_id}}/erase", include_in_schema=False, dependencies=CSRF)
def erase(
    request: Request, viewer: ViewerDep, author_id: RowId, confirmation: Text = "", q: Text = ""
) -> Response:
    """Erase after the admin typed the person's handle or e-mail address; the page shows the counts (and
    the search it came from, `q`)."""
    try:
        erased = erase_person(
            request.app.state.store, viewer.actor, author_id=author_id, confirmation=confirmation
        )
    except InvalidInput:
        return _page(request, viewer, query=q, status=400, refused="confirmation")
    return _page(request, viewer, query=q, erased=erased)
