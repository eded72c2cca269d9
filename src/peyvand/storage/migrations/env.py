"""Alembic environment: runs on the connection Peyvand hands it (see peyvand.storage.migrate)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from peyvand.storage.schema import metadata

config = context.config
target_metadata = metadata()


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render Peyvand's column types as plain SQLAlchemy types, so migrations never import app code."""
    name = type(obj).__name__
    if type_ == "type" and name == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and name == "JSON":
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `peyvand migrate` (peyvand.storage.migrate.upgrade)")
if isinstance(connection, Connection):
    run_migrations(connection)
else:
    with connection.begin() as conn:
        run_migrations(conn)
