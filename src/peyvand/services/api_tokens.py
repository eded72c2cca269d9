"""API tokens: per-workspace, scoped, shown once, stored only as a keyed hash, revocable.

A token is `pvk_` followed by 43 URL-safe characters (32 random bytes), so secret scanners can spot one.
Peyvand keeps its first 12 characters (the visible prefix, to tell tokens apart in lists) and the
HMAC-SHA256 of the whole token keyed with the server's pepper (`PEYVAND_TOKEN_PEPPER`, else a random key
generated once and kept in `app_secrets`). A stolen database therefore holds no usable token. A request's
token is hashed the same way and looked up by that hash; the scope it needs is checked here, and the token
acts as the `api_token` role, which holds nothing beyond what the scopes allow (`services.access`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from peyvand.services.access import API_TOKEN, AccessDenied, Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import ApiToken, AppSecret

TOKEN_PREFIX = "pvk_"
VISIBLE_CHARS = 12
# scope -> the permission it grants the token (the token's role `api_token` holds these in PERMISSIONS)
SCOPES = {"ingest": "ingest.write", "imports:read": "imports.read"}
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "scopes": self.scopes,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True)
class NewToken:
    """A token just created: `secret` is the only time the whole token is ever available."""

    info: TokenInfo
    secret: str = field(repr=False)


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(
        row.id, row.name, row.prefix, list(row.scopes), row.created_at, row.last_used_at, row.revoked_at
    )


def token_pepper(store: Store, configured: str | None = None) -> bytes:
    """The configured pepper, else one generated once and kept in the database."""
    if configured:
        return configured.encode("utf-8")
    with store.transaction() as session:
        row = session.get(AppSecret, "token_pepper")
        if row is None:
            row = AppSecret(name="token_pepper", value=secrets.token_urlsafe(48))
            session.add(row)
        return row.value.encode("utf-8")


def hash_token(token: str, pepper: bytes) -> str:
    return hmac.new(pepper, token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise InvalidInput(f"scopes must be some of: {', '.join(SCOPES)} (got {', '.join(scopes) or 'none'})")
    return sorted(set(scopes))


def create_token(store: Store, actor: Actor, *, name: str, scopes: list[str], pepper: bytes) -> NewToken:
    """Create a token for the actor's workspace; the returned secret is shown once and never stored."""
    require(actor, "workspace.admin")
    name = name.strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise InvalidInput("a token needs a name (up to 200 characters)")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as session:
        row = ApiToken(
            workspace_id=actor.workspace_id,
            name=name,
            prefix=secret[:VISIBLE_CHARS],
            token_hash=hash_token(secret, pepper),
            scopes=_check_scopes(scopes),
            created_at=utcnow(),
            created_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        return NewToken(_info(row), secret)


def list_tokens(store: Store, actor: Actor) -> list[TokenInfo]:
    """The workspace's tokens, newest first, without their secrets (only the visible prefix)."""
    require(actor, "workspace.admin")
    with store.read() as session:
        rows = session.scalars(
            select(ApiToken).where(ApiToken.workspace_id == actor.workspace_id).order_by(ApiToken.id.desc())
        )
        return [_info(row) for row in rows]


def revoke_token(store: Store, actor: Actor, *, token_id: int) -> TokenInfo:
    """Revoke a token of the actor's workspace; requests with it are refused from now on."""
    require(actor, "workspace.admin")
    with store.transaction() as session:
        row = session.get(ApiToken, token_id)
        if row is None or row.workspace_id != actor.workspace_id:
            raise NotFound(f"no API token {token_id} in this workspace")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
        return _info(row)


class TokenRefused(PermissionError):
    """No token, or an unknown or revoked one (HTTP 401)."""


@dataclass(frozen=True)
class TokenActor:
    """A request's token: the actor it stands for, and its id and name (for the import run's label)."""

    actor: Actor
    token_id: int
    name: str


def authenticate_token(store: Store, *, token: str, scope: str, pepper: bytes) -> TokenActor:
    """The actor a request's bearer token stands for, if it holds `scope`.

    Raises `TokenRefused` for an unknown or revoked token and `AccessDenied` for a token without the scope.
    Records the last use (to the minute, so a busy token does not write on every request).
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise TokenRefused("not a Peyvand API token")
    digest = hash_token(token, pepper)
    now = utcnow()
    with store.read() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
        if row is None or not hmac.compare_digest(row.token_hash, digest) or row.revoked_at is not None:
            raise TokenRefused("unknown or revoked API token")
        if scope not in row.scopes:
            raise AccessDenied(f"this token's scopes ({', '.join(row.scopes)}) do not include {scope!r}")
        token_id, name, workspace_id, last_used = row.id, row.name, row.workspace_id, row.last_used_at
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        with store.transaction() as session:
            session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    actor = Actor(workspace_id=workspace_id, role=API_TOKEN)
    require(actor, SCOPES[scope])
    return TokenActor(actor, token_id, name)
