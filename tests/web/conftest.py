from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.settings import load_settings
from peyvand.storage.db import Store
from peyvand.web.app import create_app
from tests_support import PASSWORD, Site
from web_data import SAMPLE
from web_data import ingest_objects as ingest


@pytest.fixture
def site(store: Store, brand: BrandProfile) -> Iterator[Site]:
    main = Actor.operator(create_workspace(store, brand=brand, slug="niloofar").id)
    other = Actor.operator(create_workspace(store, brand=brand, slug="second-brand").id)
    people = {"admin": "admin", "pr": "pr", "marketing": "marketing", "viewer": "viewer"}
    for username, role in people.items():
        user = create_user(
            store,
            username=f"{username}-user",
            password=PASSWORD,
            display_name=username,
            locale="en",
            calendar="gregorian",
        )
        grant_role(store, workspace_id=main.workspace_id, user_id=user.id, role=role)
        if role == "admin":
            grant_role(store, workspace_id=other.workspace_id, user_id=user.id, role="admin")
    outsider = create_user(store, username="outsider", password=PASSWORD, locale="fa", calendar="jalali")
    grant_role(store, workspace_id=other.workspace_id, user_id=outsider.id, role="pr")
    ingest(store, main, *SAMPLE)
    ingest(
        store,
        other,
        {
            "id": "x1",
            "source": "instagram",
            "kind": "comment",
            "created_at": "2026-03-01T10:00:00Z",
            "text": "a message for the second brand only",
            "author": {"handle": "bob"},
        },
    )
    settings = load_settings(database_url="sqlite://", secret_key="test-secret-key-for-sessions")
    app = create_app(settings, store=store, start_worker=False)
    with TestClient(app, follow_redirects=False) as client:
        yield Site(client, main, other)
