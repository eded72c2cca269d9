"""The canonical item (DESIGN §4): validation of one JSON object into a typed value.

`parse_item` turns a decoded JSON object into a `TextItem`, `MetricItem` or `EventItem`, or raises
`ItemError` with a sentence a user can act on. Unknown fields are kept in `raw`, never dropped.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from peyvand.domain.vocabulary import Direction

MAX_TEXT_CHARS = 100_000
MAX_ID_CHARS = 256


class ItemError(ValueError):
    """A record that is not a valid canonical item; the message says why."""


class Author(BaseModel):
    model_config = ConfigDict(extra="allow")

    handle: str | None = None
    name: str | None = None
    followers: int | None = Field(default=None, ge=0)
    bio: str | None = None
    verified: bool | None = None
    email: str | None = None

    @property
    def key(self) -> str | None:
        """A stable identity for the author within a source: handle, else email, else name."""
        for value in (self.handle, self.email, self.name):
            if value:
                return value.strip().lstrip("@").lower()
        return None


class Context(BaseModel):
    model_config = ConfigDict(extra="allow")

    sponsored: bool = False
    campaign: str | None = None


class _Base(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=False)

    id: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    source: str = Field(min_length=1, max_length=64)

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    _original: dict[str, Any] | None = PrivateAttr(default=None)

    @property
    def raw(self) -> dict[str, Any]:
        """The record as it came in (unknown fields included), else as validated."""
        if self._original is not None:
            return self._original
        return self.model_dump(mode="json", exclude_none=True)


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time zones and clocks that run ahead, not a date in another year


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TextItem(_Base):
    kind: Literal["comment", "direct_message", "reply", "mention", "review", "email", "article", "post"]
    created_at: datetime
    text: str = Field(default="", max_length=MAX_TEXT_CHARS)
    author: Author = Field(default_factory=Author)
    thread_id: str | None = None
    in_reply_to: str | None = None
    url: str | None = None
    title: str | None = None
    context: Context = Field(default_factory=Context)
    direction: Direction = Direction.INBOUND
    media: str | None = None

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)

    @field_validator("thread_id", "in_reply_to", mode="before")
    @classmethod
    def _ref_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @property
    def occurred_at(self) -> datetime:
        return self.created_at


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("value must be a finite number")
    return value


Dims = dict[str, str | int | float | bool | None]
# Metrics that count or spend, so are never below zero (revenue may be, net of refunds).
NEVER_NEGATIVE = frozenset(
    {"site_visits", "store_visits", "sessions", "page_views", "orders", "leads", "conversions", "ad_spend"}
)
NEVER_NEGATIVE_SUFFIXES = ("_visits", "_views", "_clicks", "_impressions", "_conversions", "_spend", "_count")


class MetricItem(_Base):
    _date_only: bool = PrivateAttr(default=False)

    kind: Literal["metric"]
    metric: str = Field(min_length=1, max_length=128)
    at: datetime
    value: float
    dims: Dims = Field(default_factory=dict)

    @field_validator("value")
    @classmethod
    def _finite_value(cls, value: float) -> float:
        return _finite(value)

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)

    @property
    def occurred_at(self) -> datetime:
        return self.at

    @property
    def date_only(self) -> bool:
        """True when the record gave a date without a time (a daily value)."""
        return self._date_only


class EventItem(_Base):
    _date_only: bool = PrivateAttr(default=False)

    kind: Literal["event"]
    event: str = Field(min_length=1, max_length=128)
    at: datetime
    dims: Dims = Field(default_factory=dict)

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)

    @property
    def occurred_at(self) -> datetime:
        return self.at

    @property
    def date_only(self) -> bool:
        """True when the record gave a date without a time (a daily value)."""
        return self._date_only


CanonicalItem = TextItem | MetricItem | EventItem
_MODELS: dict[str, type[TextItem] | type[MetricItem] | type[EventItem]] = {
    "metric": MetricItem,
    "event": EventItem,
}
TEXT_ITEM_KINDS = ("comment", "direct_message", "reply", "mention", "review", "email", "article", "post")


def _reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        loc = ".".join(str(p) for p in error["loc"]) or "item"
        msg = "is required" if error["type"] == "missing" else error["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def check_plausible(item: CanonicalItem, now: datetime | None = None) -> None:
    """Refuse what cannot be true of a record coming in (ingest, `peyvand route`, the library): a time
    before 1990 or more than two days ahead of now (a wrong column, a Jalali year read as Gregorian, a
    typo such as 2999: it would sit first in the inbox for ever and bend every series), and a negative
    value of a metric that counts or spends. Stored rows are not held to it when read back (a rebuild
    must not fail on what was accepted before the rule)."""
    problems = []
    field = "created_at" if isinstance(item, TextItem) else "at"
    if item.occurred_at < EARLIEST:
        problems.append(f"{field}: time is before 1990")
    elif item.occurred_at > (now or datetime.now(UTC)) + FUTURE_SLACK:
        problems.append(f"{field}: time is more than two days in the future")
    if (
        isinstance(item, MetricItem)
        and item.value < 0
        and (item.metric in NEVER_NEGATIVE or item.metric.endswith(NEVER_NEGATIVE_SUFFIXES))
    ):
        problems.append(f"value: {item.metric} counts, so cannot be negative")
    if problems:
        raise ItemError("; ".join(problems))


def parse_item(obj: Any, *, incoming: bool = False) -> CanonicalItem:
    """Validate one decoded JSON value as a canonical item (`incoming`: a record coming in, also held to
    `check_plausible`)."""
    if not isinstance(obj, dict):
        raise ItemError(f"expected a JSON object, got {type(obj).__name__}")
    kind = obj.get("kind")
    if not isinstance(kind, str):
        raise ItemError("kind: is required (one of " + ", ".join([*TEXT_ITEM_KINDS, "metric", "event"]) + ")")
    model = _MODELS.get(kind, TextItem)
    if model is TextItem and kind not in TEXT_ITEM_KINDS:
        raise ItemError(f"kind: {kind!r} is not one of " + ", ".join([*TEXT_ITEM_KINDS, "metric", "event"]))
    try:
        item = model.model_validate(obj)
    except ValidationError as exc:
        raise ItemError(_reason(exc)) from None
    item._original = obj
    if isinstance(item, MetricItem | EventItem):
        at = obj.get("at")
        item._date_only = isinstance(at, str) and len(at.strip()) == 10
    if incoming:
        check_plausible(item)
    return item


def parse_line(line: str | bytes, *, incoming: bool = False) -> CanonicalItem:
    """Decode and validate one JSONL line."""
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ItemError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise ItemError("not valid JSON: nested too deeply") from None
    return parse_item(obj, incoming=incoming)
