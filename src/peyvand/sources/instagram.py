"""Instagram's "Download your information" export, JSON format.

- Direct messages, `messages/inbox/<thread>/message_N.json` (also `message_requests/`): each message is
  one record; text messages and media messages (photos, videos, audio, shares) become `direct_message`
  items in the thread named by the folder; the brand's own messages (the export's owner, or a sender named
  like the brand) are `direction: "outbound"`. Reaction and "Liked a message" notices, calls and unsent
  messages are filtered. Messages carry no id, so the id is built from the thread, the time in
  milliseconds and a digest of sender and text (stable across re-exports).
- Comments, `comments/post_comments_N.json` and `reels_comments.json`: Instagram exports only the
  comments the account itself wrote, so each is the brand's own outbound `comment` (`reply` when it
  starts with an @handle), with the post's owner in `media_owner`.
- `personal_information.json` names the export's owner; `parse_path` reads it first (`owner_of`).

Meta writes text as UTF-8 bytes escaped one by one (`\\u00d8\\u00b3` for "س"); `fix_text` undoes it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from peyvand.sources._common import MAX_TEXT_CHARS, from_unix, raw_json, source_of, stable_id, text_of
from peyvand.sources._json_stream import Event, Paths, SkipPrefix, walk
from peyvand.sources._match import BrandMatcher
from peyvand.sources.base import Record, SourceContext, UnreadableInput

COMMENT_LISTS = ("comments_media_comments", "comments_reels_comments", "comments_story_comments")
PATHS = Paths(
    records=frozenset(["messages.item", "item", *(f"{k}.item" for k in COMMENT_LISTS)]),
    meta=frozenset({"participants.item.name"}),
    containers=frozenset(["messages", "profile_user", *COMMENT_LISTS]),
)
_REACTION = re.compile(r"^(liked a message|.{0,80}\breacted\b.{0,40}\bto (your|a) message)\.?$", re.I | re.S)
_ATTACHMENT = re.compile(r"^.{0,80}\bsent an attachment\.$", re.S)
_THREAD = re.compile(r"(?:inbox|message_requests|archived_threads)/([^/]+)/")
MEDIA_KEYS = (
    ("photos", "photo"),
    ("videos", "video"),
    ("audio_files", "audio"),
    ("gifs", "gif"),
    ("sticker", "sticker"),
    ("files", "file"),
    ("share", "share"),
)
_MEDIA = {key for key, _ in MEDIA_KEYS}


def fix_text(value: str) -> str:
    """Undo Meta's mojibake (UTF-8 bytes written as \\u00XX); text that is not mojibake is kept."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def fix_all(value: Any) -> Any:
    if isinstance(value, str):
        return fix_text(value)
    if isinstance(value, list):
        return [fix_all(v) for v in value]
    if isinstance(value, dict):
        return {fix_text(str(k)): fix_all(v) for k, v in value.items()}
    return value


@dataclass
class _State:
    context: SourceContext
    name: str
    matcher: BrandMatcher
    participants: list[str] = field(default_factory=list)
    recognised: bool = False
    count: int = 0
    recent_ids: OrderedDict[str, int] = field(default_factory=OrderedDict)

    def thread(self) -> str:
        found = _THREAD.search(self.name.replace("\\", "/"))
        if found:
            return found.group(1)
        return "participants-" + stable_id(sorted(self.participants))

    def unique(self, ident: str) -> str:
        """The id, with `#n` added when identical messages share a millisecond (bounded memory)."""
        seen = self.recent_ids.get(ident, 0)
        self.recent_ids[ident] = seen + 1
        if len(self.recent_ids) > 1000:
            self.recent_ids.popitem(last=False)
        return ident if seen == 0 else f"{ident}#{seen + 1}"


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "message_1.json") -> Iterator[Record]:
    state = _State(context, name, BrandMatcher(context.brand))
    for event in walk(SkipPrefix(stream), PATHS):
        if event.kind == "open":
            state.recognised = True
        elif event.kind == "meta":
            state.participants.append(fix_text(str(event.value)))
        elif event.kind == "error":
            if not state.recognised and state.count == 0:
                raise UnreadableInput(f"{name}: not an Instagram export file ({event.value})")
            yield Record(
                f"after record {state.count}", reject=f"the file is cut off or corrupt: {event.value}"
            )
            return
        else:
            state.count += 1
            state.recognised = True
            yield _record(event, state)
    if not state.recognised:
        raise UnreadableInput(f"{name}: not an Instagram messages or comments file")


