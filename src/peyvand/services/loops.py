"""Loops (nurture sequences): saving them, their conversion and drop-off, and pausing them.

A loop is paused by a person (`pause_loop`, `resume_loop`), or by a PR crisis: while PR has a confirmed
crisis open (the `crises` table, when the schema has it), every loop not marked crisis-safe pauses with
the rule's reason (`analysis.loops.should_pause`), and resumes when the crisis is closed.
`apply_crisis_pauses` writes that state (the signal job runs it after every ingest of reactions, and
PR's crisis decisions can queue it); the pages show the same state at once, without waiting for the job,
through `LoopView.effective_pause`. Analysis formulas: docs/formulas-marketing.md §5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.analysis.loops import Loop, LoopEvent, LoopEventType, LoopReport, analyse_loop, should_pause
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.schema import metadata
from peyvand.storage.tables import AuditEntry, Campaign
from peyvand.storage.tables_marketing import Audience, LoopEventRecord, LoopStep, MarketingLoop

PERSON_REASON = {"en": "Paused by a person.", "fa": "یک نفر آن را متوقف کرد."}


@dataclass(frozen=True)
class StepView:
    key: str
    position: int
    content_key: str | None
    wait_days: int | None


@dataclass(frozen=True)
class LoopView:
    id: int
    key: str
    name: str
    name_en: str | None
    channel: str | None
    campaign: str | None
    segment: str | None
    segment_name: str | None
    segment_name_en: str | None
    crisis_safe: bool
    status: str
    paused_by: str | None
    pause_reason: dict[str, str]
    paused_at: datetime | None
    steps: tuple[StepView, ...]
    crisis_active: bool = False

    @property
    def effective_pause(self) -> tuple[str, dict[str, str]] | None:
        """(who, reason) when the loop must not send now: its stored pause, or an open crisis."""
        if self.status == "paused":
            return self.paused_by or "person", self.pause_reason or PERSON_REASON
        decision = should_pause(self.as_loop(), self.crisis_active)
        return ("crisis", decision.reason) if decision.pause else None

    def as_loop(self) -> Loop:
        return Loop(self.key, tuple(s.key for s in self.steps), self.crisis_safe)

    def to_json(self) -> dict[str, Any]:
        pause = self.effective_pause
        return {
            "key": self.key,
            "name": self.name,
            "name_en": self.name_en,
            "channel": self.channel,
            "campaign": self.campaign,
            "segment": self.segment,
            "crisis_safe": self.crisis_safe,
            "status": "paused" if pause else "active",
            "paused_by": pause[0] if pause else None,
            "pause_reason": pause[1].get("en") if pause else None,
            "steps": [s.key for s in self.steps],
        }


def crisis_active(session: Session, workspace_id: int) -> bool:
    """Whether PR has a confirmed crisis open (False when the schema has no crises table)."""
    crises = metadata().tables.get("crises")
    if crises is None:
        return False
    found = session.execute(
        select(crises.c.id)
        .where(crises.c.workspace_id == workspace_id, crises.c.status == "confirmed")
        .limit(1)
    ).first()
    return found is not None


def _steps(session: Session, ws: int) -> dict[int, list[StepView]]:
    steps: dict[int, list[StepView]] = {}
    query = select(LoopStep).where(LoopStep.workspace_id == ws).order_by(LoopStep.loop_id, LoopStep.position)
    for step in session.scalars(query):
        steps.setdefault(step.loop_id, []).append(
            StepView(step.key, step.position, step.content_key, step.wait_days)
        )
    return steps


def _views(session: Session, ws: int) -> list[LoopView]:
    loops = session.scalars(
        select(MarketingLoop).where(MarketingLoop.workspace_id == ws).order_by(MarketingLoop.key)
    )
    steps = _steps(session, ws)
    audiences = {a.id: a for a in session.scalars(select(Audience).where(Audience.workspace_id == ws))}
    campaigns = dict(
        session.execute(select(Campaign.id, Campaign.key).where(Campaign.workspace_id == ws)).all()
    )
    active = crisis_active(session, ws)
    out = []
    for loop in loops:
        segment = audiences.get(loop.segment_id) if loop.segment_id else None
        out.append(
            LoopView(
                loop.id,
                loop.key,
                loop.name,
                loop.name_en,
                loop.channel,
                campaigns.get(loop.campaign_id) if loop.campaign_id else None,
                segment=segment.key if segment else None,
                segment_name=segment.name if segment else None,
                segment_name_en=segment.name_en if segment else None,
                crisis_safe=loop.crisis_safe,
                status=loop.status,
                paused_by=loop.paused_by,
                pause_reason=dict(loop.pause_reason),
                paused_at=loop.paused_at,
                steps=tuple(steps.get(loop.id, [])),
                crisis_active=active,
            )
        )
    return out


def list_loops(store: Store, actor: Actor) -> list[LoopView]:
    require(actor, "marketing_desk.read")
    with store.read() as session:
        return _views(session, actor.workspace_id)


def _events(session: Session, ws: int) -> list[LoopEvent]:
    keys = dict(
        session.execute(
            select(MarketingLoop.id, MarketingLoop.key).where(MarketingLoop.workspace_id == ws)
        ).all()
    )
    rows = session.execute(
        select(
            LoopEventRecord.loop_id,
            LoopEventRecord.contact,
            LoopEventRecord.step,
            LoopEventRecord.event,
            LoopEventRecord.at,
            LoopEventRecord.value,
        ).where(LoopEventRecord.workspace_id == ws)
    )
    return [
        LoopEvent(contact, step, LoopEventType(event), at, keys.get(loop_id) if loop_id else None, value)
        for loop_id, contact, step, event, at, value in rows
    ]


@dataclass(frozen=True)
class LoopAnalysis:
    loop: LoopView
    report: LoopReport


def loop_reports(store: Store, actor: Actor, *, as_of: datetime | None = None) -> list[LoopAnalysis]:
    """Every loop with its conversion, touches, days and per-step funnel, best conversion rate first."""
    require(actor, "marketing_desk.read")
    with store.read() as session:
        views = _views(session, actor.workspace_id)
        events = _events(session, actor.workspace_id)
    out = [LoopAnalysis(v, analyse_loop(v.as_loop(), events, as_of=as_of)) for v in views]
    return sorted(out, key=lambda a: -1.0 if a.report.converted.rate is None else -a.report.converted.rate)


def loop_report(store: Store, actor: Actor, *, key: str, as_of: datetime | None = None) -> LoopAnalysis:
    found = [a for a in loop_reports(store, actor, as_of=as_of) if a.loop.key == key]
    if not found:
        raise NotFound("loop")
    return found[0]


def _loop(session: Session, ws: int, key: str) -> MarketingLoop:
    row = session.scalar(
        select(MarketingLoop).where(MarketingLoop.workspace_id == ws, MarketingLoop.key == key)
    )
    if row is None:
        raise NotFound("loop")
    return row


def _audit(session: Session, actor: Actor, action: str, loop: MarketingLoop, details: dict[str, Any]) -> None:
    session.add(
        AuditEntry(
            workspace_id=actor.workspace_id,
            user_id=actor.user_id,
            action=action,
            target=loop.key,
            details=details,
            at=utcnow(),
        )
    )


def pause_loop(store: Store, actor: Actor, *, key: str, note: str | None = None) -> None:
    """A person pauses a loop's sends (kept until a person resumes it)."""
    require(actor, "marketing.work")
    with store.transaction() as session:
        loop = _loop(session, actor.workspace_id, key)
        reason = dict(PERSON_REASON)
        if note and note.strip():
            reason["note"] = note.strip()[:500]
        loop.status, loop.paused_by, loop.pause_reason, loop.paused_at = "paused", "person", reason, utcnow()
        _audit(session, actor, "loop.pause", loop, {"by": "person"})


