"""Running the Alembic migrations that live inside the package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = "peyvand:storage/migrations"


def alembic_config(bind: Engine | Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    if bind is not None:
        config.attributes["connection"] = bind
    return config


def upgrade(bind: Engine | Connection, revision: str = "heads") -> None:
    """Bring the database schema up to `revision` (creating it on an empty database).

    Features add their migrations on their own branches from the initial schema, so "up to date" means
    at every head."""
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    else:
        command.upgrade(alembic_config(bind), revision)


def current_revisions(bind: Engine | Connection) -> set[str]:
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())
    return set(MigrationContext.configure(bind).get_current_heads())


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def is_up_to_date(bind: Engine | Connection) -> bool:
    return current_revisions(bind) == head_revisions()
