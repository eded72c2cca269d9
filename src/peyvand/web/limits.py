"""Limits at the edge: the request size (`PEYVAND_MAX_REQUEST_BYTES`) and the rate of requests per API
token and per webhook endpoint.

Size: a pure ASGI middleware over every request. A body announced larger than the limit
(`Content-Length`), or one that grows past it while it is read (chunked uploads), stops the read with HTTP
413; the app's error handlers answer it as JSON under `/api/` and as a page elsewhere. Nothing beyond the
limit is ever read into memory or onto disk.

Rate: a token bucket per API token (`PEYVAND_API_RATE_PER_MINUTE`) and per inbound webhook endpoint
(`PEYVAND_WEBHOOK_RATE_PER_MINUTE`), in this process's memory: each may send `rate` requests a minute, in
bursts of up to `rate`; beyond that it is answered 429 with `Retry-After` (the platforms behind a
webhook retry a 429 later). Memory and not the database,
because API traffic is the busiest write path and a counter row per request would contend for SQLite's one
writer; the price is that each web process counts on its own (N processes allow N times the rate) and a
restart refills the buckets. It is a guard against a runaway script, not an authentication barrier: the
caller already holds a valid token (a token is 256 random bits, so guessing one is not a threat a rate
limit needs to answer). For a webhook the bucket is counted before the signature is checked, so a
flood of forged deliveries to a known endpoint costs one HMAC each up to the rate, then nothing.
"""

from __future__ import annotations

import math
import threading
import time
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


class RateLimiter:
    """Token buckets by key, each holding up to `per_minute` requests and refilled at `per_minute` a minute.
    `per_minute` 0 turns the limit off. Thread-safe (sync routes run in a thread pool)."""

    MAX_KEYS = 10_000

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (requests left, when counted)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Count one request of `key`: 0 when it may go ahead, else the seconds until it may."""
        if self.capacity <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            left, counted = self._buckets.get(key, (self.capacity, now))
            left = min(self.capacity, left + (now - counted) * self.refill)
            if left >= 1:
                self._buckets[key] = (left - 1, now)
                if len(self._buckets) > self.MAX_KEYS:
                    self._forget_full(now)
                return 0.0
            self._buckets[key] = (left, now)
            return (1 - left) / self.refill

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled (they hold nothing worth keeping)."""
        for key, (left, counted) in list(self._buckets.items()):
            if left + (now - counted) * self.refill >= self.capacity:
                del self._buckets[key]


def check_rate(limiter: RateLimiter, key: str, who: str, setting: str) -> None:
    """Count one request of `key`; beyond the limit, refuse it with 429 and `Retry-After`."""
    wait = limiter.take(key)
    if wait:
        retry = math.ceil(wait)
        raise HTTPException(
            429,
            f"rate limit: {who} may send {int(limiter.capacity)} requests a minute "
            f"({setting}); retry after {retry} s",
            {"Retry-After": str(retry)},
        )
