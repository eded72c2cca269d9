"""Migrations build the schema on both databases, and the models and migrations do not drift."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from peyvand.storage.db import make_engine
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


# The heads before the security branch (0700) and the sealed-secret migrations (0210, 0410) were added.
EARLIER_HEADS = ("0200_inbox", "0300_reputation", "0400_api", "0500_marketing", "0600_text")


def test_upgrading_a_database_in_use_keeps_every_row(tmp_path: Path) -> None:
    """An install made before the latest migrations, with people in it, upgraded to the heads: no row is
    lost. On SQLite, batch mode copies a changed table and drops the old one, which with foreign keys on
    would delete every membership through ON DELETE CASCADE (`migrate._foreign_keys_off`)."""
    engine = make_engine(str(tmp_path / "in-use.sqlite"))
    for head in EARLIER_HEADS:
        upgrade(engine, head)
    now = "2026-01-01 00:00:00"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspaces (id, slug, name, timezone, settings, created_at) "
                "VALUES (1, 'niloofar', 'نیلوفر', 'Asia/Tehran', '{}', :now)"
            ),
            {"now": now},
        )
        for uid, name in ((1, "neda"), (2, "reza")):
            conn.execute(
                text(
                    "INSERT INTO users (id, username, display_name, password_hash, locale, calendar, "
                    "is_active, created_at) VALUES (:id, :name, :name, 'x', 'fa', 'jalali', 1, :now)"
                ),
                {"id": uid, "name": name, "now": now},
            )
            membership = "INSERT INTO memberships (workspace_id, user_id, role) VALUES (1, :id, 'pr')"
            conn.execute(text(membership), {"id": uid})
    counts = _row_counts(engine)
    upgrade(engine)
    assert is_up_to_date(engine)
    after = _row_counts(engine)
    assert {t: after[t] for t in counts} == counts and counts["memberships"] == 2
    with engine.connect() as conn:  # and foreign keys are on again for the app
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        return {t: int(conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()) for t in names}
