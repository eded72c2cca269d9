"""PR events that a behaviour signal can coincide with (DESIGN §2, rule 6): spikes in the brand's mention
volume and in news coverage, crises, and bursts of content pickups.

Mention and coverage spikes are found here, by running the signal engine over the daily counts of the
public pieces that name the brand (inbound items of the kinds `mention`, `post` and `article`, whether
routing judged them addressed to the brand or not; comments, replies and messages do not count, so a
campaign's comment traffic on its sponsored posts is not a PR event) and of its news coverage (articles,
or mentions from the media unit); only rises count. Crises and content pickups are read from the
reputation tables (`crises`, `content_pickups`) when the schema has them, through the metadata rather
than an import, so this module works with or without that feature. Helpers here take a session and
never commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from peyvand.analysis.signals import Series, detect_many
from peyvand.storage.schema import metadata
from peyvand.storage.tables import Item

LEAD_DAYS = 3  # a PR event up to 3 days before a change's start can be its cause
ONSET_DAYS = 3  # ... or one in its first days
MIN_PICKUPS = 3  # a burst of pickups: at least this many of one piece within a few days
PICKUP_GAP_DAYS = 2
PUBLIC_KINDS = ("mention", "post", "article")


@dataclass(frozen=True)
class PrEvent:
    """A PR event over local dates: `kind` is mention_spike, coverage_spike, crisis or content_pickups."""

    kind: str
    start: date
    end: date
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            **self.detail,
        }


def coincides(event: PrEvent, start: date, end: date) -> bool:
    """Whether the event overlaps the change's onset: from LEAD_DAYS before its start to ONSET_DAYS after
    (or its end, if sooner). A level shift in mentions is an event at its onset only: the new level can
    last months, and a change anywhere in them is not caused by the shift."""
    onset_end = min(end, start + timedelta(days=ONSET_DAYS))
    return event.start <= onset_end and _event_end(event) >= start - timedelta(days=LEAD_DAYS)


def _event_end(event: PrEvent) -> date:
    if event.detail.get("change") == "level_shift":
        return min(event.end, event.start + timedelta(days=ONSET_DAYS))
    return event.end


def coinciding(events: Iterable[PrEvent], start: date, end: date) -> list[PrEvent]:
    return [e for e in events if coincides(e, start, end)]


def pr_events(session: Session, workspace_id: int, tz: ZoneInfo) -> list[PrEvent]:
    """Every PR event of the workspace's history, oldest first."""
    events = volume_spikes(session, workspace_id, tz)
    events += crisis_events(session, workspace_id)
    events += pickup_events(session, workspace_id, tz)
    return sorted(events, key=lambda e: (e.start, e.kind))


def _daily_volumes(session: Session, workspace_id: int, tz: ZoneInfo) -> tuple[Counter[date], Counter[date]]:
    rows = session.execute(
        select(Item.occurred_at, Item.unit, Item.kind).where(
            Item.workspace_id == workspace_id,
            Item.feedback.in_(("interaction", "mention")),
            Item.kind.in_(PUBLIC_KINDS),
            Item.direction == "inbound",
        )
    )
    mentions: Counter[date] = Counter()
    coverage: Counter[date] = Counter()
    for at, unit, kind in rows:
        day = at.astimezone(tz).date()
        mentions[day] += 1
        if kind == "article" or unit == "media":
            coverage[day] += 1
    return mentions, coverage


def _dense(counts: Counter[date], first: date, last: date, key: str) -> Series:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return Series(days, [float(counts.get(d, 0)) for d in days], key=key, count=True)


def volume_spikes(session: Session, workspace_id: int, tz: ZoneInfo) -> list[PrEvent]:
    """Rises in the daily mention volume and in news coverage, found by the signal engine."""
    mentions, coverage = _daily_volumes(session, workspace_id, tz)
    if not mentions:
        return []
    first, last = min(mentions), max(mentions)
    series = {"mention_spike": _dense(mentions, first, last, "mentions")}
    if coverage:
        series["coverage_spike"] = _dense(coverage, first, last, "coverage")
    found = detect_many(series, grain="day")
    events = []
    for kind, changes in found.items():
        for change in changes:
            if change.direction.value != "rise":
                continue
            events.append(
                PrEvent(
                    kind,
                    change.start.date(),
                    change.end.date(),
                    {
                        "change": change.kind.value,
                        "effect": round(change.effect, 3),
                        "q_value": float(f"{change.q_value:.3g}"),
                        "per_day": round(change.observed, 1),
                        "expected_per_day": round(change.baseline, 1),
                    },
                )
            )
    return events


def _table(name: str) -> Table | None:
    return metadata().tables.get(name)


def crisis_events(session: Session, workspace_id: int) -> list[PrEvent]:
    """Crises PR has not dismissed (suggested, confirmed or closed), when the crises table exists."""
    crises = _table("crises")
    if crises is None:
        return []
    rows = session.execute(
        select(crises.c.start, crises.c.end, crises.c.status).where(
            crises.c.workspace_id == workspace_id, crises.c.status != "dismissed"
        )
    )
    return [PrEvent("crisis", start, end, {"status": status}) for start, end, status in rows]


def _bursts(days: Sequence[date]) -> list[list[date]]:
    bursts: list[list[date]] = []
    for day in sorted(days):
        if bursts and (day - bursts[-1][-1]).days <= PICKUP_GAP_DAYS:
            bursts[-1].append(day)
        else:
            bursts.append([day])
    return bursts


def pickup_events(session: Session, workspace_id: int, tz: ZoneInfo) -> list[PrEvent]:
    """Bursts of pickups of one PR piece (at least MIN_PICKUPS within days of each other), when the
    content pickups table exists."""
    pickups, content = _table("content_pickups"), _table("content")
    if pickups is None or content is None:
        return []
    rows = session.execute(
        select(content.c.key, content.c.title, pickups.c.at)
        .join(content, content.c.id == pickups.c.content_id)
        .where(pickups.c.workspace_id == workspace_id)
    )
    by_piece: dict[tuple[str, str], list[date]] = {}
    for key, title, at in rows:
        by_piece.setdefault((key, title), []).append(at.astimezone(tz).date())
    events = []
    for (key, title), days in by_piece.items():
        for burst in _bursts(days):
            if len(burst) >= MIN_PICKUPS:
                detail = {"content": key, "title": title, "pickups": len(burst)}
                events.append(PrEvent("content_pickups", burst[0], burst[-1], detail))
    return events
