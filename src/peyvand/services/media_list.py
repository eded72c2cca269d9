"""The media list: journalists, outlets, influencers and other audiences, with their history with the brand.

Built from the authors Peyvand has seen (their audience and followers from enrichment and the source),
with the count and sentiment of their items, when they last wrote and when the brand last answered them,
and what PR keeps by hand: stance, beats and notes. It names people, so only PR and admins see it.

One row is one person: authors are kept per source, and the records that share a handle or an e-mail
address (as the inbox takes them, `inbox_people`) are one contact, with their items counted together and
PR's stance, beats and notes kept on all of them alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from peyvand.analysis.reputation import net_sentiment
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import ZWNJ, search_key
from peyvand.services.inbox_people import identity_clause, person_key, same_person_ids
from peyvand.services.reputation_data import PR_FEEDBACK
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry, AuthorRecord, Conversation, Item

MEDIA_AUDIENCES = ("journalist", "media_outlet", "influencer")
AUDIENCE_FILTERS = (
    "media",
    "all",
    "journalist",
    "media_outlet",
    "influencer",
    "partner",
    "customer",
    "public",
)
STANCES = ("supportive", "neutral", "critical")


@dataclass(frozen=True)
class Contact:
    id: int
    source: str
    handle: str | None
    name: str | None
    email: str | None
    audience: str | None
    followers: int | None
    verified: bool | None
    beats: list[str]
    stance: str | None
    notes: str | None
    items: int
    positive: int
    negative: int
    neutral: int
    last_item_at: datetime | None
    last_contact_at: datetime | None
    sources: tuple[str, ...] = ()  # every source the person wrote from (the first is `source`'s)
    author_ids: tuple[int, ...] = ()  # the author records taken as this person (the first is `id`)

    @property
    def net_sentiment(self) -> float | None:
        return net_sentiment(self.positive, self.negative, self.neutral)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("last_item_at", "last_contact_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["sources"], data["author_ids"] = list(self.sources), list(self.author_ids)
        data["net_sentiment"] = self.net_sentiment
        return data


def _item_stats(workspace_id: int) -> Any:
    def count(label: str) -> Any:
        return func.sum(case((Item.sentiment == label, 1), else_=0)).label(label)

    return (
        select(
            Item.author_id.label("author_id"),
            func.count(Item.id).label("item_count"),
            count("positive"),
            count("negative"),
            count("neutral"),
            func.max(Item.occurred_at).label("last_item_at"),
        )
        .where(Item.workspace_id == workspace_id, Item.feedback.in_(PR_FEEDBACK), Item.direction == "inbound")
        .group_by(Item.author_id)
        .subquery()
    )


def _replies(workspace_id: int) -> Any:
    """When the brand last wrote in a conversation with each author."""
    return (
        select(Conversation.author_id.label("author_id"), func.max(Item.occurred_at).label("replied_at"))
        .join(Item, Item.conversation_id == Conversation.id)
        .where(Conversation.workspace_id == workspace_id, Item.direction == "outbound")
        .group_by(Conversation.author_id)
        .subquery()
    )


def _query(workspace_id: int, audience: str, search: str | None) -> Select[Any]:
    stats, replies = _item_stats(workspace_id), _replies(workspace_id)
    query = (
        select(AuthorRecord, stats, replies.c.replied_at)
        .outerjoin(stats, stats.c.author_id == AuthorRecord.id)
        .outerjoin(replies, replies.c.author_id == AuthorRecord.id)
        .where(AuthorRecord.workspace_id == workspace_id)
    )
    if audience == "media":
        query = query.where(AuthorRecord.audience.in_(MEDIA_AUDIENCES))
    elif audience != "all":
        query = query.where(AuthorRecord.audience == audience)
    key = search_key(search) if search else ""
    if key:  # as the inbox searches: Arabic and Persian letters, digits, case and half-spaces alike
        query = query.where(
            or_(
                func.replace(func.lower(AuthorRecord.handle), ZWNJ, "").contains(key, autoescape=True),
                func.replace(func.lower(AuthorRecord.name), ZWNJ, "").contains(key, autoescape=True),
                func.lower(AuthorRecord.email).contains(key, autoescape=True),
            )
        )
    return query.order_by(
        func.coalesce(stats.c.item_count, 0).desc(), AuthorRecord.followers.desc().nulls_last()
    )


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _contact(row: Any) -> Contact:
    author: AuthorRecord = row[0]
    return Contact(
        author.id,
        author.source,
        author.handle,
        author.name,
        author.email,
        author.audience,
        author.followers,
        author.verified,
        [str(b) for b in author.beats or ()],
        author.stance,
        author.notes,
        int(row.item_count or 0),
        int(row.positive or 0),
        int(row.negative or 0),
        int(row.neutral or 0),
        row.last_item_at,
        _latest(author.last_contact_at, row.replied_at),
        (author.source,),
        (author.id,),
    )


def _key(contact: Contact) -> tuple[str | None, str | None]:
    return person_key(contact.handle, contact.email)


def _people(records: list[Contact]) -> list[list[Contact]]:
    """The records grouped into people: those sharing a handle or an e-mail address are one (transitively:
    Instagram and X by handle, X and e-mail by address)."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for i, record in enumerate(records):
        handle, email = _key(record)
        for key in (("handle", handle), ("email", email)):
            if key[1] is None:
                continue
            j = first_with.setdefault((key[0], key[1]), i)
            parent[root(i)] = root(j)
    groups: dict[int, list[Contact]] = {}
    for i, record in enumerate(records):
        groups.setdefault(root(i), []).append(record)
    return list(groups.values())


