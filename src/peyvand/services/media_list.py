"""The media list: journalists, outlets, influencers and other audiences, with their history with the brand.

Built from the authors Peyvand has seen (their audience and followers from enrichment and the source),
with the count and sentiment of their items, when they last wrote and when the brand last answered them,
and what PR keeps by hand: stance, beats and notes. It names people, so only PR and admins see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from peyvand.analysis.reputation import net_sentiment
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import ZWNJ, search_key
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

    @property
    def net_sentiment(self) -> float | None:
        return net_sentiment(self.positive, self.negative, self.neutral)

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("last_item_at", "last_contact_at"):
            data[key] = data[key].isoformat() if data[key] else None
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
        rows = session.execute(_query(actor.workspace_id, audience, search).limit(limit))
        return [_contact(row) for row in rows]


def _one(session: Session, workspace_id: int, author_id: int) -> Contact:
    query = _query(workspace_id, "all", None).where(AuthorRecord.id == author_id)
    row = session.execute(query).first()
    if row is None:
        raise NotFound("contact")
    return _contact(row)


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
    """Set what PR keeps by hand on a contact: stance, beats, notes, and when PR last reached out."""
    require(actor, "reputation.work")
    if stance not in (None, "", *STANCES):
        raise InvalidInput(f"stance must be one of {', '.join(STANCES)}")
    with store.transaction() as session:
        author = session.get(AuthorRecord, author_id)
        if author is None or author.workspace_id != actor.workspace_id:
            raise NotFound("contact")
        author.stance = stance or None
        author.beats = [b.strip()[:64] for b in beats if b.strip()][:20]
        author.notes = (notes or "").strip()[:4000] or None
        if contacted_at is not None:
            author.last_contact_at = contacted_at
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
