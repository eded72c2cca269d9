"""Meta webhook payloads (Instagram and Facebook Pages) as canonical items.

A delivery is `{"object": "instagram" | "page", "entry": [...]}`; each entry is one account's news, with
`changes[]` (comments, page feed) and/or `messaging[]` (direct messages). Every change and every messaging
event is one record:

- Instagram `comments` / `live_comments` change → `comment` (or `reply` with `parent_id`): id the comment
  id, thread the top comment, `post_id` the media, author `{"handle": from.username, "id": from.id}`;
  comments on ads (`media.media_product_type == "AD"` or an `ad_id`) carry `context.sponsored`;
- Page `feed` change with `item: comment, verb: add` → `comment`/`reply`; a visitor's post → `post`;
- `messaging[]` with a `message` → `direct_message`: id `mid`, thread `dm:<the other party's id>`,
  `reply_to.mid` → `in_reply_to`; attachments keep their kind as `media`; echoes (`is_echo`, the brand's
  own replies) are `outbound`;
- the account's own comments are `outbound`; mention notices (no text), reactions, read receipts, edits,
  removals and unsent messages are filtered with the reason; a malformed change or event is rejected.

The entry `time` is seconds (milliseconds are recognised); messaging `timestamp` is milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peyvand.sources._common import MAX_TEXT_CHARS, clip, from_unix, raw_json, source_of, text_of
from peyvand.sources._match import BrandMatcher
from peyvand.sources.base import Record, SourceContext

COMMENT_FIELDS = frozenset({"comments", "live_comments"})
ATTACHMENT_MEDIA = {"image": "photo", "audio": "voice_message", "video": "video_file", "file": "file"}


def parse_payload(payload: Any, *, context: SourceContext) -> Iterator[Record]:
    """Every record of one webhook delivery."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        yield Record("delivery", reject='expected {"object": …, "entry": [...]}', raw=raw_json(payload))
        return
    default = "instagram" if payload.get("object") == "instagram" else "facebook"
    source = source_of(context, default)
    matcher = BrandMatcher(context.brand)
    for index, entry in enumerate(payload["entry"]):
        yield from _entry(entry, f"entry {index}", source, matcher)


def _entry(entry: Any, locator: str, source: str, matcher: BrandMatcher) -> Iterator[Record]:
    if not isinstance(entry, dict):
        yield Record(locator, reject="an entry is not an object", raw=raw_json(entry))
        return
    account = text_of(entry.get("id"))
    parts = [(key, entry.get(key)) for key in ("changes", "messaging") if key in entry]
    if not parts:
        yield Record(locator, filtered="an entry without changes or messages")
    for key, events in parts:
        if not isinstance(events, list):
            yield Record(f"{locator}: {key}", reject=f"{key} is not a list", raw=raw_json(events))
            continue
        for index, event in enumerate(events):
            where = f"{locator}: {key} {index}"
            try:
                if key == "changes":
                    yield _change(event, where, entry.get("time"), account, source, matcher)
                else:
                    yield _messaging(event, where, account, source)
            except ValueError as exc:
                yield Record(where, reject=str(exc), raw=raw_json(event))


