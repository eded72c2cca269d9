"""Secrets Peyvand must read back are encrypted at rest: stored sealed, still used to verify and sign,
unreadable with a copy of the database alone when PEYVAND_SECRET_KEY is set, readable after a key change
through PEYVAND_OLD_SECRET_KEYS, re-sealed by `peyvand secrets reseal`, and plain rows from before are
sealed by the migrations (on both databases)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from api_support import comment, endpoint, meta_signature, signed
from peyvand.cli import app as cli
from peyvand.domain.brand import BrandProfile
from peyvand.domain.webhook_signature import verify
from peyvand.services.access import Actor
from peyvand.services.outbound import configure_outbound, deliver_reply
from peyvand.services.replies import reply_to_conversation
from peyvand.services.sealed_secrets import reseal_secrets
from peyvand.services.webhooks import create_endpoint, endpoint_keys
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade
from peyvand.storage.sealed import PREFIX, SecretBox, SecretUnreadable, secret_box
from peyvand.storage.tables import Conversation
from peyvand.storage.tables_api import WebhookEndpoint
from peyvand.storage.tables_inbox import OutboundIntegration
from tests_support import Site

APP_SECRET = "zqx-meta-app-secret-at-rest"


def _stored(store: Store) -> tuple[list[WebhookEndpoint], list[OutboundIntegration]]:
    with store.read() as session:
        return list(session.scalars(select(WebhookEndpoint))), list(
            session.scalars(select(OutboundIntegration))
        )


def test_stored_secrets_are_sealed_and_still_verify_and_sign(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEYVAND_OUTBOUND_ALLOW_PRIVATE", "1")
    app: Any = site.client.app
    store: Store = app.state.store
    generic = endpoint(site.client, site.workspace, "generic")
    telegram = endpoint(site.client, site.workspace, "telegram")
    meta = endpoint(site.client, site.workspace, "meta", app_secret=APP_SECRET)
    outbound = configure_outbound(store, site.workspace, url="http://127.0.0.1:9/hook")
    endpoints, integrations = _stored(store)
    dump = json.dumps([[e.secret, e.verify_token] for e in endpoints] + [i.secret for i in integrations])
    plain = [generic.secret, telegram.secret, meta.verify_token, APP_SECRET, outbound]
    assert [s for s in plain if s and s in dump] == []  # no secret is in the rows as it is
    assert all(e.secret.startswith(PREFIX) for e in endpoints) and integrations[0].secret.startswith(PREFIX)

    body = json.dumps(comment("sealed-1", source="shop")).encode()
    assert generic.secret is not None and telegram.secret is not None
    ok = site.client.post(generic.info.path, content=body, headers=signed(generic.secret, body))
    assert ok.status_code == 200, ok.text
    headers = {"X-Telegram-Bot-Api-Secret-Token": telegram.secret, "Content-Type": "application/json"}
    update = json.dumps({"update_id": 5, "message": {"message_id": 1, "date": 1, "chat": {"id": 1}}}).encode()
    assert site.client.post(telegram.info.path, content=update, headers=headers).status_code == 200
    meta_body = json.dumps({"object": "instagram", "entry": []}).encode()
    good = meta_signature(APP_SECRET, meta_body)
    assert site.client.post(meta.info.path, content=meta_body, headers=good).status_code == 200
    shake = {"hub.mode": "subscribe", "hub.verify_token": meta.verify_token, "hub.challenge": "c1"}
    assert site.client.get(meta.info.path, params=shake).text == "c1"

    sent: list[tuple[bytes, dict[str, str]]] = []
    with store.read() as session:
        conversation = session.scalar(
            select(Conversation.id).where(Conversation.workspace_id == site.workspace.workspace_id).limit(1)
        )
    assert conversation is not None
    reply_to_conversation(store, site.workspace, conversation_id=conversation, text="thanks")
    with store.read() as session:
        delivery_id = session.execute(text("select max(id) from outbound_deliveries")).scalar()
    deliver_reply(store, delivery_id=delivery_id, send=lambda _u, b, h: sent.append((b, h)) or 200)
    body_sent, headers_sent = sent[0]
    verify(outbound, headers_sent, body_sent, now=int(headers_sent["webhook-timestamp"]))


def test_a_copy_of_the_database_alone_opens_nothing_when_the_key_is_configured(
    store: Store, brand: BrandProfile
) -> None:
    actor = Actor.operator(_workspace(store, brand))
    store.use_secret_keys("the-configured-key-from-the-environment")
    new = create_endpoint(store, actor, kind="generic", name="hook")
    thief = Store(store.bind)  # the same rows, without PEYVAND_SECRET_KEY
    with pytest.raises(SecretUnreadable, match="PEYVAND_OLD_SECRET_KEYS"):
        endpoint_keys(thief, kind="generic", public_id=new.info.public_id)
    keys = endpoint_keys(store, kind="generic", public_id=new.info.public_id)
    assert keys.secret == new.secret and new.secret not in repr(keys) and "configured" not in repr(store)


def test_a_changed_key_reads_through_old_keys_and_reseal_moves_to_the_new_one(
    store: Store, brand: BrandProfile
) -> None:
    actor = Actor.operator(_workspace(store, brand))
    store.use_secret_keys("key-one")
    new = create_endpoint(store, actor, kind="telegram", name="bot")
    public_id = new.info.public_id
    rotated = Store(store.bind, secret_key="key-two", old_secret_keys=("key-one",))
    assert endpoint_keys(rotated, kind="telegram", public_id=public_id).secret == new.secret
    assert reseal_secrets(rotated) >= 1
    only_new = Store(store.bind, secret_key="key-two")
    assert endpoint_keys(only_new, kind="telegram", public_id=public_id).secret == new.secret
    with pytest.raises(SecretUnreadable):
        endpoint_keys(Store(store.bind, secret_key="key-one"), kind="telegram", public_id=public_id)


def test_plain_values_from_before_are_still_read(store: Store, brand: BrandProfile) -> None:
    actor = Actor.operator(_workspace(store, brand))
    new = create_endpoint(store, actor, kind="generic", name="legacy")
    with store.transaction() as session:
        row = session.get(WebhookEndpoint, new.info.id)
        assert row is not None
        row.secret = "whsec_plain-legacy-value"
    assert (
        endpoint_keys(store, kind="generic", public_id=new.info.public_id).secret
        == "whsec_plain-legacy-value"
    )
    assert reseal_secrets(store) >= 1
    with store.read() as session:
        row = session.get(WebhookEndpoint, new.info.id)
        assert row is not None and row.secret.startswith(PREFIX)


def test_the_box_keeps_its_keys_to_itself() -> None:
    box = SecretBox(["k1", "k0"])
    sealed = box.seal("whsec_abc")
    assert sealed.startswith(PREFIX) and "whsec_abc" not in sealed and box.open(sealed) == "whsec_abc"
    assert box.seal("whsec_abc") != sealed  # a random IV each time
    assert "k1" not in repr(box) and box.open(SecretBox(["k0"]).seal("old")) == "old"  # old keys decrypt
    with pytest.raises(SecretUnreadable):
        SecretBox(["other"]).open(sealed)
    with pytest.raises(SecretUnreadable):
        box.open(PREFIX + "not-a-token")


def _workspace(store: Store, brand: BrandProfile) -> int:
    return create_workspace(store, brand=brand, slug="sealed").id


# --- the migrations seal the plain rows of a database from before -------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to just before the sealing migrations (fresh: the migrations are under test)."""
    import conftest

    url = None
    if request.param == "sqlite":
        engine = make_engine(str(tmp_path / "old.sqlite"))
    else:
        if request.config.getoption("--no-postgres"):
            pytest.skip("--no-postgres")
        base = make_url(conftest._postgres_url())
        url = base.set(database=f"{base.database}_sealing").render_as_string(hide_password=False)
        try:
            conftest._create_pg_database(url)
        except Exception as exc:
            if os.environ.get("PEYVAND_REQUIRE_POSTGRES") == "1":
                raise
            pytest.skip(f"PostgreSQL not reachable: {exc}")
        engine = make_engine(url)
    try:
        for revision in ("0200_inbox", "0400_api"):
            upgrade(engine, revision)
        yield engine
    finally:
        engine.dispose()
        if url:
            conftest._drop_pg_database(url)


