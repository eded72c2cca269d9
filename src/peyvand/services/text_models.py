"""A workspace's learned text models: reading the ones in use for the analyzer, the jobs that train them
and re-enrich the stored items, and when to retrain.

A model is loaded once per process and trained model (`_LOADED`, keyed by workspace and task, replaced
when a newer training is in use), so an ingest run, a job or a page pays nothing for it after the first
time. A stored model that another scikit-learn version (or file format) wrote is never unpickled: it is
reported as stale, the built-in rules stand in for it, and the caller queues its retraining from the
stored labels (`understanding.understanding_for`). This module imports scikit-learn only when a
workspace has a model in use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peyvand.jobs.queue import enqueue
from peyvand.storage.db import Store
from peyvand.storage.tables_text import TextLabel, TextModel
from peyvand.text.enrich import LearnedModels

if TYPE_CHECKING:
    from peyvand.text.learned import TextClassifier

log = logging.getLogger("peyvand.text_models")
TASKS = ("sentiment", "intent", "audience")
TRAIN_JOB = "text.train"
REENRICH_JOB = "text.reenrich"
RETRAIN_EVERY = 50  # new or changed labels of a task since its last training that queue a retraining

ModelsKey = tuple[tuple[str, int, str], ...]


@dataclass(frozen=True)
class LoadedModels:
    models: LearnedModels
    key: ModelsKey  # (task, model row id, trained at) of each model in use: identifies the analyzer
    stale: tuple[str, ...]  # tasks whose stored model another scikit-learn version wrote


NO_MODELS = LoadedModels(LearnedModels(), (), ())
_LOADED: dict[tuple[int, str], tuple[tuple[int, str], TextClassifier]] = {}
_LOCK = threading.Lock()


def _classifier(session: Session, workspace_id: int, task: str, version: tuple[int, str]) -> TextClassifier:
    """The model of one row, unpickled once per process; `ModelVersionError` when it cannot be loaded."""
    from peyvand.text import learned

    with _LOCK:
        cached = _LOADED.get((workspace_id, task))
    if cached is not None and cached[0] == version:
        return cached[1]
    data = session.scalar(select(TextModel.model).where(TextModel.id == version[0]))
    assert data is not None
    model = learned.load(bytes(data))
    with _LOCK:
        _LOADED[(workspace_id, task)] = (version, model)
    return model


def load_workspace_models(session: Session, workspace_id: int) -> LoadedModels:
    """The learned models the workspace uses (each only where it beat the built-in rules)."""
    rows = session.execute(
        select(TextModel.id, TextModel.task, TextModel.trained_at)
        .where(
            TextModel.workspace_id == workspace_id,
            TextModel.in_use.is_(True),
            TextModel.model.is_not(None),
        )
        .order_by(TextModel.task)
    ).all()
    if not rows:
        return NO_MODELS
    from peyvand.text.learned import ModelVersionError

    models: dict[str, TextClassifier] = {}
    key: list[tuple[str, int, str]] = []
    stale: list[str] = []
    for row_id, task, trained_at in rows:
        version = (row_id, trained_at.isoformat())
        try:
            models[task] = _classifier(session, workspace_id, task, version)
        except ModelVersionError as exc:
            log.warning("workspace %s: the %s model is not loaded (%s)", workspace_id, task, exc)
            stale.append(task)
            continue
        key.append((task, *version))
    return LoadedModels(LearnedModels(**models), tuple(key), tuple(stale))


# --- jobs ----------------------------------------------------------------------------------------------


def queue_training(
    session: Session, workspace_id: int, *, tasks: Sequence[str] | None = None, reason: str
) -> None:
    """Queue the training job in the caller's transaction (once per workspace and set of tasks)."""
    chosen = sorted(tasks) if tasks else None
    payload = {"workspace_id": workspace_id, "tasks": chosen, "reason": reason}
    suffix = ",".join(chosen) if chosen else "all"
    enqueue(
        session,
        TRAIN_JOB,
        payload,
        workspace_id=workspace_id,
        dedupe_key=f"{TRAIN_JOB}:{workspace_id}:{suffix}",
    )


def queue_reenrichment(session: Session, workspace_id: int) -> None:
    """Queue the re-enrichment of the workspace's items in the caller's transaction."""
    payload = {"workspace_id": workspace_id}
    enqueue(
        session, REENRICH_JOB, payload, workspace_id=workspace_id, dedupe_key=f"{REENRICH_JOB}:{workspace_id}"
    )


def queue_retraining_of_stale(store: Store, workspace_id: int, tasks: Iterable[str]) -> None:
    """Retrain models another scikit-learn version wrote (they are not loaded meanwhile)."""
    with store.transaction() as session:
        queue_training(session, workspace_id, tasks=list(tasks), reason="library version")


def new_labels_since_training(session: Session, workspace_id: int, task: str) -> int:
    """Labels of the task added or changed since its last training (every label, before the first)."""
    trained_at = session.scalar(
        select(TextModel.trained_at).where(TextModel.workspace_id == workspace_id, TextModel.task == task)
    )
    query = select(func.count()).where(TextLabel.workspace_id == workspace_id, TextLabel.task == task)
    if trained_at is not None:
        query = query.where(TextLabel.updated_at > trained_at)
    return int(session.scalar(query) or 0)


def queue_training_if_due(session: Session, workspace_id: int, tasks: Iterable[str]) -> list[str]:
    """Queue a retraining of each task with `RETRAIN_EVERY` new labels since its last training (called
    in the transaction that added them); returns the tasks queued."""
    due = [
        t for t in sorted(set(tasks)) if new_labels_since_training(session, workspace_id, t) >= RETRAIN_EVERY
    ]
    for task in due:
        queue_training(session, workspace_id, tasks=[task], reason="new labels")
    return due


def model_rows(session: Session, workspace_id: int) -> dict[str, TextModel]:
    rows = session.scalars(select(TextModel).where(TextModel.workspace_id == workspace_id))
    return {row.task: row for row in rows}


def describe_model(row: TextModel | None) -> dict[str, Any]:
    """A model row for pages and exports (never the model bytes)."""
    if row is None:
        return {"trained_at": None, "in_use": False, "learned_macro_f1": None, "builtin_macro_f1": None}
    trained: datetime = row.trained_at
    return {
        "trained_at": trained,
        "in_use": row.in_use,
        "learned_macro_f1": row.learned_macro_f1,
        "builtin_macro_f1": row.builtin_macro_f1,
        "cv_accuracy": row.cv_accuracy,
        "labels_trained_on": row.n_labels,
        "reason": row.reason,
        "versions": dict(row.versions),
        "training_seconds": row.seconds,
    }
