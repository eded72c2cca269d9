"""A person's corrections of what Peyvand decided about an item: its routing (team, unit, share_with),
sentiment, intent or audience. Each correction updates the item and is kept in `decision_log` with who,
when and what it was before; the corrections are the workspace's training labels
(`labels_for_training`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.domain.vocabulary import Audience, Intent, Sentiment, Team
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import record_event, unit_value
from peyvand.services.text_labels import record_item_label
from peyvand.storage.db import Store
from peyvand.storage.dialect import is_row_id
from peyvand.storage.tables import Conversation, DecisionLog, Item

FIELDS = ("routing", "sentiment", "intent", "audience")
PERSON = "person"
CHOICES = {
    "sentiment": {s.value for s in Sentiment},
    "intent": {i.value for i in Intent},
    "audience": {a.value for a in Audience},
}


def _item(session: Session, actor: Actor, item_id: int) -> Item:
    """The item, if the actor may see it: PR and admins every item; marketing its own and shared ones."""
    item = session.get(Item, item_id) if is_row_id(item_id) else None
    if item is None or item.workspace_id != actor.workspace_id:
        raise NotFound("item")
    if (
        not actor.can("conversations.read_all")
        and item.team != "marketing"
        and "marketing" not in item.share_with
    ):
        raise NotFound("item")
    return item


def _log(
    session: Session,
    actor: Actor,
    item: Item,
    field: str,
    previous: dict[str, Any],
    value: dict[str, Any],
    note: str | None,
) -> None:
    session.add(
        DecisionLog(
            workspace_id=item.workspace_id,
            item_id=item.id,
            field=field,
            previous=previous,
            value=value,
            actor=PERSON,
            user_id=actor.user_id,
            note=(note or "").strip() or None,
            at=utcnow(),
        )
    )


def _sync_conversation(session: Session, item: Item, actor: Actor) -> None:
    """When the corrected item opened its conversation, the conversation follows its team and unit."""
    if item.conversation_id is None:
        return
    conversation = session.get(Conversation, item.conversation_id)
    first = session.scalar(
        select(Item.id)
        .where(Item.conversation_id == item.conversation_id, Item.direction != "outbound")
        .order_by(Item.occurred_at, Item.id)
        .limit(1)
    )
    if conversation is None or first != item.id:
        return
    if (conversation.team, conversation.unit) != (item.team, item.unit):
        previous = {"team": conversation.team, "unit": conversation.unit}
        conversation.team, conversation.unit = item.team, item.unit
        record_event(
            session,
            conversation,
            "unit",
            at=utcnow(),
            user_id=actor.user_id,
            previous=previous,
            unit=item.unit,
        )


def override_routing(
    store: Store,
    actor: Actor,
    *,
    item_id: int,
    team: str,
    unit: str | None,
    share_with: Sequence[str] = (),
    note: str | None = None,
) -> None:
    """Route the item to `team`/`unit`, shared with `share_with`, as a person decided."""
    require(actor, "items.override")
    teams = {t.value for t in Team}
    if team not in teams or any(s not in teams for s in share_with):
        raise InvalidInput("team and share_with must be pr or marketing")
    new_unit, shared = unit_value(unit), sorted({s for s in share_with if s != team})
    value: dict[str, Any] = {"team": team, "unit": new_unit, "share_with": shared}
    with store.transaction() as session:
        item = _item(session, actor, item_id)
        previous = {"team": item.team, "unit": item.unit, "share_with": list(item.share_with)}
        if previous == value:
            return
        item.team, item.unit, item.share_with = team, new_unit, shared
        item.reasons = [*item.reasons, {"rule": "person", "text": "Routed by a person (override)."}]
        _log(session, actor, item, "routing", previous, value, note)
        _sync_conversation(session, item, actor)


def _override_label(
    store: Store,
    actor: Actor,
    field: str,
    item_id: int,
    label: str,
    note: str | None,
    source: str = "override",
) -> None:
    require(actor, "items.override")
    if label not in CHOICES[field]:
        raise InvalidInput(f"{field} must be one of {', '.join(sorted(CHOICES[field]))}")
    with store.transaction() as session:
        item = _item(session, actor, item_id)
        if item.feedback == "reaction":
            raise InvalidInput(f"a reaction has no {field}")
        # every correction, a confirmation too, is a training label of the workspace (text_labels)
        record_item_label(session, item, task=field, label=label, source=source, user_id=actor.user_id)
        previous = getattr(item, field)
        if previous == label:
            if field == "sentiment":  # a person confirmed it: no longer the built-in scorer's guess
                item.sentiment_provisional = False
            return
        setattr(item, field, label)
        if field == "sentiment":
            item.sentiment_provisional = False
        _log(session, actor, item, field, {field: previous}, {field: label}, note)


def override_label(
    store: Store,
    actor: Actor,
    *,
    field: str,
    item_id: int,
    label: str,
    note: str | None = None,
    source: str = "override",
) -> None:
    """Correct the item's sentiment, intent or audience (`field`) to `label`; `source` says where the
    training label came from ("override", or "page" for the labelling page)."""
    if field not in CHOICES:
        raise InvalidInput("a label correction is of sentiment, intent or audience")
    _override_label(store, actor, field, item_id, label, note, source)


def override_sentiment(
    store: Store, actor: Actor, *, item_id: int, sentiment: str, note: str | None = None
) -> None:
    _override_label(store, actor, "sentiment", item_id, sentiment, note)


def override_intent(
    store: Store, actor: Actor, *, item_id: int, intent: str, note: str | None = None
) -> None:
    _override_label(store, actor, "intent", item_id, intent, note)


def override_audience(
    store: Store, actor: Actor, *, item_id: int, audience: str, note: str | None = None
) -> None:
    _override_label(store, actor, "audience", item_id, audience, note)


def _label(field: str, value: dict[str, Any]) -> str | None:
    if field == "routing":
        return f"{value.get('team')}/{value.get('unit') or 'none'}"
    label = value.get(field)
    return str(label) if label else None


def labels_for_training(store: Store, workspace_id: int, field: str) -> list[tuple[str, str]]:
    """(text, label) pairs from people's corrections of `field` (sentiment, intent, audience or routing,
    whose label is "team/unit"), the latest correction of each item, oldest item first. Rules' re-routing
    is not a label: only corrections by a person count."""
    if field not in FIELDS:
        raise InvalidInput(f"field must be one of {', '.join(FIELDS)}")
    with store.read() as session:
        rows = session.execute(
            select(DecisionLog.item_id, DecisionLog.value, Item.text)
            .join(Item, Item.id == DecisionLog.item_id)
            .where(
                DecisionLog.workspace_id == workspace_id,
                DecisionLog.field == field,
                DecisionLog.actor == PERSON,
                Item.text.is_not(None),
            )
            .order_by(DecisionLog.item_id, DecisionLog.at, DecisionLog.id)
        )
        latest: dict[int, tuple[str, str]] = {}
        for item_id, value, text in rows:
            label = _label(field, value)
            if label and text:
                latest[item_id] = (text, label)
    return list(latest.values())
