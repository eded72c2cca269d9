"""Telegram Bot API updates (what a bot's webhook receives) as canonical items.

One `Update` is one record. `message`, `edited_message`, `channel_post`, `edited_channel_post` and the
business variants carry a `Message`; every other update (callback queries, member changes, polls…) is
filtered. A message becomes the item the Telegram Desktop export gives for it, with the **same id**
(`<chat id>:<message id>`, the chat id written as the export writes it: `-1001600000001` → `1600000001`),
so importing an export after the webhook ran adds only what the webhook missed:

- private chat → `direct_message`, thread = the chat; group or supergroup → `comment`, or `reply` when it
  answers a message; channel → `post` (or `reply`);
- `reply_to_message` → `in_reply_to`; the thread is the supergroup's `message_thread_id` (the first
  message of the reply chain, or the forum topic), else the message it answers, else itself;
- `text` or `caption`; a media-only message keeps its media kind (`photo`, `voice_message`, `sticker`…);
- author `{"name", "handle", "id": "user<id>"}` (`channel<id>` for a channel speaking); messages of the brand
  (its handles or names) are `outbound`; the brand's own channel posts are filtered (broadcast), and posts
  of other channels that do not mention the brand, a product or a competitor are filtered;
- an edit has the id of the message it edits (a duplicate once the original is stored) and `edited_at`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeGuard

from peyvand.sources._common import MAX_TEXT_CHARS, from_unix, raw_json, source_of, text_of
from peyvand.sources._match import NOT_MENTIONED, BrandMatcher
from peyvand.sources.base import Record, SourceContext

MESSAGE_KEYS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
)
MEDIA_KEYS = (
    ("photo", "photo"),
    ("voice", "voice_message"),
    ("video_note", "video_message"),
    ("video", "video_file"),
    ("animation", "animation"),
    ("audio", "audio_file"),
    ("sticker", "sticker"),
    ("document", "file"),
    ("poll", "poll"),
    ("location", "location"),
    ("venue", "location"),
    ("contact", "contact"),
    ("dice", "dice"),
)
SERVICE_KEYS = frozenset(
    {
        "new_chat_members",
        "left_chat_member",
        "new_chat_title",
        "new_chat_photo",
        "delete_chat_photo",
        "group_chat_created",
        "supergroup_chat_created",
        "channel_chat_created",
        "pinned_message",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "message_auto_delete_timer_changed",
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
        "video_chat_started",
        "video_chat_ended",
        "video_chat_scheduled",
        "video_chat_participants_invited",
    }
)
NOT_A_MESSAGE = "not a message update (callback query, member change, poll answer…), not feedback"


def parse_updates(payload: Any, *, context: SourceContext) -> Iterator[Record]:
    """The records of a webhook body: one `Update`, or a list of them (as `getUpdates` returns)."""
    if isinstance(payload, dict) and isinstance(payload.get("result"), list):
        payload = payload["result"]
    updates = payload if isinstance(payload, list) else [payload]
    matcher = BrandMatcher(context.brand)
    for index, update in enumerate(updates):
        yield parse_update(update, context=context, matcher=matcher, position=index)


def parse_update(
    update: Any, *, context: SourceContext, matcher: BrandMatcher | None = None, position: int = 0
) -> Record:
    if not isinstance(update, dict):
        return Record(
            f"update #{position + 1}",
            reject=f"expected an Update object, got {type(update).__name__}",
            raw=raw_json(update),
        )
    update_id = update.get("update_id")
    locator = f"update {update_id}" if _is_int(update_id) else f"update #{position + 1}"
    key = next((k for k in MESSAGE_KEYS if k in update), None)
    if key is None:
        return Record(locator, filtered=NOT_A_MESSAGE)
    try:
        return _message(update[key], key, context, matcher or BrandMatcher(context.brand), locator)
    except ValueError as exc:
        return Record(locator, reject=str(exc), raw=raw_json(update))


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def export_chat_id(value: Any) -> str:
    """A Bot API chat id as Telegram Desktop's export writes it (supergroups and channels lose -100)."""
    if not _is_int(value):
        raise ValueError("chat.id is missing or not a number")
    text = str(value)
    if text.startswith("-100") and len(text) > 4:
        return text[4:]
    return text.lstrip("-")


