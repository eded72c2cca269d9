"""The labelling page and the "Text understanding" settings page, as services.

The **labelling queue** of a task holds the workspace's inbound messages that have no label for it yet,
least certain first: for sentiment the scores nearest zero (the built-in scorer's or the learned model's),
for intent and audience the fallback outcomes ("other", "public") first, then the newest. Near-duplicates
are left out (a template many customers paste, a message sent twice): a message whose words are at least
three-quarters those of one already in the queue or of one of the last 500 labelled, or whose words are
those of any item already labelled,
teaches the model nothing new, so the person's time goes to the next different one. Labelling an
item is a person's correction of it (`overrides.override_label`, source "page"): the item takes the label,
the audit trail keeps it, and it joins the training set.

The **settings view** shows per task the labels per class and per source, the latest training (learned
model's cross-validated macro-F1 beside the built-in rules', which is in use and why, when, library
versions) and whether a retraining is waiting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from peyvand.services.access import Actor, NotFound, require
from peyvand.services.inbox_common import ZWNJ
from peyvand.services.overrides import override_label
from peyvand.services.text_labels import LABELS, check_task, label_counts
from peyvand.services.text_models import (
    RETRAIN_EVERY,
    TASKS,
    TRAIN_JOB,
    describe_model,
    model_rows,
    new_labels_since_training,
)
from peyvand.storage.db import Store
from peyvand.storage.dialect import MAX_ROW_ID
from peyvand.storage.tables import Item, Job
from peyvand.storage.tables_text import TextLabel

QUEUE_SIZE = 20
FALLBACK = {"intent": "other", "audience": "public"}
LOOK_AHEAD = 25  # candidates read per queue place, so near-duplicates can be skipped
RECENT_LABELLED = 500  # the latest labels, whose near-duplicates are left out too (all: exact words)
SAME_WORDS = 0.75  # Jaccard similarity of two messages' word sets from which one is a near-duplicate
_WORD = re.compile(r"[^\W\d_]+")
_NOT_WORDS = re.compile(r"[@#]\S+|https?://\S+")  # handles, hashtags and links differ in pasted templates


@dataclass(frozen=True)
class Candidate:
    item_id: int
    external_id: str
    source: str
    kind: str
    occurred_at: datetime
    text: str
    current: str | None
    score: float | None
    provisional: bool
    language: str | None = None  # detected: fa, en, other

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class LabellingQueue:
    task: str
    labels: tuple[str, ...]
    candidates: list[Candidate]
    unlabelled: int
    labelled: int


def _order(task: str) -> list[Any]:
    if task == "sentiment":
        return [func.abs(func.coalesce(Item.sentiment_score, 0.0)), Item.occurred_at.desc()]
    column = Item.intent if task == "intent" else Item.audience
    return [case((column == FALLBACK[task], 0), else_=1), Item.occurred_at.desc()]


def labelling_queue(store: Store, actor: Actor, *, task: str, limit: int = QUEUE_SIZE) -> LabellingQueue:
    """The task's unlabelled inbound messages, least certain first."""
    require(actor, "text.label")
    check_task(task)
    ws = actor.workspace_id
    labelled = select(TextLabel.item_id).where(
        TextLabel.workspace_id == ws, TextLabel.task == task, TextLabel.item_id.is_not(None)
    )
    where = (
        Item.workspace_id == ws,
        Item.feedback.in_(("interaction", "mention")),
        Item.direction == "inbound",
        Item.text.is_not(None),
        Item.id.not_in(labelled),
    )
    with store.read() as session:
        ordered = select(Item).where(*where).order_by(*_order(task), Item.id).limit(limit * LOOK_AHEAD)
        newest_first = [  # one read: every labelled text (up to 20,000), the latest labels first
            _words(text)
            for text in session.scalars(
                select(Item.normalised_text)
                .join(TextLabel, TextLabel.item_id == Item.id)
                .where(TextLabel.workspace_id == ws, TextLabel.task == task)
                .order_by(TextLabel.id.desc())
                .limit(20_000)
            )
        ]
        rows = _different(
            session.scalars(ordered).all(), set(newest_first), newest_first[:RECENT_LABELLED], limit
        )
        unlabelled = int(session.scalar(select(func.count()).select_from(Item).where(*where)) or 0)
        done = int(session.scalar(select(func.count()).select_from(labelled.subquery())) or 0)
    candidates = [
        Candidate(
            item.id, item.external_id, item.source, item.kind, item.occurred_at, item.text or "",
            getattr(item, task), item.sentiment_score if task == "sentiment" else None,
            item.sentiment_provisional if task == "sentiment" else False, item.language,
        )
        for item in rows
    ]  # fmt: skip
    return LabellingQueue(task, LABELS[task], candidates, unlabelled, done)


