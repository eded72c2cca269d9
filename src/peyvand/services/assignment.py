"""Assignment by unit: who is in the rotation and for which units, the strategy (round robin or least
load) and the per-person cap; and the auto-assignment the inbox sweep runs on new conversations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peyvand.domain.assignment import Candidate, Strategy, pick_assignee
from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import UNITS, check_worker, record_event, workers
from peyvand.services.inbox_jobs import schedule_sweep
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation
from peyvand.storage.tables_inbox import AssignmentSettings, InboxAgent

OPEN_STATUSES = ("open", "pending", "snoozed")
BATCH = 500


@dataclass(frozen=True)
class AgentInfo:
    user_id: int
    name: str
    units: list[str]
    in_rotation: bool
    open_load: int
    last_assigned_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["last_assigned_at"] = self.last_assigned_at.isoformat() if self.last_assigned_at else None
        return data


@dataclass(frozen=True)
class AssignmentView:
    strategy: str
    cap: int | None
    auto_assign: bool
    agents: list[AgentInfo]


def open_loads(session: Session, workspace_id: int) -> dict[int, int]:
    rows = session.execute(
        select(Conversation.assignee_id, func.count())
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.assignee_id.is_not(None),
            Conversation.status.in_(OPEN_STATUSES),
        )
        .group_by(Conversation.assignee_id)
    )
    return {uid: n for uid, n in rows if uid is not None}


def _settings(session: Session, workspace_id: int) -> AssignmentSettings | None:
    return session.scalar(select(AssignmentSettings).where(AssignmentSettings.workspace_id == workspace_id))


def assignment_view(store: Store, actor: Actor) -> AssignmentView:
    """The settings and everyone who can work the inbox, with their units and current load."""
    require(actor, "conversations.read_all")
    with store.read() as session:
        settings = _settings(session, actor.workspace_id)
        agents = {
            a.user_id: a
            for a in session.scalars(select(InboxAgent).where(InboxAgent.workspace_id == actor.workspace_id))
        }
        loads = open_loads(session, actor.workspace_id)
        people = [
            AgentInfo(
                uid,
                name,
                list(agents[uid].units) if uid in agents else [],
                agents[uid].in_rotation if uid in agents else False,
                loads.get(uid, 0),
                agents[uid].last_assigned_at if uid in agents else None,
            )
            for uid, name in workers(session, actor.workspace_id)
        ]
    if settings is None:
        return AssignmentView(Strategy.ROUND_ROBIN.value, None, False, people)
    return AssignmentView(settings.strategy, settings.cap, settings.auto_assign, people)


def save_assignment_settings(
    store: Store, actor: Actor, *, strategy: str, cap: int | None, auto_assign: bool
) -> None:
    """Choose the strategy, the cap of open conversations per person (None: no cap) and whether new
    conversations are assigned automatically; admins only."""
    require(actor, "workspace.admin")
    if strategy not in {s.value for s in Strategy}:
        raise InvalidInput("strategy must be round_robin or least_load")
    if cap is not None and cap < 1:
        raise InvalidInput("the cap must be at least 1 (leave it empty for no cap)")
    with store.transaction() as session:
        settings = _settings(session, actor.workspace_id)
        if settings is None:
            settings = AssignmentSettings(workspace_id=actor.workspace_id)
            session.add(settings)
        settings.strategy, settings.cap, settings.auto_assign = strategy, cap, auto_assign
        settings.updated_at, settings.updated_by = utcnow(), actor.user_id
        if auto_assign:
            schedule_sweep(session, actor.workspace_id)


def set_agent(store: Store, actor: Actor, *, user_id: int, units: list[str], in_rotation: bool) -> None:
    """Put a person in (or out of) the rotation for some units (media, advertising, none); admins only."""
    require(actor, "workspace.admin")
    unknown = set(units) - set(UNITS)
    if unknown:
        raise InvalidInput(f"units must be among {', '.join(UNITS)}")
    with store.transaction() as session:
        check_worker(session, actor.workspace_id, user_id)
        agent = session.scalar(
            select(InboxAgent).where(
                InboxAgent.workspace_id == actor.workspace_id, InboxAgent.user_id == user_id
            )
        )
        if agent is None:
            agent = InboxAgent(workspace_id=actor.workspace_id, user_id=user_id)
            session.add(agent)
        agent.units = [u for u in UNITS if u in units]
        agent.in_rotation = in_rotation


def _unassigned(session: Session, workspace_id: int) -> list[Conversation]:
    """Open or pending PR conversations nobody holds, oldest first (a batch at a time)."""
    return list(
        session.scalars(
            select(Conversation)
            .where(
                Conversation.workspace_id == workspace_id,
                Conversation.assignee_id.is_(None),
                Conversation.status.in_(("open", "pending")),
                (Conversation.team == "pr") | Conversation.team.is_(None),
            )
            .order_by(Conversation.first_message_at, Conversation.id)
            .limit(BATCH)
        )
    )


def auto_assign(session: Session, workspace_id: int, now: datetime) -> int:
    """Give unassigned open PR conversations (oldest first) to the rotation; returns how many were given.
    Conversations nobody can take (no one for the unit, everyone at the cap) wait for the next sweep."""
    settings = _settings(session, workspace_id)
    if settings is None or not settings.auto_assign:
        return 0
    agents = list(
        session.scalars(
            select(InboxAgent).where(
                InboxAgent.workspace_id == workspace_id, InboxAgent.in_rotation.is_(True)
            )
        )
    )
    if not agents:
        return 0
    loads = open_loads(session, workspace_id)
    pool = {
        a.user_id: Candidate(a.user_id, frozenset(a.units), loads.get(a.user_id, 0), a.last_assigned_at)
        for a in agents
    }
    waiting = _unassigned(session, workspace_id)
    by_user = {a.user_id: a for a in agents}
    given = 0
    for conversation in waiting:
        chosen = pick_assignee(
            pool.values(), unit=conversation.unit, strategy=settings.strategy, cap=settings.cap
        )
        if chosen is None:
            continue
        at = now + timedelta(microseconds=given)  # keeps the round-robin order within one batch
        conversation.assignee_id = chosen.user_id
        by_user[chosen.user_id].last_assigned_at = at
        pool[chosen.user_id] = Candidate(chosen.user_id, chosen.units, chosen.open_load + 1, at)
        record_event(
            session, conversation, "assigned", at=now, actor="assignment", assignee_id=chosen.user_id
        )
        given += 1
    return given