def _message(message: Any, key: str, context: SourceContext, matcher: BrandMatcher, locator: str) -> Record:
    if not isinstance(message, dict):
        raise ValueError(f"{key} is not an object")
    chat = message.get("chat")
    if not isinstance(chat, dict):
        raise ValueError(f"{key}.chat is missing")
    chat_id, message_id = export_chat_id(chat.get("id")), message.get("message_id")
    if not _is_int(message_id):
        raise ValueError(f"{key}.message_id is missing or not a number")
    locator = f"{locator}: chat {chat_id} message {message_id}"
    text, media = _text(message), _media(message)
    if not text and media is None:
        service = next((k for k in message if k in SERVICE_KEYS), None)
        reason = f"a service message ({service}), not feedback" if service else "an empty message"
        return Record(locator, filtered=reason)
    author, own = _author(message, matcher)
    if chat.get("type") == "channel":
        why = _channel_filter(message, chat, text, own, context, matcher)
        if why is not None:
            return Record(locator, filtered=why)
    item = _item(message, chat, chat_id, int(message_id), text, context)
    item.update(author=author, direction="outbound" if own else "inbound")
    if media is not None:
        item["media"] = media
    if key.startswith("edited_") and _is_int(message.get("edit_date")):
        item["edited_at"] = from_unix(message["edit_date"])
    return Record(locator, item=item)


def _channel_filter(
    message: dict[str, Any],
    chat: dict[str, Any],
    text: str,
    own: bool,
    context: SourceContext,
    matcher: BrandMatcher,
) -> str | None:
    """Why a channel post is not feedback: the brand's own broadcast, or no mention of the brand."""
    if own or matcher.is_own(name=text_of(chat.get("title")), handle=text_of(chat.get("username"))):
        if not isinstance(message.get("reply_to_message"), dict):
            return "the brand's own channel post (broadcast, not feedback)"
    elif context.brand is not None and matcher.mentions(text) is None:
        return NOT_MENTIONED
    return None


def _reply_to(message: dict[str, Any]) -> int | None:
    reply = message.get("reply_to_message")
    if not isinstance(reply, dict) or not _is_int(reply.get("message_id")):
        return None
    reply_id = int(reply["message_id"])
    if message.get("is_topic_message") is True and reply_id == message.get("message_thread_id"):
        return None  # in a forum topic every message "answers" the topic's first message
    return reply_id


def _item(
    message: dict[str, Any],
    chat: dict[str, Any],
    chat_id: str,
    message_id: int,
    text: str,
    context: SourceContext,
) -> dict[str, Any]:
    chat_type = text_of(chat.get("type")) or "private"
    reply_to = _reply_to(message)
    if chat_type == "private":
        kind, thread = "direct_message", chat_id
    else:
        kind = "reply" if reply_to is not None else ("post" if chat_type == "channel" else "comment")
        topic = message.get("message_thread_id")
        root = int(topic) if _is_int(topic) else (reply_to if reply_to is not None else message_id)
        thread = f"{chat_id}:{root}"
    if not _is_int(message.get("date")):
        raise ValueError("message has no date")
    name = text_of(chat.get("title")) or _person_name(chat)
    item: dict[str, Any] = {
        "id": f"{chat_id}:{message_id}",
        "source": source_of(context, "telegram"),
        "kind": kind,
        "created_at": from_unix(message["date"]),
        "text": text,
        "thread_id": thread,
        "chat": {k: v for k, v in (("name", name), ("type", chat_type)) if v},
    }
    if reply_to is not None:
        item["in_reply_to"] = f"{chat_id}:{reply_to}"
    return item


def _person_name(person: dict[str, Any]) -> str | None:
    parts = [text_of(person.get("first_name")), text_of(person.get("last_name"))]
    return " ".join(p for p in parts if p) or None


def _author(message: dict[str, Any], matcher: BrandMatcher) -> tuple[dict[str, Any], bool]:
    """The sender (a person, or a channel or group speaking as itself) and whether it is the brand."""
    sender, prefix = message.get("sender_chat"), "channel"
    if isinstance(sender, dict):
        name = text_of(sender.get("title"))
    else:
        sender, prefix = message.get("from"), "user"
        name = _person_name(sender) if isinstance(sender, dict) else None
    if not isinstance(sender, dict):
        return {}, False
    handle = text_of(sender.get("username"))
    ident = sender.get("id")
    author = {"name": name, "handle": handle}
    if _is_int(ident):
        author["id"] = f"{prefix}{export_chat_id(ident) if prefix == 'channel' else ident}"
    return {k: v for k, v in author.items() if v}, matcher.is_own(name=name, handle=handle)


def _text(message: dict[str, Any]) -> str:
    for key in ("text", "caption"):
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            if len(value) > MAX_TEXT_CHARS:
                raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
            return value.strip()
    return ""


def _media(message: dict[str, Any]) -> str | None:
    for key, label in MEDIA_KEYS:
        if message.get(key) not in (None, False):
            return label
    return None
