"""Bringing loop events in: rows (from the API, the demo) or a CSV file with the columns
`loop, contact, step, event, at, value`.

Every row ends accepted, duplicate (the same loop, contact, step, event and moment is already stored) or
rejected with its line and the reason. A loop the workspace does not have yet is created with the
steps its events name (in numeric order when the steps are numbers, else in order of appearance); a
step a loop does not have is added at its end. A conversion or unsubscribe may leave `loop` (and `step`)
empty: it then counts for every loop the contact is in (docs/formulas-marketing.md §5). A time without
a zone is read as UTC; a date alone is local midnight in the workspace's time zone.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from peyvand.analysis.loops import LoopEventType
from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.dialect import insert_ignoring_conflicts
from peyvand.storage.tables import Workspace
from peyvand.storage.tables_marketing import LoopEventRecord, LoopStep, MarketingLoop

COLUMNS = ("loop", "contact", "step", "event", "at", "value")
EVENTS = frozenset(t.value for t in LoopEventType)
BATCH = 1000
MAX_REJECTS = 1000


@dataclass
class LoopImport:
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    loops_created: list[str] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "loops_created": self.loops_created,
            "rejects": self.rejects,
        }


@dataclass(frozen=True)
class _Row:
    loop: str | None
    contact: str
    step: str | None
    event: str
    at: datetime
    value: float | None

    @property
    def fingerprint(self) -> str:
        text = f"{self.loop or ''}|{self.contact}|{self.step or ''}|{self.event}|{self.at.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()[:64]


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _moment(value: Any, tz: ZoneInfo) -> datetime:
    text = _text(value)
    if text is None:
        raise ValueError("at is missing")
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0), tzinfo=tz).astimezone(UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def parse_row(data: Mapping[str, Any], tz: ZoneInfo) -> _Row:
    """One event from a mapping with the CSV's columns; ValueError says what is wrong."""
    contact, event = _text(data.get("contact")), (_text(data.get("event")) or "").lower()
    if contact is None:
        raise ValueError("contact is missing")
    if event not in EVENTS:
        raise ValueError(f"event must be one of {', '.join(sorted(EVENTS))}, not {event!r}")
    loop, step = _text(data.get("loop")), _text(data.get("step"))
    if loop is None and event not in ("convert", "unsubscribe"):
        raise ValueError("only a conversion or an unsubscribe may name no loop")
    raw_value = _text(data.get("value"))
    value = float(raw_value) if raw_value is not None else None
    return _Row(loop, contact[:128], step, event, _moment(data.get("at"), tz), value)


def _step_order(steps: list[str]) -> list[str]:
    if all(s.isascii() and s.isdigit() for s in steps):
        return sorted(steps, key=int)
    return steps


def _ensure_loops(session: Session, ws: int, rows: list[_Row], result: LoopImport) -> dict[str, int]:
    """Loop ids by key, creating missing loops and steps."""
    wanted: dict[str, list[str]] = {}
    for row in rows:
        if row.loop is not None:
            steps = wanted.setdefault(row.loop, [])
            if row.step is not None and row.step not in steps:
                steps.append(row.step)
    loops = {
        loop.key: loop
        for loop in session.scalars(
            select(MarketingLoop).where(MarketingLoop.workspace_id == ws, MarketingLoop.key.in_(list(wanted)))
        )
    }
    for key in wanted:
        if key not in loops:
            loops[key] = MarketingLoop(workspace_id=ws, key=key[:64], name=key, created_at=utcnow())
            session.add(loops[key])
            result.loops_created.append(key)
    session.flush()
    for key, steps in wanted.items():
        _ensure_steps(session, ws, loops[key].id, _step_order(steps))
    return {key: loop.id for key, loop in loops.items()}


def _ensure_steps(session: Session, ws: int, loop_id: int, steps: list[str]) -> None:
    have = set(session.scalars(select(LoopStep.key).where(LoopStep.loop_id == loop_id)))
    position = session.scalar(select(func.max(LoopStep.position)).where(LoopStep.loop_id == loop_id)) or 0
    for step in steps:
        if step not in have:
            position += 1
            session.add(LoopStep(workspace_id=ws, loop_id=loop_id, position=position, key=step[:64]))


def _write(store: Store, ws: int, rows: list[_Row], result: LoopImport) -> None:
    now = utcnow()
    unique = list({row.fingerprint: row for row in rows}.values())
    result.duplicate += len(rows) - len(unique)
    with store.transaction() as session:
        loop_ids = _ensure_loops(session, ws, unique, result)
        stored = set(
            session.scalars(
                select(LoopEventRecord.fingerprint).where(
                    LoopEventRecord.workspace_id == ws,
                    LoopEventRecord.fingerprint.in_([r.fingerprint for r in unique]),
                )
            )
        )
        fresh = [r for r in unique if r.fingerprint not in stored]
        result.duplicate += len(unique) - len(fresh)
        result.accepted += len(fresh)
        if fresh:
            table = LoopEventRecord.__table__
            assert isinstance(table, Table)
            statement = insert_ignoring_conflicts(table, store.dialect, ["workspace_id", "fingerprint"])
            session.execute(statement, [_values(ws, r, loop_ids, now) for r in fresh])


def _values(ws: int, row: _Row, loop_ids: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "workspace_id": ws,
        "loop_id": loop_ids[row.loop] if row.loop is not None else None,
        "contact": row.contact,
        "step": row.step,
        "event": row.event,
        "at": row.at,
        "value": row.value,
        "fingerprint": row.fingerprint,
        "imported_at": now,
    }


def import_loop_events(store: Store, actor: Actor, rows: Iterable[Mapping[str, Any]]) -> LoopImport:
    """Store loop events given as mappings with the CSV's columns (see the module docstring)."""
    require(actor, "marketing.work")
    with store.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        assert workspace is not None
        tz = ZoneInfo(workspace.timezone)
    result, batch = LoopImport(), []
    for line, data in enumerate(rows, start=1):
        try:
            batch.append(parse_row(data, tz))
        except ValueError as exc:
            result.rejected += 1
            if len(result.rejects) < MAX_REJECTS:
                result.rejects.append({"line": line, "reason": str(exc)})
            continue
        if len(batch) >= BATCH:
            _write(store, actor.workspace_id, batch, result)
            batch = []
    if batch:
        _write(store, actor.workspace_id, batch, result)
    return result


def import_loop_events_csv(store: Store, actor: Actor, stream: IO[str]) -> LoopImport:
    """Store the loop events of a CSV file (header row with at least contact, event and at)."""
    reader = csv.DictReader(stream)
    missing = {"contact", "event", "at"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(
            f"the CSV needs the columns {', '.join(COLUMNS)}; missing {', '.join(sorted(missing))}"
        )
    result = import_loop_events(store, actor, reader)
    for reject in result.rejects:  # line numbers count the header, as a spreadsheet shows them
        reject["line"] += 1
    return result
