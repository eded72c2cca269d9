"""Typed request values shared by the page routes: database ids, page numbers and day counts, bounded so
that a value no row can have is answered 422 (or 404) instead of reaching the database, where a number
beyond 32 bits is an error on PostgreSQL and beyond 64 bits one on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Form, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError

from peyvand.services.access import InvalidInput
from peyvand.storage.dialect import MAX_ROW_ID

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
FormRowId = Annotated[int, Form(ge=1, le=MAX_ROW_ID)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
DayCount = Annotated[int, Query(ge=1, le=36_500)]


def form_int(value: str | None, *, name: str, maximum: int = MAX_ROW_ID) -> int | None:
    """A whole number typed in a form field (empty: None). `str.isdigit` alone would let through
    superscripts and other digits `int` refuses, so only ASCII digits count."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > maximum:
        raise InvalidInput(f"{name} must be a whole number from 0 to {maximum:,}")
    return int(text)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_nul_characters(request: Request) -> AsyncIterator[None]:
    """Every request's query, path and form values: a NUL character is refused with 400 (PostgreSQL cannot
    store one in text, so it would otherwise fail deep inside a service; nobody types one). Installed on
    the whole app; uploaded files and API bodies are the sources' business, which drop NULs themselves
    (and a webhook's body must reach its signature check unread). The form it reads (the routes read the
    same one) is closed once the answer has gone, so uploaded files never linger open, whether the
    request was refused or the route takes no file."""
    api = request.url.path.startswith("/api/")
    values = [("query", k, v) for k, v in request.query_params.multi_items()]
    values += [("path", k, str(v)) for k, v in request.path_params.items()]
    form = None
    if request.headers.get("content-type", "").startswith(FORM_TYPES) and not api:  # the API reads raw bodies
        form = await request.form()
        values += [("body", k, v) for k, v in form.multi_items() if isinstance(v, str)]
    try:
        bad = [(where, name) for where, name, value in values if "\x00" in value]
        if bad and api:  # the API answers a parameter it cannot use as FastAPI does: 422, its documented body
            raise RequestValidationError(
                [{"loc": where, "msg": NUL_MESSAGE, "type": "value_error"} for where in bad]
            )
        if bad:
            raise HTTPException(400, NUL_MESSAGE)
        yield
    finally:
        if form is not None:
            await form.close()


NUL_MESSAGE = "a value contains a NUL character (\\x00), which cannot be stored"
