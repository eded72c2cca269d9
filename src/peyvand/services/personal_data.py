"""One person's data, on request, and the workspace's retention (DESIGN §5: "retention per workspace,
export and erasure of one person's data on request").

A **person** is an author record and every author on another source with the same handle or e-mail: the
same person the inbox shows (`peyvand.services.inbox_people.same_person_ids`). Their data is:

- the author records (what the source gave and what PR keeps by hand: stance, beats, notes);
- every item they wrote, and the brand's replies in their conversations;
- their conversations (state, assignee), the staff notes on them, handoff notes and correction notes;
- the text labels of their items (training data for the workspace's models);
- the marketing loop events whose contact is one of their e-mail addresses or handles.

`export_person` gives all of it as one JSON document; `erase_person` anonymises it (rows stay, so
statistics stay true: see `peyvand.services.personal_data_erasure`). The workspace's retention
(`retention_days`, none: kept for ever) anonymises the same way every text item older than the cut-off,
every author with nothing newer, and the stored input of rejected import records. Only admins
(`personal_data.manage`) and the local operator may do any of it; each export, erasure and retention run
is in the audit log with counts only, never the person's data.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, update
from sqlalchemy.orm import Session

from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import ZWNJ, search_key
from peyvand.services.inbox_people import person_key, same_person_ids
from peyvand.services.personal_data_erasure import (
    Pseudonyms,
    anonymise_authors,
    contacts_of,
    erase_conversations,
    erase_items,
    erase_loop_contacts,
    forget_authors,
    is_erased_key,
    old_text_items,
    pending_items_of,
    stale_authors,
)
from peyvand.services.personal_data_export import export_document
from peyvand.storage.db import Store
from peyvand.storage.dialect import is_row_id
from peyvand.storage.tables import AuditEntry, AuthorRecord, Conversation, Item, Reject, Workspace

log = logging.getLogger("peyvand.personal_data")
PERMISSION = "personal_data.manage"
MAX_RETENTION_DAYS = 36_500
FIND_LIMIT = 50


@dataclass(frozen=True)
class PersonRecord:
    """One author record of a person, as the privacy page lists it."""

    id: int
    source: str
    handle: str | None
    name: str | None
    email: str | None
    audience: str | None
    erased: bool
    last_seen: datetime

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"last_seen": self.last_seen.isoformat()}


@dataclass(frozen=True)
class Person:
    """A person found: `id` is the author record to act on; `records` every record taken as them."""

    id: int
    records: list[PersonRecord]
    items: int
    conversations: int

    @property
    def erased(self) -> bool:
        return all(r.erased for r in self.records)

    @property
    def confirmations(self) -> list[str]:
        """What a person erasing them may type to confirm: a handle or an e-mail address (a name when the
        records have neither; the record's number when nothing is left)."""
        found = _identity_words(self.records)
        return sorted(found) or [str(self.id)]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "records": [r.to_json() for r in self.records],
            "items": self.items,
            "conversations": self.conversations,
            "erased": self.erased,
        }


@dataclass
class Erasure:
    """What an erasure or a retention run changed (counts only: this is what the audit log keeps)."""

    authors: int = 0
    items: int = 0
    conversations: int = 0
    notes: int = 0
    text_labels: int = 0
    loop_events: int = 0
    rejects: int = 0

    def add(self, other: Erasure) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def total(self) -> int:
        return sum(asdict(self).values())

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class RetentionRun:
    days: int | None
    cutoff: datetime | None
    erased: Erasure = field(default_factory=Erasure)

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            **self.erased.to_json(),
        }


def _identity_words(records: list[PersonRecord]) -> set[str]:
    words = {key for r in records for key in person_key(r.handle, r.email) if key}
    if not words:
        words = {(r.name or "").strip().lower() for r in records} - {""}
    return words


@dataclass(frozen=True)
class _Scope:
    """A person's rows in the workspace, by id."""

    author_ids: list[int]
    handles: set[str]
    emails: set[str]
    conversation_ids: list[int]
    item_ids: list[int]

    @property
    def contacts(self) -> list[str]:
        return contacts_of(self.handles, self.emails)


