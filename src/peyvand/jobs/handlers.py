"""Job kinds and the functions that run them. A job's payload names its workspace and who asked."""

from __future__ import annotations

from typing import Any

from peyvand.jobs.queue import Handler
from peyvand.services.access import Actor
from peyvand.storage.db import Store

REBUILD_ROLLUPS = "rebuild_rollups"


def _actor(payload: dict[str, Any]) -> Actor:
    return Actor(workspace_id=int(payload["workspace_id"]), role=str(payload["role"]),
                 user_id=payload.get("user_id"))


def _rebuild_rollups(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.series import rebuild_rollups

    rebuild_rollups(store, _actor(payload))


HANDLERS: dict[str, Handler] = {REBUILD_ROLLUPS: _rebuild_rollups}