def _insert_plain_rows(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "insert into workspaces (id, slug, name, timezone, settings, created_at) values "
                "(1, 'old', 'Old', 'UTC', '{}', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "insert into webhook_endpoints (workspace_id, public_id, kind, name, secret, verify_token, "
                "created_at) values (1, 'wh_old', 'meta', 'old', 'plain-app-secret', 'plain-verify', "
                "CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "insert into outbound_integrations (workspace_id, url, secret, enabled, created_at) values "
                "(1, 'https://example.org/h', 'whsec_plainoutbound', true, CURRENT_TIMESTAMP)"
            )
        )


def test_the_migrations_seal_plain_rows_under_the_configured_key(old_database: Engine) -> None:
    _insert_plain_rows(old_database)
    upgrade(old_database, secret_key="key-from-the-environment")
    upgrade(old_database, secret_key="key-from-the-environment")  # again: nothing sealed twice
    with old_database.connect() as conn:
        stored = conn.execute(text("select secret, verify_token from webhook_endpoints")).one()
        outbound = conn.execute(text("select secret from outbound_integrations")).scalar_one()
        kept = conn.execute(text("select count(*) from app_secrets")).scalar_one()
    assert all(v.startswith(PREFIX) for v in (*stored, outbound)) and kept == 0  # no key in the database
    box = SecretBox(["key-from-the-environment"])
    assert [box.open(v) for v in (*stored, outbound)] == [
        "plain-app-secret",
        "plain-verify",
        "whsec_plainoutbound",
    ]
    store = Store(old_database, secret_key="key-from-the-environment")
    keys = endpoint_keys(store, kind="meta", public_id="wh_old")
    assert (keys.secret, keys.verify_token) == ("plain-app-secret", "plain-verify")


