"""Everything that differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import Insert

# The largest id a row can have: primary keys are INTEGER, 32 bits on PostgreSQL (SQLite allows 64, and
# a larger Python int is an error on both). Ids that come from requests are checked against it first.
MAX_ROW_ID = 2_147_483_647


def is_row_id(value: int) -> bool:
    """Whether `value` can be the id of a row (so looking it up cannot fail in the driver)."""
    return 0 < value <= MAX_ROW_ID


def row_id_in(text: str | None) -> int | None:
    """The row id written in a query value, or None when it is not one (ASCII digits only: `isdigit`
    lets through superscripts and other digits `int` refuses; and never past what the driver takes)."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if is_row_id(value) else None


# Set by Store.transaction(): a write transaction on SQLite starts with BEGIN IMMEDIATE, so it waits for the
# writer lock up front (busy_timeout) instead of failing when a read transaction later tries to write.
SQLITE_WRITE_TRANSACTION: ContextVar[bool] = ContextVar("sqlite_write_transaction", default=False)


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys on, a busy timeout, and SQLAlchemy's own BEGIN (so transactions are real)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if SQLITE_WRITE_TRANSACTION.get() else "BEGIN")


def insert_for(table: Table, dialect_name: str) -> Insert:
    """An INSERT that understands ON CONFLICT on this dialect."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_conflicts(table: Table, dialect_name: str, conflict_columns: list[str]) -> Insert:
    stmt: Any = insert_for(table, dialect_name)
    result: Insert = stmt.on_conflict_do_nothing(index_elements=conflict_columns)
    return result


def insert_adding_on_conflict(
    table: Table, dialect_name: str, conflict_columns: list[str], add_columns: list[str]
) -> Insert:
    """INSERT … ON CONFLICT DO UPDATE SET col = col + excluded.col (rollups are additive)."""
    stmt: Any = insert_for(table, dialect_name)
    result: Insert = stmt.on_conflict_do_update(
        index_elements=conflict_columns,
        set_={c: table.c[c] + stmt.excluded[c] for c in add_columns},
    )
    return result


def json_array_contains(column: Any, value: str, dialect_name: str) -> Any:
    """SQL that is true when the JSON array in `column` contains the string `value`."""
    from sqlalchemy import cast, exists, func, literal, select
    from sqlalchemy.dialects.postgresql import JSONB

    if dialect_name == "postgresql":
        return column.op("@>")(cast(literal(f'["{value}"]'), JSONB))
    each = func.json_each(column).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value == value))


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_strip_nul(k): _strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    return value


def storable(value: Any) -> Any:
    """`value` (text, or a JSON value) without NUL characters: PostgreSQL cannot store U+0000 in text or
    JSONB, and it never carries meaning in feedback, so it is dropped on both databases alike. The value
    itself is returned when it has none (the usual case, checked without copying)."""
    return _strip_nul(value) if _has_nul(value) else value
