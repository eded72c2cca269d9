"""The PR inbox: conversations (one thread with one person on one source) with their status, priority,
assignee, unit and SLA, filtered, searched and paged; each with the person's conversations on other
sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import PRIORITIES, STATUSES, UNITS, ZWNJ, search_key, workers
from peyvand.services.inbox_people import other_sources, same_person_ids
from peyvand.services.sla_tracking import shown_status
from peyvand.storage.db import Store
from peyvand.storage.dialect import row_id_in
from peyvand.storage.tables import AuthorRecord, Conversation, Item, User
from peyvand.storage.tables_inbox import AppliedSlaRecord

FILTERS = ("status", "assignee", "unit", "priority", "source", "sla", "escalated", "person", "q", "sort")
SLA_STATES = ("running", "missed", "hit")
SORTS = ("recent", "due", "waiting")
PREVIEW = 200


@dataclass(frozen=True)
class InboxFilters:
    """`status`: a status or "all" (default: everything not resolved); `assignee`: "me", "none" or a
    user id; `unit`: media, advertising or none; `sla`: running, missed or hit; `escalated`: "1";
    `person`: an author id (that person's conversations on every source); `q`: search text; `sort`:
    recent, due or waiting."""

    status: str | None = None
    assignee: str | None = None
    unit: str | None = None
    priority: str | None = None
    source: str | None = None
    sla: str | None = None
    escalated: str | None = None
    person: str | None = None
    q: str | None = None
    sort: str | None = None

    @classmethod
    def from_query(cls, params: dict[str, Any]) -> InboxFilters:
        return cls(**{k: str(params[k]).strip() for k in FILTERS if params.get(k) and str(params[k]).strip()})

    def active(self) -> dict[str, str]:
        return {k: v for k in FILTERS if (v := getattr(self, k))}


@dataclass(frozen=True)
class InboxRow:
    id: int
    source: str
    person: str | None
    person_id: int | None
    preview: str | None
    last_direction: str | None
    last_message_at: datetime
    waiting_since: datetime | None
    status: str
    snoozed_until: datetime | None
    priority: str
    assignee_id: int | None
    assignee: str | None
    unit: str | None
    sla: str | None
    sla_due_at: datetime | None
    escalated: bool
    other_sources: list[str] = field(default_factory=list)
    preview_language: str | None = None  # the latest message's detected language (fa, en, other)

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k in ("last_message_at", "waiting_since", "snoozed_until", "sla_due_at"):
            data[k] = data[k].isoformat() if data[k] else None
        return data


@dataclass
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    per_page: int
    filters: InboxFilters
    facets: dict[str, list[Any]]
    now: datetime

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _status_filter(query: Select[Any], status: str | None) -> Select[Any]:
    if status in STATUSES:
        return query.where(Conversation.status == status)
    if status == "all":
        return query
    return query.where(Conversation.status != "resolved")


def _assignee_filter(query: Select[Any], assignee: str | None, actor: Actor) -> Select[Any]:
    if assignee == "me":
        return query.where(Conversation.assignee_id == actor.user_id)
    if assignee == "none":
        return query.where(Conversation.assignee_id.is_(None))
    assignee_id = row_id_in(assignee)
    if assignee_id is not None:
        return query.where(Conversation.assignee_id == assignee_id)
    return query


def _sla_filter(query: Select[Any], filters: InboxFilters, now: datetime) -> Select[Any]:
    overdue = and_(AppliedSlaRecord.status == "running", AppliedSlaRecord.next_due_at < now)
    if filters.sla == "missed":
        query = query.where(or_(AppliedSlaRecord.status == "missed", overdue))
    elif filters.sla == "running":
        query = query.where(AppliedSlaRecord.status == "running", ~overdue)
    elif filters.sla in ("hit", "met"):  # stored as "hit"; the pages and docs say "met"
        query = query.where(AppliedSlaRecord.status == "hit")
    if filters.escalated:
        query = query.where(AppliedSlaRecord.escalated_at.is_not(None))
    return query


def _search(query: Select[Any], text: str | None) -> Select[Any]:
    if not text:
        return query
    key = search_key(text)
    if not key:
        return query
    in_messages = exists(
        select(Item.id).where(
            Item.conversation_id == Conversation.id,
            func.replace(Item.normalised_text, ZWNJ, "").contains(key, autoescape=True),
        )
    )
    person = aliased(AuthorRecord)
    in_person = exists(
        select(person.id).where(
            person.id == Conversation.author_id,
            or_(
                func.lower(person.handle).contains(key, autoescape=True),
                func.lower(person.name).contains(key, autoescape=True),
            ),
        )
    )
    return query.where(or_(in_messages, in_person))


def _person_filter(
    session: Session, query: Select[Any], person: str | None, workspace_id: int
) -> Select[Any]:
    person_id = row_id_in(person)
    if person_id is None:
        return query
    return query.where(Conversation.author_id.in_(same_person_ids(session, workspace_id, person_id)))


def _query(session: Session, actor: Actor, filters: InboxFilters, now: datetime) -> Select[Any]:
    query = (
        select(Conversation)
        .outerjoin(AppliedSlaRecord, AppliedSlaRecord.conversation_id == Conversation.id)
        .where(
            Conversation.workspace_id == actor.workspace_id,
            or_(Conversation.team == "pr", Conversation.team.is_(None)),
        )
    )
    query = _assignee_filter(_status_filter(query, filters.status), filters.assignee, actor)
    if filters.unit in UNITS:
        query = query.where(
            Conversation.unit.is_(None) if filters.unit == "none" else Conversation.unit == filters.unit
        )
    if filters.priority in PRIORITIES:
        query = query.where(Conversation.priority == filters.priority)
    if filters.source:
        query = query.where(Conversation.source == filters.source)
    query = _person_filter(session, _sla_filter(query, filters, now), filters.person, actor.workspace_id)
    return _search(query, filters.q)


def _ordered(query: Select[Any], sort: str | None) -> Select[Any]:
    if sort == "due":
        return query.order_by(
            AppliedSlaRecord.next_due_at.is_(None), AppliedSlaRecord.next_due_at, Conversation.id
        )
    if sort == "waiting":
        return query.order_by(
            Conversation.waiting_since.is_(None), Conversation.waiting_since, Conversation.id
        )
    return query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())


def _last_messages(session: Session, ids: list[int]) -> dict[int, tuple[str | None, str, str | None]]:
    """The text, direction and language of each conversation's latest message."""
    latest = (
        select(Item.conversation_id, func.max(Item.occurred_at).label("at"))
        .where(Item.conversation_id.in_(ids))
        .group_by(Item.conversation_id)
        .subquery()
    )
    rows = session.execute(
        select(Item.conversation_id, Item.text, Item.title, Item.direction, Item.language)
        .join(latest, and_(latest.c.conversation_id == Item.conversation_id, latest.c.at == Item.occurred_at))
        .order_by(Item.id)
    )
    return {
        cid: ((text or title or "")[:PREVIEW], direction, language)
        for cid, text, title, direction, language in rows
        if cid is not None
    }


def _rows(session: Session, conversations: list[tuple[Any, ...]], now: datetime) -> list[InboxRow]:
    ids = [c.id for c, *_ in conversations]
    last = _last_messages(session, ids) if ids else {}
    others = other_sources(session, [c for c, *_ in conversations])
    rows = []
    for c, handle, name, assignee, sla, due, escalated in conversations:
        preview, direction, language = last.get(c.id, (None, None, None))
        rows.append(
            InboxRow(
                c.id, c.source, name or handle, c.author_id, preview, direction, c.last_message_at,
                c.waiting_since, c.status, c.snoozed_until, c.priority, c.assignee_id, assignee, c.unit,
                shown_status(sla, due, now), due, escalated is not None, others.get(c.id, []), language,
            )
        )  # fmt: skip
    return rows


def _facets(session: Session, workspace_id: int) -> dict[str, list[Any]]:
    sources = session.scalars(
        select(Conversation.source)
        .where(Conversation.workspace_id == workspace_id)
        .distinct()
        .order_by(Conversation.source)
    )
    return {
        "status": [*STATUSES, "all"],
        "priority": list(PRIORITIES),
        "unit": list(UNITS),
        "source": list(sources),
        "sla": list(SLA_STATES),
        "assignee": workers(session, workspace_id),
        "sort": list(SORTS),
    }


def list_inbox(
    store: Store,
    actor: Actor,
    *,
    filters: InboxFilters,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> InboxPage:
    """The conversations of the PR inbox matching `filters`, a page at a time."""
    require(actor, "conversations.read_all")
    now = now or utcnow()
    page = max(1, page)
    with store.read() as session:
        query = _query(session, actor, filters, now)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        author, assignee = AuthorRecord, User
        found = session.execute(
            _ordered(query, filters.sort)
            .add_columns(
                author.handle,
                author.name,
                assignee.display_name,
                AppliedSlaRecord.status,
                AppliedSlaRecord.next_due_at,
                AppliedSlaRecord.escalated_at,
            )
            .outerjoin(author, author.id == Conversation.author_id)
            .outerjoin(assignee, assignee.id == Conversation.assignee_id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        rows = _rows(session, [tuple(r) for r in found], now)
        facets = _facets(session, actor.workspace_id)
    return InboxPage(rows, total, page, per_page, filters, facets, now)
