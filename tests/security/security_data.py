"""Workspace A (the `site` fixture's main workspace) with one object of every kind a route or a form names
by id or key, and message texts and people's names that only some roles may ever see.

The markers are words no page prints by itself, so finding one in a page, a CSV or a JSON answer means
message content or a person's name leaked to a role that must not see it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from marketing_data import loop_csv
from peyvand.services.access import Actor
from peyvand.services.api_tokens import create_token
from peyvand.services.assignment import set_agent
from peyvand.services.audiences import save_audience
from peyvand.services.campaigns import save_campaign
from peyvand.services.content_spread import register_pr_content
from peyvand.services.handoffs import hand_off_conversation
from peyvand.services.inbox import InboxFilters
from peyvand.services.inbox_actions import add_note
from peyvand.services.ingest import ingest_records
from peyvand.services.loop_import import import_loop_events_csv
from peyvand.services.outbound import configure_outbound
from peyvand.services.replies import reply_to_conversation
from peyvand.services.saved_filters import save_filter
from peyvand.services.sla_policies import save_sla_policy
from peyvand.services.uploads import save_upload
from peyvand.services.users import user_id_by_name
from peyvand.services.webhooks import create_endpoint
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store
from peyvand.storage.tables import (
    AuthorRecord,
    Conversation,
    Handoff,
    ImportRun,
    Item,
    MetricSeries,
    Signal,
)
from peyvand.storage.tables_inbox import InboxNote, SavedFilter, SlaPolicyRecord
from peyvand.storage.tables_reputation import Crisis
from reputation_data import add_items, burst
from tests_support import Site

# Words that only roles reading messages may see (PR, admins; marketing only the shared ones).
UNSHARED_TEXT = "Zqxunsharedtext the tea was terrible and the service rude"
UNSHARED_NAME = "Zqxunsharedname Person"
SHARED_TEXT = "Zqxsharedtext how much is green tea wholesale price? I want to buy 200 boxes"
SHARED_NAME = "Zqxsharedname Buyer"
NOTE_TEXT = "Zqxnotetext internal note about the customer"
HANDOFF_NOTE = "Zqxhandoffnote a wholesale lead for marketing"
REPLY_TEXT = "Zqxreplytext thank you, we will call you"
REJECT_TEXT = "Zqxrejecttext a record with no created_at"
ARTICLE_TEXT = "Zqxarticletext Niloofar Tea opens a store"
REPORTER_NAME = "Zqxreportername"
ANGRY_TEXT = "Zqxangrytext this tea made me ill"
ANGRY_AUTHOR = "zqxangryauthor"
FIXTURE_TEXTS = ("چای سبز نیلوفر عالیه", "Hello, is green tea available?", "Niloofar Tea opened a new store")
# What viewers must never see (message bodies, people's names, raw rejected input).
VIEWER_SECRETS = (
    UNSHARED_TEXT.split()[0],
    UNSHARED_NAME.split()[0],
    SHARED_TEXT.split()[0],
    SHARED_NAME.split()[0],
    NOTE_TEXT.split()[0],
    HANDOFF_NOTE.split()[0],
    REPLY_TEXT.split()[0],
    REJECT_TEXT.split()[0],
    ARTICLE_TEXT.split()[0],
    REPORTER_NAME,
    ANGRY_TEXT.split()[0],
    ANGRY_AUTHOR,
    *FIXTURE_TEXTS,
)
# What marketing must never see: PR's conversations that were neither shared nor handed to it.
MARKETING_SECRETS = (
    UNSHARED_TEXT.split()[0],
    UNSHARED_NAME.split()[0],
    NOTE_TEXT.split()[0],
    REPLY_TEXT.split()[0],
    ARTICLE_TEXT.split()[0],
    REPORTER_NAME,
    ANGRY_TEXT.split()[0],
    ANGRY_AUTHOR,
    "چای سبز نیلوفر عالیه",
    "Niloofar Tea opened a new store",
)


@dataclass
class WorkspaceObjects:
    """The ids and keys of workspace A's objects, by the name routes give them."""

    ids: dict[str, int] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    token: str = ""


def _ingest(store: Store, actor: Actor, *objs: dict[str, Any] | bytes) -> None:
    lines = [o if isinstance(o, bytes) else json.dumps(o, ensure_ascii=False).encode() for o in objs]
    ingest_records(
        store,
        actor,
        jsonl.parse(io.BytesIO(b"\n".join(lines) + b"\n"), context=SourceContext()),
        label="security",
        format="jsonl",
    )


