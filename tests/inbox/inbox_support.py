"""Helpers for the inbox tests: a workspace with people of every role, and bringing messages in."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from peyvand.services.access import Actor
from peyvand.services.ingest import ingest_records
from peyvand.services.users import create_user, grant_role
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, Item


@dataclass
class Desk:
    store: Store
    operator: Actor
    people: dict[str, Actor] = field(default_factory=dict)

    @property
    def workspace_id(self) -> int:
        return self.operator.workspace_id

    def __getitem__(self, name: str) -> Actor:
        return self.people[name]

    def ingest(self, *objs: dict[str, Any]) -> None:
        data = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)
        ingest_records(
            self.store,
            self.operator,
            jsonl.parse(io.BytesIO(data), context=SourceContext()),
            label="t",
            format="jsonl",
        )

    def conversation_of(self, external_id: str) -> int:
        with self.store.read() as session:
            found = session.scalar(
                select(Item.conversation_id).where(
                    Item.workspace_id == self.workspace_id, Item.external_id == external_id
                )
            )
        assert found is not None, external_id
        return found

    def conversation(self, conversation_id: int) -> Conversation:
        with self.store.read() as session:
            found = session.get(Conversation, conversation_id)
            assert found is not None
            return found


def message(mid: str, at: str, text: str = "سفارشم هنوز نرسیده، خیلی دیر شد", **extra: Any) -> dict[str, Any]:
    """An inbound direct message on Telegram (its own conversation unless `thread_id` says otherwise)."""
    base: dict[str, Any] = {
        "id": mid,
        "source": "telegram",
        "kind": "direct_message",
        "created_at": at,
        "text": text,
        "author": {"handle": f"person-{mid}"},
    }
    return base | extra


def make_desk(store: Store, operator: Actor, prefix: str = "") -> Desk:
    desk = Desk(store, operator)
    for name, role in (
        ("admin", "admin"),
        ("pr", "pr"),
        ("pr2", "pr"),
        ("marketing", "marketing"),
        ("viewer", "viewer"),
    ):
        user = create_user(
            store,
            username=f"{prefix}{name}-{operator.workspace_id}",
            password="correct-horse-1",
            display_name=name,
        )
        grant_role(store, workspace_id=operator.workspace_id, user_id=user.id, role=role)
        desk.people[name] = Actor(operator.workspace_id, role, user_id=user.id)
    return desk
