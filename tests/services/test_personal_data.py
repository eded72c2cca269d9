"""One person's data on request (find, export, erase) and the workspace's retention (DESIGN §5): every
trace of the person's text and identity goes, the statistics stay, nothing crosses workspaces, and only
admins may do it."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from peyvand.domain.brand import BrandProfile
from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.inbox_actions import add_note
from peyvand.services.loop_import import import_loop_events
from peyvand.services.personal_data import (
    apply_retention,
    apply_retention_everywhere,
    erase_person,
    export_person,
    find_people,
    retention_days,
    set_retention,
)
from peyvand.services.replies import reply_to_conversation
from peyvand.services.text_labelling import label_item
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry, AuthorRecord, Conversation, ImportRun, Item, Reject
from peyvand.storage.tables_inbox import InboxNote
from peyvand.storage.tables_marketing import LoopEventRecord
from peyvand.storage.tables_text import TextLabel
from web_data import ingest_objects

SARA_TEXTS = (
    "سفارشم هنوز نرسیده، خیلی بده",
    "Where is my order? It is two weeks late",
    "چای سبز نیلوفر عالیه",
)
REZA_TEXT = "Hello, is green tea available?"
NOTE = "Sara lives at 12 Vali-Asr street, call her back"
SARA_INSTAGRAM = {"handle": "sara_k", "name": "سارا کریمی"}
REPLY = "Dear Sara, your order ships tomorrow"


def _message(mid: str, source: str, text: str, author: dict[str, str], at: str) -> dict[str, object]:
    return {
        "id": mid,
        "source": source,
        "kind": "direct_message",
        "created_at": at,
        "text": text,
        "author": author,
    }


def _seed(store: Store, actor: Actor) -> dict[str, int]:
    """Sara on Instagram and by e-mail (one handle), Reza on Telegram; a note, a reply, a label, loop
    events. Returns the ids the tests act on."""
    ingest_objects(
        store,
        actor,
        _message(
            "s1",
            "instagram",
            SARA_TEXTS[0],
            {"handle": "sara_k", "name": "سارا کریمی"},
            "2026-03-01T10:00:00Z",
        ),
        _message(
            "s2",
            "email",
            SARA_TEXTS[1],
            {"handle": "sara_k", "email": "Sara@Example.com", "name": "Sara Karimi"},
            "2026-03-02T10:00:00Z",
        ),
        _message("s3", "instagram", SARA_TEXTS[2], SARA_INSTAGRAM, "2026-05-25T10:00:00Z"),
        _message(
            "r1",
            "telegram",
            REZA_TEXT,
            {"handle": "reza", "email": "reza@example.com"},
            "2026-03-03T10:00:00Z",
        ),
    )
    with store.read() as session:
        authors = dict(session.execute(select(AuthorRecord.source, AuthorRecord.id).where(
            AuthorRecord.workspace_id == actor.workspace_id, AuthorRecord.handle == "sara_k"
        )).all())  # fmt: skip
        reza = session.scalar(select(AuthorRecord.id).where(
            AuthorRecord.workspace_id == actor.workspace_id, AuthorRecord.handle == "reza"
        ))  # fmt: skip
        items = dict(
            session.execute(
                select(Item.external_id, Item.id).where(Item.workspace_id == actor.workspace_id)
            ).all()
        )
        conversation = session.scalar(select(Item.conversation_id).where(Item.id == items["s1"]))
    assert reza is not None and conversation is not None
    add_note(store, actor, conversation_id=conversation, text=NOTE)
    reply_to_conversation(store, actor, conversation_id=conversation, text=REPLY)
    label_item(store, actor, item_id=items["s2"], task="sentiment", label="negative")
    label_item(store, actor, item_id=items["r1"], task="intent", label="question")
    import_loop_events(
        store,
        actor,
        [
            {"loop": "welcome", "contact": "sara@example.com", "event": "send", "at": "2026-03-05T09:00:00Z"},
            {"loop": "welcome", "contact": "SARA@example.com", "event": "open", "at": "2026-03-05T10:00:00Z"},
            {"loop": "welcome", "contact": "reza@example.com", "event": "send", "at": "2026-03-05T09:00:00Z"},
        ],
    )
    return {
        "sara": authors["instagram"],
        "sara_email": authors["email"],
        "reza": reza,
        "conversation": conversation,
        **{f"item_{k}": v for k, v in items.items()},
    }


def _admin(actor: Actor) -> Actor:
    return Actor(actor.workspace_id, "admin", None)


def test_find_gathers_one_person_across_sources(store: Store, workspace: Actor) -> None:
    ids = _seed(store, workspace)
    admin = _admin(workspace)
    for query in ("sara", "@SARA_K", "sara@example", "سارا", "کریمی", str(ids["sara_email"])):
        people = find_people(store, admin, query=query)
        assert len(people) == 1, query
        assert {r.id for r in people[0].records} == {ids["sara"], ids["sara_email"]}
    person = find_people(store, admin, query="sara_k")[0]
    assert person.items == 3 and person.conversations >= 1
    assert "sara_k" in person.confirmations and "sara@example.com" in person.confirmations
    assert find_people(store, admin, query="nobody-here") == []
    assert find_people(store, admin, query="   ") == []


def test_export_holds_everything_of_the_person_and_nothing_of_another(store: Store, workspace: Actor) -> None:
    ids = _seed(store, workspace)
    document = export_person(store, _admin(workspace), author_id=ids["sara"])
    json.dumps(document, ensure_ascii=False)  # JSON-ready as it is
    assert document["format"] == "peyvand.personal-data/1"
    assert {a["id"] for a in document["authors"]} == {ids["sara"], ids["sara_email"]}
    assert {a["email"] for a in document["authors"]} == {None, "Sara@Example.com"}
    texts = [i["text"] for i in document["items"]]
    assert sorted(texts) == sorted([*SARA_TEXTS, REPLY])
    inbound = [i for i in document["items"] if i["direction"] == "inbound"]
    assert all(i["sentiment"] and i["team"] and i["source"] for i in inbound)
    assert [n["text"] for n in document["notes"]] == [NOTE]
    assert {c["id"] for c in document["conversations"]} >= {ids["conversation"]}
    assert [(t["task"], t["label"]) for t in document["text_labels"]] == [("sentiment", "negative")]
    assert sorted(e["event"] for e in document["loop_events"]) == ["open", "send"]
    assert {e["loop"] for e in document["loop_events"]} == {"welcome"}
    flat = json.dumps(document, ensure_ascii=False)
    assert REZA_TEXT not in flat and "reza" not in flat
    with store.read() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data.export")).one()
        assert audit.workspace_id == workspace.workspace_id and audit.details["items"] == 4
        assert "sara" not in json.dumps(audit.details).lower()


def _snapshot(store: Store, workspace_id: int) -> tuple[int, Counter[str | None]]:
    with store.read() as session:
        rows = session.execute(
            select(Item.sentiment).where(Item.workspace_id == workspace_id, Item.direction == "inbound")
        ).all()
        return len(rows), Counter(r[0] for r in rows)


def test_erase_removes_every_trace_and_keeps_the_counts(store: Store, workspace: Actor) -> None:
    ids = _seed(store, workspace)
    admin = _admin(workspace)
    before = _snapshot(store, workspace.workspace_id)
    erased = erase_person(store, admin, author_id=ids["sara_email"])
    assert erased.authors == 2 and erased.items == 4 and erased.notes == 1
    assert erased.text_labels == 1 and erased.loop_events == 2 and erased.conversations >= 2
    assert _snapshot(store, workspace.workspace_id) == before  # volumes and sentiments stay true
    ws = workspace.workspace_id
    with store.read() as session:
        sara_items = session.scalars(
            select(Item).where(Item.id.in_([ids["item_s1"], ids["item_s2"], ids["item_s3"]]))
        ).all()
        for item in sara_items:
            assert (item.text, item.normalised_text, item.title, item.url) == (None, None, None, None)
            assert item.raw == {"erased": "request"} and item.sentiment is not None
        reply = session.scalars(
            select(Item).where(Item.workspace_id == ws, Item.direction == "outbound")
        ).one()
        assert reply.text is None
        for author in session.scalars(
            select(AuthorRecord).where(AuthorRecord.id.in_([ids["sara"], ids["sara_email"]]))
        ):
            assert (author.handle, author.name, author.email, author.bio, author.notes) == (None,) * 5
            assert author.key.startswith("erased:") and "sara" not in author.key
        keys = session.scalars(select(Conversation.key).where(Conversation.workspace_id == ws)).all()
        assert not any("sara" in k for k in keys)
        assert session.scalars(select(InboxNote).where(InboxNote.workspace_id == ws)).all() == []
        assert [
            t.item_id for t in session.scalars(select(TextLabel).where(TextLabel.workspace_id == ws))
        ] == [ids["item_r1"]]
        contacts = sorted(
            session.scalars(select(LoopEventRecord.contact).where(LoopEventRecord.workspace_id == ws))
        )
        assert contacts[-1] == "reza@example.com" and contacts[0] == contacts[1]  # one contact, one pseudonym
        assert contacts[0].startswith("erased:")
        reza = session.get(Item, ids["item_r1"])
        assert reza is not None and reza.text == REZA_TEXT
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data.erase")).one()
    assert audit.details == erased.to_json()
    assert "sara" not in json.dumps(audit.details, ensure_ascii=False).lower()
    flat = json.dumps(export_person(store, admin, author_id=ids["sara"]), ensure_ascii=False).lower()
    assert not any(word in flat for word in ("sara", "سارا", "vali-asr", "order"))
    again = erase_person(store, admin, author_id=ids["sara"])  # idempotent: nothing more to do
    assert again.total == 0
    assert find_people(store, admin, query="sara") == []


def test_erasure_asks_for_the_handle_or_email_when_confirming(store: Store, workspace: Actor) -> None:
    ids = _seed(store, workspace)
    with pytest.raises(InvalidInput):
        erase_person(store, _admin(workspace), author_id=ids["sara"], confirmation="reza")
    assert erase_person(
        store, _admin(workspace), author_id=ids["sara"], confirmation=" SARA@example.com "
    ).items


def test_retention_anonymises_only_what_is_older_than_the_cutoff(store: Store, workspace: Actor) -> None:
    ids = _seed(store, workspace)
    admin = _admin(workspace)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert apply_retention(store, admin, now=now).days is None  # no retention: nothing happens
    with store.transaction() as session:
        run = ImportRun(workspace_id=workspace.workspace_id, label="t", format="jsonl", started_at=now)
        session.add(run)
        session.flush()
        old = datetime(2026, 1, 1, tzinfo=UTC)
        raw = '{"text": "old secret"}'
        session.add(
            Reject(
                workspace_id=workspace.workspace_id,
                import_id=run.id,
                locator="1",
                reason="x",
                raw=raw,
                created_at=old,
            )
        )
    before = _snapshot(store, workspace.workspace_id)
    set_retention(store, admin, days=30)
    assert retention_days(store, admin) == 30
    result = apply_retention(store, admin, now=now)
    assert result.erased.items == 3  # s1, s2, r1; s3 (25 May) and the reply (today) stay
    assert result.erased.authors == 2  # Reza, and Sara's e-mail record; her Instagram one wrote on 25 May
    assert result.erased.rejects == 1
    assert _snapshot(store, workspace.workspace_id) == before
    with store.read() as session:
        texts = {
            i.external_id: i.text
            for i in session.scalars(
                select(Item).where(Item.workspace_id == workspace.workspace_id, Item.feedback != "reaction")
            )
        }
        instagram = session.get(AuthorRecord, ids["sara"])
        reject = session.scalars(select(Reject).where(Reject.workspace_id == workspace.workspace_id)).one()
    assert texts["s1"] is None and texts["s2"] is None and texts["r1"] is None
    assert texts["s3"] == SARA_TEXTS[2]
    assert instagram is not None and instagram.handle == "sara_k"
    assert reject.raw is None
    assert apply_retention(store, admin, now=now).erased.total == 0  # nothing more to do
    runs = apply_retention_everywhere(store, now=datetime(2026, 8, 1, tzinfo=UTC))
    assert runs[_slug(store, workspace)].erased.items == 1  # s3's turn
    set_retention(store, admin, days=None)
    assert retention_days(store, admin) is None
    with pytest.raises(InvalidInput):
        set_retention(store, admin, days=0)


def _slug(store: Store, actor: Actor) -> str:
    from peyvand.storage.tables import Workspace

    with store.read() as session:
        ws = session.get(Workspace, actor.workspace_id)
        assert ws is not None
        return ws.slug


@pytest.mark.parametrize("role", ["pr", "marketing", "viewer"])
def test_only_admins_handle_personal_data(store: Store, workspace: Actor, role: str) -> None:
    ids = _seed(store, workspace)
    actor = Actor(workspace.workspace_id, role, None)
    calls = [
        lambda: find_people(store, actor, query="sara"),
        lambda: export_person(store, actor, author_id=ids["sara"]),
        lambda: erase_person(store, actor, author_id=ids["sara"]),
        lambda: set_retention(store, actor, days=30),
        lambda: apply_retention(store, actor),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()


def test_another_workspaces_person_is_not_found(store: Store, workspace: Actor, brand: BrandProfile) -> None:
    ids = _seed(store, workspace)
    other = Actor(
        create_workspace(store, brand=brand, slug=f"other-{uuid.uuid4().hex[:6]}").id, "admin", None
    )
    assert find_people(store, other, query="sara") == []
    assert find_people(store, other, query=str(ids["sara"])) == []
    for call in (export_person, erase_person):
        with pytest.raises(NotFound):
            call(store, other, author_id=ids["sara"])
    with pytest.raises(NotFound):
        export_person(store, other, author_id=2**70)
    with store.read() as session:
        author = session.get(AuthorRecord, ids["sara"])
        assert author is not None and author.handle == "sara_k"


def test_the_workers_hourly_maintenance_applies_each_workspaces_retention(
    store: Store, workspace: Actor, brand: BrandProfile
) -> None:
    from peyvand.settings import load_settings
    from peyvand.web.app import maintain

    _seed(store, workspace)
    other = Actor.operator(create_workspace(store, brand=brand, slug=f"kept-{uuid.uuid4().hex[:6]}").id)
    ingest_objects(
        store, other, _message("k1", "instagram", "kept for ever", {"handle": "kim"}, "2026-03-01T10:00:00Z")
    )
    set_retention(store, _admin(workspace), days=30)
    maintain(store, load_settings(database_url="sqlite://"))
    with store.read() as session:
        texts = dict(
            session.execute(select(Item.external_id, Item.text).where(Item.feedback != "reaction")).all()
        )
    assert texts["s1"] is None and texts["r1"] is None  # months old in the workspace that keeps 30 days
    assert texts["k1"] == "kept for ever"  # the other workspace keeps everything


def test_an_enrichment_that_read_a_message_before_its_erasure_does_not_bring_the_person_back(
    store: Store, workspace: Actor
) -> None:
    """The API stores a message to understand later; the person is erased while the worker is reading it."""
    from peyvand.services.enrichment import _apply, _understood_batch
    from peyvand.services.ingest import ingest_records
    from peyvand.services.understanding import understanding_for
    from peyvand.sources.base import Record

    message = {"id": "late-1", "source": "instagram", "kind": "direct_message",
               "created_at": "2026-03-01T10:00:00Z", "text": "سلام، سفارشم نرسید",
               "author": {"handle": "late.sara", "name": "Sara Late"}}  # fmt: skip
    ingest_records(
        store, workspace, iter([Record("1", item=message)]), label="api", format="jsonl", enrich=False
    )
    with store.read() as session:
        item_id, raw = session.execute(select(Item.id, Item.raw).where(Item.external_id == "late-1")).one()
    now = datetime.now(UTC)
    read_before = _understood_batch(
        [(item_id, dict(raw))], understanding_for(store, workspace.workspace_id), now
    )
    with store.read() as session:
        author_id = session.scalar(select(AuthorRecord.id).where(AuthorRecord.handle == "late.sara"))
    if author_id is None:  # a pending item has no author record yet: make one as a later message would
        ingest_records(
            store,
            workspace,
            iter([Record("2", item={**message, "id": "late-2"})]),
            label="api",
            format="jsonl",
        )
        with store.read() as session:
            author_id = session.scalar(select(AuthorRecord.id).where(AuthorRecord.handle == "late.sara"))
    assert author_id is not None
    erase_person(store, workspace, author_id=author_id)
    with store.transaction() as session:
        _apply(session, workspace.workspace_id, read_before, now)
    with store.read() as session:
        names = session.scalars(select(AuthorRecord.handle).where(AuthorRecord.handle == "late.sara")).all()
        keys = session.scalars(select(Conversation.key).where(Conversation.key.contains("late.sara"))).all()
    assert names == [] and keys == []