def test_the_migrations_seal_under_the_database_kept_key_when_none_is_configured(
    old_database: Engine,
) -> None:
    _insert_plain_rows(old_database)
    upgrade(old_database)
    store = Store(old_database)
    assert endpoint_keys(store, kind="meta", public_id="wh_old").secret == "plain-app-secret"
    assert secret_box(store).open(_stored(store)[1][0].secret) == "whsec_plainoutbound"


def test_reseal_command_prints_a_count_and_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, brand: BrandProfile
) -> None:
    db = str(tmp_path / "cli.sqlite")
    monkeypatch.setenv("PEYVAND_SECRET_KEY", "cli-key")
    store = Store.from_url(db, secret_key="cli-key")
    upgrade(store.engine)
    create_endpoint(store, Actor.operator(_workspace(store, brand)), kind="generic", name="hook")
    store.dispose()
    monkeypatch.setenv("PEYVAND_SECRET_KEY", "cli-key-2")
    monkeypatch.setenv("PEYVAND_OLD_SECRET_KEYS", "cli-key")
    result = CliRunner().invoke(cli, ["secrets", "reseal", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0 and "Re-encrypted 1 stored secret(s)" in result.output
    monkeypatch.delenv("PEYVAND_OLD_SECRET_KEYS")
    rows = _stored(Store.from_url(db, secret_key="cli-key-2"))[0]
    assert SecretBox(["cli-key-2"]).open(rows[0].secret).startswith("whsec_")
    assert os.environ["PEYVAND_SECRET_KEY"] not in result.output
