"""SLA policies as rows: targets in business minutes, the week (Iranian with Friday off and Thursday full,
half or off; Western; always open), opening hours, and whether Iran's official holidays are days off.

A conversation gets the first active policy of its unit, else the first active policy for every unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.analysis.calendar import holidays_in_year
from peyvand.domain.business_hours import ALWAYS_OPEN, BusinessHours, iranian_hours, western_hours
from peyvand.domain.sla import SlaPolicy
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import unit_value
from peyvand.services.inbox_jobs import forget_evaluations, schedule_sweep
from peyvand.storage.db import Store
from peyvand.storage.tables_inbox import SlaPolicyRecord

WEEKS = ("iranian", "western", "always")
THURSDAYS = ("full", "half", "off")
TARGETS = ("first_response_minutes", "next_response_minutes", "resolution_minutes", "escalate_after_minutes")


@dataclass(frozen=True)
class SlaPolicyInfo:
    id: int
    name: str
    unit: str | None
    first_response_minutes: float | None
    next_response_minutes: float | None
    resolution_minutes: float | None
    escalate_after_minutes: float | None
    week: str
    thursday: str
    opens: str
    closes: str
    iranian_holidays: bool
    active: bool

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _minute(text: str, *, closing: bool = False) -> int:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
    except ValueError as exc:
        raise InvalidInput("opening hours are written HH:MM, e.g. 08:00") from exc
    value = hours * 60 + minutes
    if not 0 <= minutes < 60 or not 0 <= value <= 24 * 60 or (value == 24 * 60 and not closing):
        raise InvalidInput("opening hours are written HH:MM between 00:00 and 24:00")
    return value


def _info(r: SlaPolicyRecord) -> SlaPolicyInfo:
    return SlaPolicyInfo(
        r.id,
        r.name,
        r.unit,
        r.first_response_minutes,
        r.next_response_minutes,
        r.resolution_minutes,
        r.escalate_after_minutes,
        r.week,
        r.thursday,
        _clock(r.opens_minute),
        _clock(r.closes_minute),
        r.iranian_holidays,
        r.active,
    )


@cache
def iranian_holidays(year: int) -> frozenset[Any]:
    """Iran's official days off in a Gregorian year (solar and lunar), from `peyvand.analysis.calendar`."""
    return frozenset(h.day for h in holidays_in_year(year, ["ir"]) if h.official)