def _scope(session: Session, actor: Actor, author_id: int) -> _Scope:
    """The person of this author record (NotFound when it is not the workspace's)."""
    ids = same_person_ids(session, actor.workspace_id, author_id) if is_row_id(author_id) else []
    if not ids:
        raise NotFound("no such person in this workspace")
    ws = actor.workspace_id
    identities = session.execute(
        select(AuthorRecord.handle, AuthorRecord.email).where(
            AuthorRecord.workspace_id == ws, AuthorRecord.id.in_(ids)
        )
    ).all()
    keys = [person_key(h, e) for h, e in identities]
    handles = {h for h, _ in keys if h}
    emails = {e for _, e in keys if e}
    conversations = list(
        session.scalars(
            select(Conversation.id).where(Conversation.workspace_id == ws, Conversation.author_id.in_(ids))
        )
    )
    written: ColumnElement[bool] = Item.author_id.in_(ids)
    if conversations:  # the brand's replies to them
        replies = and_(Item.direction == "outbound", Item.conversation_id.in_(conversations))
        written = or_(written, replies)
    items = set(session.scalars(select(Item.id).where(Item.workspace_id == ws, written)))
    items |= set(pending_items_of(session, ws, handles, emails))
    return _Scope(ids, handles, emails, conversations, sorted(items))


def _audit(session: Session, actor: Actor, action: str, target: str | None, details: dict[str, Any]) -> None:
    session.add(
        AuditEntry(
            workspace_id=actor.workspace_id,
            user_id=actor.user_id,
            action=action,
            target=target,
            details=details,
            at=utcnow(),
        )
    )


def _search(query: str) -> ColumnElement[bool]:
    """Handle, name or e-mail containing the words as the inbox and media list search them (Arabic and
    Persian letters, digits, case and half-spaces alike); a number is also an author record's id."""
    key = search_key(query)
    handle = key.lstrip("@")
    clauses: list[ColumnElement[bool]] = []
    if handle:
        clauses.append(
            func.replace(func.lower(AuthorRecord.handle), ZWNJ, "").contains(handle, autoescape=True)
        )
    if key:
        clauses.append(func.replace(func.lower(AuthorRecord.name), ZWNJ, "").contains(key, autoescape=True))
        clauses.append(func.lower(AuthorRecord.email).contains(key, autoescape=True))
    text = query.strip().lstrip("#")
    if text.isascii() and text.isdigit() and is_row_id(int(text)):
        clauses.append(AuthorRecord.id == int(text))
    return or_(*clauses) if clauses else false()


def _records(session: Session, workspace_id: int, ids: list[int]) -> list[PersonRecord]:
    rows = session.scalars(
        select(AuthorRecord).where(AuthorRecord.workspace_id == workspace_id, AuthorRecord.id.in_(ids))
    ).all()
    return [
        PersonRecord(a.id, a.source, a.handle, a.name, a.email, a.audience, is_erased_key(a.key), a.last_seen)
        for a in sorted(rows, key=lambda a: a.id)
    ]


def find_people(store: Store, actor: Actor, *, query: str, limit: int = FIND_LIMIT) -> list[Person]:
    """The people whose handle, name or e-mail holds `query` (or whose author record has that number),
    each with every record taken as them, most recently seen first."""
    require(actor, PERMISSION)
    if not query.strip():
        return []
    ws = actor.workspace_id
    with store.read() as session:
        matched = session.scalars(
            select(AuthorRecord.id)
            .where(AuthorRecord.workspace_id == ws, _search(query))
            .order_by(AuthorRecord.last_seen.desc(), AuthorRecord.id)
            .limit(limit)
        ).all()
        people: list[Person] = []
        seen: set[tuple[int, ...]] = set()
        for author_id in matched:
            ids = same_person_ids(session, ws, author_id)
            if tuple(ids) in seen:
                continue
            seen.add(tuple(ids))
            items = session.scalar(
                select(func.count(Item.id)).where(Item.workspace_id == ws, Item.author_id.in_(ids))
            )
            conversations = session.scalar(
                select(func.count(Conversation.id)).where(
                    Conversation.workspace_id == ws, Conversation.author_id.in_(ids)
                )
            )
            records = _records(session, ws, ids)
            people.append(Person(author_id, records, int(items or 0), int(conversations or 0)))
        return people


def export_person(store: Store, actor: Actor, *, author_id: int) -> dict[str, Any]:
    """Everything the workspace holds on the person, as one JSON-ready document (format in docs/privacy.md).
    The export is audited (counts only)."""
    require(actor, PERMISSION)
    with store.transaction() as session:
        scope = _scope(session, actor, author_id)
        document = export_document(
            session,
            actor.workspace_id,
            author_ids=scope.author_ids,
            conversation_ids=scope.conversation_ids,
            item_ids=scope.item_ids,
            contacts=scope.contacts,
            now=utcnow(),
        )
        counts = {name: len(value) for name, value in document.items() if isinstance(value, list)}
        _audit(session, actor, "personal_data.export", f"author:{author_id}", counts)
    return document