def resume_loop(store: Store, actor: Actor, *, key: str) -> None:
    """A person resumes a loop; refused while a crisis holds a loop that is not crisis-safe."""
    require(actor, "marketing.work")
    with store.transaction() as session:
        loop = _loop(session, actor.workspace_id, key)
        if not loop.crisis_safe and crisis_active(session, actor.workspace_id):
            raise InvalidInput("PR has a crisis open: mark the loop crisis-safe to keep it sending")
        loop.status, loop.paused_by, loop.pause_reason, loop.paused_at = "active", None, {}, None
        _audit(session, actor, "loop.resume", loop, {"by": "person"})


def set_crisis_safe(store: Store, actor: Actor, *, key: str, crisis_safe: bool) -> None:
    require(actor, "marketing.work")
    with store.transaction() as session:
        loop = _loop(session, actor.workspace_id, key)
        loop.crisis_safe = crisis_safe
        _audit(session, actor, "loop.crisis_safe", loop, {"crisis_safe": crisis_safe})


@dataclass(frozen=True)
class PauseChange:
    loop: str
    paused: bool
    rule: str


def apply_crisis_pauses(store: Store, actor: Actor, *, crisis: bool | None = None) -> list[PauseChange]:
    """Pause every loop a crisis stops (not crisis-safe, not already paused), with the rule's reason, and
    resume the ones a crisis paused once it is over. `crisis` None reads PR's crisis state."""
    require(actor, "marketing_desk.read")
    changes = []
    with store.transaction() as session:
        active = crisis_active(session, actor.workspace_id) if crisis is None else crisis
        for view in _views(session, actor.workspace_id):
            decision = should_pause(view.as_loop(), active)
            loop = session.get(MarketingLoop, view.id)
            assert loop is not None
            if decision.pause and loop.status == "active":
                loop.status, loop.paused_by, loop.paused_at = "paused", "crisis", utcnow()
                loop.pause_reason = {**decision.reason, "rule": decision.rule}
            elif not active and loop.status == "paused" and loop.paused_by == "crisis":
                loop.status, loop.paused_by, loop.pause_reason, loop.paused_at = "active", None, {}, None
            else:
                continue
            changes.append(PauseChange(loop.key, loop.status == "paused", decision.rule))
            _audit(
                session,
                actor,
                f"loop.{'pause' if loop.status == 'paused' else 'resume'}",
                loop,
                {"by": "crisis"},
            )
    return changes


