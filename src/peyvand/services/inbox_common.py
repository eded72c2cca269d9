"""What the inbox services share: the vocabulary of statuses, priorities and units, finding a
conversation in the actor's workspace, recording a reporting event, and the search key of a text.

Helpers here never commit; they run inside the calling service's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.services.access import Actor, InvalidInput, NotFound
from peyvand.storage.dialect import is_row_id
from peyvand.storage.tables import Conversation, Membership, User
from peyvand.storage.tables_inbox import InboxEvent

STATUSES = ("open", "pending", "snoozed", "resolved")
PRIORITIES = ("low", "normal", "high", "urgent")
UNITS = ("media", "advertising", "none")
WORKING_ROLES = ("admin", "pr")
ZWNJ = "\u200c"

_normalise_key: Callable[[str], str] | None
try:  # the text engineer's normaliser; the fallback keeps search working while it changes
    from peyvand.text.normalise import normalise_key as _imported_key

    _normalise_key = _imported_key
except ImportError:  # pragma: no cover - only while peyvand.text.normalise is missing
    _normalise_key = None

_FALLBACK = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه"}
    | dict(zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789", strict=True))
)


def normalised_key(text: str) -> str:
    """The matching form items keep in `normalised_text` (Persian letter forms, digits, case)."""
    if _normalise_key is not None:
        return _normalise_key(text)
    return " ".join(text.translate(_FALLBACK).casefold().split())


def search_key(text: str) -> str:
    """The form search compares: the normalised key with every ZWNJ removed, so Arabic and Persian letter
    forms, digits, case and half-spaces do not matter (queries strip ZWNJ from both sides)."""
    return normalised_key(text).replace(ZWNJ, "")


def unit_value(unit: str | None) -> str | None:
    """A unit from a form ("none" or empty means no unit); refuses anything else."""
    if unit in (None, "", "none"):
        return None
    if unit not in UNITS:
        raise InvalidInput(f"unit must be one of {', '.join(UNITS)}")
    return unit


def get_conversation(session: Session, actor: Actor, conversation_id: int) -> Conversation:
    """The conversation, if it is in the actor's workspace (else NotFound, even when it exists)."""
    conversation = session.get(Conversation, conversation_id) if is_row_id(conversation_id) else None
    if conversation is None or conversation.workspace_id != actor.workspace_id:
        raise NotFound("conversation")
    return conversation


def check_worker(session: Session, workspace_id: int, user_id: int) -> User:
    """A user who can be given conversations: a member of the workspace with the admin or pr role."""
    role = session.scalar(
        select(Membership.role).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
    )
    user = session.get(User, user_id)
    if role not in WORKING_ROLES or user is None or not user.is_active:
        raise InvalidInput("conversations can be assigned only to the workspace's PR people and admins")
    return user


def record_event(
    session: Session,
    conversation: Conversation,
    kind: str,
    *,
    at: datetime,
    actor: str = "person",
    user_id: int | None = None,
    **details: Any,
) -> None:
    session.add(
        InboxEvent(
            workspace_id=conversation.workspace_id,
            conversation_id=conversation.id,
            kind=kind,
            actor=actor,
            user_id=user_id,
            details=details,
            at=at,
        )
    )


def workers(session: Session, workspace_id: int) -> list[tuple[int, str]]:
    """(user id, display name) of everyone who can work the inbox, by name."""
    rows = session.execute(
        select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.role.in_(WORKING_ROLES),
            User.is_active.is_(True),
        )
        .order_by(User.display_name, User.id)
    )
    return [(uid, name) for uid, name in rows]
