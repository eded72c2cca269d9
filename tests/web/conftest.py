from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from peyvand.domain.brand import BrandProfile
from peyvand.services.access import Actor
from peyvand.services.ingest import ingest_records
from peyvand.services.users import create_user, grant_role
from peyvand.services.workspaces import create_workspace
from peyvand.settings import load_settings
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store
from peyvand.web.app import create_app
from tests_support import PASSWORD, Site

def ingest(store: Store, actor: Actor, *objs: dict) -> None:  # type: ignore[type-arg]
    data = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)
    ingest_records(store, actor, jsonl.parse(io.BytesIO(data), context=SourceContext()), label="t", format="jsonl")


SAMPLE = [
    {"id": "c1", "source": "instagram", "kind": "comment", "created_at": "2026-03-01T10:00:00Z",
     "text": "چای سبز نیلوفر عالیه", "author": {"handle": "sara"}},
    {"id": "a1", "source": "news", "kind": "article", "created_at": "2026-03-02T10:00:00Z",
     "title": "Niloofar Tea expands", "text": "Niloofar Tea opened a new store", "url": "https://news.example/1"},
    {"id": "d1", "source": "telegram", "kind": "direct_message", "created_at": "2026-03-03T10:00:00Z",
     "text": "Hello, is green tea available?", "author": {"handle": "reza"}},
    {"id": "v1", "source": "ga4", "kind": "metric", "metric": "site_visits", "at": "2026-03-01", "value": 1200},
    {"id": "v2", "source": "ga4", "kind": "metric", "metric": "site_visits", "at": "2026-03-02", "value": 1350},
]


@pytest.fixture
def site(store: Store, brand: BrandProfile) -> Iterator[Site]:
    main = Actor.operator(create_workspace(store, brand=brand, slug="niloofar").id)
    other = Actor.operator(create_workspace(store, brand=brand, slug="second-brand").id)
    people = {"admin": "admin", "pr": "pr", "marketing": "marketing", "viewer": "viewer"}
    for username, role in people.items():
        user = create_user(store, username=f"{username}-user", password=PASSWORD, display_name=username,
                           locale="en", calendar="gregorian")
        grant_role(store, workspace_id=main.workspace_id, user_id=user.id, role=role)
        if role == "admin":
            grant_role(store, workspace_id=other.workspace_id, user_id=user.id, role="admin")
    outsider = create_user(store, username="outsider", password=PASSWORD, locale="fa", calendar="jalali")
    grant_role(store, workspace_id=other.workspace_id, user_id=outsider.id, role="pr")
    ingest(store, main, *SAMPLE)
    ingest(store, other, {"id": "x1", "source": "instagram", "kind": "comment", "created_at": "2026-03-01T10:00:00Z",
                          "text": "a message for the second brand only", "author": {"handle": "bob"}})
    settings = load_settings(database_url="sqlite://", secret_key="test-secret-key-for-sessions")
    app = create_app(settings, store=store, start_worker=False)
    with TestClient(app, follow_redirects=False) as client:
        yield Site(client, main, other)