def _messages(store: Store, actor: Actor) -> None:
    _ingest(
        store,
        actor,
        {
            "id": "sec-unshared",
            "source": "instagram",
            "kind": "direct_message",
            "created_at": "2026-03-04T10:00:00Z",
            "text": UNSHARED_TEXT,
            "author": {"handle": "zq_unshared", "name": UNSHARED_NAME},
            "url": "javascript:alert(document.cookie)",
        },
        {
            "id": "sec-shared",
            "source": "telegram",
            "kind": "direct_message",
            "created_at": "2026-03-05T10:00:00Z",
            "text": SHARED_TEXT,
            "author": {"handle": "zq_shared", "name": SHARED_NAME},
        },
        {
            "id": "sec-article",
            "source": "news",
            "kind": "article",
            "created_at": "2026-03-06T10:00:00Z",
            "title": "Niloofar Tea store",
            "text": ARTICLE_TEXT,
            "author": {"handle": "reporter", "name": REPORTER_NAME},
            "url": "https://news.example/zq",
        },
        b'{"id": "sec-reject", "source": "instagram", "kind": "comment", "text": "'
        + REJECT_TEXT.encode()
        + b'"}',
    )


def _one(store: Store, query: Any) -> int:
    with store.read() as session:
        found = session.scalar(query)
    assert found is not None, str(query)
    return int(found)


def _marketing(store: Store, actor: Actor, objects: WorkspaceObjects) -> None:
    first = date(2026, 1, 1)
    metrics = [
        {"id": f"sec-v{i}", "source": "ga4", "kind": "metric", "metric": "site_visits",
         "at": (first + timedelta(days=i)).isoformat(), "value": 1000 + i}
        for i in range(30)
    ]  # fmt: skip
    _ingest(store, actor, *metrics)
    save_campaign(
        store,
        actor,
        {"key": "sec-spring", "kind": "marketing", "name": "Zq spring", "products": ["green-tea"],
         "starts_on": "2026-01-10", "ends_on": "2026-01-20", "channels": [{"name": "ads", "type": "paid"}]},
    )  # fmt: skip
    save_campaign(
        store,
        actor,
        {"key": "sec-brand", "kind": "branding", "name": "Zq brand", "starts_on": "2026-01-10",
         "ends_on": "2026-02-10", "kpis": [{"key": "attribute_share", "attribute": "natural"}]},
    )  # fmt: skip
    rows = [("sec-loop", "c1", 1, "send", "2026-03-01T10:00:00+03:30", None)]
    import_loop_events_csv(store, actor, io.StringIO(loop_csv(rows)))
    save_audience(store, actor, {"kind": "target_market", "key": "sec-market", "name": "Zq market",
                                 "dims": {"city": ["tehran"]}})  # fmt: skip
    objects.keys.update(campaign="sec-spring", branding="sec-brand", loop="sec-loop")
    series = _one(store, select(MetricSeries.id).where(MetricSeries.workspace_id == actor.workspace_id))
    now = datetime.now(UTC)
    with store.transaction() as session:
        signal = Signal(
            workspace_id=actor.workspace_id, series_id=series, grain="day", start=now - timedelta(days=3),
            end=now - timedelta(days=2), direction="rise", kind="spike", effect=0.5, p_value=0.001,
            share_with=["pr"], detected_at=now,
        )  # fmt: skip
        session.add(signal)
        session.flush()
        objects.ids.update(series=series, signal=signal.id)


def _crisis(store: Store, actor: Actor, objects: WorkspaceObjects) -> None:
    """A burst of angry mentions (whose texts and authors only PR may read) and the crisis the detection
    found in them, with the evidence it recorded (stored directly: detecting it needs months of data)."""
    first = date(2026, 1, 29)
    angry = burst(first, [40, 60, 35, 20])
    for row in angry:
        row.text, row.author = ANGRY_TEXT, ANGRY_AUTHOR
    add_items(store, actor, angry, prefix="angry")
    now = datetime.now(UTC)
    with store.transaction() as session:
        crisis = Crisis(
            workspace_id=actor.workspace_id, start=first, end=first + timedelta(days=3), status="suggested",
            evidence=CRISIS_EVIDENCE, detected_at=now, updated_at=now,
        )  # fmt: skip
        session.add(crisis)
        session.flush()
        objects.ids["crisis"] = crisis.id


