"""A workspace's training labels (`text_labels`): what a text means for sentiment, intent or audience.

Labels come three ways, and all go through `save_labels`, in the writer's transaction:
- **override**: a person corrects an item's sentiment, intent or audience (`services.overrides`);
- **page**: the labelling page (`services.text_labelling`), which is also a correction of the item;
- **csv**: an imported file of `text,label` or `item_id,label` rows (`import_labels`); it is training
  data only and changes no item (the re-enrichment after training applies what the model learned).

An item or a text has one label per task; a later label replaces it. Every write counts the labels new
since the task's last training and queues a retraining at `text_models.RETRAIN_EVERY`.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from peyvand.domain.items import Author, ItemError, TextItem, parse_item
from peyvand.domain.vocabulary import Audience, Intent, Sentiment
from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.text_models import TASKS, queue_training_if_due
from peyvand.storage.db import Store
from peyvand.storage.dialect import insert_for, storable
from peyvand.storage.tables import Item
from peyvand.storage.tables_text import TextLabel

LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": tuple(s.value for s in Sentiment),
    "intent": tuple(i.value for i in Intent),
    "audience": tuple(a.value for a in Audience),
}
MAX_REJECTS = 1000
CHUNK = 500


@dataclass(frozen=True)
class NewLabel:
    task: str
    label: str
    item_id: int | None = None
    text: str | None = None

    @property
    def key(self) -> str:
        if self.item_id is not None:
            return f"item:{self.item_id}"
        digest = hashlib.sha256((self.text or "").strip().encode("utf-8")).hexdigest()
        return f"text:{digest}"


@dataclass
class Saved:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


def check_task(task: str) -> str:
    if task not in TASKS:
        raise InvalidInput(f"task must be one of {', '.join(TASKS)}")
    return task


def _existing(session: Session, workspace_id: int, labels: Sequence[NewLabel]) -> dict[tuple[str, str], str]:
    by_task: dict[str, list[str]] = defaultdict(list)
    for new in labels:
        by_task[new.task].append(new.key)
    found: dict[tuple[str, str], str] = {}
    for task, keys in by_task.items():
        for start in range(0, len(keys), CHUNK):
            rows = session.execute(
                select(TextLabel.key, TextLabel.label).where(
                    TextLabel.workspace_id == workspace_id,
                    TextLabel.task == task,
                    TextLabel.key.in_(keys[start : start + CHUNK]),
                )
            )
            found.update(((task, key), label) for key, label in rows)
    return found


def save_labels(
    session: Session,
    workspace_id: int,
    labels: Sequence[NewLabel],
    *,
    source: str,
    user_id: int | None,
    at: datetime | None = None,
) -> Saved:
    """Add or replace labels (the last of several for one key wins) in the caller's transaction, and
    queue a retraining of each task that has gathered enough new labels."""
    at = at or utcnow()
    latest = {(new.task, new.key): new for new in labels}
    existing = _existing(session, workspace_id, list(latest.values()))
    saved, rows = Saved(), []
    for (task, key), new in latest.items():
        old = existing.get((task, key))
        if old == new.label:
            saved.unchanged += 1
            continue
        saved.added, saved.changed = saved.added + (old is None), saved.changed + (old is not None)
        rows.append(
            {"workspace_id": workspace_id, "task": task, "key": key, "item_id": new.item_id,
             "text": storable(new.text), "label": new.label, "source": source, "user_id": user_id,
             "created_at": at, "updated_at": at}
        )  # fmt: skip
    if rows:
        table: Table = TextLabel.__table__  # type: ignore[assignment]
        stmt: Any = insert_for(table, session.get_bind().dialect.name)
        excluded = stmt.excluded
        columns = ("label", "source", "user_id", "updated_at")
        upsert = stmt.on_conflict_do_update(
            index_elements=["workspace_id", "task", "key"], set_={c: excluded[c] for c in columns}
        )
        for start in range(0, len(rows), CHUNK):
            session.execute(upsert, rows[start : start + CHUNK])
        queue_training_if_due(session, workspace_id, {r["task"] for r in rows})
    return saved


def record_item_label(
    session: Session, item: Item, *, task: str, label: str, source: str, user_id: int | None
) -> None:
    """A person's label of one item (a correction or the labelling page), in the caller's transaction."""
    save_labels(
        session, item.workspace_id, [NewLabel(task, label, item_id=item.id)], source=source, user_id=user_id
    )


# --- importing ------------------------------------------------------------------------------------------


@dataclass
class LabelImport:
    task: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejects) < MAX_REJECTS:
            self.rejects.append({"line": line, "reason": reason})

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("task", "added", "changed", "unchanged", "rejected", "rejects")}


def _clean(value: Any) -> str:
    """A cell as text, without NUL characters (PostgreSQL refuses them, and they never carry meaning)."""
    return "" if value is None else str(storable(str(value))).strip()


def _item_ids(
    session: Session, workspace_id: int, wanted: set[tuple[str, str | None]]
) -> dict[tuple[str, str | None], list[int]]:
    """Item ids by (the source's item id, source or None), for the ids a file names."""
    external = sorted({e for e, _ in wanted})
    found: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for start in range(0, len(external), CHUNK):
        rows = session.execute(
            select(Item.id, Item.external_id, Item.source).where(
                Item.workspace_id == workspace_id,
                Item.external_id.in_(external[start : start + CHUNK]),
                Item.text.is_not(None),
            )
        )
        for item_id, external_id, source in rows:
            found[(external_id, None)].append(item_id)
            found[(external_id, source)].append(item_id)
    return found


def _label_of(row: dict[str, Any], result: LabelImport, line: int) -> str | None:
    label = _clean(row.get("label")).lower()
    if label not in LABELS[result.task]:
        result.reject(line, f"label {label!r} is not one of {', '.join(LABELS[result.task])}")
        return None
    return label


def _resolve(
    rows: list[tuple[int, dict[str, Any]]], session: Session, workspace_id: int, result: LabelImport
) -> list[NewLabel]:
    wanted = {
        (_clean(r.get("item_id")), _clean(r.get("source")) or None)
        for _, r in rows
        if _clean(r.get("item_id"))
    }
    ids = _item_ids(session, workspace_id, wanted)
    labels = []
    for line, row in rows:
        label = _label_of(row, result, line)
        item_ref, text = _clean(row.get("item_id")), _clean(row.get("text"))
        if label is None:
            continue
        if not item_ref:
            if text:
                labels.append(NewLabel(result.task, label, text=text))
            else:
                result.reject(line, "the row has neither an item_id nor a text")
            continue
        matches = ids.get((item_ref, _clean(row.get("source")) or None), [])
        if len(matches) == 1:
            labels.append(NewLabel(result.task, label, item_id=matches[0]))
        elif not matches:
            result.reject(line, f"item_id {item_ref!r}: no text item")
        else:
            result.reject(line, f"item_id {item_ref!r}: more than one item (add a source column)")
    return labels


def import_labels(
    store: Store, actor: Actor, rows: Iterable[tuple[int, dict[str, Any]]], *, task: str, source: str = "csv"
) -> LabelImport:
    """Import labels of one task from (line, row) pairs with `label` and `text` or `item_id` (the
    source's id, as `peyvand export items` prints it; `source` too where two sources share an id)."""
    require(actor, "text.label")
    result = LabelImport(check_task(task))
    batch = list(rows)
    with store.transaction() as session:
        labels = _resolve(batch, session, actor.workspace_id, result)
        saved = save_labels(session, actor.workspace_id, labels, source=source, user_id=actor.user_id)
    result.added, result.changed, result.unchanged = saved.added, saved.changed, saved.unchanged
    return result


def csv_rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a labelled CSV file with their line numbers; `InvalidInput` without the columns."""
    reader = csv.DictReader(stream)
    columns = {_clean(c).lower() for c in reader.fieldnames or ()}
    if "label" not in columns or not columns & {"text", "item_id"}:
        raise InvalidInput("a labels file needs the columns text,label or item_id,label")
    for row in reader:
        yield reader.line_num, {_clean(k).lower(): v for k, v in row.items() if k is not None}


def import_labels_csv(store: Store, actor: Actor, stream: IO[str], *, task: str) -> LabelImport:
    return import_labels(store, actor, csv_rows(stream), task=task, source="csv")


# --- reading --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One labelled text, with what the built-in rules read besides it (author, source, form)."""

    text: str
    label: str
    author: Author
    source: str
    kind: str


def _example(label: str, free_text: str | None, item: tuple[Any, ...]) -> Example | None:
    raw, text, source, kind = item
    if raw is None:
        return Example(free_text, label, Author(), "import", "post") if free_text else None
    try:
        parsed = parse_item(dict(raw))
    except ItemError:
        parsed = None
    if isinstance(parsed, TextItem):
        return Example(parsed.text, label, parsed.author, parsed.source, parsed.kind)
    return Example(text, label, Author(), source, kind) if text else None


def training_examples(session: Session, workspace_id: int, task: str) -> list[Example]:
    """Every label of the task with its text, oldest first."""
    rows = session.execute(
        select(TextLabel.label, TextLabel.text, Item.raw, Item.text, Item.source, Item.kind)
        .outerjoin(Item, Item.id == TextLabel.item_id)
        .where(TextLabel.workspace_id == workspace_id, TextLabel.task == task)
        .order_by(TextLabel.id)
    ).all()
    examples = (_example(label, text, tuple(item)) for label, text, *item in rows)
    return [e for e in examples if e is not None]


def label_counts(session: Session, workspace_id: int, by: str = "label") -> dict[str, Counter[str]]:
    """Per task, the number of labels of each class (`by="label"`) or from each source (`by="source"`)."""
    column = TextLabel.label if by == "label" else TextLabel.source
    counts: dict[str, Counter[str]] = {task: Counter() for task in TASKS}
    rows = session.execute(
        select(TextLabel.task, column, func.count())
        .where(TextLabel.workspace_id == workspace_id)
        .group_by(TextLabel.task, column)
    )
    for task, value, n in rows:
        counts.setdefault(task, Counter())[value] = int(n)
    return counts
