"""The HTTP ingest API for scripts and services: canonical items one by one or in NDJSON batches, whole
export files, and the outcome of an import run. Every call needs `Authorization: Bearer pvk_…`.

Records are validated, deduplicated and stored before the answer (rejects recorded with their line and
reason); text items are understood and routed by the enrichment job right after (`services.enrichment`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from peyvand.services.access import AccessDenied, InvalidInput, NotFound
from peyvand.services.api_tokens import TokenActor, TokenRefused, authenticate_token
from peyvand.services.imports import get_run, iter_rejects
from peyvand.services.ingest_live import ingest_live
from peyvand.services.uploads import ingest_bytes
from peyvand.sources import FORMATS, SourceContext, SourceError, jsonl
from peyvand.sources._common import clip
from peyvand.sources.base import Record
from peyvand.web import api_models as m
from peyvand.web.limits import check_rate

router = APIRouter(prefix="/api/v1", tags=["ingest"])
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    description="A workspace API token (`pvk_…`), created by an admin on the Integrations page or with "
    "`peyvand token create`. Scopes: `ingest` (send items), `imports:read` (read import outcomes).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def _token(scope: str) -> Callable[[Request, HTTPAuthorizationCredentials | None], TokenActor]:
    def dependency(request: Request, credentials: Credentials) -> TokenActor:
        if credentials is None:
            raise HTTPException(
                401, "an API token is needed: Authorization: Bearer pvk_…", {"WWW-Authenticate": "Bearer"}
            )
        try:
            token = authenticate_token(
                request.app.state.store,
                token=credentials.credentials,
                scope=scope,
                pepper=request.app.state.token_pepper,
            )
        except TokenRefused as exc:
            raise HTTPException(401, str(exc), {"WWW-Authenticate": "Bearer"}) from None
        except AccessDenied as exc:
            raise HTTPException(403, str(exc)) from None
        check_rate(
            request.app.state.api_rate, f"token:{token.token_id}", "this token", "PEYVAND_API_RATE_PER_MINUTE"
        )
        return token

    return dependency


RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]  # a database id (32-bit on PostgreSQL)
IngestToken = Annotated[TokenActor, Depends(_token("ingest"))]
ReadToken = Annotated[TokenActor, Depends(_token("imports:read"))]


def single_record(body: bytes) -> Record:
    """The request body as one record: a canonical item object, or a reject saying why not."""
    text = body.decode("utf-8", "replace")
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return Record("request body", reject=f"not valid JSON: {exc}", raw=clip(text))
    if not isinstance(value, dict):
        return Record(
            "request body", reject=f"expected a JSON object, got {type(value).__name__}", raw=clip(text)
        )
    return Record("request body", item=value, raw=clip(text))


def batch_records(body: bytes) -> Iterator[Record]:
    """NDJSON lines (one record each), or the elements of a JSON array."""
    if body.lstrip()[:1] != b"[":
        yield from jsonl.parse(io.BytesIO(body), context=SourceContext(), name="request")
        return
    try:
        values = json.loads(body)
    except (ValueError, RecursionError) as exc:
        text = body.decode("utf-8", "replace")
        yield Record("request body", reject=f"not valid JSON: {exc}", raw=clip(text))
        return
    for index, value in enumerate(values, start=1):
        if isinstance(value, dict):
            yield Record(f"item {index}", item=value)
        else:
            yield Record(f"item {index}", reject=f"expected a JSON object, got {type(value).__name__}")


def any_records(body: bytes) -> Iterator[Record]:
    """One JSON object (pretty-printed or not), a JSON array of them, or NDJSON."""
    if body.lstrip()[:1] == b"{":
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            value = None  # not one object: maybe NDJSON
        if isinstance(value, dict):
            yield Record("request body", item=value)
            return
    yield from batch_records(body)


async def _live(
    request: Request, token: TokenActor, records: Iterator[Record] | list[Record]
) -> dict[str, Any]:
    summary = await run_in_threadpool(
        ingest_live,
        request.app.state.store,
        token.actor,
        records,
        channel=f"API token «{token.name}»",
        format="canonical",
        via="api",
    )
    outcome = summary.to_json()
    outcome.pop("resumed_after", None)
    return outcome


@router.post(
    "/items",
    response_model=m.IngestOutcome,
    response_model_exclude_none=True,
    responses={
        422: {"model": m.IngestOutcome, "description": "The item was rejected (see rejects)."},
        **m.errors(401, 403, 413, 429),
    },
    openapi_extra=m.body(
        {
            "application/json": {
                "schema": m.JSON_OBJECT,
                "examples": {"comment": {"value": m.ITEM_EXAMPLE}, "metric": {"value": m.METRIC_EXAMPLE}},
            }
        },
        "One canonical item (DESIGN §4): a text item, or a metric or event. Unknown fields are kept.",
    ),
    summary="Send one item",
)
async def post_item(request: Request, token: IngestToken) -> JSONResponse:
    record = single_record(await request.body())
    outcome = await _live(request, token, [record])
    return JSONResponse(outcome, status_code=422 if outcome["rejected"] else 200)


@router.post(
    "/items:batch",
    response_model=m.IngestOutcome,
    response_model_exclude_none=True,
    responses=m.errors(401, 403, 413, 429),
    openapi_extra=m.body(
        {
            "application/x-ndjson": {
                "schema": m.NDJSON,
                "example": json.dumps(m.ITEM_EXAMPLE, ensure_ascii=False)
                + "\n"
                + json.dumps(m.METRIC_EXAMPLE)
                + "\n",
            },
            "application/json": {
                "schema": {"type": "array", "items": m.JSON_OBJECT},
                "example": [m.ITEM_EXAMPLE, m.METRIC_EXAMPLE],
            },
        },
        "Canonical items, one JSON object per line (NDJSON), or a JSON array of them. Each line is one "
        "record; a bad line is rejected with its line number and the others are still stored.",
    ),
    summary="Send a batch of items",
)
async def post_batch(request: Request, token: IngestToken) -> dict[str, Any]:
    body = await request.body()
    return await _live(request, token, batch_records(body))


@router.post(
    "/imports",
    response_model=m.IngestOutcome,
    response_model_exclude_none=True,
    responses=m.errors(400, 401, 403, 413, 429),
    openapi_extra=m.body(
        {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        "A whole export file as it came from the platform: Telegram result.json, an Instagram or X zip, "
        "an RSS feed, a GA4, Matomo, store-counter or ad-platform CSV, canonical JSONL.",
    ),
    summary="Send a whole export file",
)
async def post_export(
    request: Request,
    token: IngestToken,
    format: Annotated[str, Query(description=f"auto, or one of {', '.join(FORMATS)}.")] = "auto",
    filename: Annotated[
        str, Query(max_length=200, description="The file's name (shown on /imports).")
    ] = "export",
) -> dict[str, Any]:
    content = await request.body()
    try:
        summary = await run_in_threadpool(
            ingest_bytes,
            request.app.state.store,
            token.actor,
            content=content,
            filename=filename,
            format=format,
            via="api",
            enrich=False,
        )
    except (SourceError, InvalidInput) as exc:
        raise HTTPException(400, str(exc)) from None
    outcome = summary.to_json()
    outcome.pop("resumed_after", None)
    return outcome


def _run_outcome(request: Request, token: TokenActor, import_id: int) -> dict[str, Any]:
    store = request.app.state.store
    try:
        run = get_run(store, token.actor, run_id=import_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    rejects = list(iter_rejects(store, token.actor, run_id=import_id, limit=1000, with_raw=False))
    return {**run.to_json(), "rejects": rejects}


@router.get(
    "/imports/{import_id}",
    response_model=m.RunOutcome,
    response_model_exclude_none=True,
    responses=m.errors(401, 403, 404, 429),
    summary="Read an import run's outcome",
)
def read_import(request: Request, token: ReadToken, import_id: RowId) -> dict[str, Any]:
    return _run_outcome(request, token, import_id)