CRISIS_EVIDENCE: dict[str, Any] = {
    "lag_days": 0,
    "mentions": 237,
    "negative": 167,
    "net_sentiment": -51.5,
    "net_low": -61.1,
    "net_high": -40.9,
    "negative_per_day": 41.75,
    "negative_per_day_before": 3.0,
    "net_sentiment_before": 42.6,
    "negative_sources": {"instagram": 155, "x": 12},
    "negative_volume_change": {
        "start": "2026-01-29",
        "end": "2026-02-01",
        "direction": "rise",
        "kind": "spike",
        "effect": 12.9682,
        "p_value": 9.11e-33,
        "q_value": 2.66e-30,
        "effect_ci": [9.067, 17.8809],
        "baseline": 3.01,
        "observed": 42.0,
        "series": "negative_volume",
        "holidays": [],
    },
    "net_sentiment_change": {
        "start": "2026-01-29",
        "end": "2026-02-01",
        "direction": "fall",
        "kind": "spike",
        "effect": -0.3783,
        "p_value": 1.01e-07,
        "q_value": 2.95e-05,
        "effect_ci": [-0.4611, -0.2829],
        "baseline": 43.88,
        "observed": -48.39,
        "series": "net_sentiment",
        "holidays": [],
    },
}


def _conversation_of(store: Store, actor: Actor, external_id: str) -> int:
    return _one(
        store,
        select(Item.conversation_id).where(
            Item.workspace_id == actor.workspace_id, Item.external_id == external_id
        ),
    )


def _inbox(store: Store, actor: Actor, objects: WorkspaceObjects) -> None:
    admin = Actor(actor.workspace_id, "admin", objects.users["admin"])
    unshared = _conversation_of(store, actor, "sec-unshared")
    shared = _conversation_of(store, actor, "sec-shared")
    configure_outbound(store, admin, url="https://hooks.example/peyvand")
    add_note(store, admin, conversation_id=unshared, text=NOTE_TEXT)
    reply_to_conversation(store, admin, conversation_id=unshared, text=REPLY_TEXT)
    hand_off_conversation(store, admin, conversation_id=shared, note=HANDOFF_NOTE)
    save_filter(store, admin, name="Zq mine", filters=InboxFilters(assignee="me"))
    save_sla_policy(store, admin, name="Zq policy", first_response_minutes="60")
    set_agent(store, admin, user_id=objects.users["pr"], units=["media"], in_rotation=True)
    ws = actor.workspace_id
    objects.ids.update(
        conversation=unshared,
        shared_conversation=shared,
        item=_one(store, select(Item.id).where(Item.workspace_id == ws, Item.external_id == "sec-unshared")),
        author=_one(store, select(AuthorRecord.id).where(AuthorRecord.workspace_id == ws,
                                                          AuthorRecord.handle == "zq_unshared")),
        note=_one(store, select(InboxNote.id).where(InboxNote.workspace_id == ws)),
        handoff=_one(store, select(Handoff.id).where(Handoff.workspace_id == ws)),
        saved_filter=_one(store, select(SavedFilter.id).where(SavedFilter.workspace_id == ws)),
        sla_policy=_one(store, select(SlaPolicyRecord.id).where(SlaPolicyRecord.workspace_id == ws)),
    )  # fmt: skip
    with store.read() as session:
        conversation = session.get(Conversation, shared)
        assert conversation is not None


def _integrations(site: Site, actor: Actor, objects: WorkspaceObjects) -> None:
    app: Any = site.client.app
    store = app.state.store
    admin = Actor(actor.workspace_id, "admin", objects.users["admin"])
    token = create_token(store, admin, name="Zq token", scopes=["ingest", "imports:read"],
                         pepper=app.state.token_pepper)  # fmt: skip
    hook = create_endpoint(store, admin, kind="generic", name="Zq hook")
    upload = save_upload(store, admin, filename="zq.jsonl", content=b'{"id": "x"}\n')
    content = register_pr_content(
        store, admin, {"title": "Zq launch", "published_at": "2026-03-01T09:00", "kind": "press_release",
                       "url": "https://niloofar.example/zq", "text": "Zq launch text"},
    )  # fmt: skip
    run = _one(
        store,
        select(ImportRun.id).where(ImportRun.workspace_id == actor.workspace_id, ImportRun.rejected > 0),
    )
    objects.token = token.secret
    objects.ids.update(token=token.info.id, webhook=hook.info.id, upload=upload, content=content, run=run)
    objects.keys["webhook"] = hook.info.public_id


def populate(site: Site) -> WorkspaceObjects:
    """Fill workspace A with one of everything; returns their ids."""
    app: Any = site.client.app
    store: Store = app.state.store
    actor = site.workspace
    objects = WorkspaceObjects()
    for role in ("admin", "pr", "marketing", "viewer"):
        user = user_id_by_name(store, username=f"{role}-user")
        assert user is not None
        objects.users[role] = user
    _messages(store, actor)
    _marketing(store, actor, objects)
    _crisis(store, actor, objects)
    _inbox(store, actor, objects)
    _integrations(site, actor, objects)
    return objects
