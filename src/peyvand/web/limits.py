"""The request size limit (`PEYVAND_MAX_REQUEST_BYTES`): a pure ASGI middleware over every request.

A body announced larger than the limit (`Content-Length`), or one that grows past it while it is read
(chunked uploads), stops the read with HTTP 413; the app's error handlers answer it as JSON under `/api/`
and as a page elsewhere. Nothing beyond the limit is ever read into memory or onto disk.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"the request body is larger than the limit of {limit:,} bytes (PEYVAND_MAX_REQUEST_BYTES); "
            "send smaller batches",
        )


def _announced(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, announced = self.limit, _announced(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if announced is not None and announced > limit:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited, send)
