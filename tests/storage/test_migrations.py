"""Migrations build the schema on both databases, and the models and migrations do not drift."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from peyvand.storage.migrate import current_revisions, head_revisions, is_up_to_date, upgrade
from peyvand.storage.schema import metadata


def test_upgrade_to_head(engine: Engine) -> None:
    assert current_revisions(engine) == head_revisions()
    assert is_up_to_date(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(metadata().tables) <= tables


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(engine)
    assert is_up_to_date(engine)


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata())
    assert diff == []


def test_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