def _record(event: Event, state: _State) -> Record:
    is_message = event.path == "messages.item"
    locator = f"{'message' if is_message else 'comment'} {state.count}"
    if event.kind == "too_large":
        return Record(locator, reject=f"record {event.value}")
    value = fix_all(event.value)
    if not isinstance(value, dict):
        return Record(locator, reject=f"expected an object, got {type(value).__name__}", raw=raw_json(value))
    try:
        return _message(value, state, locator) if is_message else _comment(value, state, locator)
    except ValueError as exc:
        return Record(locator, reject=str(exc), raw=raw_json(value))


def _message(message: dict[str, Any], state: _State, locator: str) -> Record:
    sender = text_of(message.get("sender_name"))
    stamp = message.get("timestamp_ms")
    if not isinstance(stamp, int | float) or isinstance(stamp, bool):
        raise ValueError("message has no timestamp_ms")
    raw_content = message.get("content")
    content = raw_content if isinstance(raw_content, str) else ""
    skip = _not_a_message(message, content)
    if skip:
        return Record(locator, filtered=skip)
    media = next((label for key, label in MEDIA_KEYS if message.get(key)), None)
    text = "" if media and _ATTACHMENT.match(content) else content.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
    if not text and media is None:
        return Record(locator, filtered="an empty message (no text, no media)")
    thread = state.thread()
    item: dict[str, Any] = {
        "id": state.unique(f"{thread}:{int(stamp)}:{stable_id(sender, content)[:8]}"),
        "source": source_of(state.context, "instagram"),
        "kind": "direct_message",
        "created_at": from_unix(stamp / 1000),
        "text": text,
        "author": {"name": sender} if sender else {},
        "thread_id": thread,
        "direction": "outbound" if _is_own(sender, state) else "inbound",
    }
    if media:
        item["media"] = media
    share = message.get("share")
    if isinstance(share, dict) and isinstance(share.get("link"), str):
        item["url"] = share["link"]
        item["text"] = item["text"] or (text_of(share.get("share_text")) or "")
    return Record(locator, item=item)


def _not_a_message(message: dict[str, Any], content: str) -> str | None:
    if message.get("is_unsent") is True:
        return "an unsent message"
    if "call_duration" in message:
        return "a call notice, not a message"
    if content and _REACTION.match(content.strip()) and not (_MEDIA & message.keys()):
        return "a reaction notice, not a message"
    return None


def _is_own(sender: str | None, state: _State) -> bool:
    owner = state.context.export_owner
    if sender and owner.get("name") and sender == owner["name"]:
        return True
    return state.matcher.is_own(name=sender)


def _fields(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    data = entry.get("string_map_data")
    if not isinstance(data, dict):
        raise ValueError("comment has no string_map_data")
    return {str(k).strip().lower(): v for k, v in data.items() if isinstance(v, dict)}


def _comment(entry: dict[str, Any], state: _State, locator: str) -> Record:
    fields = _fields(entry)
    text = text_of((fields.get("comment") or {}).get("value")) or ""
    stamp = (fields.get("time") or {}).get("timestamp")
    if not isinstance(stamp, int | float) or isinstance(stamp, bool):
        raise ValueError("comment has no Time timestamp")
    if not text:
        return Record(locator, filtered="an empty comment")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
    owner_of_post = text_of((fields.get("media owner") or {}).get("value"))
    item: dict[str, Any] = {
        "id": "comment:" + stable_id(int(stamp), owner_of_post, text),
        "source": source_of(state.context, "instagram"),
        "kind": "reply" if text.startswith("@") else "comment",
        "created_at": from_unix(stamp),
        "text": text,
        "author": _owner_author(state),
        "direction": "outbound",
    }
    if owner_of_post:
        item["media_owner"] = owner_of_post
    return Record(locator, item=item)


def _owner_author(state: _State) -> dict[str, str]:
    owner = state.context.export_owner
    author = {k: owner[k] for k in ("handle", "name") if owner.get(k)}
    if not author and state.context.brand is not None:
        handles = state.context.brand.handles
        author = {"handle": handles[0]} if handles else {"name": state.context.brand.name}
    return author


def owner_of(stream: IO[bytes]) -> dict[str, str]:
    """The export owner's `handle` and `name` from `personal_information.json` (empty when absent)."""
    paths = Paths(records=frozenset({"profile_user.item"}))
    for event in walk(SkipPrefix(stream), paths):
        if event.kind != "record" or not isinstance(event.value, dict):
            continue
        data = fix_all(event.value).get("string_map_data")
        if not isinstance(data, dict):
            continue
        out = {}
        for key, label in (("handle", "username"), ("name", "name")):
            value = next(
                (v.get("value") for k, v in data.items() if str(k).lower() == label and isinstance(v, dict)),
                None,
            )
            if isinstance(value, str) and value.strip():
                out[key] = value.strip().lstrip("@").lower() if key == "handle" else value.strip()
        return out
    return {}
