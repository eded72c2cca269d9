"""Working a conversation: assign it, change its status (open, pending, snoozed until a time, resolved),
priority or unit, write an internal note, and do the same to many conversations at once. Every change
records a reporting event with who and when; status changes re-apply the conversation's SLA."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import (
    PRIORITIES,
    STATUSES,
    check_worker,
    get_conversation,
    record_event,
    unit_value,
)
from peyvand.services.inbox_jobs import schedule_sweep
from peyvand.services.sla_tracking import evaluate
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation
from peyvand.storage.tables_inbox import InboxNote

MAX_NOTE = 10_000
MAX_BULK = 500


@dataclass(frozen=True)
class Change:
    """What to change on a conversation; None leaves a field as it is. `assignee_id` 0 unassigns."""

    assignee_id: int | None = None
    status: str | None = None
    snoozed_until: datetime | None = None
    priority: str | None = None


def _assign(
    session: Session, actor: Actor, conversation: Conversation, assignee_id: int, now: datetime
) -> None:
    target = None if assignee_id == 0 else assignee_id
    if target is not None:
        check_worker(session, actor.workspace_id, target)
    if conversation.assignee_id == target:
        return
    previous, conversation.assignee_id = conversation.assignee_id, target
    record_event(
        session,
        conversation,
        "assigned",
        at=now,
        user_id=actor.user_id,
        previous=previous,
        assignee_id=target,
    )


def _status(
    session: Session,
    actor: Actor,
    conversation: Conversation,
    status: str,
    until: datetime | None,
    now: datetime,
) -> None:
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    if status == "snoozed" and (until is None or until <= now):
        raise InvalidInput("snoozing needs a time in the future to wake the conversation")
    if conversation.status == status and conversation.snoozed_until == (
        until if status == "snoozed" else None
    ):
        return
    previous = conversation.status
    conversation.status = status
    conversation.snoozed_until = until if status == "snoozed" else None
    conversation.resolved_at = now if status == "resolved" else None
    details = {"previous": previous, "status": status}
    if until is not None and status == "snoozed":
        details["until"] = until.isoformat()
        schedule_sweep(session, actor.workspace_id, at=until)
    record_event(session, conversation, "status", at=now, user_id=actor.user_id, **details)
    evaluate(session, actor.workspace_id, [conversation], now)


def _priority(
    session: Session, actor: Actor, conversation: Conversation, priority: str, now: datetime
) -> None:
    if priority not in PRIORITIES:
        raise InvalidInput(f"priority must be one of {', '.join(PRIORITIES)}")
    if conversation.priority == priority:
        return
    previous, conversation.priority = conversation.priority, priority
    record_event(
        session, conversation, "priority", at=now, user_id=actor.user_id, previous=previous, priority=priority
    )


def _apply(session: Session, actor: Actor, conversation: Conversation, change: Change, now: datetime) -> None:
    if change.assignee_id is not None:
        _assign(session, actor, conversation, change.assignee_id, now)
    if change.status is not None:
        _status(session, actor, conversation, change.status, change.snoozed_until, now)
    if change.priority is not None:
        _priority(session, actor, conversation, change.priority, now)


def update_conversation(store: Store, actor: Actor, *, conversation_id: int, change: Change) -> None:
    """Assign, change the status or the priority of one conversation."""
    require(actor, "conversations.work")
    now = utcnow()
    with store.transaction() as session:
        _apply(session, actor, get_conversation(session, actor, conversation_id), change, now)


def assign_conversation(store: Store, actor: Actor, *, conversation_id: int, assignee_id: int | None) -> None:
    """Give the conversation to a PR person or admin of the workspace (None: nobody)."""
    update_conversation(
        store, actor, conversation_id=conversation_id, change=Change(assignee_id=assignee_id or 0)
    )


def set_conversation_status(
    store: Store, actor: Actor, *, conversation_id: int, status: str, snoozed_until: datetime | None = None
) -> None:
    update_conversation(
        store,
        actor,
        conversation_id=conversation_id,
        change=Change(status=status, snoozed_until=snoozed_until),
    )


def set_conversation_priority(store: Store, actor: Actor, *, conversation_id: int, priority: str) -> None:
    update_conversation(store, actor, conversation_id=conversation_id, change=Change(priority=priority))


def set_conversation_unit(store: Store, actor: Actor, *, conversation_id: int, unit: str | None) -> None:
    """Move the conversation to PR's media or advertising unit, or to none; its SLA policy may change."""
    require(actor, "conversations.work")
    value, now = unit_value(unit), utcnow()
    with store.transaction() as session:
        conversation = get_conversation(session, actor, conversation_id)
        if conversation.unit == value:
            return
        previous, conversation.unit = conversation.unit, value
        record_event(
            session, conversation, "unit", at=now, user_id=actor.user_id, previous=previous, unit=value
        )
        evaluate(session, actor.workspace_id, [conversation], now)


def add_note(store: Store, actor: Actor, *, conversation_id: int, text: str) -> int:
    """An internal note on the conversation (never sent out); returns its id."""
    require(actor, "conversations.work")
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidInput(f"a note needs some text (up to {MAX_NOTE:,} characters)")
    now = utcnow()
    with store.transaction() as session:
        conversation = get_conversation(session, actor, conversation_id)
        note = InboxNote(
            workspace_id=actor.workspace_id,
            conversation_id=conversation.id,
            user_id=actor.user_id,
            text=text,
            created_at=now,
        )
        session.add(note)
        session.flush()
        record_event(session, conversation, "note", at=now, user_id=actor.user_id, note_id=note.id)
        return note.id


def bulk_update(store: Store, actor: Actor, *, conversation_ids: Sequence[int], change: Change) -> int:
    """Apply one change to many conversations in one transaction (all or none); returns how many."""
    require(actor, "conversations.work")
    ids = sorted(set(conversation_ids))
    if not ids:
        raise InvalidInput("select at least one conversation")
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"select at most {MAX_BULK} conversations at a time")
    if change == Change():
        raise InvalidInput("choose an assignee, a status or a priority to apply")
    now = utcnow()
    with store.transaction() as session:
        for conversation_id in ids:
            _apply(session, actor, get_conversation(session, actor, conversation_id), change, now)
    return len(ids)
