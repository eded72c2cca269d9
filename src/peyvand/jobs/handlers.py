"""Job kinds and the functions that run them. A job's payload names its workspace and who asked."""

from __future__ import annotations

from typing import Any

from peyvand.jobs.inbox import INBOX_HANDLERS
from peyvand.jobs.ingest import INGEST_HANDLERS
from peyvand.jobs.marketing import MARKETING_HANDLERS
from peyvand.jobs.queue import Handler
from peyvand.jobs.text import TEXT_HANDLERS
from peyvand.services.access import Actor
from peyvand.storage.db import Store

REBUILD_ROLLUPS = "rebuild_rollups"


def _actor(payload: dict[str, Any]) -> Actor:
    return Actor(
        workspace_id=int(payload["workspace_id"]), role=str(payload["role"]), user_id=payload.get("user_id")
    )


def _rebuild_rollups(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.series import rebuild_rollups

    rebuild_rollups(store, _actor(payload))


def _detect_crises(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.crises import detect_crises

    detect_crises(store, _actor(payload))


def _find_pickups(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.content_spread import find_pickups

    find_pickups(store, _actor(payload))


# Jobs a person is waiting for: what just came in gets its understanding and route, a reply goes out, an
# uploaded file is read. The worker runs them first, in a lane of their own.
URGENT = ("ingest.enrich", "inbox.deliver_reply", "ingest.upload")

HANDLERS: dict[str, Handler] = {
    REBUILD_ROLLUPS: _rebuild_rollups,
    "detect_crises": _detect_crises,  # peyvand.services.reputation_jobs.DETECT_CRISES
    "find_pickups": _find_pickups,  # peyvand.services.reputation_jobs.FIND_PICKUPS
    **INBOX_HANDLERS,  # inbox.sweep, inbox.deliver_reply (peyvand.services.inbox_jobs)
    **INGEST_HANDLERS,  # ingest.enrich, ingest.upload (peyvand.services.enrichment, .uploads)
    **MARKETING_HANDLERS,  # detect_signals, loops_crisis_pauses (peyvand.services.marketing_jobs)
    **TEXT_HANDLERS,  # text.train, text.reenrich (peyvand.services.text_models)
}
