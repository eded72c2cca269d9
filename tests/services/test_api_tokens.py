"""API tokens and webhook endpoints: made once, stored hashed or kept for verification, scoped, revocable."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.api_tokens import (
    TokenRefused,
    authenticate_token,
    create_token,
    hash_token,
    list_tokens,
    revoke_token,
    token_pepper,
)
from peyvand.services.webhooks import create_endpoint, endpoint_keys, list_endpoints, revoke_endpoint
from peyvand.storage.db import Store
from peyvand.storage.tables import ApiToken

PEPPER = b"test-pepper"


def test_a_token_is_random_prefixed_shown_once_and_stored_as_a_keyed_hash(
    store: Store, workspace: Actor
) -> None:
    one = create_token(store, workspace, name="zapier", scopes=["ingest"], pepper=PEPPER)
    two = create_token(store, workspace, name="shop", scopes=["ingest"], pepper=PEPPER)
    assert one.secret.startswith("pvk_") and len(one.secret) >= 4 + 43 and one.secret != two.secret
    with store.read() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.id == one.info.id))
        assert row is not None
        assert row.token_hash == hash_token(one.secret, PEPPER) != one.secret
        assert one.secret not in (row.token_hash, row.prefix) and row.prefix == one.secret[:12]
    listed = list_tokens(store, workspace)
    assert [t.name for t in listed] == ["shop", "zapier"]
    assert all(one.secret not in str(t.to_json()) for t in listed)


def test_authentication_checks_hash_pepper_scope_and_revocation(store: Store, workspace: Actor) -> None:
    new = create_token(store, workspace, name="ingest only", scopes=["ingest"], pepper=PEPPER)
    token = authenticate_token(store, token=new.secret, scope="ingest", pepper=PEPPER)
    assert token.actor.workspace_id == workspace.workspace_id and token.actor.role == "api_token"
    assert token.actor.can("ingest.write") and not token.actor.can("conversations.read_all")
    assert list_tokens(store, workspace)[0].last_used_at is not None
    with pytest.raises(AccessDenied):
        authenticate_token(store, token=new.secret, scope="imports:read", pepper=PEPPER)
    with pytest.raises(TokenRefused):
        authenticate_token(store, token=new.secret, scope="ingest", pepper=b"another server")
    with pytest.raises(TokenRefused):
        authenticate_token(store, token=new.secret[:-1] + "x", scope="ingest", pepper=PEPPER)
    with pytest.raises(TokenRefused):
        authenticate_token(store, token="Bearer nonsense", scope="ingest", pepper=PEPPER)
    revoke_token(store, workspace, token_id=new.info.id)
    with pytest.raises(TokenRefused):
        authenticate_token(store, token=new.secret, scope="ingest", pepper=PEPPER)
    assert list_tokens(store, workspace)[0].revoked_at is not None


def test_only_admins_manage_tokens_and_only_of_their_workspace(store: Store, workspace: Actor) -> None:
    new = create_token(store, workspace, name="t", scopes=["ingest"], pepper=PEPPER)
    pr = Actor(workspace.workspace_id, "pr", None)
    with pytest.raises(AccessDenied):
        create_token(store, pr, name="mine", scopes=["ingest"], pepper=PEPPER)
    with pytest.raises(AccessDenied):
        list_tokens(store, pr)
    with pytest.raises(NotFound):
        revoke_token(store, Actor.operator(workspace.workspace_id + 999), token_id=new.info.id)
    with pytest.raises(InvalidInput):
        create_token(store, workspace, name="t", scopes=["admin"], pepper=PEPPER)
    with pytest.raises(InvalidInput):
        create_token(store, workspace, name=" ", scopes=["ingest"], pepper=PEPPER)


def test_the_pepper_is_generated_once_or_configured(store: Store) -> None:
    first = token_pepper(store)
    assert len(first) >= 48 and token_pepper(store) == first
    assert token_pepper(store, "from-the-environment") == b"from-the-environment"


def test_webhook_endpoints_keep_their_secrets_for_verification_and_show_them_once(
    store: Store, workspace: Actor
) -> None:
    generic = create_endpoint(store, workspace, kind="generic", name="shop")
    telegram = create_endpoint(store, workspace, kind="telegram", name="bot")
    meta = create_endpoint(store, workspace, kind="meta", name="instagram", app_secret="app-secret-1")
    assert generic.secret and generic.secret.startswith("whsec_") and generic.verify_token is None
    assert telegram.secret and len(telegram.secret) >= 32
    assert meta.secret is None and meta.verify_token  # Meta's own secret is not echoed back
    keys = endpoint_keys(store, kind="meta", public_id=meta.info.public_id)
    assert keys.secret == "app-secret-1" and keys.verify_token == meta.verify_token
    assert "app-secret-1" not in repr(keys)
    listed = list_endpoints(store, workspace)
    assert {e.kind for e in listed} == {"generic", "telegram", "meta"}
    assert all(e.path.startswith(f"/api/v1/webhooks/{e.kind}/wh_") for e in listed)
    with pytest.raises(NotFound):
        endpoint_keys(store, kind="telegram", public_id=meta.info.public_id)  # wrong kind
    revoke_endpoint(store, workspace, endpoint_id=telegram.info.id)
    with pytest.raises(NotFound):
        endpoint_keys(store, kind="telegram", public_id=telegram.info.public_id)
    with pytest.raises(InvalidInput):
        create_endpoint(store, workspace, kind="meta", name="no secret")
    with pytest.raises(InvalidInput):
        create_endpoint(store, workspace, kind="sms", name="x")
    with pytest.raises(AccessDenied):
        create_endpoint(store, Actor(workspace.workspace_id, "marketing", None), kind="generic", name="x")
