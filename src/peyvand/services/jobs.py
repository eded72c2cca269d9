"""Asking for background work from the web or the CLI, with the same access checks as doing it; and
removing finished jobs once they are old (`PEYVAND_JOB_RETENTION_DAYS`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from peyvand.jobs.queue import enqueue
from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import Job

FINISHED = ("done", "failed")
PRUNE_BATCH = 1000


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


def prune_jobs(
    store: Store, *, retention_days: int, now: datetime | None = None, batch: int = PRUNE_BATCH
) -> int:
    """Remove jobs that finished (done, or failed for good) more than `retention_days` ago; returns how
    many. Queued and running jobs are never touched; 0 days keeps every job. An operator's task across
    workspaces (the worker and `peyvand jobs prune`). Deletes in batches of `batch` rows, one transaction
    each, so SQLite's single writer is never held for long."""
    if retention_days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    removed = 0
    while True:
        with store.transaction() as session:
            ids = list(
                session.scalars(
                    select(Job.id)
                    .where(Job.status.in_(FINISHED), Job.finished_at < cutoff)
                    .order_by(Job.id)
                    .limit(batch)
                )
            )
            if ids:
                session.execute(delete(Job).where(Job.id.in_(ids)))
        removed += len(ids)
        if len(ids) < batch:
            return removed
