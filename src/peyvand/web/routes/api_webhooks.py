"""Signed webhooks: platforms post to Peyvand directly.

Every request is verified on its raw body, before anything is parsed, with a constant-time comparison:

- generic: the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
  HMAC-SHA256(secret, id.timestamp.body)>`), a timestamp within 5 minutes, and a delivery id answered once;
- Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`; the GET handshake answers
  `hub.challenge` when `hub.verify_token` is the endpoint's verify token;
- Telegram: `X-Telegram-Bot-Api-Secret-Token` equal to the endpoint's secret token.

The endpoint's public id is in the URL (never a secret: the bot token stays out of URLs and logs). A
verified request's records are ingested like API records (answered with the outcome counts, text
enriched by the job) into the endpoint's live run of the day.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from peyvand.domain.webhook_signature import TOLERANCE_SECONDS, SignatureError, verify
from peyvand.services.access import NotFound
from peyvand.services.ingest_live import ingest_live
from peyvand.services.webhooks import (
    EndpointKeys,
    endpoint_keys,
    previous_delivery,
    record_delivery,
)
from peyvand.services.workspaces import load_brand
from peyvand.sources import SourceContext
from peyvand.sources._common import clip
from peyvand.sources.base import Record
from peyvand.sources.meta_webhook import parse_payload
from peyvand.sources.telegram_bot import parse_updates
from peyvand.web import api_models as m
from peyvand.web.limits import check_rate
from peyvand.web.routes.api_items import any_records

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
EndpointId = Annotated[str, "the endpoint's public id, wh_…"]


async def _keys(request: Request, kind: str, endpoint_id: str) -> EndpointKeys:
    try:
        keys = await run_in_threadpool(
            endpoint_keys, request.app.state.store, kind=kind, public_id=endpoint_id
        )
    except NotFound:
        raise HTTPException(404, f"no {kind} webhook {endpoint_id[:64]!r}") from None
    check_rate(
        request.app.state.webhook_rate,
        f"webhook:{keys.id}",
        "this webhook endpoint",
        "PEYVAND_WEBHOOK_RATE_PER_MINUTE",
    )
    return keys


def _decoded(body: bytes) -> tuple[Any, Record | None]:
    try:
        return json.loads(body), None
    except (ValueError, RecursionError) as exc:
        return None, Record(
            "request body", reject=f"not valid JSON: {exc}", raw=clip(body.decode("utf-8", "replace"))
        )


def _context(request: Request, keys: EndpointKeys) -> SourceContext:
    brand = load_brand(request.app.state.store, workspace_id=keys.workspace_id)
    return SourceContext(brand=brand, source_name=keys.source)


async def _ingest(
    request: Request, keys: EndpointKeys, records: Iterator[Record] | list[Record], fmt: str
) -> dict[str, Any]:
    summary = await run_in_threadpool(
        ingest_live,
        request.app.state.store,
        keys.actor,
        records,
        channel=f"{keys.kind} webhook «{keys.name}»",
        format=fmt,
        via="webhook",
    )
    outcome = summary.to_json()
    outcome.pop("resumed_after", None)
    return outcome


@router.post(
    "/generic/{endpoint_id}",
    response_model=m.IngestOutcome,
    response_model_exclude_none=True,
    responses=m.errors(401, 404, 413),
    openapi_extra=m.body(
        {
            "application/json": {
                "schema": {"oneOf": [m.JSON_OBJECT, {"type": "array", "items": m.JSON_OBJECT}]},
                "example": m.ITEM_EXAMPLE,
            },
            "application/x-ndjson": {"schema": m.NDJSON},
        },
        "One canonical item, a JSON array of them, or NDJSON; signed with the endpoint's whsec_ secret.",
    ),
    summary="Generic signed webhook (Standard Webhooks)",
)
async def generic_webhook(
    request: Request,
    endpoint_id: EndpointId,
    webhook_id: Annotated[str | None, Header(description="Delivery id; a retry repeats it.")] = None,
    webhook_timestamp: Annotated[str | None, Header(description="Unix seconds, within 5 minutes.")] = None,
    webhook_signature: Annotated[str | None, Header(description="v1,<base64 HMAC-SHA256>")] = None,
) -> dict[str, Any]:
    body = await request.body()
    keys = await _keys(request, "generic", endpoint_id)
    try:
        verify(keys.secret, request.headers, body, now=int(time.time()), tolerance=TOLERANCE_SECONDS)
    except SignatureError as exc:
        raise HTTPException(401, f"signature refused: {exc}") from None
    delivery = (webhook_id or "")[:200]
    store = request.app.state.store
    previous = await run_in_threadpool(previous_delivery, store, endpoint_id=keys.id, delivery_id=delivery)
    if previous is not None:
        return {**previous, "duplicate_delivery": True}
    records = any_records(body)
    if keys.source:
        records = _with_source(records, keys.source)
    outcome = await _ingest(request, keys, records, "canonical")
    await run_in_threadpool(record_delivery, store, keys, delivery_id=delivery, outcome=outcome)
    return outcome


def _with_source(records: Iterator[Record], source: str) -> Iterator[Record]:
    for record in records:
        if record.item is not None and "source" not in record.item:
            record.item["source"] = source
        yield record


def _meta_signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), (header or "").strip().lower().encode("utf-8", "replace"))


@router.get(
    "/meta/{endpoint_id}",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {}}, "description": "The challenge, echoed."},
        **m.errors(403, 404),
    },
    summary="Meta subscription handshake",
)
async def meta_handshake(
    request: Request,
    endpoint_id: EndpointId,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    verify_token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=1000)] = None,
) -> PlainTextResponse:
    keys = await _keys(request, "meta", endpoint_id)
    expected = (keys.verify_token or "").encode()
    if mode != "subscribe" or not hmac.compare_digest(
        expected, (verify_token or "").encode("utf-8", "replace")
    ):
        raise HTTPException(
            403, "hub.mode must be subscribe and hub.verify_token this endpoint's verify token"
        )
    return PlainTextResponse(challenge or "")


@router.post(
    "/meta/{endpoint_id}",
    response_model=m.IngestOutcome,
    response_model_exclude_none=True,
    responses=m.errors(401, 404, 413),
    openapi_extra=m.body(
        {"application/json": {"schema": m.JSON_OBJECT}},
        'A Meta webhook delivery: {"object": "instagram" | "page", "entry": [...]}.',
    ),
    summary="Meta (Instagram, Facebook Page) webhook",
)
async def meta_webhook(
    request: Request,
    endpoint_id: EndpointId,
    x_hub_signature_256: Annotated[str | None, Header(description="sha256=<hex HMAC-SHA256>")] = None,
) -> dict[str, Any]:
    body = await request.body()
    keys = await _keys(request, "meta", endpoint_id)
    if not _meta_signature_ok(keys.secret, body, x_hub_signature_256):
        raise HTTPException(401, "X-Hub-Signature-256 is missing or does not match the app secret")
    value, problem = _decoded(body)
    context = await run_in_threadpool(_context, request, keys)
    records = [problem] if problem else parse_payload(value, context=context)
    return await _ingest(request, keys, records, "meta-webhook")


@router.post(
    "/telegram/{endpoint_id}",
    response_model=m.IngestOutcome,
    response_model_exclude_none=True,
    responses=m.errors(401, 404, 413),
    openapi_extra=m.body(
        {"application/json": {"schema": m.JSON_OBJECT}}, "A Telegram Bot API Update (or a list of them)."
    ),
    summary="Telegram bot webhook",
)
async def telegram_webhook(
    request: Request,
    endpoint_id: EndpointId,
    x_telegram_bot_api_secret_token: Annotated[str | None, Header(description="The secret_token.")] = None,
) -> dict[str, Any]:
    body = await request.body()
    keys = await _keys(request, "telegram", endpoint_id)
    offered = (x_telegram_bot_api_secret_token or "").encode("utf-8", "replace")
    if not hmac.compare_digest(keys.secret.encode(), offered):
        raise HTTPException(401, "X-Telegram-Bot-Api-Secret-Token is missing or wrong")
    value, problem = _decoded(body)
    context = await run_in_threadpool(_context, request, keys)
    records = [problem] if problem else parse_updates(value, context=context)
    return await _ingest(request, keys, records, "telegram-bot")
