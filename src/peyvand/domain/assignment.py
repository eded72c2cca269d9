"""Choosing who gets a new conversation: round robin or least load within the conversation's unit, never
above a person's cap of open conversations. Pure: the service gives it the people and their loads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

NO_UNIT = "none"
NEVER = datetime.min.replace(tzinfo=UTC)


class Strategy(StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOAD = "least_load"


@dataclass(frozen=True)
class Candidate:
    """A person in the rotation: the units they take, how many open conversations they hold, and when
    they were last given one."""

    user_id: int
    units: frozenset[str]
    open_load: int = 0
    last_assigned_at: datetime | None = None

    def takes(self, unit: str | None) -> bool:
        return (unit or NO_UNIT) in self.units

    def has_room(self, cap: int | None) -> bool:
        return cap is None or self.open_load < cap


def pick_assignee(
    candidates: Iterable[Candidate], *, unit: str | None, strategy: str, cap: int | None
) -> Candidate | None:
    """The person who should get a conversation of `unit`, or None when nobody takes it or all are full.

    Round robin: whoever waited longest since their last assignment. Least load: whoever holds the
    fewest open conversations (then round robin among equals). Ties go to the lower user id."""
    eligible = [c for c in candidates if c.takes(unit) and c.has_room(cap)]
    if not eligible:
        return None
    if Strategy(strategy) == Strategy.LEAST_LOAD:
        return min(eligible, key=lambda c: (c.open_load, c.last_assigned_at or NEVER, c.user_id))
    return min(eligible, key=lambda c: (c.last_assigned_at or NEVER, c.user_id))
