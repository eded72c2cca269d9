"""Asking for background work from the web or the CLI, with the same access checks as doing it."""

from __future__ import annotations

from peyvand.jobs.queue import enqueue
from peyvand.services.access import Actor, require
from peyvand.storage.db import Store


def request_job(store: Store, actor: Actor, kind: str, *, permission: str) -> None:
    """Queue a job of `kind` for the actor's workspace (once: a queued duplicate is not added)."""
    require(actor, permission)
    with store.transaction() as session:
        enqueue(
            session,
            kind,
            {"workspace_id": actor.workspace_id, "user_id": actor.user_id, "role": actor.role},
            workspace_id=actor.workspace_id,
            dedupe_key=f"{kind}:{actor.workspace_id}",
        )