def _time(value: Any, what: str) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"{what} is missing or not a number")
    return from_unix(value / 1000 if value > 100_000_000_000 else value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("text is not a string")
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
    return value.strip()


def _change(
    change: Any, where: str, time: Any, account: str | None, source: str, matcher: BrandMatcher
) -> Record:
    if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
        raise ValueError('a change needs "field" and an object "value"')
    field, value = text_of(change.get("field")) or "", change["value"]
    if field in COMMENT_FIELDS:
        return Record(where, item=_instagram_comment(value, time, account, source, matcher))
    if field == "feed":
        return _page_feed(value, where, account, source, matcher)
    if field == "mentions":
        return Record(where, filtered="a mention notice without its text (read it with the Graph API)")
    return Record(where, filtered=f"a {clip(field, 40) or 'unnamed'} change, not a comment or message")


def _sender(value: dict[str, Any]) -> dict[str, Any]:
    sender = value.get("from")
    return sender if isinstance(sender, dict) else {}


def _own(
    author_id: str | None, account: str | None, handle: str | None, name: str | None, m: BrandMatcher
) -> bool:
    return bool(author_id and author_id == account) or m.is_own(name=name, handle=handle)


def _instagram_comment(
    value: dict[str, Any], time: Any, account: str | None, source: str, matcher: BrandMatcher
) -> dict[str, Any]:
    ident, parent = text_of(value.get("id")), text_of(value.get("parent_id"))
    if not ident:
        raise ValueError("the comment has no id")
    sender = _sender(value)
    handle, author_id = text_of(sender.get("username")), text_of(sender.get("id"))
    media: dict[str, Any] = value["media"] if isinstance(value.get("media"), dict) else {}
    item: dict[str, Any] = {
        "id": ident,
        "source": source,
        "kind": "reply" if parent else "comment",
        "created_at": _time(value.get("timestamp", time), "entry.time"),
        "text": _text(value.get("text")),
        "author": {k: v for k, v in (("handle", handle), ("id", author_id)) if v},
        "thread_id": parent or ident,
        "direction": "outbound" if _own(author_id, account, handle, None, matcher) else "inbound",
        "context": {"sponsored": media.get("media_product_type") == "AD" or bool(value.get("ad_id"))},
    }
    if parent:
        item["in_reply_to"] = parent
    if text_of(media.get("id")):
        item["post_id"] = text_of(media.get("id"))
    return item


def _page_feed(
    value: dict[str, Any], where: str, account: str | None, source: str, matcher: BrandMatcher
) -> Record:
    what, verb = value.get("item"), value.get("verb")
    if what not in ("comment", "post") or verb != "add":
        return Record(where, filtered="a page feed event that is not a new comment or post")
    ident = text_of(value.get("comment_id") if what == "comment" else value.get("post_id"))
    if not ident:
        raise ValueError(f"the {what} has no id")
    sender = _sender(value)
    name, author_id = text_of(sender.get("name")), text_of(sender.get("id"))
    own = _own(author_id, account, None, name, matcher)
    if what == "post" and own:
        return Record(where, filtered="the brand's own page post (broadcast, not feedback)")
    post, parent = text_of(value.get("post_id")), text_of(value.get("parent_id"))
    reply = what == "comment" and parent is not None and parent != post
    item: dict[str, Any] = {
        "id": ident,
        "source": source,
        "kind": "post" if what == "post" else ("reply" if reply else "comment"),
        "created_at": _time(value.get("created_time"), "created_time"),
        "text": _text(value.get("message")),
        "author": {k: v for k, v in (("name", name), ("id", author_id)) if v},
        "thread_id": parent if reply else ident,
        "direction": "outbound" if own else "inbound",
    }
    if reply:
        item["in_reply_to"] = parent
    if post and what == "comment":
        item["post_id"] = post
    return Record(where, item=item)


def _party(event: dict[str, Any], key: str) -> str | None:
    party = event.get(key)
    return text_of(party.get("id")) if isinstance(party, dict) else None


def _media(message: dict[str, Any]) -> str | None:
    attachments = message.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return None
    first = attachments[0] if isinstance(attachments[0], dict) else {}
    kind = text_of(first.get("type")) or "attachment"
    return ATTACHMENT_MEDIA.get(kind, clip(kind, 32))


def _messaging(event: Any, where: str, account: str | None, source: str) -> Record:
    if not isinstance(event, dict):
        raise ValueError("a messaging event is not an object")
    message = event.get("message")
    if not isinstance(message, dict):
        return Record(where, filtered="a read receipt, reaction or other event, not a message")
    if message.get("is_deleted") is True:
        return Record(where, filtered="an unsent message")
    ident, sender, recipient = (
        text_of(message.get("mid")),
        _party(event, "sender"),
        _party(event, "recipient"),
    )
    if not ident or not sender:
        raise ValueError("the message has no mid or sender")
    text, media = _text(message.get("text")), _media(message)
    if not text and media is None:
        return Record(where, filtered="an empty message")
    echo = message.get("is_echo") is True or sender == account
    item: dict[str, Any] = {
        "id": ident,
        "source": source,
        "kind": "direct_message",
        "created_at": _time(event.get("timestamp"), "timestamp"),
        "text": text,
        "author": {"id": sender},
        "thread_id": f"dm:{(recipient if echo else sender) or sender}",
        "direction": "outbound" if echo else "inbound",
    }
    reply = message.get("reply_to")
    if isinstance(reply, dict) and text_of(reply.get("mid")):
        item["in_reply_to"] = text_of(reply.get("mid"))
    if media is not None:
        item["media"] = media
    return Record(where, item=item)
