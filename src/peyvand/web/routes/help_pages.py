"""The project's documentation inside the app: `/help/<name>` renders `docs/<name>.md` (see `web.docs`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from peyvand.services.access import NotFound
from peyvand.web.docs import render_doc
from peyvand.web.security import Viewer, current_viewer

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]


@router.get("/help/{key}", include_in_schema=False)
def help_page(request: Request, viewer: ViewerDep, key: str) -> Response:
    """A document by its name (`formulas-pr` for docs/formulas-pr.md)."""
    found = render_doc(key)
    if found is None:
        raise NotFound("document")
    title, body = found
    return request.app.state.renderer.page(request, "help.html", viewer, nav="help", title=title, body=body)
