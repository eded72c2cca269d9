"""Applying SLA policies to conversations: each target hit, missed or running with its due time, kept in
`applied_slas`, and escalation when a conversation has waited longer than its policy allows.

Helpers here run inside the caller's transaction (the sweep job, or a service that changed the
conversation). The clock itself is `peyvand.domain.sla.apply_sla`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.domain.sla import AppliedSla, AppliedTarget, SlaStatus, TimelineMessage, apply_sla
from peyvand.domain.vocabulary import Direction
from peyvand.services.inbox_common import PRIORITIES, record_event
from peyvand.services.sla_policies import active_policies, domain_policy, policy_for_unit, policy_years
from peyvand.storage.tables import Conversation, Item, Workspace
from peyvand.storage.tables_inbox import AppliedSlaRecord, SlaPolicyRecord

ESCALATED_PRIORITY = "urgent"


def timelines(session: Session, conversation_ids: Sequence[int]) -> dict[int, list[TimelineMessage]]:
    """Every conversation's messages as (time, direction), for the SLA clock."""
    found: dict[int, list[TimelineMessage]] = defaultdict(list)
    for start in range(0, len(conversation_ids), 500):
        rows = session.execute(
            select(Item.conversation_id, Item.occurred_at, Item.direction).where(
                Item.conversation_id.in_(conversation_ids[start : start + 500])
            )
        )
        for conv_id, at, direction in rows:
            if conv_id is not None:
                found[conv_id].append(TimelineMessage(at, Direction(direction)))
    return found


def applied_now(
    record: SlaPolicyRecord,
    conversation: Conversation,
    messages: list[TimelineMessage],
    *,
    tz: ZoneInfo,
    now: datetime,
) -> AppliedSla:
    """The SLA of one conversation under one policy at `now`."""
    policy = domain_policy(record, tz, policy_years(conversation.first_message_at, now))
    resolved = conversation.resolved_at if conversation.status == "resolved" else None
    return apply_sla(policy, messages, now=now, resolved_at=resolved)


def next_due(applied: AppliedSla) -> datetime | None:
    """The earliest due time among the targets still running."""
    running = [
        t.due_at
        for t in (applied.first_response, applied.next_response, applied.resolution)
        if t.status == SlaStatus.RUNNING and t.due_at is not None
    ]
    return min(running) if running else None


def _store(row: AppliedSlaRecord, applied: AppliedSla, now: datetime) -> None:
    targets: tuple[tuple[str, AppliedTarget], ...] = (
        ("first_response", applied.first_response),
        ("next_response", applied.next_response),
        ("resolution", applied.resolution),
    )
    for name, target in targets:
        setattr(row, f"{name}_status", target.status.value)
        setattr(row, f"{name}_due_at", target.due_at)
    row.next_response_breaches = applied.next_response.breaches
    row.status = applied.status.value
    row.next_due_at = next_due(applied)
    row.waiting_minutes = applied.waiting_minutes
    row.evaluated_at = now


def _escalate(
    session: Session, conversation: Conversation, row: AppliedSlaRecord, applied: AppliedSla, now: datetime
) -> None:
    if applied.escalate and row.escalated_at is None:
        row.escalated_at = now
        previous = conversation.priority
        if PRIORITIES.index(previous if previous in PRIORITIES else "normal") < PRIORITIES.index(
            ESCALATED_PRIORITY
        ):
            conversation.priority = ESCALATED_PRIORITY
        record_event(
            session,
            conversation,
            "escalated",
            at=now,
            actor="sla",
            waiting_minutes=round(applied.waiting_minutes, 1),
            previous_priority=previous,
        )
    elif applied.waiting_since is None and row.escalated_at is not None:
        row.escalated_at = None


def evaluate(
    session: Session, workspace_id: int, conversations: Iterable[Conversation], now: datetime
) -> int:
    """Apply the workspace's policies to these conversations, store the results and escalate; returns how
    many were evaluated. A conversation no policy covers loses its applied SLA."""
    chosen = list(conversations)
    policies = active_policies(session, workspace_id)
    workspace = session.get(Workspace, workspace_id)
    assert workspace is not None
    tz = ZoneInfo(workspace.timezone)
    existing = {
        row.conversation_id: row
        for start in range(0, len(chosen), 500)
        for row in session.scalars(
            select(AppliedSlaRecord).where(
                AppliedSlaRecord.conversation_id.in_([c.id for c in chosen[start : start + 500]])
            )
        )
    }
    messages = timelines(session, [c.id for c in chosen])
    for conversation in chosen:
        record = policy_for_unit(policies, conversation.unit)
        row = existing.get(conversation.id)
        if record is None:
            if row is not None:
                session.delete(row)
            continue
        applied = applied_now(record, conversation, messages.get(conversation.id, []), tz=tz, now=now)
        if row is None:
            row = AppliedSlaRecord(
                workspace_id=workspace_id, conversation_id=conversation.id, policy_id=record.id
            )
            session.add(row)
        row.policy_id = record.id
        _store(row, applied, now)
        _escalate(session, conversation, row, applied, now)
    session.flush()
    return len(chosen)


def live_sla(session: Session, conversation: Conversation, now: datetime) -> AppliedSla | None:
    """The conversation's SLA computed at `now` (the conversation page shows it live)."""
    record = policy_for_unit(active_policies(session, conversation.workspace_id), conversation.unit)
    if record is None:
        return None
    workspace = session.get(Workspace, conversation.workspace_id)
    assert workspace is not None
    messages = timelines(session, [conversation.id]).get(conversation.id, [])
    return applied_now(record, conversation, messages, tz=ZoneInfo(workspace.timezone), now=now)


def shown_status(status: str | None, next_due_at: datetime | None, now: datetime) -> str | None:
    """A stored "running" whose due time has passed is shown as missed until the next evaluation."""
    if status == SlaStatus.RUNNING and next_due_at is not None and next_due_at < now:
        return SlaStatus.MISSED.value
    return status
