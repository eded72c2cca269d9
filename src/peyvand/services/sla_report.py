"""The SLA report: for each target (first response, next response, resolution), the share of decided
SLAs that were met, per policy, per person or per unit, with its sample size and a 95% Wilson interval
(docs/formulas-inbox.md). Conversations count in the period of their first message."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.sla_tracking import shown_status
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, User
from peyvand.storage.tables_inbox import AppliedSlaRecord, SlaPolicyRecord

TARGETS = ("first_response", "next_response", "resolution")
GROUPINGS = ("policy", "person", "unit")
Z95 = 1.959963984540054


@dataclass(frozen=True)
class SlaReportRow:
    group: str
    target: str
    hit: int
    missed: int
    running: int

    @property
    def decided(self) -> int:
        return self.hit + self.missed

    @property
    def met(self) -> float | None:
        """Share met = hit ÷ (hit + missed); running SLAs are not yet decided and do not count."""
        return self.hit / self.decided if self.decided else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.hit, self.decided)

    def to_json(self) -> dict[str, Any]:
        low, high = self.interval or (None, None)
        return {
            "group": self.group,
            "target": self.target,
            "hit": self.hit,
            "missed": self.missed,
            "running": self.running,
            "n": self.decided,
            "met": self.met,
            "met_low": low,
            "met_high": high,
        }


@dataclass
class SlaReport:
    by: str
    days: int
    start: datetime
    end: datetime
    rows: list[SlaReportRow]


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (docs/formulas-inbox.md); None when n is 0."""
    if n == 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _group(by: str, policy: str, person: str | None, unit: str | None) -> str:
    if by == "person":
        return person or "unassigned"
    if by == "unit":
        return unit or "none"
    return policy


def sla_report(
    store: Store, actor: Actor, *, days: int = 30, by: str = "policy", now: datetime | None = None
) -> SlaReport:
    """% met per target for conversations that started in the last `days` days, grouped `by` policy,
    person (the assignee) or unit; the group "all" sums every conversation."""
    require(actor, "pr_desk.read")
    if by not in GROUPINGS:
        raise InvalidInput(f"group by one of {', '.join(GROUPINGS)}")
    now = now or utcnow()
    start = now - timedelta(days=days)
    query = (
        select(AppliedSlaRecord, SlaPolicyRecord.name, User.display_name, Conversation.unit)
        .join(Conversation, Conversation.id == AppliedSlaRecord.conversation_id)
        .join(SlaPolicyRecord, SlaPolicyRecord.id == AppliedSlaRecord.policy_id)
        .outerjoin(User, User.id == Conversation.assignee_id)
        .where(AppliedSlaRecord.workspace_id == actor.workspace_id, Conversation.first_message_at >= start)
    )
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"hit": 0, "missed": 0, "running": 0})
    with store.read() as session:
        for applied, policy, person, unit in session.execute(query):
            for target in TARGETS:
                status = shown_status(
                    getattr(applied, f"{target}_status"), getattr(applied, f"{target}_due_at"), now
                )
                if status in ("hit", "missed", "running"):
                    counts[(_group(by, policy, person, unit), target)][status] += 1
                    counts[("all", target)][status] += 1
    rows = [SlaReportRow(group, target, **c) for (group, target), c in counts.items()]
    rows.sort(key=lambda r: (r.group != "all", r.group, TARGETS.index(r.target)))
    return SlaReport(by, days, start, now, rows)
