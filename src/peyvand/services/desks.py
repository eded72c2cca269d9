"""What the PR desk shows: interactions and mentions, newest first, with filters and paging."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from peyvand.services.access import Actor, require
from peyvand.storage.db import Store
from peyvand.storage.dialect import json_array_contains
from peyvand.storage.tables import AuthorRecord, Item

PR_FEEDBACK = ("interaction", "mention")
FILTERS = ("feedback", "kind", "source", "unit", "language", "sentiment", "intent", "audience")


@dataclass(frozen=True)
class PrFilters:
    feedback: str | None = None
    kind: str | None = None
    source: str | None = None
    unit: str | None = None
    language: str | None = None
    sentiment: str | None = None
    intent: str | None = None
    audience: str | None = None

    @classmethod
    def from_query(cls, params: dict[str, str]) -> PrFilters:
        return cls(**{k: params[k] for k in FILTERS if params.get(k)})

    def active(self) -> dict[str, str]:
        return {k: v for k in FILTERS if (v := getattr(self, k))}


@dataclass(frozen=True)
class ItemView:
    id: int
    external_id: str
    source: str
    feedback: str
    kind: str
    direction: str
    occurred_at: datetime
    author: str | None
    title: str | None
    text: str | None
    url: str | None
    language: str | None
    sentiment: str | None
    sentiment_score: float | None
    sentiment_provisional: bool
    intent: str | None
    audience: str | None
    team: str | None
    unit: str | None
    share_with: list[Any]
    reasons: list[Any]
    attributes: list[Any]

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["occurred_at"] = self.occurred_at.isoformat()
        return data


@dataclass
class PrDeskPage:
    items: list[ItemView]
    total: int
    page: int
    per_page: int
    filters: PrFilters
    facets: dict[str, list[str]] = field(default_factory=dict)
    sees_messages: bool = True
    shared_only: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _visible(query: Select[Any], actor: Actor, dialect: str) -> tuple[Select[Any], bool]:
    """PR and admins see every conversation; marketing sees those shared with it (rule 5)."""
    if actor.can("conversations.read_all"):
        return query, False
    return query.where(json_array_contains(Item.share_with, "marketing", dialect)), True


def _filtered(query: Select[Any], filters: PrFilters) -> Select[Any]:
    for name, value in filters.active().items():
        query = query.where(getattr(Item, name) == value)
    return query


def _facets(store: Store, actor: Actor) -> dict[str, list[str]]:
    facets: dict[str, list[str]] = {}
    with store.read() as session:
        for name in ("kind", "source", "unit", "language", "sentiment", "intent", "audience"):
            column = getattr(Item, name)
            values = session.scalars(
                select(column)
                .where(
                    Item.workspace_id == actor.workspace_id,
                    Item.feedback.in_(PR_FEEDBACK),
                    column.is_not(None),
                )
                .distinct()
                .order_by(column)
            )
            facets[name] = list(values)
    facets["feedback"] = list(PR_FEEDBACK)
    return facets


def _view(item: Item, author: str | None) -> ItemView:
    return ItemView(
        item.id,
        item.external_id,
        item.source,
        item.feedback,
        item.kind,
        item.direction,
        item.occurred_at,
        author,
        item.title,
        item.text,
        item.url,
        item.language,
        item.sentiment,
        item.sentiment_score,
        item.sentiment_provisional,
        item.intent,
        item.audience,
        item.team,
        item.unit,
        item.share_with,
        item.reasons,
        item.attributes,
    )


def pr_desk(
    store: Store, actor: Actor, *, filters: PrFilters, page: int = 1, per_page: int = 50
) -> PrDeskPage:
    """Interactions and mentions of the workspace, newest first, as the actor may see them."""
    require(actor, "pr_desk.read")
    page = max(1, page)
    if not actor.can("conversations.read_all") and not actor.can("marketing.work"):
        return PrDeskPage([], 0, page, per_page, filters, _facets(store, actor), sees_messages=False)
    author = aliased(AuthorRecord)
    base = select(Item).where(Item.workspace_id == actor.workspace_id, Item.feedback.in_(PR_FEEDBACK))
    base, shared_only = _visible(_filtered(base, filters), actor, store.dialect)
    with store.read() as session:
        total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = session.execute(
            base.add_columns(func.coalesce(author.handle, author.name))
            .outerjoin(author, author.id == Item.author_id)
            .order_by(Item.occurred_at.desc(), Item.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        items = [_view(item, name) for item, name in rows]
    return PrDeskPage(items, total, page, per_page, filters, _facets(store, actor), shared_only=shared_only)
