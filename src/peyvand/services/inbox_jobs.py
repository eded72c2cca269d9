"""Asking for the inbox's background work inside the caller's transaction (the job is written with its
cause): the sweep of a workspace, and a reply's delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peyvand.jobs.queue import enqueue
from peyvand.services.clock import utcnow
from peyvand.storage.tables_inbox import AppliedSlaRecord

SWEEP = "inbox.sweep"
DELIVER = "inbox.deliver_reply"
EVERY = timedelta(minutes=5)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def schedule_sweep(session: Session, workspace_id: int, *, at: datetime | None = None) -> None:
    """Queue a sweep of the workspace (now, or in the five-minute slot of `at`), once per slot."""
    when = at or utcnow()
    slot = "now" if at is None else str(int(when.timestamp() // EVERY.total_seconds()))
    try:
        with session.begin_nested():
            enqueue(
                session,
                SWEEP,
                {"workspace_id": workspace_id},
                workspace_id=workspace_id,
                dedupe_key=f"{SWEEP}:{workspace_id}:{slot}",
                run_after=when,
            )
    except IntegrityError:  # the same slot is queued or running already: nothing to add
        pass


def schedule_delivery(session: Session, workspace_id: int, delivery_id: int) -> None:
    enqueue(
        session,
        DELIVER,
        {"workspace_id": workspace_id, "delivery_id": delivery_id},
        workspace_id=workspace_id,
        dedupe_key=f"{DELIVER}:{delivery_id}",
    )


def forget_evaluations(session: Session, workspace_id: int) -> None:
    """Make the next sweep re-apply every SLA of the workspace (after a policy changed)."""
    session.execute(
        update(AppliedSlaRecord)
        .where(AppliedSlaRecord.workspace_id == workspace_id)
        .values(evaluated_at=EPOCH)
    )
