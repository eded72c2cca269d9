"""What follows a written ingest batch: the features that react to new items, listed in one place.

`after_batch` runs inside the batch's transaction, so every job it queues exists exactly when the items
that caused it do (the jobs table is a transactional outbox), and a crash loses neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from peyvand.services.access import OPERATOR


@dataclass(frozen=True)
class BatchWritten:
    """What one committed-to-be batch added to a workspace."""

    workspace_id: int
    conversation_ids: set[int] = field(default_factory=set)
    feedback: set[str] = field(default_factory=set)  # kinds of feedback accepted in the batch
    pending_enrichment: bool = False  # text items stored before they were understood (the API path)


def after_batch(session: Session, batch: BatchWritten) -> None:
    from peyvand.services.enrichment import queue_enrichment
    from peyvand.services.inbox_sweep import after_ingest as reopen_and_sweep
    from peyvand.services.marketing_jobs import after_reactions
    from peyvand.services.reputation_jobs import queue_reputation_jobs

    ws = batch.workspace_id
    reopen_and_sweep(session, ws, batch.conversation_ids)  # the inbox: parked conversations, SLA sweep
    after_reactions(session, ws, batch.feedback)  # the marketing desk: the incremental signal job
    if batch.pending_enrichment:
        queue_enrichment(session, ws)  # understood later; that job queues the reputation refresh
    elif batch.feedback & {"interaction", "mention"}:  # crises and content pickups
        queue_reputation_jobs(session, ws, {"workspace_id": ws, "user_id": None, "role": OPERATOR})
