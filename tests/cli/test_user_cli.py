"""`peyvand user …` ends a user's sessions where it changes them, and `peyvand webhook create --kind meta`
takes Meta's App Secret from the environment or a hidden prompt rather than the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from peyvand.cli import app
from peyvand.services.users import authenticate, memberships
from peyvand.storage.db import Store
from peyvand.storage.sealed import secret_box
from peyvand.storage.tables import User
from peyvand.storage.tables_api import WebhookEndpoint

runner = CliRunner()
PASSWORD = "long-enough-1"


def invoke(*args: str, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def db(brand_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    monkeypatch.setenv("PEYVAND_NEW_USER_PASSWORD", PASSWORD)
    monkeypatch.delenv("PEYVAND_META_APP_SECRET", raising=False)
    invoke("init", "--brand", str(brand_file), "--db", url)
    invoke("user", "add", "maryam", "--role", "pr", "--db", url)
    return url


def _version(db: str) -> int:
    """maryam's session version, read from the table (a disabled user is no signed-in `UserInfo`)."""
    store = Store.from_url(db)
    try:
        with store.read() as session:
            version = session.scalar(select(User.session_version).where(User.username == "maryam"))
        assert version is not None
        return version
    finally:
        store.dispose()


def test_user_commands_end_the_users_sessions(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    start = _version(db)
    invoke("user", "add", "maryam", "--role", "pr", "--db", db)  # the same role: nothing changes
    assert _version(db) == start
    assert "has ended" in invoke("user", "logout", "maryam", "--db", db)
    assert _version(db) == start + 1
    monkeypatch.delenv("PEYVAND_NEW_USER_PASSWORD")
    invoke("user", "password", "maryam", "--db", db, input="another-pass-2\nanother-pass-2\n")
    assert _version(db) == start + 2
    invoke("user", "add", "maryam", "--role", "viewer", "--db", db, input="unused-pass\nunused-pass\n")
    assert _version(db) == start + 3
    invoke("user", "disable", "maryam", "--db", db)
    assert _version(db) == start + 4
    invoke("user", "enable", "maryam", "--db", db)
    invoke("user", "remove", "maryam", "--db", db)
    assert _version(db) == start + 6
    store = Store.from_url(db)
    try:
        assert authenticate(store, username="maryam", password=PASSWORD) is None
        user = authenticate(store, username="maryam", password="another-pass-2")
        assert user is not None and memberships(store, user_id=user.id) == []
    finally:
        store.dispose()


def test_disabled_users_cannot_sign_in_and_unknown_ones_are_named(db: str) -> None:
    invoke("user", "disable", "maryam", "--db", db)
    store = Store.from_url(db)
    try:
        assert authenticate(store, username="maryam", password=PASSWORD) is None
    finally:
        store.dispose()
    missing = runner.invoke(app, ["user", "logout", "nobody", "--db", db])
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output
    again = runner.invoke(app, ["user", "remove", "maryam", "--db", db])
    assert again.exit_code == 0
    twice = runner.invoke(app, ["user", "remove", "maryam", "--db", db])
    assert twice.exit_code == 1 and "has no role" in twice.output


def _stored_app_secret(db: str) -> str:
    store = Store.from_url(db)
    try:
        with store.read() as session:
            sealed = session.scalars(
                select(WebhookEndpoint.secret).order_by(WebhookEndpoint.id.desc())
            ).first()
        assert sealed is not None
        return secret_box(store).open(sealed)
    finally:
        store.dispose()


def test_meta_app_secret_from_a_hidden_prompt(db: str) -> None:
    result = runner.invoke(
        app, ["webhook", "create", "--kind", "meta", "--name", "ig", "--db", db], input="prompted-secret\n"
    )
    assert result.exit_code == 0, result.output
    assert "Meta's App Secret" in result.output and "prompted-secret" not in result.output  # not echoed
    assert _stored_app_secret(db) == "prompted-secret"


def test_meta_app_secret_from_the_environment_or_the_discouraged_flag(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEYVAND_META_APP_SECRET", "secret-from-env")
    invoke("webhook", "create", "--kind", "meta", "--name", "ig", "--db", db, input="")
    assert _stored_app_secret(db) == "secret-from-env"
    monkeypatch.delenv("PEYVAND_META_APP_SECRET")
    invoke("webhook", "create", "--kind", "meta", "--name", "ig2", "--app-secret", "secret-flag", "--db", db)
    assert _stored_app_secret(db) == "secret-flag"
    generic = invoke("webhook", "create", "--kind", "generic", "--name", "own", "--db", db, input="")
    assert "whsec_" in generic and "App Secret" not in generic  # only Meta asks
