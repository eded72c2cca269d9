"""Replies written in Peyvand: logged as the brand's outbound message in the conversation's thread (so
first-response and waiting times count them), then sent through the workspace's outbound integration by
a job, or recorded as not sent when no integration is configured."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import get_conversation, normalised_key, record_event
from peyvand.services.inbox_jobs import schedule_delivery
from peyvand.services.ingest_batch import refresh_conversations
from peyvand.services.outbound import NOT_SENT, integration_of
from peyvand.services.sla_tracking import evaluate
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, Item
from peyvand.storage.tables_inbox import OutboundDelivery
from peyvand.text.language import detect_language

MAX_REPLY = 20_000
REPLY_KIND = {"direct_message": "direct_message", "email": "email"}


@dataclass(frozen=True)
class ReplyResult:
    item_id: int
    delivery_id: int
    status: str
    reason: str | None


def _last_inbound(session: Session, conversation: Conversation) -> Item | None:
    return session.scalar(
        select(Item)
        .where(Item.conversation_id == conversation.id, Item.direction != "outbound")
        .order_by(Item.occurred_at.desc(), Item.id.desc())
        .limit(1)
    )


def _language(text: str, answered: Item | None) -> str | None:
    """The reply's own language (a Persian answer to an English message reads right to left), or the
    answered message's when the text has no letters."""
    found = detect_language(text).language
    return found if found != "other" else (answered.language if answered else None)


def _reply_item(conversation: Conversation, answered: Item | None, text: str, actor: Actor) -> Item:
    now = utcnow()
    return Item(
        workspace_id=conversation.workspace_id,
        source=conversation.source,
        external_id=f"peyvand-reply-{uuid.uuid4().hex}",
        feedback="interaction",
        kind=REPLY_KIND.get(answered.kind if answered else "", "reply"),
        direction="outbound",
        occurred_at=now,
        ingested_at=now,
        conversation_id=conversation.id,
        thread_ref=answered.thread_ref if answered else None,
        in_reply_to=answered.external_id if answered else None,
        text=text,
        normalised_text=normalised_key(text),
        language=_language(text, answered),
        team=conversation.team or "pr",
        unit=conversation.unit,
        share_with=[],
        reasons=[],
        products=[],
        competitors=[],
        attributes=[],
        dims={},
        sentiment_provisional=True,
        enriched_at=now,
        raw={"written_in": "peyvand", "user_id": actor.user_id},
    )


def reply_to_conversation(store: Store, actor: Actor, *, conversation_id: int, text: str) -> ReplyResult:
    """Log a reply in the thread and queue its delivery (or record that it could not be sent)."""
    require(actor, "conversations.work")
    text = text.strip()
    if not text or len(text) > MAX_REPLY:
        raise InvalidInput(f"a reply needs some text (up to {MAX_REPLY:,} characters)")
    with store.transaction() as session:
        conversation = get_conversation(session, actor, conversation_id)
        item = _reply_item(conversation, _last_inbound(session, conversation), text, actor)
        session.add(item)
        session.flush()
        refresh_conversations(session, {conversation.id})
        configured = integration_of(session, actor.workspace_id) is not None
        delivery = OutboundDelivery(
            workspace_id=actor.workspace_id,
            item_id=item.id,
            conversation_id=conversation.id,
            message_id=f"msg_{uuid.uuid4().hex}",
            status="queued" if configured else "not_sent",
            reason=None if configured else NOT_SENT,
            created_at=item.occurred_at,
            user_id=actor.user_id,
        )
        session.add(delivery)
        session.flush()
        if configured:
            schedule_delivery(session, actor.workspace_id, delivery.id)
        record_event(
            session, conversation, "reply", at=item.occurred_at, user_id=actor.user_id, item_id=item.id
        )
        evaluate(session, actor.workspace_id, [conversation], item.occurred_at)
        return ReplyResult(item.id, delivery.id, delivery.status, delivery.reason)