def business_hours(record: SlaPolicyRecord, years: Sequence[int]) -> BusinessHours:
    opens = time(record.opens_minute // 60, record.opens_minute % 60)
    closes = (
        time(0)
        if record.closes_minute >= 24 * 60
        else time(record.closes_minute // 60, record.closes_minute % 60)
    )
    if record.week == "western":
        hours = western_hours(opens=opens, closes=closes)
    elif record.week == "iranian":
        hours = iranian_hours(opens=opens, closes=closes, thursday=record.thursday)  # type: ignore[arg-type]
    else:
        hours = ALWAYS_OPEN
    if record.iranian_holidays:
        hours = hours.with_holidays(day for year in years for day in iranian_holidays(year))
    return hours


def domain_policy(record: SlaPolicyRecord, tz: ZoneInfo, years: Sequence[int]) -> SlaPolicy:
    """The pure policy `peyvand.domain.sla.apply_sla` runs on."""
    return SlaPolicy(
        name=record.name,
        first_response_minutes=record.first_response_minutes,
        next_response_minutes=record.next_response_minutes,
        resolution_minutes=record.resolution_minutes,
        escalate_after_minutes=record.escalate_after_minutes,
        hours=business_hours(record, years),
        tz=tz,
    )


def active_policies(session: Session, workspace_id: int) -> list[SlaPolicyRecord]:
    return list(
        session.scalars(
            select(SlaPolicyRecord)
            .where(SlaPolicyRecord.workspace_id == workspace_id, SlaPolicyRecord.active.is_(True))
            .order_by(SlaPolicyRecord.id)
        )
    )


def policy_for_unit(policies: Sequence[SlaPolicyRecord], unit: str | None) -> SlaPolicyRecord | None:
    for record in policies:
        if record.unit is not None and record.unit == unit:
            return record
    return next((r for r in policies if r.unit is None), None)


MAX_TARGET_MINUTES = 1_000_000  # about two years of round-the-clock minutes


def _targets(fields: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name in TARGETS:
        value = fields.get(name)
        if value in (None, ""):
            out[name] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{name.replace('_', ' ')} must be a number of minutes") from exc
        if not 0 < number <= MAX_TARGET_MINUTES:  # also refuses nan and inf, which float() reads
            raise InvalidInput(
                f"{name.replace('_', ' ')} must be more than zero and at most {MAX_TARGET_MINUTES:,} minutes"
            )
        out[name] = number
    return out


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    name = str(fields.get("name", "")).strip()
    if not name or len(name) > 200:
        raise InvalidInput("a policy needs a name (up to 200 characters)")
    week, thursday = fields.get("week", "iranian"), fields.get("thursday", "half")
    if week not in WEEKS or thursday not in THURSDAYS:
        raise InvalidInput(f"week must be one of {', '.join(WEEKS)}; Thursday one of {', '.join(THURSDAYS)}")
    opens = _minute(str(fields.get("opens", "08:00")))
    closes = _minute(str(fields.get("closes", "16:00")), closing=True)
    if closes <= opens:
        raise InvalidInput("closing time must come after opening time")
    return {
        "name": name,
        "unit": unit_value(fields.get("unit")),
        **_targets(fields),
        "week": week,
        "thursday": thursday,
        "opens_minute": opens,
        "closes_minute": closes,
        "iranian_holidays": bool(fields.get("iranian_holidays", False)),
        "active": bool(fields.get("active", True)),
    }


def save_sla_policy(
    store: Store, actor: Actor, *, policy_id: int | None = None, **fields: Any
) -> SlaPolicyInfo:
    """Create a policy, or change one (`policy_id`); admins only. Fields as `SlaPolicyInfo`."""
    require(actor, "workspace.admin")
    values = _checked(fields)
    now = utcnow()
    with store.transaction() as session:
        clash = session.scalar(
            select(SlaPolicyRecord.id).where(
                SlaPolicyRecord.workspace_id == actor.workspace_id, SlaPolicyRecord.name == values["name"]
            )
        )
        if clash is not None and clash != policy_id:
            raise InvalidInput(f"a policy named {values['name']!r} exists already")
        if policy_id is None:
            record = SlaPolicyRecord(
                workspace_id=actor.workspace_id, created_at=now, updated_at=now, **values
            )
            session.add(record)
        else:
            record = _policy(session, actor, policy_id)
            for key, value in values.items():
                setattr(record, key, value)
            record.updated_at = now
        session.flush()
        forget_evaluations(session, actor.workspace_id)
        schedule_sweep(session, actor.workspace_id)
        return _info(record)


def _policy(session: Session, actor: Actor, policy_id: int) -> SlaPolicyRecord:
    record = session.get(SlaPolicyRecord, policy_id)
    if record is None or record.workspace_id != actor.workspace_id:
        raise NotFound("SLA policy")
    return record


def delete_sla_policy(store: Store, actor: Actor, *, policy_id: int) -> None:
    """Remove a policy and the SLAs it applied; admins only."""
    require(actor, "workspace.admin")
    with store.transaction() as session:
        session.delete(_policy(session, actor, policy_id))
        session.flush()
        forget_evaluations(session, actor.workspace_id)
        schedule_sweep(session, actor.workspace_id)


def list_sla_policies(store: Store, actor: Actor) -> list[SlaPolicyInfo]:
    require(actor, "pr_desk.read")
    with store.read() as session:
        rows = session.scalars(
            select(SlaPolicyRecord)
            .where(SlaPolicyRecord.workspace_id == actor.workspace_id)
            .order_by(SlaPolicyRecord.id)
        )
        return [_info(r) for r in rows]


def policy_years(first: datetime, now: datetime) -> range:
    return range(first.year - 1, max(first.year, now.year) + 2)
