"""The imports page: every import run (CLI, API, webhooks, uploads, demo) with its outcome counts, each
run's rejected records (downloadable as CSV or JSONL), and the upload form that ingests a file as a job."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from peyvand.services.access import require
from peyvand.services.enrichment import pending_count
from peyvand.services.imports import (
    PAGE_SIZE,
    clear_reject_input,
    get_run,
    iter_rejects,
    list_runs,
    list_uploads,
)
from peyvand.services.uploads import save_upload
from peyvand.sources import FORMATS
from peyvand.web.render import csv_cell, table_response, wants
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
RunId = Annotated[int, Path(ge=1, le=2_147_483_647)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
VIA = ("cli", "api", "webhook", "web", "demo")
REJECTS_SHOWN = 200


@router.get("/imports", include_in_schema=False)
def imports_page(
    request: Request, viewer: ViewerDep, page: PageNumber = 1, via: str | None = None
) -> Response:
    store = request.app.state.store
    runs, total = list_runs(store, viewer.actor, page=page, via=via if via in VIA else None)
    fmt = wants(request)
    if fmt != "html":
        rows = [{k: v for k, v in r.to_json().items() if k != "user"} for r in runs]
        return table_response(fmt, rows, "imports")
    return request.app.state.renderer.page(
        request,
        "imports.html",
        viewer,
        nav="imports",
        runs=runs,
        total=total,
        page=max(page, 1),
        pages=max(1, -(-total // PAGE_SIZE)),
        via=via,
        vias=VIA,
        uploads=list_uploads(store, viewer.actor),
        pending=pending_count(store, viewer.actor),
        input_formats=FORMATS,
        can_upload=viewer.actor.can("ingest.write"),
        max_bytes=request.app.state.settings.max_request_bytes,
    )


def _csv_rows(entries: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "path", "reason", "raw"])
    for entry in entries:
        writer.writerow(
            [
                entry.get("line", ""),
                entry.get("path", ""),
                csv_cell(entry["reason"]),
                csv_cell(entry.get("raw") or ""),
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _jsonl_rows(entries: Iterator[dict[str, Any]]) -> Iterator[str]:
    for entry in entries:
        yield json.dumps(entry, ensure_ascii=False) + "\n"


def _download(request: Request, viewer: Viewer, run_id: int, fmt: str) -> Response:
    entries = iter_rejects(request.app.state.store, viewer.actor, run_id=run_id)
    if fmt == "csv":
        body, media, ext = _csv_rows(entries), "text/csv; charset=utf-8", "csv"
    else:
        body, media, ext = _jsonl_rows(entries), "application/x-ndjson; charset=utf-8", "jsonl"
    disposition = f'attachment; filename="import-{run_id}-rejects.{ext}"'
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/imports/{run_id}", include_in_schema=False)
def import_run_page(request: Request, viewer: ViewerDep, run_id: RunId) -> Response:
    store = request.app.state.store
    run = get_run(store, viewer.actor, run_id=run_id)
    fmt = wants(request)
    if fmt != "html":
        return _download(request, viewer, run.id, fmt)
    rejects = list(iter_rejects(store, viewer.actor, run_id=run.id, limit=REJECTS_SHOWN))
    return request.app.state.renderer.page(
        request, "import_run.html", viewer, nav="imports", run=run, rejects=rejects, shown=REJECTS_SHOWN
    )


@router.post("/imports/{run_id}/clear-input", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def clear_input(request: Request, viewer: ViewerDep, run_id: RunId) -> Response:
    """Admins: delete the rejected records' input as it came in (personal data no erasure can find)."""
    cleared = clear_reject_input(request.app.state.store, viewer.actor, run_id=run_id)
    return RedirectResponse(f"/imports/{run_id}?cleared={cleared}#rejects", status_code=303)


@router.post("/imports/upload", include_in_schema=False, dependencies=[Depends(verify_csrf)])
async def upload(
    request: Request,
    viewer: ViewerDep,
    file: Annotated[UploadFile, File()],
    format: Annotated[str, Form()] = "auto",
    mapping: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Keep the file and queue its ingest; the page shows the upload, then its run."""
    require(viewer.actor, "ingest.write")
    content = await file.read()
    mapping_text = (await mapping.read()).decode("utf-8", "replace") if mapping and mapping.filename else None
    upload_id = await run_in_threadpool(
        save_upload,
        request.app.state.store,
        viewer.actor,
        filename=file.filename or "upload",
        content=content,
        format=format,
        mapping_text=mapping_text,
    )
    return RedirectResponse(f"/imports?uploaded={upload_id}", status_code=303)
