"""Signing in, throttled: failed sign-ins are counted in a sliding window, in the database.

Two counts, each over the last `window` (`PEYVAND_LOGIN_LOCKOUT_SECONDS`, 15 minutes by default):

- one username from one address: at `max_failures` (`PEYVAND_LOGIN_MAX_FAILURES`, 5) failures the next
  attempts are refused, without checking the password, until the oldest of them leaves the window;
- one address across all usernames: at ten times as many (password spraying over many accounts).

A failure is written before the password is checked and removed when it was right, so parallel guesses
cannot all pass the check before any is counted (on SQLite the check and the write are one writer
transaction; on PostgreSQL a burst may overshoot by the number of requests in flight). A successful sign-in
clears that username's failures from that address, but not the address's own count, so signing in to one's
own account does not reset a spray.

Why the database and not memory: sign-ins are rare, so a write each costs nothing, and the count then holds
across restarts and across every web server sharing the database. Why not per username alone: anyone could
then lock any person out. Keys are SHA-256 digests; neither addresses nor usernames are stored. The address
is the one the server sees (`peyvand serve` believes `X-Forwarded-For` only from the proxies in
PEYVAND_FORWARDED_ALLOW_IPS, 127.0.0.1 by default; see docs/settings.md).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peyvand.services.clock import utcnow
from peyvand.services.users import UserInfo, authenticate
from peyvand.storage.db import Store
from peyvand.storage.tables_security import LoginFailure

ADDRESS_FACTOR = 10


@dataclass(frozen=True)
class LoginLimits:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)


class SignInThrottled(Exception):
    """Too many failed sign-ins: the next attempt is accepted after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} seconds")
        self.retry_after = retry_after


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _keys(address: str, username: str) -> tuple[str, str]:
    """(this username from this address, this address)."""
    return _digest("login", address, username.strip().casefold()), _digest("address", address)


def _wait(session: Session, key: str, allowed: int, window: timedelta, now: datetime) -> int:
    """Seconds until `key` has fewer than `allowed` failures in the window (0: it has already)."""
    recent = list(
        session.scalars(
            select(LoginFailure.failed_at)
            .where(LoginFailure.key == key, LoginFailure.failed_at > now - window)
            .order_by(LoginFailure.failed_at.desc())
            .limit(allowed)
        )
    )
    if len(recent) < allowed:
        return 0
    return max(1, math.ceil((recent[-1] + window - now).total_seconds()))


def _count_attempt(store: Store, keys: tuple[str, str], limits: LoginLimits, now: datetime) -> list[int]:
    """Refuse the attempt (`SignInThrottled`) or write it down as a failure; returns the rows written."""
    pair, address = keys
    with store.transaction() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - limits.window))
        wait = max(
            _wait(session, pair, limits.max_failures, limits.window, now),
            _wait(session, address, limits.max_failures * ADDRESS_FACTOR, limits.window, now),
        )
        if wait:
            raise SignInThrottled(wait)
        rows = [LoginFailure(key=pair, failed_at=now), LoginFailure(key=address, failed_at=now)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def sign_in(
    store: Store,
    *,
    username: str,
    password: str,
    address: str,
    limits: LoginLimits,
    now: datetime | None = None,
) -> UserInfo | None:
    """The user when the password is right, None when it is not; `SignInThrottled` when this username
    from this address (or this address) failed too often lately, whatever the password."""
    now = now or utcnow()
    keys = _keys(address or "unknown", username)
    written = _count_attempt(store, keys, limits, now)
    user = authenticate(store, username=username, password=password)
    if user is not None:
        with store.transaction() as session:
            session.execute(
                delete(LoginFailure).where((LoginFailure.key == keys[0]) | LoginFailure.id.in_(written))
            )
    return user
