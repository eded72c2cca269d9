"""Training labels reach the workspace's training set from every path (a person's correction, the
labelling page, an imported CSV file), one label per item or text and task, never across workspaces; and
enough new labels queue a retraining."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from peyvand.domain.brand import BrandProfile
from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.overrides import override_label
from peyvand.services.text_labelling import label_item, labelling_queue
from peyvand.services.text_labels import csv_rows, import_labels, import_labels_csv, training_examples
from peyvand.services.text_models import RETRAIN_EVERY, TRAIN_JOB
from peyvand.services.text_training import train_models
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store
from peyvand.storage.tables import DecisionLog, Item, Job
from peyvand.storage.tables_text import TextLabel
from text_data import csv_text, ingest_messages, made_up_labels, message
from web_data import ingest_objects

TEXTS = ["چای سبز نیلوفر عالیه", "سفارشم هنوز نرسیده، خیلی بده", "قیمت چای سبز چنده؟", "My order is late"]


def _labels(store: Store, workspace_id: int) -> list[tuple[str, str, str, int | None, str | None]]:
    with store.read() as session:
        rows = session.execute(
            select(TextLabel.task, TextLabel.label, TextLabel.source, TextLabel.item_id, TextLabel.text)
            .where(TextLabel.workspace_id == workspace_id)
            .order_by(TextLabel.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_correction_is_a_training_label_and_a_confirmation_too(store: Store, workspace: Actor) -> None:
    ids = ingest_messages(store, workspace, TEXTS)
    override_label(store, workspace, field="sentiment", item_id=ids["m1"], label="positive")  # a correction
    override_label(store, workspace, field="intent", item_id=ids["m2"], label="question")  # what it says
    assert _labels(store, workspace.workspace_id) == [
        ("sentiment", "positive", "override", ids["m1"], None),
        ("intent", "question", "override", ids["m2"], None),
    ]
    override_label(store, workspace, field="sentiment", item_id=ids["m1"], label="negative")  # changed mind
    assert _labels(store, workspace.workspace_id)[0][:3] == ("sentiment", "negative", "override")
    with store.read() as session:
        item = session.get(Item, ids["m0"])
        assert item is not None and item.sentiment == "positive" and item.sentiment_provisional
    override_label(store, workspace, field="sentiment", item_id=ids["m0"], label="positive")
    with store.read() as session:
        item = session.get(Item, ids["m0"])
        assert item is not None and not item.sentiment_provisional  # a person confirmed it
    examples = {e.text: e.label for e in _examples(store, workspace, "sentiment")}
    assert examples == {TEXTS[0]: "positive", TEXTS[1]: "negative"}


def _examples(store: Store, actor: Actor, task: str) -> list:  # type: ignore[type-arg]
    with store.read() as session:
        return training_examples(session, actor.workspace_id, task)


def test_the_labelling_page_labels_and_corrects_the_item(store: Store, workspace: Actor) -> None:
    ids = ingest_messages(store, workspace, TEXTS)
    queue = labelling_queue(store, workspace, task="intent")
    assert queue.unlabelled == 4 and queue.labelled == 0 and len(queue.candidates) == 4
    label_item(store, workspace, item_id=ids["m3"], task="intent", label="other")
    queue = labelling_queue(store, workspace, task="intent")
    assert ids["m3"] not in [c.item_id for c in queue.candidates] and queue.labelled == 1
    assert _labels(store, workspace.workspace_id) == [("intent", "other", "page", ids["m3"], None)]
    with store.read() as session:
        item = session.get(Item, ids["m3"])
        assert item is not None and item.intent == "other"
        log = session.scalars(select(DecisionLog).where(DecisionLog.item_id == ids["m3"])).one()
        assert (log.actor, log.field, log.value) == ("person", "intent", {"intent": "other"})
    with pytest.raises(InvalidInput):
        label_item(store, workspace, item_id=ids["m3"], task="intent", label="angry")
    with pytest.raises(InvalidInput):
        labelling_queue(store, workspace, task="routing")
    for bad in (0, -1, 2**31, 10**30):  # 2**31: beyond PostgreSQL's integer
        with pytest.raises(NotFound):
            label_item(store, workspace, item_id=bad, task="intent", label="other")


def test_the_sentiment_queue_puts_the_least_certain_first(store: Store, workspace: Actor) -> None:
    ingest_messages(store, workspace, ["خیلی خیلی عالی بود ممنون!!", "سلام", "افتضاح بود"])
    scores = [c.score for c in labelling_queue(store, workspace, task="sentiment").candidates]
    assert [abs(s or 0) for s in scores] == sorted(abs(s or 0) for s in scores)
    assert labelling_queue(store, workspace, task="sentiment").candidates[0].text == "سلام"


def test_the_queue_leaves_out_near_duplicates(store: Store, workspace: Actor) -> None:
    """Four customers paste the same question with another number; one of them is enough to label."""
    texts = [
        "سلام ادمین جان، از کجا سفارش بدم؟ کد ۱۲",
        "سلام ادمین جان از کجا سفارش بدم؟ کد ۳۴",
        "سلام ادمین جان، از کجا سفارش بدم؟؟ 😍",
        "بسته‌بندی چای سبز خیلی زیبا بود",
        "ارسال به کرمان چند روز طول می‌کشه؟",
    ]
    ids = ingest_messages(store, workspace, texts)
    queue = labelling_queue(store, workspace, task="intent").candidates
    asked = [c for c in queue if "سفارش بدم" in c.text]
    assert len(asked) == 1 and len(queue) == 3
    label_item(store, workspace, item_id=asked[0].item_id, task="intent", label="purchase_intent")
    after = labelling_queue(store, workspace, task="intent").candidates
    assert [c for c in after if "سفارش بدم" in c.text] == []  # the same words as a labelled one
    assert len(ids) == 5


def test_a_csv_of_texts_or_item_ids_imports_labels(store: Store, workspace: Actor) -> None:
    ids = ingest_messages(store, workspace, TEXTS)
    rows = [
        {"item_id": "m0", "label": "Positive"},
        {"item_id": "m1", "source": "telegram", "label": "negative"},
        {"text": "یه متن تازه با برچسب", "label": "neutral"},
        {"item_id": "nope", "label": "neutral"},
        {"item_id": "m2", "label": "angry"},
        {"label": "neutral"},
        {"item_id": "m\x003", "label": "neutral"},  # a NUL: dropped, as everywhere (PostgreSQL refuses it)
    ]
    result = import_labels_csv(
        store, workspace, csv_text(rows, ("item_id", "source", "text", "label")), task="sentiment"
    )
    assert (result.added, result.changed, result.unchanged, result.rejected) == (4, 0, 0, 3)
    assert [r["line"] for r in result.rejects] == [5, 6, 7]
    assert "no text item" in result.rejects[0]["reason"] and "angry" in result.rejects[1]["reason"]
    labels = _labels(store, workspace.workspace_id)
    assert ("sentiment", "positive", "csv", ids["m0"], None) in labels
    assert ("sentiment", "neutral", "csv", None, "یه متن تازه با برچسب") in labels
    with store.read() as session:  # imported labels are training data: the items stay as they were
        assert session.get(Item, ids["m1"]).sentiment == "negative"  # type: ignore[union-attr]
        assert session.scalar(select(DecisionLog.id).where(DecisionLog.item_id == ids["m0"])) is None
    again = import_labels_csv(
        store, workspace, csv_text(rows[:3], ("item_id", "source", "text", "label")), task="sentiment"
    )
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    with pytest.raises(InvalidInput):
        list(csv_rows(csv_text([{"message": "x"}], ("message",))))
    with pytest.raises(InvalidInput):
        import_labels(store, workspace, [], task="tone")


def test_an_item_id_two_sources_share_needs_a_source(store: Store, workspace: Actor) -> None:
    ingest_objects(store, workspace, message(1, "سلام"), {**message(1, "hello"), "source": "instagram"})
    result = import_labels(store, workspace, [(2, {"item_id": "m1", "label": "neutral"})], task="sentiment")
    assert result.rejected == 1 and "source column" in result.rejects[0]["reason"]
    result = import_labels(
        store,
        workspace,
        [(2, {"item_id": "m1", "source": "instagram", "label": "neutral"})],
        task="sentiment",
    )
    assert result.added == 1


def test_enough_new_labels_queue_a_retraining(store: Store, workspace: Actor) -> None:
    rows = made_up_labels("intent", per_class=RETRAIN_EVERY // 2 - 1)
    import_labels(store, workspace, rows, task="intent")

    def queued() -> list[dict]:  # type: ignore[type-arg]
        with store.read() as session:
            return list(
                session.scalars(
                    select(Job.payload).where(
                        Job.kind == TRAIN_JOB,
                        Job.workspace_id == workspace.workspace_id,
                        Job.status == "queued",
                    )
                )
            )

    assert queued() == []  # 48 labels
    import_labels(store, workspace, made_up_labels("intent", per_class=RETRAIN_EVERY // 2), task="intent")
    assert [p["tasks"] for p in queued()] == [["intent"]]
    train_models(store, workspace, tasks=["intent"], queue_reenrich=False)  # e.g. `peyvand models train`
    assert queued() == []  # that training did the queued retraining's work
    rows = [(n, {"text": f"{r['text']} تازه", "label": r["label"]}) for n, r in made_up_labels("intent", 25)]
    import_labels(store, workspace, rows, task="intent")
    assert [p["tasks"] for p in queued()] == [["intent"]]  # 50 labels newer than the training


def test_labels_never_cross_workspaces(store: Store, workspace: Actor, brand: BrandProfile) -> None:
    other = Actor.operator(create_workspace(store, brand=brand, slug=f"other-{uuid.uuid4().hex[:6]}").id)
    theirs = ingest_messages(store, other, ["پیام یک برند دیگر"])
    ingest_messages(store, workspace, TEXTS)
    result = import_labels(store, workspace, [(2, {"item_id": "m0", "label": "neutral"})], task="sentiment")
    mine = _labels(store, workspace.workspace_id)
    assert result.added == 1 and mine[0][3] != theirs["m0"]
    with pytest.raises(NotFound):
        label_item(store, workspace, item_id=theirs["m0"], task="sentiment", label="neutral")
    assert all(
        c.text != "پیام یک برند دیگر" for c in labelling_queue(store, workspace, task="sentiment").candidates
    )
    assert _labels(store, other.workspace_id) == []


@pytest.mark.parametrize("role", ["marketing", "viewer"])
def test_only_pr_and_admins_label(store: Store, workspace: Actor, role: str) -> None:
    ids = ingest_messages(store, workspace, TEXTS)
    actor = Actor(workspace.workspace_id, role)
    with pytest.raises(AccessDenied):
        labelling_queue(store, actor, task="sentiment")
    with pytest.raises(AccessDenied):
        label_item(store, actor, item_id=ids["m0"], task="sentiment", label="neutral")
    with pytest.raises(AccessDenied):
        import_labels(store, actor, made_up_labels(), task="intent")
    assert labelling_queue(store, Actor(workspace.workspace_id, "pr"), task="sentiment").unlabelled == 4