def save_loop(store: Store, actor: Actor, data: dict[str, Any]) -> int:
    """Create or update (by key) a loop with its steps: `steps` is a list of {step, content, wait_days}."""
    require(actor, "marketing.work")
    if not data.get("key") or not data.get("name"):
        raise InvalidInput("a loop needs a key and a name")
    with store.transaction() as session:
        ws = actor.workspace_id
        loop = session.scalar(
            select(MarketingLoop).where(MarketingLoop.workspace_id == ws, MarketingLoop.key == data["key"])
        )
        if loop is None:
            loop = MarketingLoop(workspace_id=ws, key=str(data["key"])[:64], created_at=utcnow())
            session.add(loop)
        loop.name, loop.name_en, loop.channel = str(data["name"]), data.get("name_en"), data.get("channel")
        loop.crisis_safe = bool(data.get("crisis_safe", loop.crisis_safe or False))
        loop.campaign_id = _id_of(session, Campaign, ws, data.get("campaign"))
        loop.segment_id = _id_of(session, Audience, ws, data.get("segment"), kind="segment")
        loop.starts_on = _day(data.get("starts_on"))
        loop.ends_on = _day(data.get("ends_on"))
        session.flush()
        _save_steps(session, ws, loop.id, list(data.get("steps") or []))
        return loop.id


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _id_of(session: Session, table: Any, ws: int, key: Any, kind: str | None = None) -> int | None:
    if not key:
        return None
    query = select(table.id).where(table.workspace_id == ws, table.key == str(key))
    if kind is not None:
        query = query.where(table.kind == kind)
    found = session.scalar(query)
    if found is None:
        raise InvalidInput(f"no {kind or 'campaign'} with the key {key!r}")
    return int(found)


def _save_steps(session: Session, ws: int, loop_id: int, steps: list[dict[str, Any]]) -> None:
    existing = {s.key: s for s in session.scalars(select(LoopStep).where(LoopStep.loop_id == loop_id))}
    for position, step in enumerate(steps, start=1):
        key = str(step.get("step", position))
        row = existing.get(key) or LoopStep(workspace_id=ws, loop_id=loop_id, key=key[:64])
        row.position, row.content_key, row.wait_days = position, step.get("content"), step.get("wait_days")
        session.add(row)