def erase_person(store: Store, actor: Actor, *, author_id: int, confirmation: str | None = None) -> Erasure:
    """Anonymise everything the workspace holds on the person (see the module's docstring); returns what
    changed, which is all the audit log keeps. Erasing again changes nothing and says so (zero counts).
    With `confirmation` (the page asks for one), it must be one of the person's handles or e-mails."""
    require(actor, PERMISSION)
    now = utcnow()
    with store.transaction() as session:
        scope = _scope(session, actor, author_id)
        if confirmation is not None:
            person = Person(author_id, _records(session, actor.workspace_id, scope.author_ids), 0, 0)
            typed = confirmation.strip().lstrip("@").lower()
            if typed not in person.confirmations:
                raise InvalidInput(
                    "type the person's handle or e-mail address exactly to confirm the erasure"
                )
        erased = _erase_scope(session, actor.workspace_id, scope, now)
        _audit(session, actor, "personal_data.erase", f"author:{author_id}", erased.to_json())
    log.info("personal data erased in workspace %s: %s", actor.workspace_id, erased.to_json())
    return erased


def _erase_scope(session: Session, workspace_id: int, scope: _Scope, now: datetime) -> Erasure:
    pseudonym = Pseudonyms()
    items, labels = erase_items(session, workspace_id, scope.item_ids, reason="request", now=now)
    conversations, notes = erase_conversations(session, workspace_id, scope.conversation_ids, pseudonym)
    return Erasure(
        authors=anonymise_authors(session, workspace_id, scope.author_ids, pseudonym),
        items=items,
        conversations=conversations,
        notes=notes,
        text_labels=labels,
        loop_events=erase_loop_contacts(session, workspace_id, scope.contacts, pseudonym),
    )


def retention_days(store: Store, actor: Actor) -> int | None:
    """The workspace's retention in days (None: messages and authors are kept until erased on request)."""
    require(actor, PERMISSION)
    with store.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        if workspace is None:
            raise NotFound("workspace")
        return workspace.retention_days


def set_retention(store: Store, actor: Actor, *, days: int | None) -> None:
    """Keep messages and authors `days` days (1 to 36,500), or for ever (None)."""
    require(actor, PERMISSION)
    if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
        raise InvalidInput(f"retention must be 1 to {MAX_RETENTION_DAYS:,} days, or none (kept for ever)")
    with store.transaction() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        if workspace is None:
            raise NotFound("workspace")
        if workspace.retention_days == days:
            return
        previous, workspace.retention_days = workspace.retention_days, days
        _audit(session, actor, "workspace.retention", None, {"days": days, "previous": previous})


def apply_retention(store: Store, actor: Actor, *, now: datetime | None = None) -> RetentionRun:
    """Anonymise what is older than the workspace's retention: text items (and the brand's replies)
    that occurred before the cut-off, authors with no item since, and rejected import records' input.
    Works in batches, one transaction each; running it again finds nothing more to do."""
    require(actor, PERMISSION)
    days = retention_days(store, actor)
    if days is None:
        return RetentionRun(None, None)
    moment = now or utcnow()
    cutoff = moment - timedelta(days=days)
    run = RetentionRun(days, cutoff)
    ws = actor.workspace_id
    while batch := old_text_items(store, ws, cutoff):
        with store.transaction() as session:
            items, labels = erase_items(session, ws, batch, reason="retention", now=moment)
        run.erased.add(Erasure(items=items, text_labels=labels))
    while authors := stale_authors(store, ws, cutoff):
        with store.transaction() as session:
            forgotten, conversations, notes = forget_authors(session, ws, authors)
        run.erased.add(Erasure(authors=forgotten, conversations=conversations, notes=notes))
    with store.transaction() as session:
        run.erased.rejects = _count_update(
            session,
            update(Reject)
            .where(Reject.workspace_id == ws, Reject.created_at < cutoff, Reject.raw.is_not(None))
            .values(raw=None),
        )
        if run.erased.total:
            _audit(session, actor, "personal_data.retention", None, run.to_json())
    if run.erased.total:
        log.info("retention in workspace %s: %s", ws, run.erased.to_json())
    return run


def _count_update(session: Session, statement: Any) -> int:
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def apply_retention_everywhere(store: Store, *, now: datetime | None = None) -> dict[str, RetentionRun]:
    """`apply_retention` in every workspace that has a retention (the worker's hourly maintenance and
    `peyvand privacy apply-retention`): an operator's task across workspaces. One workspace's failure is
    logged and the others still run."""
    with store.read() as session:
        workspaces = session.execute(
            select(Workspace.id, Workspace.slug)
            .where(Workspace.retention_days.is_not(None))
            .order_by(Workspace.id)
        ).all()
    runs: dict[str, RetentionRun] = {}
    for workspace_id, slug in workspaces:
        try:
            runs[slug] = apply_retention(store, Actor.operator(workspace_id), now=now)
        except Exception:  # the next round tries again; the log names the workspace, never data
            log.exception("retention failed in workspace %s", workspace_id)
    return runs
