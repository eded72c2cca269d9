"""How personal data is made anonymous: the steps erasure on request and retention share
(`peyvand.services.personal_data`). Helpers here never commit: they write in the caller's transaction,
or (`old_text_items`, `stale_authors`) read the next batch for it.

Rows are anonymised, never deleted, so every count, sentiment share, volume and signal stays true:

- a text item loses its text, normalised text, title, address, thread references and stored input (`raw`
  becomes `{"erased": "request"}` or `{"erased": "retention"}`); its kind, time, source, sentiment, intent,
  audience, routing and mentions stay. Ingest always stores a text (empty when the record had none), so a
  text item whose `text` is NULL is an erased one: that is how the pages know to say so. Its
  `external_id` stays, so re-importing the same export finds it a duplicate instead of bringing it back;
- an author loses handle, name, e-mail, bio and what PR kept by hand (stance, beats, notes); its `key`
  (the identity ingest matches on) becomes `erased:` and a salted SHA-256 that nobody can reverse (the
  salt is random and kept nowhere); source, followers, verified and audience stay (reach and audience
  shares use them);
- a conversation's key (it holds the handle: `instagram:@sara`) becomes such a pseudonym too, so a new
  message from the same address starts a new conversation with a new author;
- staff notes on the person's conversations are deleted, handoff and correction notes emptied, and the
  text labels of erased items deleted (a label without its text teaches a model nothing).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Conversation, DecisionLog, Handoff, Item
from peyvand.storage.tables_inbox import InboxNote
from peyvand.storage.tables_marketing import LoopEventRecord
from peyvand.storage.tables_text import TextLabel

ERASED = "erased:"
REACTION = "reaction"  # every other item is a text item (interaction, mention, or one pending understanding)
CHUNK = 500  # values in one IN (...) list: well under both databases' limits on bound parameters
BATCH = 500  # rows retention anonymises per transaction, so SQLite's one writer is never held long


class Pseudonyms:
    """`erased:` and the first 32 hex digits of SHA-256 over a random salt and the value: one value gives
    one pseudonym within a run (a contact's loop events stay one contact), and nothing leads back."""

    def __init__(self) -> None:
        self._salt = secrets.token_bytes(16)

    def __call__(self, value: str) -> str:
        return ERASED + hashlib.sha256(self._salt + value.encode("utf-8")).hexdigest()[:32]


def chunks(values: Sequence[int]) -> Iterable[list[int]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def is_erased_key(key: str | None) -> bool:
    return bool(key) and str(key).startswith(ERASED)


def erase_items(
    session: Session, workspace_id: int, item_ids: Sequence[int], *, reason: str, now: datetime
) -> tuple[int, int]:
    """Clear the text and identity of these items (the workspace's only); returns (items that still had
    text, text labels deleted). The notes of their corrections and handoffs are emptied."""
    erased = labels = 0
    for part in chunks(item_ids):
        mine = (Item.workspace_id == workspace_id, Item.id.in_(part))
        result = session.execute(
            update(Item)
            .where(*mine, Item.text.is_not(None))
            .values(
                text=None,
                normalised_text=None,
                title=None,
                url=None,
                thread_ref=None,
                in_reply_to=None,
                raw={"erased": reason},
            )
        )
        erased += int(getattr(result, "rowcount", 0) or 0)
        # an item waiting for text understanding has nothing left to understand
        session.execute(update(Item).where(*mine, Item.enriched_at.is_(None)).values(enriched_at=now))
        labels += _count(
            session,
            delete(TextLabel).where(TextLabel.workspace_id == workspace_id, TextLabel.item_id.in_(part)),
        )
        session.execute(
            update(DecisionLog)
            .where(DecisionLog.workspace_id == workspace_id, DecisionLog.item_id.in_(part))
            .values(note=None)
        )
        session.execute(
            update(Handoff)
            .where(Handoff.workspace_id == workspace_id, Handoff.item_id.in_(part), Handoff.note != "")
            .values(note="")
        )
    return erased, labels


def _count(session: Session, statement: Any) -> int:
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def erase_conversations(
    session: Session, workspace_id: int, conversation_ids: Sequence[int], pseudonym: Pseudonyms
) -> tuple[int, int]:
    """Give these conversations pseudonymous keys, delete the staff notes on them and empty their handoff
    notes; returns (conversations changed, notes deleted)."""
    changed = notes = 0
    for part in chunks(conversation_ids):
        rows = session.execute(
            select(Conversation.id, Conversation.key).where(
                Conversation.workspace_id == workspace_id, Conversation.id.in_(part)
            )
        ).all()
        fresh = [{"id": cid, "key": pseudonym(key)} for cid, key in rows if not is_erased_key(key)]
        if fresh:
            session.execute(update(Conversation), fresh)
        changed += len(fresh)
        notes += _count(
            session,
            delete(InboxNote).where(
                InboxNote.workspace_id == workspace_id, InboxNote.conversation_id.in_(part)
            ),
        )
        session.execute(
            update(Handoff)
            .where(
                Handoff.workspace_id == workspace_id, Handoff.conversation_id.in_(part), Handoff.note != ""
            )
            .values(note="")
        )
    return changed, notes


def anonymise_authors(
    session: Session, workspace_id: int, author_ids: Sequence[int], pseudonym: Pseudonyms
) -> int:
    """Clear the identity of these authors (not already anonymous); returns how many."""
    changed = 0
    for part in chunks(author_ids):
        rows = session.execute(
            select(AuthorRecord.id, AuthorRecord.source, AuthorRecord.key).where(
                AuthorRecord.workspace_id == workspace_id, AuthorRecord.id.in_(part)
            )
        ).all()
        fresh: list[dict[str, Any]] = [
            {
                "id": author_id,
                "key": pseudonym(f"{source}\n{key}"),
                "handle": None,
                "name": None,
                "email": None,
                "bio": None,
                "notes": None,
                "stance": None,
                "beats": [],
            }
            for author_id, source, key in rows
            if not is_erased_key(key)
        ]
        if fresh:
            session.execute(update(AuthorRecord), fresh)
        changed += len(fresh)
    return changed


def contacts_of(handles: Iterable[str], emails: Iterable[str]) -> list[str]:
    """The forms a loop event's contact may take for these handles and e-mails (lower case)."""
    found = {e for e in emails if e}
    for handle in handles:
        if handle:
            found |= {handle, "@" + handle}
    return sorted(found)


def loop_events_query(workspace_id: int, contacts: Sequence[str]) -> Any:
    if not contacts:
        return select(LoopEventRecord).where(LoopEventRecord.id.is_(None))
    return select(LoopEventRecord).where(
        LoopEventRecord.workspace_id == workspace_id, func.lower(LoopEventRecord.contact).in_(contacts)
    )


def erase_loop_contacts(
    session: Session, workspace_id: int, contacts: Sequence[str], pseudonym: Pseudonyms
) -> int:
    """Replace these contacts in the marketing loop events by pseudonyms (one contact, one pseudonym, so
    the loops' touches-to-conversion stay true); returns how many events changed."""
    rows = session.scalars(loop_events_query(workspace_id, contacts)).all()
    fresh = [{"id": row.id, "contact": pseudonym(row.contact.strip().lower())} for row in rows]
    if fresh:
        session.execute(update(LoopEventRecord), fresh)
    return len(fresh)


def pending_items_of(session: Session, workspace_id: int, handles: set[str], emails: set[str]) -> list[int]:
    """Items of these handles or e-mails still waiting for text understanding: they have no author yet,
    only their stored input names one."""
    if not handles and not emails:
        return []
    rows = session.execute(
        select(Item.id, Item.raw).where(
            Item.workspace_id == workspace_id,
            Item.enriched_at.is_(None),
            Item.feedback != REACTION,
        )
    ).all()
    found = []
    for item_id, raw in rows:
        author = (raw or {}).get("author") if isinstance(raw, dict) else None
        if not isinstance(author, dict):
            continue
        handle = str(author.get("handle") or "").strip().lstrip("@").lower()
        email = str(author.get("email") or "").strip().lower()
        if (handle and handle in handles) or (email and email in emails):
            found.append(int(item_id))
    return found


def old_text_items(store: Store, workspace_id: int, cutoff: datetime) -> list[int]:
    """A batch of text items (and replies) that occurred before the cut-off and still have their text."""
    with store.read() as session:
        return list(
            session.scalars(
                select(Item.id)
                .where(
                    Item.workspace_id == workspace_id,
                    Item.feedback != REACTION,
                    Item.occurred_at < cutoff,
                    Item.text.is_not(None),
                )
                .order_by(Item.id)
                .limit(BATCH)
            )
        )


def stale_authors(store: Store, workspace_id: int, cutoff: datetime) -> list[int]:
    """Authors not yet anonymous with no item at or after the cut-off."""
    recent = exists().where(Item.author_id == AuthorRecord.id, Item.occurred_at >= cutoff)
    with store.read() as session:
        return list(
            session.scalars(
                select(AuthorRecord.id)
                .where(
                    AuthorRecord.workspace_id == workspace_id,
                    ~AuthorRecord.key.startswith(ERASED, autoescape=True),
                    ~recent,
                )
                .order_by(AuthorRecord.id)
                .limit(BATCH)
            )
        )


def forget_authors(session: Session, workspace_id: int, author_ids: list[int]) -> tuple[int, int, int]:
    """Retention's part for authors: their records and conversations (keys, staff notes); returns
    (authors, conversations, notes) changed. Their loop events are not touched: a marketing contact may be
    active in a loop long after their last message."""
    pseudonym = Pseudonyms()
    conversations: list[int] = []
    for part in chunks(author_ids):
        conversations += session.scalars(
            select(Conversation.id).where(
                Conversation.workspace_id == workspace_id, Conversation.author_id.in_(part)
            )
        )
    changed, notes = erase_conversations(session, workspace_id, conversations, pseudonym)
    authors = anonymise_authors(session, workspace_id, author_ids, pseudonym)
    return authors, changed, notes
