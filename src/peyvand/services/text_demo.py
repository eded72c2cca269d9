"""The demo's trained text models: a few hundred of each demo workspace's messages are labelled with what
the generator wrote them to say (`DemoWorkspace.items(labels=True)`), imported through the normal labels
path (as an imported CSV file would be), and the workspace's models are trained and the messages read
again, so the "Text understanding" page shows learned models beside the built-in rules. A workspace with
too few labels of some class keeps the built-in rules for that task, and its page says why."""

from __future__ import annotations

from typing import Any

from peyvand.demo.scenario import DemoWorkspace, Scenario
from peyvand.services.access import Actor
from peyvand.services.text_labels import import_labels
from peyvand.services.text_models import TASKS
from peyvand.services.text_reenrich import reenrich_items
from peyvand.services.text_training import TrainingOutcome, train_models
from peyvand.storage.db import Store

DEMO_LABELS = 300  # labelled messages per task and workspace
PER_CLASS = 12  # at least this many of each class where the demo has them (rare ones: press inquiries)


def labelled_items(ws: DemoWorkspace) -> list[dict[str, Any]]:
    """The inbound text items with what the generator wrote them to say: {"item_id", "source", labels…}."""
    labelled = []
    for item in ws.items(labels=True):
        if item.get("kind") in ("metric", "event"):
            break  # text items come first in the stream
        labels = item.get("demo_labels")
        if isinstance(labels, dict) and item.get("direction", "inbound") == "inbound":
            labelled.append({"item_id": str(item["id"]), "source": str(item["source"]), **labels})
    return labelled


def _spread(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    step = max(1.0, len(rows) / n) if n else 1.0
    return [rows[int(i * step)] for i in range(min(n, len(rows)))]


def demo_labels(labelled: list[dict[str, Any]], task: str, limit: int = DEMO_LABELS) -> list[dict[str, Any]]:
    """Up to `limit` items for one task, as a team labels: every class seen a few times, the rest spread
    evenly over the workspace's history."""
    by_class: dict[str, list[dict[str, Any]]] = {}
    for row in labelled:
        if row.get(task):
            by_class.setdefault(str(row[task]), []).append(row)
    picked = {id(r): r for rows in by_class.values() for r in _spread(rows, PER_CLASS)}
    rest = [r for rows in by_class.values() for r in rows if id(r) not in picked]
    for r in _spread(rest, max(0, limit - len(picked))):
        picked[id(r)] = r
    return [{"item_id": r["item_id"], "source": r["source"], "label": r[task]} for r in picked.values()]


def load_text_demo(
    store: Store, scenario: Scenario, workspace_ids: dict[str, int]
) -> dict[str, list[TrainingOutcome]]:
    """Label, train and re-read each demo workspace; returns each workspace's training outcomes."""
    outcomes = {}
    for ws in scenario.workspaces:
        actor = Actor.operator(workspace_ids[ws.key])
        labelled = labelled_items(ws)
        for task in TASKS:
            rows = list(enumerate(demo_labels(labelled, task), start=2))
            import_labels(store, actor, rows, task=task, source="csv")
        outcomes[ws.key] = train_models(store, actor, queue_reenrich=False)
        if any(o.changed for o in outcomes[ws.key]):
            reenrich_items(store, actor)
    return outcomes
