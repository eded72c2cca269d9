"""The integrations page (admins): API tokens and webhook endpoints, created with their secrets shown once,
listed without them, revoked with one click."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import require
from peyvand.services.api_tokens import SCOPES, create_token, list_tokens, revoke_token
from peyvand.services.webhooks import create_endpoint, list_endpoints, revoke_endpoint
from peyvand.storage.tables_api import WEBHOOK_KINDS
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter()
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def _page(request: Request, viewer: Viewer, **shown: Any) -> Response:
    store = request.app.state.store
    require(viewer.actor, "workspace.admin")
    return request.app.state.renderer.page(
        request,
        "integrations.html",
        viewer,
        nav="integrations",
        tokens=list_tokens(store, viewer.actor),
        endpoints=list_endpoints(store, viewer.actor),
        scopes=list(SCOPES),
        kinds=WEBHOOK_KINDS,
        base=str(request.base_url).rstrip("/"),
        new_token=shown.get("new_token"),
        new_endpoint=shown.get("new_endpoint"),
    )


@router.get("/integrations", include_in_schema=False)
def integrations_page(request: Request, viewer: ViewerDep) -> Response:
    return _page(request, viewer)


@router.post("/integrations/tokens", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def new_token(
    request: Request,
    viewer: ViewerDep,
    name: Annotated[str, Form()],
    scope: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Create a token; the page that answers is the only place its secret is ever shown."""
    token = create_token(
        request.app.state.store,
        viewer.actor,
        name=name,
        scopes=scope or ["ingest"],
        pepper=request.app.state.token_pepper,
    )
    response = _page(request, viewer, new_token=token)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(
    "/integrations/tokens/{token_id}/revoke", include_in_schema=False, dependencies=[Depends(verify_csrf)]
)
def revoke(request: Request, viewer: ViewerDep, token_id: RowId) -> Response:
    revoke_token(request.app.state.store, viewer.actor, token_id=token_id)
    return RedirectResponse("/integrations", status_code=303)


@router.post("/integrations/webhooks", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def new_webhook(
    request: Request,
    viewer: ViewerDep,
    kind: Annotated[str, Form()],
    name: Annotated[str, Form()],
    app_secret: Annotated[str | None, Form()] = None,
    source: Annotated[str | None, Form()] = None,
) -> Response:
    endpoint = create_endpoint(
        request.app.state.store,
        viewer.actor,
        kind=kind,
        name=name,
        app_secret=app_secret,
        source=(source or "").strip() or None,
    )
    response = _page(request, viewer, new_endpoint=endpoint)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(
    "/integrations/webhooks/{endpoint_id}/revoke",
    include_in_schema=False,
    dependencies=[Depends(verify_csrf)],
)
def revoke_webhook(request: Request, viewer: ViewerDep, endpoint_id: RowId) -> Response:
    revoke_endpoint(request.app.state.store, viewer.actor, endpoint_id=endpoint_id)
    return RedirectResponse("/integrations", status_code=303)
