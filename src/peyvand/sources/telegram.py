"""Telegram Desktop's JSON export (`result.json`): one chat, or the whole account (`chats.list[]`).

Streams the file with `_json_stream.walk`, so a million-message export is read in constant memory. Each
message is one record:

- ordinary messages become items: `direct_message` in personal chats, `comment` (or `reply` when it
  replies) in groups, `post` in channels; id `<chat_id>:<message_id>`; `reply_to_message_id` becomes
  `in_reply_to`; the thread is the chat for personal chats and the first message of a reply chain in
  groups; `date_unixtime` is the time (`date` is the exporting computer's wall clock, used only when the
  unix time is missing, in the workspace's time zone); media-only messages keep their media kind;
- the brand's own messages (sent by the account that made a full export, or by a sender whose name is one
  of the brand's names or handles) become `direction: "outbound"` items in the same thread; the brand's
  own channel posts are filtered (broadcast, not feedback);
- service messages (pins, joins, calls), saved messages and bot chats are filtered with the reason;
  posts of other people's channels that do not mention the brand, a product or a competitor are
  filtered when a brand profile is given.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from peyvand.sources._common import (
    MAX_TEXT_CHARS,
    clip,
    from_unix,
    local_to_utc,
    raw_json,
    source_of,
    text_of,
    timezone_name,
)
from peyvand.sources._json_stream import Event, Paths, SkipPrefix, walk
from peyvand.sources._match import NOT_MENTIONED, BrandMatcher
from peyvand.sources.base import Record, SourceContext, UnreadableInput

_CHATS = ("", "chats.list.item.", "left_chats.list.item.")
PATHS = Paths(
    records=frozenset(f"{c}messages.item" for c in _CHATS),
    meta=frozenset(
        [f"{c}{k}" for c in _CHATS for k in ("name", "type", "id")]
        + [f"personal_information.{k}" for k in ("user_id", "first_name", "last_name", "username")]
    ),
    containers=frozenset([*(f"{c}messages" for c in _CHATS), "chats.list.item", "left_chats.list.item"]),
)
GROUPS = frozenset({"private_group", "private_supergroup", "public_supergroup"})
CHANNELS = frozenset({"private_channel", "public_channel"})
THREAD_MEMORY = 10_000
MEDIA_KEYS = (
    ("photo", "photo"),
    ("poll", "poll"),
    ("location_information", "location"),
    ("contact_information", "contact"),
    ("file", "file"),
)


@dataclass
class _Chat:
    name: str | None = None
    type: str | None = None
    id: str = "chat"
    roots: OrderedDict[int, int] = field(default_factory=OrderedDict)

    def thread_root(self, message_id: int, reply_to: int | None) -> int:
        """The first message of the reply chain (bounded memory: recent messages only)."""
        root = message_id if reply_to is None else self.roots.get(reply_to, reply_to)
        self.roots[message_id] = root
        if len(self.roots) > THREAD_MEMORY:
            self.roots.popitem(last=False)
        return root


@dataclass
class _State:
    context: SourceContext
    name: str
    matcher: BrandMatcher
    chat: _Chat = field(default_factory=_Chat)
    owner: dict[str, Any] = field(default_factory=dict)
    seen_messages: bool = False
    count: int = 0
    last: str = "the start"


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "result.json") -> Iterator[Record]:
    state = _State(context, name, BrandMatcher(context.brand))
    for event in walk(SkipPrefix(stream), PATHS):
        if event.kind in {"record", "too_large"}:
            state.count += 1
            yield _record(event, state)
        elif event.kind == "error":
            if not state.seen_messages:
                raise UnreadableInput(f"{name}: not a Telegram export ({event.value})")
            yield Record(f"after {state.last}", reject=f"the export is cut off or corrupt: {event.value}")
            return
        else:
            _observe(event, state)
    if not state.seen_messages:
        raise UnreadableInput(f'{name}: not a Telegram JSON export (no "messages" list found)')


def _observe(event: Event, state: _State) -> None:
    path, value = event.path, event.value
    if event.kind == "open":
        if path.endswith("messages"):
            state.seen_messages = True
        else:
            state.chat = _Chat()
        return
    key = path.rsplit(".", 1)[-1]
    if path.startswith("personal_information."):
        state.owner[key] = value
    elif key == "name":
        state.chat.name = text_of(value)
    elif key == "type":
        state.chat.type = text_of(value)
    elif key == "id":
        state.chat.id = text_of(value) or "chat"


def _record(event: Event, state: _State) -> Record:
    locator = f"chat {state.chat.id}: message #{state.count}"
    if event.kind == "too_large":
        return Record(locator, reject=f"message {event.value}")
    message = event.value
    if not isinstance(message, dict):
        return Record(
            locator,
            reject=f"expected a message object, got {type(message).__name__}",
            raw=raw_json(message),
        )
    ident = message.get("id")
    if isinstance(ident, int | float) and not isinstance(ident, bool):
        locator = f"chat {state.chat.id}: message {int(ident)}"
        state.last = f"message {int(ident)} of chat {state.chat.id}"
    try:
        return _message(message, state, locator)
    except ValueError as exc:
        return Record(locator, reject=str(exc), raw=raw_json(message))


def _message(message: dict[str, Any], state: _State, locator: str) -> Record:
    chat = state.chat
    kind = message.get("type")
    if kind == "service":
        return Record(
            locator,
            filtered=f"a service message ({text_of(message.get('action')) or 'service'}), not feedback",
        )
    if kind != "message":
        raise ValueError(f"unknown message type {kind!r}")
    if chat.type == "saved_messages":
        return Record(locator, filtered="saved messages: the account's own notes, not feedback")
    if chat.type == "bot_chat":
        return Record(locator, filtered="a chat with a bot, not feedback")
    ident = message.get("id")
    if not isinstance(ident, int | float) or isinstance(ident, bool):
        raise ValueError("message has no numeric id")
    text, media = message_text(message), media_of(message)
    if not text and media is None:
        return Record(locator, filtered="an empty message (no text, no media)")
    own = _is_own(message, state)
    if (
        chat.type in CHANNELS
        and (own or _channel_is_own(state))
        and message.get("reply_to_message_id") is None
    ):
        return Record(locator, filtered="the brand's own channel post (broadcast, not feedback)")
    if chat.type in CHANNELS and not own and state.context.brand is not None:
        if state.matcher.mentions(text) is None:
            return Record(locator, filtered=NOT_MENTIONED)
    return Record(locator, item=_item(message, state, int(ident), text, media, own))


def _item(
    message: dict[str, Any], state: _State, ident: int, text: str, media: str | None, own: bool
) -> dict[str, Any]:
    chat = state.chat
    reply_to = message.get("reply_to_message_id")
    reply_to = int(reply_to) if isinstance(reply_to, int | float) and not isinstance(reply_to, bool) else None
    item: dict[str, Any] = {
        "id": f"{chat.id}:{ident}",
        "source": source_of(state.context, "telegram"),
        "kind": _kind(chat.type, reply_to),
        "created_at": _time(message, state.context),
        "text": text,
        "author": {
            k: v
            for k, v in (("name", text_of(message.get("from"))), ("id", text_of(message.get("from_id"))))
            if v
        },
        "thread_id": chat.id
        if chat.type not in GROUPS | CHANNELS
        else f"{chat.id}:{chat.thread_root(ident, reply_to)}",
        "direction": "outbound" if own else "inbound",
        "chat": {k: v for k, v in (("name", chat.name), ("type", chat.type)) if v},
    }
    if reply_to is not None:
        item["in_reply_to"] = f"{chat.id}:{reply_to}"
    if media is not None:
        item["media"] = media
    forwarded = text_of(message.get("forwarded_from"))
    if forwarded:
        item["forwarded_from"] = forwarded
    return item


def _kind(chat_type: str | None, reply_to: int | None) -> str:
    if chat_type in GROUPS:
        return "reply" if reply_to is not None else "comment"
    if chat_type in CHANNELS:
        return "reply" if reply_to is not None else "post"
    return "direct_message"


def _is_own(message: dict[str, Any], state: _State) -> bool:
    sender = text_of(message.get("from_id"))
    owner_id = text_of(state.owner.get("user_id"))
    if owner_id and sender == f"user{owner_id}":
        return True
    return state.matcher.is_own(name=text_of(message.get("from")))


def _channel_is_own(state: _State) -> bool:
    return state.matcher.is_own(name=state.chat.name)


def _time(message: dict[str, Any], context: SourceContext) -> str:
    unix = message.get("date_unixtime")
    if isinstance(unix, str) and unix.strip().isdigit():
        return from_unix(int(unix))
    if isinstance(unix, int | float) and not isinstance(unix, bool):
        return from_unix(unix)
    local = message.get("date")
    if not isinstance(local, str):
        raise ValueError("message has no date_unixtime or date")
    try:
        return local_to_utc(datetime.fromisoformat(local), timezone_name(context))
    except ValueError as exc:
        raise ValueError(f"date {clip(local, 40)!r} is not an ISO date and time") from exc


def message_text(message: dict[str, Any]) -> str:
    """The message's text: a string, or a list of strings and entity objects (`text_entities` as fallback)."""
    value = message.get("text")
    if value in (None, "", []):
        value = message.get("text_entities")
    if isinstance(value, str):
        text = value
    elif isinstance(value, list):
        text = "".join(_piece(part) for part in value)
    else:
        text = ""
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
    return text.strip()


def _piece(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and isinstance(part.get("text"), str):
        return str(part["text"])
    return ""


def media_of(message: dict[str, Any]) -> str | None:
    media_type = text_of(message.get("media_type"))
    if media_type:
        return media_type
    for key, label in MEDIA_KEYS:
        if message.get(key) is not None:
            return label
    return None
