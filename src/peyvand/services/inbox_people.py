"""One person across sources: authors are kept per source, so the same person on Instagram and by e-mail
is two authors. They are taken to be one person when they share a handle or an e-mail address (names
alone are too often shared to count)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from peyvand.storage.tables import AuthorRecord, Conversation


@dataclass(frozen=True)
class PersonConversation:
    id: int
    source: str
    status: str
    last_message_at: datetime


def person_key(handle: str | None, email: str | None) -> tuple[str | None, str | None]:
    """What makes records one person: the handle without @ and the e-mail address, in lower case (None
    where there is none)."""
    return (handle or "").strip().lstrip("@").lower() or None, (email or "").strip().lower() or None


def identity_clause(handles: set[str], emails: set[str]) -> ColumnElement[bool]:
    """Authors with one of these handles (without @, any case) or e-mail addresses."""
    clauses: list[ColumnElement[bool]] = []
    if handles:
        clauses.append(func.lower(AuthorRecord.handle).in_(sorted(handles)))
    if emails:
        clauses.append(func.lower(AuthorRecord.email).in_(sorted(emails)))
    return or_(*clauses) if clauses else false()


def _identities(
    session: Session, workspace_id: int, author_ids: Sequence[int]
) -> dict[int, tuple[str | None, str | None]]:
    """The handle and e-mail of each of the workspace's authors (an author of another workspace is not
    read: the id may come from a query string)."""
    rows = session.execute(
        select(AuthorRecord.id, AuthorRecord.handle, AuthorRecord.email).where(
            AuthorRecord.workspace_id == workspace_id, AuthorRecord.id.in_(author_ids)
        )
    )
    return {aid: person_key(handle, email) for aid, handle, email in rows}


def same_person_ids(session: Session, workspace_id: int, author_id: int) -> list[int]:
    """The author and every author on another source with the same handle or e-mail; nobody when the
    author is not the workspace's."""
    identity = _identities(session, workspace_id, [author_id]).get(author_id)
    if identity is None:
        return []
    handle, email = identity
    same = session.scalars(
        select(AuthorRecord.id).where(
            AuthorRecord.workspace_id == workspace_id,
            identity_clause({handle} if handle else set(), {email} if email else set()),
        )
    )
    return sorted({author_id, *same})


def other_sources(session: Session, conversations: Sequence[Conversation]) -> dict[int, list[str]]:
    """For each conversation, the other sources on which its person has conversations too."""
    with_author = [c for c in conversations if c.author_id is not None]
    if not with_author:
        return {}
    workspace_id = with_author[0].workspace_id
    identities = _identities(
        session, workspace_id, [c.author_id for c in with_author if c.author_id is not None]
    )
    handles = {h for h, _ in identities.values() if h}
    emails = {e for _, e in identities.values() if e}
    rows = session.execute(
        select(AuthorRecord.handle, AuthorRecord.email, Conversation.source)
        .join(Conversation, Conversation.author_id == AuthorRecord.id)
        .where(AuthorRecord.workspace_id == workspace_id, identity_clause(handles, emails))
        .distinct()
    )
    by_identity: dict[str, set[str]] = defaultdict(set)
    for handle, email, source in rows:
        for value in ((handle or "").lstrip("@").lower(), (email or "").lower()):
            if value:
                by_identity[value].add(source)
    out: dict[int, list[str]] = {}
    for c in with_author:
        handle, email = identities.get(c.author_id or 0, (None, None))
        seen = by_identity.get(handle or "", set()) | by_identity.get(email or "", set())
        if seen - {c.source}:
            out[c.id] = sorted(seen - {c.source})
    return out


def person_conversations(session: Session, conversation: Conversation) -> list[PersonConversation]:
    """The person's other conversations, on this source and others, newest first."""
    if conversation.author_id is None:
        return []
    authors = same_person_ids(session, conversation.workspace_id, conversation.author_id)
    rows = session.execute(
        select(Conversation.id, Conversation.source, Conversation.status, Conversation.last_message_at)
        .where(Conversation.author_id.in_(authors), Conversation.id != conversation.id)
        .order_by(Conversation.last_message_at.desc())
        .limit(50)
    )
    return [PersonConversation(*row) for row in rows]
