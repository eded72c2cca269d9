"""The marketing desk's job kinds: the signal job (incremental after ingest, or over the whole history
when asked), followed by the loops' crisis check; and the crisis check alone."""

from __future__ import annotations

from typing import Any

from peyvand.jobs.queue import Handler
from peyvand.services.access import Actor
from peyvand.storage.db import Store


def _actor(payload: dict[str, Any]) -> Actor:
    user_id = payload.get("user_id")
    return Actor(int(payload["workspace_id"]), str(payload["role"]), int(user_id) if user_id else None)


def _detect_signals(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.loops import apply_crisis_pauses
    from peyvand.services.signals import detect_signals

    actor = _actor(payload)
    detect_signals(store, actor, history=bool(payload.get("history")))
    apply_crisis_pauses(store, Actor.operator(actor.workspace_id))


def _crisis_pauses(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.loops import apply_crisis_pauses

    apply_crisis_pauses(store, _actor(payload))


# Keys are peyvand.services.marketing_jobs.DETECT_SIGNALS and LOOP_CRISIS_PAUSES.
MARKETING_HANDLERS: dict[str, Handler] = {
    "detect_signals": _detect_signals,
    "loops_crisis_pauses": _crisis_pauses,
}
