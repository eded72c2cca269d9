"""Training a workspace's text models from its labels (the `text.train` job, `peyvand models train` and
the settings page's button).

For each task with labels: the learned classifier (`text.learned`) is cross-validated (5 folds, macro-F1
of the pooled out-of-fold predictions) and the built-in rules are scored on the same labels, through the
workspace's own analyzer without models (so with its brand's names and the author, source and form of
each labelled item); `learned.choose` keeps the learned model only when it scores higher. The result is
stored whether or not the model is kept (the settings page shows both scores and the reason), the model
bytes only when it is kept, with the library versions it was trained with. When the model in use changes
(a newer one, or back to the built-in), the re-enrichment of the workspace's items is queued.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.text_labels import Example, check_task, training_examples
from peyvand.services.text_models import TASKS, TRAIN_JOB, model_rows, queue_reenrichment, queue_training
from peyvand.services.workspaces import read_brand
from peyvand.storage.db import Store
from peyvand.storage.tables import Job
from peyvand.storage.tables_text import TextModel
from peyvand.text.enrich import TextAnalyzer, TextInput, audience_text

LIBRARIES = ("scikit-learn", "numpy", "scipy", "peyvand")


@dataclass
class TrainingOutcome:
    task: str
    n_labels: int
    per_class: dict[str, int] = field(default_factory=dict)
    in_use: bool = False
    learned_macro_f1: float | None = None
    builtin_macro_f1: float | None = None
    cv_accuracy: float | None = None
    reason: str = ""
    seconds: float = 0.0
    changed: bool = False  # the model in use changed: the items are re-enriched

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def library_versions() -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "unknown"
    return found


def _inputs(examples: list[Example]) -> list[TextInput]:
    return [TextInput(e.text, e.author, e.source, e.kind) for e in examples]


def _learned_inputs(task: str, examples: list[Example]) -> list[str]:
    """What the task's model reads, as `TextAnalyzer.enrich_many` gives it (audience: text and bio)."""
    if task == "audience":
        return [audience_text(e.text, e.author) for e in examples]
    return [e.text for e in examples]


def _fit(task: str, examples: list[Example], builtin: TextAnalyzer) -> tuple[TrainingOutcome, bytes | None]:
    """Train and choose, outside any transaction (seconds to minutes of CPU)."""
    from peyvand.text import learned

    started = time.perf_counter()
    labels = [e.label for e in examples]
    outcome = TrainingOutcome(task, len(labels), dict(sorted(_counts(labels).items())))
    enriched = builtin.enrich_many(_inputs(examples))
    rules_said = [str(getattr(e, task)) for e in enriched]

    def rules(texts: Any) -> list[str]:
        assert len(texts) == len(rules_said)  # `choose` scores the rules on the same labels, in order
        return rules_said

    try:
        # One BLAS thread: these fits are small, and on a busy machine BLAS threads waiting for each other
        # made them ten times slower (measured: 3.4 s against 0.33 s for 289 labels on two loaded cores).
        with threadpool_limits(limits=1):
            choice = learned.choose(_learned_inputs(task, examples), labels, task=task, builtin=rules)
    except learned.NotEnoughLabels as exc:
        outcome.reason = f"not enough labels to train: {exc}"
        outcome.builtin_macro_f1 = learned.macro_f1(labels, rules_said)
        outcome.seconds = time.perf_counter() - started
        return outcome, None
    outcome.in_use, outcome.reason = choice.model is not None, choice.reason
    outcome.learned_macro_f1, outcome.builtin_macro_f1 = choice.learned_macro_f1, choice.builtin_macro_f1
    if choice.model is not None:
        outcome.cv_accuracy = choice.model.quality.cv_accuracy
    outcome.seconds = time.perf_counter() - started
    return outcome, choice.model.to_bytes() if choice.model is not None else None


def _counts(labels: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return counts


def _supersede(session: Session, workspace_id: int, task: str, started: datetime) -> None:
    """A retraining of the task queued (for new labels) before this training read them is done by it."""
    session.execute(
        update(Job)
        .where(
            Job.kind == TRAIN_JOB,
            Job.status == "queued",
            Job.dedupe_key == f"{TRAIN_JOB}:{workspace_id}:{task}",
            Job.created_at <= started,
        )
        .values(status="done", dedupe_key=None, finished_at=utcnow(), error="superseded by a training")
    )


def _store_outcome(
    session: Session, workspace_id: int, outcome: TrainingOutcome, model: bytes | None, started: datetime
) -> bool:
    """Write the task's training (as of `started`, when its labels were read); True when the model in use
    changed."""
    row = model_rows(session, workspace_id).get(outcome.task)
    was_in_use = row is not None and row.in_use
    if row is None:
        row = TextModel(workspace_id=workspace_id, task=outcome.task)
        session.add(row)
    row.in_use, row.reason, row.model = outcome.in_use, outcome.reason, model
    row.learned_macro_f1, row.builtin_macro_f1 = outcome.learned_macro_f1, outcome.builtin_macro_f1
    row.cv_accuracy, row.n_labels, row.per_class = outcome.cv_accuracy, outcome.n_labels, outcome.per_class
    row.versions, row.trained_at, row.seconds = library_versions(), started, round(outcome.seconds, 3)
    _supersede(session, workspace_id, outcome.task, started)
    return was_in_use or outcome.in_use


def train_models(
    store: Store, actor: Actor, *, tasks: list[str] | None = None, queue_reenrich: bool = True
) -> list[TrainingOutcome]:
    """Train each task (every task by default) that has labels; returns what happened to each. With
    `queue_reenrich`, a change of the models in use queues the re-enrichment of the items."""
    require(actor, "text.train")
    chosen = [check_task(t) for t in tasks] if tasks else list(TASKS)
    ws, started = actor.workspace_id, utcnow()  # labels changed after this count as new for the next one
    with store.read() as session:
        brand = read_brand(session, ws)
        examples = {task: training_examples(session, ws, task) for task in chosen}
    builtin = TextAnalyzer(brand)  # the built-in rules with the brand's names (cheap: shared lexicon)
    outcomes = []
    for task in chosen:
        if not examples[task]:
            outcomes.append(TrainingOutcome(task, 0, reason="no labels yet"))
            continue
        outcome, model = _fit(task, examples[task], builtin)
        with store.transaction() as session:
            outcome.changed = _store_outcome(session, ws, outcome, model, started)
            if outcome.changed and queue_reenrich:
                queue_reenrichment(session, ws)
        outcomes.append(outcome)
    return outcomes


def request_training(store: Store, actor: Actor, *, task: str | None = None) -> None:
    """Queue the training job (the settings page's button): one task, or every task."""
    require(actor, "text.train")
    tasks = [check_task(task)] if task else None
    with store.transaction() as session:
        queue_training(session, actor.workspace_id, tasks=tasks, reason="asked")
