"""The inbox's job kinds: the sweep of a workspace (snoozes, assignment, SLAs, escalation) and the
delivery of one reply to the outbound integration."""

from __future__ import annotations

from typing import Any

from peyvand.jobs.queue import Handler
from peyvand.storage.db import Store


def _sweep(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.inbox_sweep import sweep_inbox

    sweep_inbox(store, workspace_id=int(payload["workspace_id"]))


def _deliver(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.outbound import deliver_reply

    deliver_reply(store, delivery_id=int(payload["delivery_id"]))


INBOX_HANDLERS: dict[str, Handler] = {"inbox.sweep": _sweep, "inbox.deliver_reply": _deliver}
