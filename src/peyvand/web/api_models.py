"""What the HTTP ingest API says in its OpenAPI document: response models, request bodies and examples."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ITEM_EXAMPLE: dict[str, Any] = {
    "id": "17912345678901234",
    "source": "instagram",
    "kind": "comment",
    "created_at": "2026-03-05T10:00:00+03:30",
    "text": "چای سبز دارچه عالیه، کی دوباره موجود میشه؟",
    "author": {"handle": "sara.k", "name": "Sara"},
    "thread_id": "17912345678901234",
    "context": {"sponsored": False},
}
METRIC_EXAMPLE: dict[str, Any] = {
    "id": "ga4:2026-03-05:sessions",
    "source": "ga4",
    "kind": "metric",
    "metric": "site_visits",
    "at": "2026-03-05",
    "value": 1204,
    "dims": {"channel": "organic"},
}


class RejectEntry(BaseModel):
    """A rejected record: where it was (a line number, or a place such as `entry 0: changes 1`) and why."""

    model_config = ConfigDict(extra="allow")
    line: int | None = Field(default=None, description="1-based line of the request body (NDJSON).")
    path: str | None = Field(default=None, description="Where the record was, when not a line.")
    reason: str


class IngestOutcome(BaseModel):
    """What happened to every record of the request (each record has exactly one outcome)."""

    import_id: int = Field(description="The import run the records were counted in (see /imports).")
    accepted: int = Field(description="Stored as new items (text items are enriched by a background job).")
    duplicate: int = Field(description="Already stored (same source and id): nothing was added.")
    rejected: int = Field(description="Unreadable or invalid; listed in `rejects` with the reason.")
    filtered: int = Field(description="Readable but not feedback (a service message, a read receipt…).")
    filtered_reasons: dict[str, int] = Field(default_factory=dict)
    rejects: list[RejectEntry] = Field(default_factory=list)
    duplicate_delivery: bool = Field(
        default=False, description="A webhook delivery id seen before: this is its first outcome again."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "import_id": 42,
                "accepted": 2,
                "duplicate": 1,
                "rejected": 1,
                "filtered": 0,
                "filtered_reasons": {},
                "rejects": [{"line": 3, "reason": "created_at: is required"}],
                "duplicate_delivery": False,
            }
        }
    )


class ErrorDetail(BaseModel):
    detail: Any = Field(description="What is wrong, in a sentence.")


class RunOutcome(BaseModel):
    """An import run and the outcome counts of all its records so far."""

    model_config = ConfigDict(extra="allow")
    id: int
    label: str
    format: str
    via: str
    status: str = Field(description="running, done, or live (API and webhook runs: one per channel a day).")
    started_at: str
    finished_at: str | None
    accepted: int
    duplicate: int
    rejected: int
    filtered: int
    filtered_reasons: dict[str, int]
    rejects: list[RejectEntry] = Field(default_factory=list, description="The first 1,000 rejects.")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for error statuses, all `{"detail": …}`."""
    text = {
        400: "The request cannot be read (e.g. an unknown format).",
        401: "No credentials, or wrong ones: a missing, unknown or revoked token; a bad signature.",
        403: "The token does not hold the scope this endpoint needs.",
        404: "No such webhook endpoint or import run (or one of another workspace).",
        413: "The body is larger than PEYVAND_MAX_REQUEST_BYTES.",
        429: "The token sent more than PEYVAND_API_RATE_PER_MINUTE requests a minute; see Retry-After.",
    }
    return {code: {"model": ErrorDetail, "description": text[code]} for code in codes}


def body(media: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    """An `openapi_extra` request body (the routes read the raw body themselves: limits, signatures)."""
    return {"requestBody": {"required": True, "description": description, "content": media}}


JSON_OBJECT = {"type": "object", "additionalProperties": True}
NDJSON = {"type": "string", "description": "One JSON object per line (UTF-8)."}
