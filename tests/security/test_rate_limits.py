"""Failed sign-ins lock one username out from one address with a clear message (the right password does not
help while locked), without locking it out elsewhere; and an API token or a webhook endpoint over its rate
is answered 429."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api_support import bearer, comment, endpoint, signed, telegram_update, token_for
from peyvand.services.clock import utcnow
from peyvand.services.login_throttle import LoginLimits, SignInThrottled, sign_in
from peyvand.settings import load_settings
from peyvand.storage.db import Store
from peyvand.storage.tables_security import LoginFailure
from peyvand.web.app import create_app
from peyvand.web.limits import RateLimiter
from tests_support import PASSWORD, Site

LIMITS = LoginLimits(max_failures=3, window=timedelta(minutes=15))


def _login(client: TestClient, username: str, password: str) -> Any:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    data = {"username": username, "password": password, "csrf_token": match.group(1), "next": "/"}
    return client.post("/login", data=data)


def test_failed_sign_ins_lock_the_account_out_from_that_address(site: Site) -> None:
    english = {"locale": "en", "csrf_token": site.csrf(), "next": "/login"}
    assert site.client.post("/locale", data=english).status_code == 303
    for _ in range(5):  # PEYVAND_LOGIN_MAX_FAILURES, default 5
        assert _login(site.client, "pr-user", "wrong password").status_code == 401
    locked = _login(site.client, "pr-user", PASSWORD)  # the right password, refused while locked
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text and "Try again in" in locked.text
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert _login(site.client, "viewer-user", PASSWORD).status_code == 303  # another account is not locked
    app: Any = site.client.app
    with app.state.store.read() as session:
        keys = list(session.scalars(select(LoginFailure.key)))
    assert keys and not [k for k in keys if "pr-user" in k or "testclient" in k]  # only digests are kept


def test_the_lockout_message_is_in_persian_too(site: Site) -> None:
    for _ in range(6):
        response = _login(site.client, "outsider", "wrong password")
    assert response.status_code == 429 and "دوباره تلاش کنید" in response.text


def test_the_window_slides_and_a_success_clears_the_count(store: Store, site: Site) -> None:
    now = utcnow()
    for minute in range(3):
        at = now + timedelta(minutes=minute)
        assert (
            sign_in(store, username="pr-user", password="no", address="10.0.0.1", limits=LIMITS, now=at)
            is None
        )
    with pytest.raises(SignInThrottled) as refused:
        sign_in(store, username="pr-user", password=PASSWORD, address="10.0.0.1", limits=LIMITS, now=now)
    assert refused.value.retry_after == 15 * 60
    # from another address, the same account signs in
    other = sign_in(store, username="pr-user", password=PASSWORD, address="10.0.0.2", limits=LIMITS, now=now)
    assert other is not None
    # when the oldest failure leaves the window, one more attempt is allowed, and a success clears the count
    later = now + timedelta(minutes=15, seconds=1)
    user = sign_in(
        store, username="pr-user ", password=PASSWORD, address="10.0.0.1", limits=LIMITS, now=later
    )
    assert user is not None and user.username == "pr-user"
    for _ in range(2):
        sign_in(store, username="pr-user", password="no", address="10.0.0.1", limits=LIMITS, now=later)
    assert sign_in(store, username="pr-user", password=PASSWORD, address="10.0.0.1", limits=LIMITS, now=later)


def test_one_address_guessing_many_usernames_is_slowed(store: Store, site: Site) -> None:
    now = utcnow()
    for n in range(30):  # ten times the per-account limit, over many usernames
        sign_in(store, username=f"guess-{n}", password="x", address="10.9.9.9", limits=LIMITS, now=now)
    with pytest.raises(SignInThrottled):
        sign_in(store, username="admin-user", password=PASSWORD, address="10.9.9.9", limits=LIMITS, now=now)


def test_the_rate_limiter_is_a_token_bucket() -> None:
    clock = [0.0]
    limiter = RateLimiter(60, clock=lambda: clock[0])  # one a second, bursts of 60
    assert [limiter.take("a") for _ in range(60)] == [0.0] * 60
    assert limiter.take("a") == pytest.approx(1.0) and limiter.take("b") == 0.0
    clock[0] += 2.0
    assert limiter.take("a") == 0.0 and limiter.take("a") == 0.0 and limiter.take("a") > 0
    assert RateLimiter(0).take("a") == 0.0  # 0 turns it off


def test_an_api_token_over_its_rate_is_answered_429(site: Site) -> None:
    app: Any = site.client.app
    settings = load_settings(database_url="sqlite://", secret_key="test-secret-key", api_rate_per_minute=3)
    limited = create_app(settings, store=app.state.store, start_worker=False)
    with TestClient(limited) as client:
        token = token_for(client, site.workspace, "ingest")
        other = token_for(client, site.workspace, "ingest", name="other")
        body = json.dumps(comment("rate-1")).encode()
        codes = [
            client.post("/api/v1/items", content=body, headers=bearer(token)).status_code for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        refused = client.post("/api/v1/items", content=body, headers=bearer(token))
        assert refused.json()["detail"].startswith("rate limit") and int(refused.headers["Retry-After"]) >= 1
        assert token not in refused.text
        assert client.post("/api/v1/items", content=body, headers=bearer(other)).status_code == 200


def test_a_webhook_endpoint_over_the_rate_is_answered_429_before_its_signature_is_checked(site: Site) -> None:
    app: Any = site.client.app
    settings = load_settings(
        database_url="sqlite://", secret_key="test-secret-key", webhook_rate_per_minute=3
    )
    limited = create_app(settings, store=app.state.store, start_worker=False)
    with TestClient(limited) as client:
        hook = endpoint(client, site.workspace, "generic")
        other = endpoint(client, site.workspace, "telegram")
        assert hook.secret and other.secret
        body = json.dumps(comment("hook-1")).encode()
        forged = [client.post(hook.info.path, content=body).status_code for _ in range(3)]
        assert forged == [401, 401, 401]  # forged deliveries count too
        refused = client.post(hook.info.path, content=body, headers=signed(hook.secret, body))
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["detail"].startswith("rate limit: this webhook endpoint")
        headers = {"X-Telegram-Bot-Api-Secret-Token": other.secret}
        update = json.dumps(telegram_update(1, "سلام")).encode()
        assert client.post(other.info.path, content=update, headers=headers).status_code == 200
