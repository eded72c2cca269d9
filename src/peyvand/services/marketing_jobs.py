"""The marketing desk's background jobs, and the hook that queues the signal job after reactions arrive.

`after_reactions` is called inside ingest's batch transaction, so the job exists exactly when the
reactions that asked for it were committed (the jobs table is a transactional outbox). The job runs the
signal engine incrementally (only the new periods) and then re-checks which loops a PR crisis pauses.
This module stays light (no analysis imports): ingest imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from peyvand.jobs.queue import enqueue
from peyvand.services.access import OPERATOR, Actor, require
from peyvand.storage.db import Store

DETECT_SIGNALS = "detect_signals"
LOOP_CRISIS_PAUSES = "loops_crisis_pauses"
HISTORY = "history"


def _queue(session: Session, kind: str, payload: dict[str, Any], *, variant: str = "") -> None:
    """Queue `kind` for the payload's workspace; each variant (an incremental run, a history run) is
    deduplicated on its own, so asking for a history run is never swallowed by a queued incremental one."""
    workspace_id = int(payload["workspace_id"])
    key = f"{kind}:{workspace_id}" + (f":{variant}" if variant else "")
    enqueue(session, kind, payload, workspace_id=workspace_id, dedupe_key=key)


def after_reactions(session: Session, workspace_id: int, feedbacks: Iterable[str]) -> None:
    """Queue the incremental signal job when a batch stored reactions (called by ingest)."""
    if "reaction" in feedbacks:
        _queue(session, DETECT_SIGNALS, {"workspace_id": workspace_id, "role": OPERATOR, "user_id": None})


def queue_signal_detection(store: Store, actor: Actor, *, history: bool = False) -> None:
    """Ask the worker to run the signal job now: over the whole history, or only what is new."""
    require(actor, "signals.refresh")
    payload = {"workspace_id": actor.workspace_id, "role": actor.role, "user_id": actor.user_id}
    if history:
        payload[HISTORY] = True
    with store.transaction() as session:
        _queue(session, DETECT_SIGNALS, payload, variant=HISTORY if history else "")


def queue_crisis_pauses(store: Store, actor: Actor) -> None:
    """Ask the worker to pause (or resume) loops for the workspace's crisis state; for PR's crisis
    decisions to call after confirming or closing a crisis."""
    require(actor, "reputation.read")
    payload = {"workspace_id": actor.workspace_id, "role": OPERATOR, "user_id": actor.user_id}
    with store.transaction() as session:
        _queue(session, LOOP_CRISIS_PAUSES, payload)
