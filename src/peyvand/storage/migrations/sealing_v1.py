"""The sealing of stored secrets as the migrations that first encrypted them (0210, 0410) do it: a frozen
copy of `peyvand.storage.sealed` v1, so migrations never import app code and keep working when the app's
scheme moves on.

A sealed value is `fernet:` + a Fernet token under HKDF-SHA256(secret key, info "peyvand secrets at rest
v1"). The secret key is `PEYVAND_SECRET_KEY` as `peyvand.storage.migrate.upgrade` passes it in
(`config.attributes["secret_key"]`), else the database-kept `app_secrets.session_key` (made here when
missing, as the app would). Values already sealed are left alone, so sealing twice changes nothing.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "fernet:"
PURPOSE = b"peyvand secrets at rest v1"


def _fernet(secret_key: str) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8"))))


def _kept_key(bind: sa.Connection, *, create: bool) -> str | None:
    app_secrets = sa.table("app_secrets", sa.column("name", sa.String), sa.column("value", sa.String))
    found = bind.execute(sa.select(app_secrets.c.value).where(app_secrets.c.name == "session_key")).scalar()
    if found is None and create:
        found = secrets.token_urlsafe(48)
        bind.execute(sa.insert(app_secrets).values(name="session_key", value=found))
    return found


def _box(bind: sa.Connection, *, create: bool) -> MultiFernet:
    config = op.get_context().config
    attributes = config.attributes if config is not None else {}
    configured = attributes.get("secret_key")
    kept = _kept_key(bind, create=create and not configured)
    keys = [k for k in (configured, *attributes.get("old_secret_keys", ()), kept) if k]
    return MultiFernet([_fernet(k) for k in dict.fromkeys(keys)])


def _column(table: str, column: str) -> sa.TableClause:
    return sa.table(table, sa.column("id", sa.Integer), sa.column(column, sa.Text))


def _rows(bind: sa.Connection, table: str, column: str) -> list[tuple[int, str]]:
    t = _column(table, column)
    return [(i, v) for i, v in bind.execute(sa.select(t.c.id, t.c[column])) if v is not None]


def _write(bind: sa.Connection, table: str, column: str, row_id: int, value: str) -> None:
    t = _column(table, column)
    bind.execute(sa.update(t).where(t.c.id == row_id).values({column: value}))


def seal_plain_values(columns: Sequence[tuple[str, str]]) -> int:
    """Seal every plain value of the (table, column) pairs; returns how many were sealed."""
    bind = op.get_bind()
    plain = {tc: [(i, v) for i, v in _rows(bind, *tc) if not v.startswith(PREFIX)] for tc in columns}
    if not any(plain.values()):
        return 0  # a new database, or one already sealed: no key is made or needed
    box = _box(bind, create=True)
    for (table, column), rows in plain.items():
        for row_id, value in rows:
            _write(bind, table, column, row_id, PREFIX + box.encrypt(value.encode("utf-8")).decode("ascii"))
    return sum(len(rows) for rows in plain.values())


def open_sealed_values(columns: Sequence[tuple[str, str]]) -> None:
    """The downgrade: every sealed value of the pairs back to its plain value."""
    bind = op.get_bind()
    box: MultiFernet | None = None
    for table, column in columns:
        for row_id, value in _rows(bind, table, column):
            if value.startswith(PREFIX):
                box = box or _box(bind, create=False)
                plain = box.decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
                _write(bind, table, column, row_id, plain)