def _merged(records: list[Contact]) -> Contact:
    """One person from their records: the most active record speaks for them (its id is the contact's),
    counts add up, the latest times and the largest following are kept."""
    main = max(records, key=lambda c: (c.items, c.followers or 0, -c.id))
    others = [c for c in records if c is not main]
    ordered = [main, *others]

    def first(field: str) -> Any:
        return next((getattr(c, field) for c in ordered if getattr(c, field)), None)

    notes = [c.notes for c in ordered if c.notes]
    return replace(
        main,
        handle=first("handle"),
        name=first("name"),
        email=first("email"),
        audience=next((c.audience for c in ordered if c.audience in MEDIA_AUDIENCES), main.audience),
        followers=max((c.followers for c in ordered if c.followers is not None), default=None),
        verified=True if any(c.verified for c in ordered) else main.verified,
        beats=list(dict.fromkeys(b for c in ordered for b in c.beats)),
        stance=first("stance"),
        notes="\n".join(dict.fromkeys(notes)) or None,
        items=sum(c.items for c in ordered),
        positive=sum(c.positive for c in ordered),
        negative=sum(c.negative for c in ordered),
        neutral=sum(c.neutral for c in ordered),
        last_item_at=_latest(*(c.last_item_at for c in ordered)),
        last_contact_at=_latest(*(c.last_contact_at for c in ordered)),
        sources=tuple(dict.fromkeys(c.source for c in ordered)),
        author_ids=tuple(c.id for c in ordered),
    )


def media_list(
    store: Store, actor: Actor, *, audience: str = "media", search: str | None = None, limit: int = 500
) -> list[Contact]:
    """The workspace's contacts, most active first; `audience` "media" means journalists, outlets and
    influencers."""
    require(actor, "media_list.read")
    if audience not in AUDIENCE_FILTERS:
        raise InvalidInput(f"audience must be one of {', '.join(AUDIENCE_FILTERS)}")
    with store.read() as session:
        found = [
            _contact(row)
            for row in session.execute(_query(actor.workspace_id, audience, search).limit(limit))
        ]
        people = _people(_with_their_other_records(session, actor.workspace_id, found))
    matched = {c.id for c in found}
    contacts = [_merged(p) for p in people if any(c.id in matched for c in p)]
    return sorted(contacts, key=lambda c: (-c.items, -(c.followers or 0), c.id))[:limit]


def _with_their_other_records(session: Session, workspace_id: int, found: list[Contact]) -> list[Contact]:
    """The records found and every other record of the same people (another source, another audience)."""
    handles = {h for h, _ in map(_key, found) if h}
    emails = {e for _, e in map(_key, found) if e}
    if not handles and not emails:
        return found
    seen = {c.id for c in found}
    more = session.execute(_query(workspace_id, "all", None).where(identity_clause(handles, emails)))
    return found + [c for c in map(_contact, more) if c.id not in seen]


def _person_ids(session: Session, workspace_id: int, author_id: int) -> list[int]:
    """Every record the list groups with this one: those sharing a handle or an e-mail, followed from
    record to record (Instagram and X by handle, X and e-mail by address), as `_people` groups them."""
    ids = set(same_person_ids(session, workspace_id, author_id))
    for _ in range(10):  # a person has a few records; each round follows one more link
        rows = session.execute(
            select(AuthorRecord.handle, AuthorRecord.email).where(
                AuthorRecord.workspace_id == workspace_id, AuthorRecord.id.in_(sorted(ids))
            )
        ).all()
        keys = [person_key(h, e) for h, e in rows]
        handles = {h for h, _ in keys if h}
        emails = {e for _, e in keys if e}
        found = set(
            session.scalars(
                select(AuthorRecord.id).where(
                    AuthorRecord.workspace_id == workspace_id, identity_clause(handles, emails)
                )
            )
        )
        if found <= ids:
            break
        ids |= found
    return sorted(ids)


def _one(session: Session, workspace_id: int, author_id: int) -> Contact:
    query = _query(workspace_id, "all", None).where(
        AuthorRecord.id.in_(_person_ids(session, workspace_id, author_id))
    )
    records = [_contact(row) for row in session.execute(query)]
    if not records:
        raise NotFound("contact")
    return _merged(records)


def update_contact(
    store: Store,
    actor: Actor,
    *,
    author_id: int,
    stance: str | None,
    beats: list[str],
    notes: str | None,
    contacted_at: datetime | None = None,
) -> Contact:
    """Set what PR keeps by hand on a contact: stance, beats, notes, and when PR last reached out; on every
    record of the person, so each source shows the same."""
    require(actor, "reputation.work")
    if stance not in (None, "", *STANCES):
        raise InvalidInput(f"stance must be one of {', '.join(STANCES)}")
    with store.transaction() as session:
        author = session.get(AuthorRecord, author_id)
        if author is None or author.workspace_id != actor.workspace_id:
            raise NotFound("contact")
        for record_id in _person_ids(session, actor.workspace_id, author_id):
            record = session.get(AuthorRecord, record_id)
            assert record is not None  # _person_ids reads the workspace's authors
            record.stance = stance or None
            record.beats = [b.strip()[:64] for b in beats if b.strip()][:20]
            record.notes = (notes or "").strip()[:4000] or None
            if contacted_at is not None:
                record.last_contact_at = contacted_at
        session.add(
            AuditEntry(
                workspace_id=actor.workspace_id,
                user_id=actor.user_id,
                action="media_list.update",
                target=str(author_id),
                details={"stance": author.stance, "beats": author.beats},
                at=utcnow(),
            )
        )
        session.flush()
        return _one(session, actor.workspace_id, author_id)
