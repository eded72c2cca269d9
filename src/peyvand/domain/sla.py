"""SLA policies and the applied SLA of one conversation: hit, missed or running, with due times.

A conversation's timeline is cut into **waits**: a wait starts at an inbound message that arrives while
nobody is waiting for the brand, and ends at the brand's next outbound reply, or at resolution. The first
wait is measured against the first-response target, every later one against the next-response target;
resolution is measured from the first inbound message. Targets are in business minutes of the policy's
hours. Resolution stops every clock (no wait keeps counting after it). An inbound message after the
resolution time reopens the conversation, and the resolution is then ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from peyvand.domain.business_hours import (
    ALWAYS_OPEN,
    TEHRAN,
    BusinessHours,
    add_business_minutes,
    business_minutes_between,
)
from peyvand.domain.vocabulary import Direction


class SlaStatus(StrEnum):
    HIT = "hit"
    MISSED = "missed"
    RUNNING = "running"
    NOT_APPLICABLE = "not_applicable"


TargetKind = Literal["first_response", "next_response", "resolution"]


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets in business minutes (None: no target) and the hours and zone the clock runs in."""

    name: str
    first_response_minutes: float | None = None
    next_response_minutes: float | None = None
    resolution_minutes: float | None = None
    escalate_after_minutes: float | None = None
    hours: BusinessHours = ALWAYS_OPEN
    tz: ZoneInfo = TEHRAN


@dataclass(frozen=True, slots=True)
class TimelineMessage:
    at: datetime
    direction: Direction


@dataclass(frozen=True, slots=True)
class Wait:
    """A span in which the customer waits for the brand; `end` None while still waiting."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True, slots=True)
class AppliedTarget:
    """One target applied to a conversation. For next response it sums every later wait: `due_at`,
    `met_at` and `elapsed_minutes` are those of the last wait, `breaches` counts the missed ones."""

    kind: TargetKind
    status: SlaStatus
    target_minutes: float | None
    due_at: datetime | None = None
    met_at: datetime | None = None
    elapsed_minutes: float | None = None
    breaches: int = 0


@dataclass(frozen=True, slots=True)
class AppliedSla:
    policy: str
    first_response: AppliedTarget
    next_response: AppliedTarget
    resolution: AppliedTarget
    waiting_since: datetime | None
    waiting_minutes: float
    escalate: bool

    @property
    def status(self) -> SlaStatus:
        """Missed if any target is missed, else running if any runs, else hit (or not applicable)."""
        statuses = {self.first_response.status, self.next_response.status, self.resolution.status}
        for status in (SlaStatus.MISSED, SlaStatus.RUNNING, SlaStatus.HIT):
            if status in statuses:
                return status
        return SlaStatus.NOT_APPLICABLE


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


def effective_resolution(
    messages: Iterable[TimelineMessage], resolved_at: datetime | None
) -> datetime | None:
    """`resolved_at`, unless an inbound message came after it (the conversation was reopened)."""
    if resolved_at is None:
        return None
    resolved = _utc(resolved_at)
    reopened = any(m.direction == Direction.INBOUND and _utc(m.at) > resolved for m in messages)
    return None if reopened else resolved


def waits(messages: Iterable[TimelineMessage], resolved_at: datetime | None = None) -> list[Wait]:
    """Cut a timeline into waits (module docstring); outbound messages nobody waited for are ignored."""
    found: list[Wait] = []
    since: datetime | None = None
    for message in sorted(messages, key=lambda m: _utc(m.at)):
        at = _utc(message.at)
        if resolved_at is not None and at > resolved_at:
            break
        if message.direction == Direction.INBOUND and since is None:
            since = at
        elif message.direction == Direction.OUTBOUND and since is not None:
            found.append(Wait(since, at))
            since = None
    if since is not None:
        found.append(Wait(since, resolved_at))
    return found


def _apply(
    policy: SlaPolicy, kind: TargetKind, target: float | None, wait: Wait, now: datetime
) -> AppliedTarget:
    if target is None:
        return AppliedTarget(kind, SlaStatus.NOT_APPLICABLE, None)
    due = add_business_minutes(wait.start, target, policy.hours, policy.tz)
    stop = wait.end if wait.end is not None else now
    elapsed = business_minutes_between(wait.start, stop, policy.hours, policy.tz)
    if wait.end is not None:
        status = SlaStatus.HIT if wait.end <= due else SlaStatus.MISSED
    else:
        status = SlaStatus.MISSED if now > due else SlaStatus.RUNNING
    return AppliedTarget(kind, status, target, due, wait.end, elapsed, int(status == SlaStatus.MISSED))


def _next_response(policy: SlaPolicy, later: list[Wait], now: datetime) -> AppliedTarget:
    target = policy.next_response_minutes
    if target is None or not later:
        return AppliedTarget("next_response", SlaStatus.NOT_APPLICABLE, target)
    applied = [_apply(policy, "next_response", target, wait, now) for wait in later]
    breaches = sum(a.breaches for a in applied)
    last = applied[-1]
    status = SlaStatus.MISSED if breaches else last.status
    return AppliedTarget(
        "next_response", status, target, last.due_at, last.met_at, last.elapsed_minutes, breaches
    )


def apply_sla(
    policy: SlaPolicy,
    messages: Iterable[TimelineMessage],
    *,
    now: datetime,
    resolved_at: datetime | None = None,
) -> AppliedSla:
    """The SLA status of one conversation at `now`, and whether its current wait calls for escalation."""
    timeline = list(messages)
    now = _utc(now)
    resolved = effective_resolution(timeline, resolved_at)
    cut = waits(timeline, resolved)
    if not cut:
        empty = AppliedTarget("first_response", SlaStatus.NOT_APPLICABLE, policy.first_response_minutes)
        none_next = AppliedTarget("next_response", SlaStatus.NOT_APPLICABLE, policy.next_response_minutes)
        none_res = AppliedTarget("resolution", SlaStatus.NOT_APPLICABLE, policy.resolution_minutes)
        return AppliedSla(policy.name, empty, none_next, none_res, None, 0.0, False)
    open_wait = cut[-1] if cut[-1].end is None else None
    waiting = 0.0
    if open_wait is not None:
        waiting = business_minutes_between(open_wait.start, now, policy.hours, policy.tz)
    limit = policy.escalate_after_minutes
    return AppliedSla(
        policy=policy.name,
        first_response=_apply(policy, "first_response", policy.first_response_minutes, cut[0], now),
        next_response=_next_response(policy, cut[1:], now),
        resolution=_apply(policy, "resolution", policy.resolution_minutes, Wait(cut[0].start, resolved), now),
        waiting_since=None if open_wait is None else open_wait.start,
        waiting_minutes=waiting,
        escalate=limit is not None and open_wait is not None and waiting >= limit,
    )
