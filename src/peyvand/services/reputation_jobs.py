"""The reputation jobs: crisis detection and pickup matching, queued after every ingest and on demand.

Both read the whole history and replace or update what they stored, so running one twice, or after
an ingest that added nothing new, changes nothing. `refresh_reputation` runs both in-process (the demo
builder and the CLI use it); the worker runs them as queued jobs (`peyvand.jobs.handlers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peyvand.jobs.queue import enqueue
from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import Job

if TYPE_CHECKING:  # the analyses (and SciPy under them) load when a job runs, not when ingest queues one
    from peyvand.services.content_spread import PickupRun
    from peyvand.services.crises import DetectionResult

DETECT_CRISES = "detect_crises"
FIND_PICKUPS = "find_pickups"
REPUTATION_JOBS = (DETECT_CRISES, FIND_PICKUPS)


def queue_reputation_jobs(
    session: Session, workspace_id: int, payload: dict[str, Any], kinds: Sequence[str] = REPUTATION_JOBS
) -> None:
    """Queue the reputation jobs in the caller's transaction (a job already queued is not added twice)."""
    for kind in kinds:
        enqueue(session, kind, payload, workspace_id=workspace_id, dedupe_key=f"{kind}:{workspace_id}")


def queue_reputation_refresh(
    store: Store,
    actor: Actor,
    *,
    kinds: Sequence[str] = REPUTATION_JOBS,
    permission: str = "reputation.refresh",
) -> None:
    """Queue the reputation jobs for the actor's workspace (a job already queued is not added twice)."""
    require(actor, permission)
    payload = {"workspace_id": actor.workspace_id, "user_id": actor.user_id, "role": actor.role}
    with store.transaction() as session:
        queue_reputation_jobs(session, actor.workspace_id, payload, kinds)


@dataclass(frozen=True)
class ReputationRefresh:
    crises: DetectionResult
    pickups: PickupRun


def _queued(store: Store, workspace_id: int) -> list[int]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Job.id).where(
                    Job.workspace_id == workspace_id, Job.kind.in_(REPUTATION_JOBS), Job.status == "queued"
                )
            )
        )


def refresh_reputation(store: Store, actor: Actor) -> ReputationRefresh:
    """Run crisis detection and pickup matching now, in this process; the reputation jobs that were
    queued before the run are marked done (this run did their work)."""
    waiting = _queued(store, actor.workspace_id)
    from peyvand.services.content_spread import find_pickups
    from peyvand.services.crises import detect_crises

    refreshed = ReputationRefresh(detect_crises(store, actor), find_pickups(store, actor))
    if waiting:
        with store.transaction() as session:
            session.execute(
                update(Job)
                .where(Job.id.in_(waiting), Job.status == "queued")
                .values(status="done", finished_at=utcnow(), dedupe_key=None, error="done in-process")
            )
    return refreshed


def refresh_reputation_demo(store: Store, workspace_ids: dict[str, int]) -> dict[str, ReputationRefresh]:
    """The end of the demo build: crises and pickups found in every demo workspace."""
    return {key: refresh_reputation(store, Actor.operator(ws)) for key, ws in workspace_ids.items()}
