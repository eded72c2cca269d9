"""Text understanding's job kinds: training a workspace's models, and re-enriching its items after the
models in use changed (peyvand.services.text_models.TRAIN_JOB and REENRICH_JOB)."""

from __future__ import annotations

from typing import Any

from peyvand.jobs.queue import Handler
from peyvand.services.access import Actor
from peyvand.storage.db import Store


def _train(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.text_training import train_models

    tasks = payload.get("tasks") or None
    train_models(store, Actor.operator(int(payload["workspace_id"])), tasks=tasks)


def _reenrich(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.text_reenrich import reenrich_items

    reenrich_items(store, Actor.operator(int(payload["workspace_id"])))


TEXT_HANDLERS: dict[str, Handler] = {"text.train": _train, "text.reenrich": _reenrich}
