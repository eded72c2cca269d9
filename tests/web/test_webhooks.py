"""Signed webhooks: unsigned, badly signed and replayed requests are refused; good ones become items."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import select

from api_support import (
    comment,
    endpoint,
    instagram_comment,
    instagram_message,
    meta_signature,
    run_jobs,
    signed,
    telegram_update,
)
from peyvand.services.webhooks import revoke_endpoint
from peyvand.storage.tables import Item
from tests_support import Site


def _stored(site: Site, source: str) -> dict[str, Item]:
    app: Any = site.client.app
    with app.state.store.read() as session:
        rows = session.scalars(
            select(Item).where(Item.workspace_id == site.workspace.workspace_id, Item.source == source)
        )
        return {row.external_id: row for row in rows}


def test_generic_webhook_needs_a_fresh_valid_signature(site: Site) -> None:
    hook = endpoint(site.client, site.workspace, "generic")
    assert hook.secret
    url, body = hook.info.path, json.dumps(comment("g1", source="shop")).encode()
    unsigned = site.client.post(url, content=body)
    assert unsigned.status_code == 401 and "signature" in unsigned.json()["detail"]
    forged = signed("whsec_" + "QUJD" * 11, body)
    assert site.client.post(url, content=body, headers=forged).status_code == 401
    tampered = signed(hook.secret, body)
    assert site.client.post(url, content=body.replace(b"g1", b"g2"), headers=tampered).status_code == 401
    stale = signed(hook.secret, body, at=int(time.time()) - 6 * 60)
    replay = site.client.post(url, content=body, headers=stale)
    assert replay.status_code == 401 and "timestamp" in replay.json()["detail"]
    assert _stored(site, "shop") == {}
    good = site.client.post(url, content=body, headers=signed(hook.secret, body, delivery="d-1"))
    assert good.status_code == 200 and good.json()["accepted"] == 1
    assert set(_stored(site, "shop")) == {"g1"}


def test_a_redelivered_webhook_is_answered_once(site: Site) -> None:
    hook = endpoint(site.client, site.workspace, "generic", source="shop")
    assert hook.secret
    sourceless = {k: v for k, v in comment("g1").items() if k != "source"}
    body = json.dumps([sourceless, comment("g2")]).encode()
    first = site.client.post(hook.info.path, content=body, headers=signed(hook.secret, body, delivery="d-7"))
    assert first.status_code == 200 and first.json()["accepted"] == 2
    assert set(_stored(site, "shop")) == {"g1"}  # the endpoint's source fills a missing one
    retry = site.client.post(hook.info.path, content=body, headers=signed(hook.secret, body, delivery="d-7"))
    assert retry.status_code == 200
    assert retry.json()["duplicate_delivery"] is True and retry.json()["accepted"] == 2
    other = site.client.post(hook.info.path, content=body, headers=signed(hook.secret, body, delivery="d-8"))
    assert other.json()["duplicate"] == 2 and other.json()["duplicate_delivery"] is False


def test_unknown_and_revoked_endpoints_are_not_found(site: Site) -> None:
    hook = endpoint(site.client, site.workspace, "telegram")
    assert site.client.post("/api/v1/webhooks/telegram/wh_nope", content=b"{}").status_code == 404
    assert site.client.post(hook.info.path.replace("telegram", "generic"), content=b"{}").status_code == 404
    app: Any = site.client.app
    revoke_endpoint(app.state.store, site.workspace, endpoint_id=hook.info.id)
    headers = {"X-Telegram-Bot-Api-Secret-Token": hook.secret or ""}
    assert site.client.post(hook.info.path, content=b"{}", headers=headers).status_code == 404


def test_meta_handshake_answers_the_challenge_only_with_the_verify_token(site: Site) -> None:
    hook = endpoint(site.client, site.workspace, "meta", app_secret="meta-app-secret")
    url = hook.info.path
    good = site.client.get(
        url,
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": hook.verify_token,
            "hub.challenge": "1158201444",
        },
    )
    assert good.status_code == 200 and good.text == "1158201444"
    wrong = site.client.get(
        url, params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403
    other_mode = {"hub.mode": "unsubscribe", "hub.verify_token": hook.verify_token, "hub.challenge": "1"}
    assert site.client.get(url, params=other_mode).status_code == 403


def test_meta_posts_are_verified_before_parsing_and_become_items(site: Site) -> None:
    hook = endpoint(site.client, site.workspace, "meta", app_secret="meta-app-secret")
    body = json.dumps(instagram_comment("c-100", "Is the green tea back in stock?", ad=True)).encode()
    assert site.client.post(hook.info.path, content=body).status_code == 401
    bad = meta_signature("another-secret", body)
    assert site.client.post(hook.info.path, content=body, headers=bad).status_code == 401
    assert site.client.post(hook.info.path, content=b"{not json", headers=bad).status_code == 401
    accepted = site.client.post(hook.info.path, content=body, headers=meta_signature("meta-app-secret", body))
    assert accepted.status_code == 200 and accepted.json()["accepted"] == 1
    message = json.dumps(instagram_message("mid.1", "سلام، سفارشم کی می‌رسه؟")).encode()
    dm = site.client.post(hook.info.path, content=message, headers=meta_signature("meta-app-secret", message))
    assert dm.json()["accepted"] == 1
    app: Any = site.client.app
    run_jobs(app.state.store)
    items = _stored(site, "instagram")
    assert items["c-100"].kind == "comment" and items["c-100"].unit == "advertising"  # a comment on an ad
    assert items["mid.1"].kind == "direct_message" and items["mid.1"].thread_ref == "dm:9001"
    assert items["mid.1"].feedback == "interaction" and items["mid.1"].team == "pr"


def test_telegram_needs_the_secret_token_header(site: Site) -> None:
    hook = endpoint(site.client, site.workspace, "telegram")
    assert hook.secret
    body = json.dumps(telegram_update(1, "سلام، چای سبز موجود دارید؟")).encode()
    assert site.client.post(hook.info.path, content=body).status_code == 401
    wrong = {"X-Telegram-Bot-Api-Secret-Token": hook.secret[:-1] + "x"}
    assert site.client.post(hook.info.path, content=body, headers=wrong).status_code == 401
    headers = {"X-Telegram-Bot-Api-Secret-Token": hook.secret}
    good = site.client.post(hook.info.path, content=body, headers=headers)
    assert good.status_code == 200 and good.json()["accepted"] == 1
    group = {"id": -1001600000001, "type": "supergroup", "title": "Tea lovers"}
    reply = telegram_update(
        2, "منم همین سوال رو دارم", chat=group, reply_to_message={"message_id": 1, "date": 1, "chat": group}
    )
    service = telegram_update(
        3, "", chat=group, new_chat_members=[{"id": 7, "is_bot": False, "first_name": "A"}]
    )
    batch = json.dumps([reply, service, {"update_id": 4, "callback_query": {"id": "1"}}]).encode()
    outcome = site.client.post(hook.info.path, content=batch, headers=headers).json()
    assert (outcome["accepted"], outcome["filtered"]) == (1, 2)
    items = _stored(site, "telegram")
    assert items["5001:1"].kind == "direct_message" and items["5001:1"].thread_ref == "5001"
    assert items["1600000001:2"].kind == "reply" and items["1600000001:2"].in_reply_to == "1600000001:1"
    again = site.client.post(hook.info.path, content=body, headers=headers).json()
    assert again["duplicate"] == 1  # Telegram retries: the same update adds nothing
