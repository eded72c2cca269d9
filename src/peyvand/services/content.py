"""Content: PR pieces tracked for spread, marketing pieces used in loops (DESIGN §2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign, Content

TEAMS = ("pr", "marketing")


def save_content(store: Store, actor: Actor, data: dict[str, Any]) -> int:
    """Create or update (by key) a piece of content; returns its id."""
    if data.get("team") not in TEAMS or not data.get("key") or not data.get("title"):
        raise InvalidInput("content needs a key, a title and a team (pr or marketing)")
    require(actor, "conversations.work" if data["team"] == "pr" else "marketing.work")
    with store.transaction() as session:
        row = session.scalar(
            select(Content).where(Content.workspace_id == actor.workspace_id, Content.key == data["key"])
        )
        if row is None:
            row = Content(workspace_id=actor.workspace_id, key=data["key"], created_at=utcnow())
            session.add(row)
        row.team, row.unit, row.kind = data["team"], data.get("unit"), data.get("kind") or "article"
        row.language, row.title, row.url, row.text = (
            data.get("language"),
            data["title"],
            data.get("url"),
            data.get("text"),
        )
        published = data.get("published_at")
        row.published_at = datetime.fromisoformat(published) if isinstance(published, str) else published
        campaign_key = data.get("campaign")
        row.campaign_id = (
            session.scalar(
                select(Campaign.id).where(
                    Campaign.workspace_id == actor.workspace_id, Campaign.key == campaign_key
                )
            )
            if campaign_key
            else None
        )
        row.details = {k: data[k] for k in ("translation_of",) if data.get(k)}
        session.flush()
        return row.id
