"""Running the Alembic migrations that live inside the package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = "peyvand:storage/migrations"


def alembic_config(
    bind: Engine | Connection | None = None,
    *,
    secret_key: str | None = None,
    old_secret_keys: tuple[str, ...] = (),
) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    if bind is not None:
        config.attributes["connection"] = bind
    # for the migrations that encrypt stored secrets (0700): the configured key, else the database-kept one
    config.attributes["secret_key"] = secret_key or None
    config.attributes["old_secret_keys"] = tuple(old_secret_keys)
    return config


def upgrade(
    bind: Engine | Connection,
    revision: str = "heads",
    *,
    secret_key: str | None = None,
    old_secret_keys: tuple[str, ...] = (),
) -> None:
    """Bring the database schema up to `revision` (creating it on an empty database).

    Features add their migrations on their own branches from the initial schema, so "up to date" means
    at every head. `secret_key` is `PEYVAND_SECRET_KEY` (None when unset): the migration that encrypts the
    stored webhook secrets derives its key from it, as the app does (`peyvand.storage.sealed`)."""
    if isinstance(bind, Engine):
        with bind.connect() as connection, _foreign_keys_off(connection):
            with connection.begin():
                upgrade(connection, revision, secret_key=secret_key, old_secret_keys=old_secret_keys)
                _check_foreign_keys(connection)
        return
    config = alembic_config(bind, secret_key=secret_key, old_secret_keys=old_secret_keys)
    command.upgrade(config, revision)


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while migrating (Alembic's advice for batch mode): batch mode copies a
    table and drops the old one, and with foreign keys on that DROP deletes every row that references it
    through ON DELETE CASCADE (a new column on `users` would empty `memberships`). The pragma only works
    outside a transaction, so it is set on the driver's connection before SQLAlchemy begins one."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    """With foreign keys off, nothing checked the migrated rows: a dangling reference fails the upgrade
    (and rolls it back) instead of being found later."""
    if connection.dialect.name != "sqlite":
        return
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(f"the migration left rows whose references are missing: {dangling[:5]}")


def current_revisions(bind: Engine | Connection) -> set[str]:
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())
    return set(MigrationContext.configure(bind).get_current_heads())


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_up_to_date(bind: Engine | Connection) -> bool:
    return current_revisions(bind) == head_revisions()
