"""The inbox's background work for one workspace: wake snoozed conversations whose time has come, assign
new conversations, apply SLAs and escalate. Ingest asks for it (`after_ingest`, inside its batch
transaction); it then repeats every few minutes while there is something to watch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from peyvand.services.assignment import auto_assign
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import record_event
from peyvand.services.inbox_jobs import EVERY, schedule_sweep
from peyvand.services.sla_tracking import evaluate
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, Item
from peyvand.storage.tables_inbox import AppliedSlaRecord, AssignmentSettings, InboxEvent, SlaPolicyRecord

MAX_EVALUATED = 5000


@dataclass(frozen=True)
class SweepResult:
    woken: int
    assigned: int
    evaluated: int
    escalated: int


def _status_changed_at(session: Session, conversation_ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(InboxEvent.conversation_id, func.max(InboxEvent.at))
        .where(InboxEvent.conversation_id.in_(conversation_ids), InboxEvent.kind == "status")
        .group_by(InboxEvent.conversation_id)
    )
    return {cid: at for cid, at in rows if cid is not None}


def _last_inbound(session: Session, conversation_ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(Item.conversation_id, func.max(Item.occurred_at))
        .where(Item.conversation_id.in_(conversation_ids), Item.direction != "outbound")
        .group_by(Item.conversation_id)
    )
    return {cid: at for cid, at in rows if cid is not None}


def after_ingest(session: Session, workspace_id: int, conversation_ids: set[int]) -> None:
    """Called by ingest for the conversations a batch touched: a new inbound message reopens a pending or
    snoozed conversation (a resolved one is reopened by ingest itself), and a sweep is queued."""
    if not conversation_ids:
        return
    ids = sorted(conversation_ids)
    parked = list(
        session.scalars(
            select(Conversation).where(
                Conversation.id.in_(ids), Conversation.status.in_(("pending", "snoozed"))
            )
        )
    )
    if parked:
        changed = _status_changed_at(session, [c.id for c in parked])
        inbound = _last_inbound(session, [c.id for c in parked])
        now = utcnow()
        for conversation in parked:
            since, latest = changed.get(conversation.id), inbound.get(conversation.id)
            if latest is not None and (since is None or latest > since):
                previous = conversation.status
                conversation.status, conversation.snoozed_until = "open", None
                record_event(
                    session, conversation, "status", at=now, actor="ingest", previous=previous, status="open"
                )
    schedule_sweep(session, workspace_id)


def _wake(session: Session, workspace_id: int, now: datetime) -> int:
    due = session.scalars(
        select(Conversation).where(
            Conversation.workspace_id == workspace_id,
            Conversation.status == "snoozed",
            Conversation.snoozed_until <= now,
        )
    )
    woken = 0
    for conversation in due:
        conversation.status, conversation.snoozed_until = "open", None
        record_event(session, conversation, "status", at=now, actor="sla", previous="snoozed", status="open")
        woken += 1
    return woken


def _needing_evaluation(session: Session, workspace_id: int) -> list[Conversation]:
    query = (
        select(Conversation)
        .outerjoin(AppliedSlaRecord, AppliedSlaRecord.conversation_id == Conversation.id)
        .where(Conversation.workspace_id == workspace_id)
        .where(
            or_(
                Conversation.status != "resolved",
                AppliedSlaRecord.id.is_(None),
                AppliedSlaRecord.evaluated_at < Conversation.last_message_at,
                AppliedSlaRecord.evaluated_at < Conversation.resolved_at,
            )
        )
        .order_by(Conversation.last_message_at.desc())
        .limit(MAX_EVALUATED)
    )
    return list(session.scalars(query))


def _has_watch(session: Session, workspace_id: int) -> bool:
    """Whether the clock has work left: an open conversation under an active policy or waiting for
    automatic assignment, or a snoozed one to wake. (A quiet workspace stops repeating; ingest starts the
    sweep again.)"""
    in_workspace = Conversation.workspace_id == workspace_id
    policy = select(SlaPolicyRecord.id).where(
        SlaPolicyRecord.workspace_id == workspace_id, SlaPolicyRecord.active.is_(True)
    )
    auto = select(AssignmentSettings.id).where(
        AssignmentSettings.workspace_id == workspace_id, AssignmentSettings.auto_assign.is_(True)
    )
    checks = (
        select(Conversation.id).where(in_workspace, Conversation.status != "resolved", policy.exists()),
        select(Conversation.id).where(
            in_workspace,
            Conversation.status.in_(("open", "pending")),
            Conversation.assignee_id.is_(None),
            auto.exists(),
        ),
        select(Conversation.id).where(in_workspace, Conversation.status == "snoozed"),
    )
    return any(session.scalar(q.limit(1)) is not None for q in checks)


def sweep_inbox(
    store: Store, *, workspace_id: int, now: datetime | None = None, repeat: bool = True
) -> SweepResult:
    """Run the sweep for one workspace (the `inbox.sweep` job); with `repeat`, queue the next one."""
    now = now or utcnow()
    with store.transaction() as session:
        woken = _wake(session, workspace_id, now)
        assigned = auto_assign(session, workspace_id, now)
        before = (
            session.scalar(
                select(func.count()).where(
                    InboxEvent.workspace_id == workspace_id, InboxEvent.kind == "escalated"
                )
            )
            or 0
        )
        evaluated = evaluate(session, workspace_id, _needing_evaluation(session, workspace_id), now)
        after = (
            session.scalar(
                select(func.count()).where(
                    InboxEvent.workspace_id == workspace_id, InboxEvent.kind == "escalated"
                )
            )
            or 0
        )
        if repeat and _has_watch(session, workspace_id):
            schedule_sweep(session, workspace_id, at=now + EVERY)
    return SweepResult(woken, assigned, evaluated, after - before)
