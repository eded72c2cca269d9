"""Saved inbox filters: a person names the filters they use and finds them again (their own only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox import FILTERS, InboxFilters
from peyvand.storage.db import Store
from peyvand.storage.tables_inbox import SavedFilter

MAX_FILTERS = 50


@dataclass(frozen=True)
class SavedFilterInfo:
    id: int
    name: str
    query: dict[str, str]

    @property
    def href(self) -> str:
        return "/pr/inbox?" + urlencode(self.query) if self.query else "/pr/inbox?status=all"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "query": self.query, "href": self.href}


def _person(actor: Actor) -> int:
    require(actor, "conversations.read_all")
    if actor.user_id is None:
        raise InvalidInput("saved filters belong to a signed-in person")
    return actor.user_id


def save_filter(store: Store, actor: Actor, *, name: str, filters: InboxFilters) -> SavedFilterInfo:
    """Save the inbox filters under a name (saving a name again replaces it)."""
    user_id = _person(actor)
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("a saved filter needs a name (up to 100 characters)")
    query = {k: v for k, v in filters.active().items() if k in FILTERS}
    with store.transaction() as session:
        mine = list(
            session.scalars(
                select(SavedFilter).where(
                    SavedFilter.workspace_id == actor.workspace_id, SavedFilter.user_id == user_id
                )
            )
        )
        existing = next((f for f in mine if f.name == name), None)
        if existing is None:
            if len(mine) >= MAX_FILTERS:
                raise InvalidInput(f"keep at most {MAX_FILTERS} saved filters; delete one first")
            existing = SavedFilter(
                workspace_id=actor.workspace_id, user_id=user_id, name=name, created_at=utcnow()
            )
            session.add(existing)
        existing.query = query
        session.flush()
        return SavedFilterInfo(existing.id, existing.name, dict(existing.query))


def list_filters(store: Store, actor: Actor) -> list[SavedFilterInfo]:
    user_id = _person(actor)
    with store.read() as session:
        rows = session.scalars(
            select(SavedFilter)
            .where(SavedFilter.workspace_id == actor.workspace_id, SavedFilter.user_id == user_id)
            .order_by(SavedFilter.name)
        )
        return [SavedFilterInfo(f.id, f.name, dict(f.query)) for f in rows]


def delete_filter(store: Store, actor: Actor, *, filter_id: int) -> None:
    user_id = _person(actor)
    with store.transaction() as session:
        found = session.get(SavedFilter, filter_id)
        if found is None or found.workspace_id != actor.workspace_id or found.user_id != user_id:
            raise NotFound("saved filter")
        session.delete(found)