def _words(normalised: str | None) -> frozenset[str]:
    """The words of a message's matching form, without digits, @handles, #hashtags, links or emoji."""
    return frozenset(_WORD.findall(_NOT_WORDS.sub(" ", (normalised or "").replace(ZWNJ, ""))))


def _different(
    items: Sequence[Item], labelled: set[frozenset[str]], recent: list[frozenset[str]], limit: int
) -> list[Item]:
    """Up to `limit` items, in order, leaving out those with the words of a labelled item, and the
    near-duplicates of one chosen before or labelled recently."""
    chosen: list[Item] = []
    kept: list[frozenset[str]] = list(recent)
    for item in items:
        words = _words(item.normalised_text)
        if words and (words in labelled or any(_similar(words, other) for other in kept)):
            continue
        chosen.append(item)
        kept.append(words)
        if len(chosen) == limit:
            break
    return chosen


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(b) and len(a & b) >= SAME_WORDS * len(a | b)


def label_item(store: Store, actor: Actor, *, item_id: int, task: str, label: str) -> None:
    """A person's label of one message from the labelling page: the item takes it, and it is a training
    label (source "page")."""
    require(actor, "text.label")
    if not 0 < item_id <= MAX_ROW_ID:  # not an id the database can hold
        raise NotFound("item")
    override_label(store, actor, field=check_task(task), item_id=item_id, label=label, source="page")


@dataclass
class TaskView:
    task: str
    classes: Counter[str]
    sources: Counter[str]
    model: dict[str, Any]
    new_labels: int
    training_queued: bool
    learned_classes: tuple[str, ...] = field(default=())

    @property
    def labels(self) -> int:
        return sum(self.classes.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "labels": self.labels,
            "labels_per_class": dict(sorted(self.classes.items())),
            "labels_per_source": dict(sorted(self.sources.items())),
            "new_labels_since_training": self.new_labels,
            "retrain_every": RETRAIN_EVERY,
            "training_queued": self.training_queued,
            **self.model,
        }


def text_understanding_view(store: Store, actor: Actor) -> list[TaskView]:
    """Per task: labels per class and source, the latest training and its quality, what is in use."""
    require(actor, "text.read")
    ws = actor.workspace_id
    with store.read() as session:
        classes, sources = label_counts(session, ws), label_counts(session, ws, by="source")
        models = model_rows(session, ws)
        queued = session.scalars(
            select(Job.payload).where(Job.workspace_id == ws, Job.kind == TRAIN_JOB, Job.status == "queued")
        ).all()
        views = []
        for task in TASKS:
            waiting = any(not p.get("tasks") or task in p["tasks"] for p in queued)
            new = new_labels_since_training(session, ws, task)
            views.append(
                TaskView(task, classes[task], sources[task], describe_model(models.get(task)), new, waiting)
            )
    return views


def class_rows(views: list[TaskView]) -> list[dict[str, Any]]:
    """The labels-per-class table: one row per task and class."""
    return [
        {"task": v.task, "label": label, "labels": v.classes.get(label, 0)}
        for v in views
        for label in LABELS[v.task]
    ]
