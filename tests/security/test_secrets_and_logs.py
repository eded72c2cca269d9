"""Secrets and message texts stay out of the logs, the job table and error answers, through a whole day of
traffic: signed webhooks of every kind (good, forged, replayed), API tokens (good and wrong), enrichment,
and a reply whose delivery fails. Tokens are kept only as keyed hashes."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from sqlalchemy import select

from api_support import (
    bearer,
    comment,
    endpoint,
    instagram_message,
    meta_signature,
    run_jobs,
    signed,
    telegram_update,
    token_for,
)
from peyvand.services.outbound import configure_outbound
from peyvand.services.replies import reply_to_conversation
from peyvand.storage.tables import ApiToken, Conversation, Item, Job
from tests_support import Site

TEXTS = ("Zqxlogtext generic", "Zqxlogtext telegram", "Zqxlogtext meta", "Zqxlogtext api", "Zqxlogtext reply")
APP_SECRET = "zqx-meta-app-secret-0123456789"


def _traffic(site: Site) -> list[str]:
    """Send a day of traffic; returns every secret involved."""
    generic = endpoint(site.client, site.workspace, "generic")
    telegram = endpoint(site.client, site.workspace, "telegram")
    meta = endpoint(site.client, site.workspace, "meta", app_secret=APP_SECRET)
    assert generic.secret and telegram.secret and meta.verify_token
    token = token_for(site.client, site.workspace, "ingest", "imports:read")
    body = json.dumps(comment("log-1", text=TEXTS[0], source="shop")).encode()
    url = generic.info.path
    assert (
        site.client.post(url, content=body, headers=signed(generic.secret, body, delivery="d1")).status_code
        == 200
    )
    forged = site.client.post(url, content=body, headers=signed("whsec_" + "QUJD" * 11, body, delivery="d2"))
    assert forged.status_code == 401 and generic.secret not in forged.text
    stale = signed(generic.secret, body, delivery="d3", at=int(time.time()) - 3600)
    assert site.client.post(url, content=body, headers=stale).status_code == 401
    again = site.client.post(url, content=body, headers=signed(generic.secret, body, delivery="d1"))
    assert again.json()["duplicate_delivery"] is True  # a replay inside the window adds nothing
    update = json.dumps(telegram_update(77, TEXTS[1])).encode()
    path = telegram.info.path
    assert (
        site.client.post(path, content=update, headers={"X-Telegram-Bot-Api-Secret-Token": "no"}).status_code
        == 401
    )
    good = {"X-Telegram-Bot-Api-Secret-Token": telegram.secret, "Content-Type": "application/json"}
    assert site.client.post(path, content=update, headers=good).status_code == 200
    delivery = json.dumps(instagram_message("mid.zqx", TEXTS[2])).encode()
    wrong = meta_signature("not-the-secret", delivery)
    assert site.client.post(meta.info.path, content=delivery, headers=wrong).status_code == 401
    assert (
        site.client.post(
            meta.info.path, content=delivery, headers=meta_signature(APP_SECRET, delivery)
        ).status_code
        == 200
    )
    handshake = {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "c"}
    assert site.client.get(meta.info.path, params=handshake).status_code == 403
    item = json.dumps(comment("log-2", text=TEXTS[3])).encode()
    assert (
        site.client.post("/api/v1/items", content=item, headers=bearer(token[:-2] + "xx")).status_code == 401
    )
    assert site.client.post("/api/v1/items", content=item, headers=bearer(token)).status_code == 200
    return [generic.secret, telegram.secret, meta.verify_token, APP_SECRET, token]


def _reply_that_fails(site: Site) -> str:
    """A reply to a stored conversation, sent to an outbound address that refuses the connection."""
    app: Any = site.client.app
    store, admin = app.state.store, site.workspace
    secret = configure_outbound(store, admin, url="http://127.0.0.1:9/peyvand-hook")
    with store.read() as session:
        conversation = session.scalar(
            select(Conversation.id).where(Conversation.workspace_id == admin.workspace_id).limit(1)
        )
    assert conversation is not None
    reply_to_conversation(store, admin, conversation_id=conversation, text=TEXTS[4])
    return secret


def test_no_secret_or_message_text_reaches_the_logs(
    site: Site, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEYVAND_OUTBOUND_ALLOW_PRIVATE", "1")  # its receiver is on 127.0.0.1
    caplog.set_level(logging.DEBUG)
    secrets = _traffic(site)
    app: Any = site.client.app
    run_jobs(app.state.store)  # enrichment of the texts, reputation jobs, the inbox sweep
    secrets.append(_reply_that_fails(site))
    run_jobs(app.state.store)  # the delivery fails (connection refused) and is logged as failed
    with app.state.store.read() as session:
        stored = set(
            session.scalars(select(Item.text).where(Item.workspace_id == site.workspace.workspace_id))
        )
        errors = " ".join(e or "" for e in session.scalars(select(Job.error)))
    assert set(TEXTS[:4]) <= stored  # the traffic was real: every message is in the store
    assert "job" in caplog.text and "failed" in caplog.text  # and the failing delivery was logged
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert [s for s in secrets if s in logged] == []
    assert [t for t in TEXTS if t in logged] == []
    assert [s for s in secrets if s in errors] == [] and [t for t in TEXTS if t in errors] == []


def test_tokens_are_kept_only_as_keyed_hashes(site: Site) -> None:
    token = token_for(site.client, site.workspace, "ingest")
    app: Any = site.client.app
    with app.state.store.read() as session:
        rows = session.scalars(select(ApiToken)).all()
        stored = json.dumps(
            [{c.name: str(getattr(r, c.name)) for c in ApiToken.__table__.columns} for r in rows]
        )
    assert token not in stored and token[:12] in stored  # the prefix tells tokens apart, nothing more
    site.login("admin-user")  # the integrations page lists tokens without their secret
    assert token not in site.client.get("/integrations").text
