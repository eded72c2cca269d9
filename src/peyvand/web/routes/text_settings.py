"""Text understanding's pages on the PR desk: the settings page (labels, learned models against the
built-in rules, retraining, importing labelled CSV files) and the labelling page. Every table answers
`?format=csv` and `?format=json`; the services check the roles."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import InvalidInput
from peyvand.services.text_labelling import class_rows, label_item, labelling_queue, text_understanding_view
from peyvand.services.text_labels import LabelImport, import_labels_csv
from peyvand.services.text_models import RETRAIN_EVERY, TASKS
from peyvand.services.text_training import request_training
from peyvand.text import STATE as PIPELINE_BUILD
from peyvand.web.params import FormRowId
from peyvand.web.render import table_response, wants
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter(include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
CSRF = [Depends(verify_csrf)]
MAX_UPLOAD = 20 * 1024 * 1024
SETTINGS = "/pr/settings/text"
LABELLING = "/pr/labels"


def _page(request: Request, viewer: Viewer, template: str, sub: str, **context: Any) -> Response:
    return request.app.state.renderer.page(request, template, viewer, nav="pr", sub=sub, **context)


def _settings(request: Request, viewer: ViewerDep, imported: LabelImport | None = None) -> Response:
    views = text_understanding_view(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        if request.query_params.get("table") == "classes":
            return table_response(fmt, class_rows(views), "text-labels-per-class")
        return table_response(fmt, [v.to_json() for v in views], "text-understanding")
    return _page(
        request,
        viewer,
        "text_settings.html",
        "text",
        views=views,
        imported=imported,
        retrain_every=RETRAIN_EVERY,
        tasks=TASKS,
        queued=request.query_params.get("queued"),
        pipeline_build=PIPELINE_BUILD,
    )


@router.get(SETTINGS)
def settings_page(request: Request, viewer: ViewerDep) -> Response:
    return _settings(request, viewer)


@router.post(f"{SETTINGS}/train", dependencies=CSRF)
def train(request: Request, viewer: ViewerDep, task: Annotated[str, Form()] = "") -> Response:
    request_training(request.app.state.store, viewer.actor, task=task or None)
    return RedirectResponse(f"{SETTINGS}?queued={task or 'all'}", status_code=303)


@router.post(f"{SETTINGS}/labels", dependencies=CSRF)
async def import_labels(
    request: Request, viewer: ViewerDep, file: UploadFile, task: Annotated[str, Form()]
) -> Response:
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput("the file is larger than 20 MB; use `peyvand labels import` instead")
    stream = io.StringIO(data.decode("utf-8-sig", errors="replace"), newline="")
    result = import_labels_csv(request.app.state.store, viewer.actor, stream, task=task)
    if wants(request) == "json":
        return table_response("json", [result.to_json()], "labels-import")
    return _settings(request, viewer, imported=result)


@router.get(LABELLING)
def labelling_page(request: Request, viewer: ViewerDep, task: str = "sentiment", focus: int = 0) -> Response:
    queue = labelling_queue(request.app.state.store, viewer.actor, task=task)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [c.to_json() for c in queue.candidates], f"to-label-{task}")
    return _page(request, viewer, "text_labelling.html", "labels", queue=queue, tasks=TASKS, focus=focus)


@router.post(LABELLING, dependencies=CSRF)
def label(
    request: Request,
    viewer: ViewerDep,
    item_id: FormRowId,
    task: Annotated[str, Form()],
    label: Annotated[str, Form()],
    next_id: Annotated[int, Form()] = 0,
) -> Response:
    label_item(request.app.state.store, viewer.actor, item_id=item_id, task=task, label=label)
    return RedirectResponse(f"{LABELLING}?task={task}&focus={next_id}#item-{next_id}", status_code=303)
