"""The X (Twitter) archive: `data/tweets.js`, `data/direct-messages.js`, `data/direct-messages-group.js`.

Each file is JavaScript, `window.YTD.<name>.part0 = [ … ]`; the JSON after the `=` is streamed. The
archive holds only its owner's tweets; `data/account.js` names the owner, and `parse_path` reads it first
(`owner_of`). When the owner is the brand (or no brand profile or owner is known):

- a reply to someone else is the brand's `reply`, `direction: "outbound"`, `in_reply_to` the tweet it
  answers (its first-response time is measured against that tweet);
- the brand's own posts, thread continuations and retweets are filtered (broadcast, not feedback).

When the owner is someone else, tweets that mention the brand become items (`mention` when they
@-mention a brand handle, `reply` when they answer one, `post` otherwise) and the rest are filtered.
Direct messages become `direct_message` items threaded by `conversationId`; the owner's own are
outbound. Conversation events (joins, renames) are filtered. Tweet text is HTML-unescaped and t.co
links are expanded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from peyvand.sources._common import MAX_TEXT_CHARS, clip, iso, raw_json, source_of, text_of
from peyvand.sources._json_stream import Paths, SkipPrefix, walk
from peyvand.sources._match import NOT_MENTIONED, BrandMatcher
from peyvand.sources.base import Record, SourceContext, UnreadableInput

YTD = re.compile(rb"window\.YTD\.([A-Za-z0-9_]+)\.part\d+\s*=")
TWEETS = frozenset({"tweets", "tweet"})
DMS = frozenset({"direct_messages", "direct_messages_group"})
DM_PATHS = Paths(
    records=frozenset({"item.dmConversation.messages.item"}),
    meta=frozenset({"item.dmConversation.conversationId"}),
)


@dataclass
class _Owner:
    id: str | None
    handle: str | None
    name: str | None
    is_brand: bool


def ytd_name(head: bytes) -> str | None:
    found = YTD.search(head[:4096])
    return found.group(1).decode("ascii") if found else None


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "tweets.js") -> Iterator[Record]:
    reader = SkipPrefix(stream)
    kind = ytd_name(reader.prefix)
    if kind is None:
        raise UnreadableInput(f"{name}: not an X archive file (no window.YTD prefix)")
    owner = _owner(context)
    if kind in TWEETS:
        yield from _tweets(reader, context, owner, name)
    elif kind in DMS:
        yield from _direct_messages(reader, context, owner, name)
    elif kind != "account":
        raise UnreadableInput(f"{name}: the X archive's {kind!r} file holds nothing Peyvand reads")


def _owner(context: SourceContext) -> _Owner:
    data = context.export_owner
    handle = data.get("handle")
    name = data.get("name")
    known = bool(handle or name)
    is_brand = (
        context.brand is None or not known or BrandMatcher(context.brand).is_own(handle=handle, name=name)
    )
    return _Owner(data.get("id"), handle, name, is_brand)


def _walk_records(reader: SkipPrefix, paths: Paths, name: str) -> Iterator[tuple[int, Any, str | None]]:
    """(position, value or None, problem) per record; a trailing corruption is one last problem."""
    count, meta = 0, None
    for event in walk(reader, paths):
        if event.kind == "meta":
            meta = text_of(event.value)
            continue
        count += 1
        if event.kind == "error":
            if count == 1:
                raise UnreadableInput(f"{name}: not an X archive file ({event.value})")
            yield count, meta, f"the file is cut off or corrupt: {event.value}"
            return
        if event.kind == "too_large":
            yield count, meta, f"record {event.value}"
        else:
            yield count, (meta, event.value), None


def _tweets(reader: SkipPrefix, context: SourceContext, owner: _Owner, name: str) -> Iterator[Record]:
    matcher = BrandMatcher(context.brand)
    for count, value, problem in _walk_records(reader, Paths(records=frozenset({"item"})), name):
        locator = f"tweet {count}"
        if problem is not None:
            yield Record(locator, reject=problem)
            continue
        tweet = value[1].get("tweet", value[1]) if isinstance(value[1], dict) else value[1]
        if not isinstance(tweet, dict):
            yield Record(
                locator, reject=f"expected a tweet object, got {type(tweet).__name__}", raw=raw_json(tweet)
            )
            continue
        try:
            yield _tweet(tweet, context, owner, matcher, locator)
        except ValueError as exc:
            yield Record(locator, reject=str(exc), raw=raw_json(tweet))


def _tweet(
    tweet: dict[str, Any], context: SourceContext, owner: _Owner, matcher: BrandMatcher, locator: str
) -> Record:
    ident = text_of(tweet.get("id_str")) or text_of(tweet.get("id"))
    if not ident:
        raise ValueError("tweet has no id_str")
    locator = f"tweet {ident}"
    text = tweet_text(tweet)
    reply_to = text_of(tweet.get("in_reply_to_status_id_str")) or text_of(tweet.get("in_reply_to_status_id"))
    reply_user = text_of(tweet.get("in_reply_to_user_id_str")) or text_of(tweet.get("in_reply_to_user_id"))
    reply_name = (text_of(tweet.get("in_reply_to_screen_name")) or "").lower()
    if owner.is_brand:
        if text.startswith("RT @"):
            return Record(locator, filtered="the brand's own retweet, not feedback")
        if reply_to is None:
            return Record(locator, filtered="the brand's own post (broadcast, not feedback)")
        if (owner.id and reply_user == owner.id) or (owner.handle and reply_name == owner.handle):
            return Record(locator, filtered="the brand's own thread continuation, not feedback")
        kind, direction = "reply", "outbound"
    else:
        found = matcher.mentions(text)
        if found is None and reply_name not in matcher.handles:
            return Record(locator, filtered=NOT_MENTIONED)
        addressed = any(f"@{h}" in text.lower() for h in matcher.handles)
        kind = "reply" if reply_name in matcher.handles else ("mention" if addressed else "post")
        direction = "inbound"
    return Record(locator, item=_tweet_item(tweet, context, owner, ident, text, kind, direction, reply_to))


def _tweet_item(
    tweet: dict[str, Any],
    context: SourceContext,
    owner: _Owner,
    ident: str,
    text: str,
    kind: str,
    direction: str,
    reply_to: str | None,
) -> dict[str, Any]:
    author = {k: v for k, v in (("handle", owner.handle), ("name", owner.name), ("id", owner.id)) if v}
    item: dict[str, Any] = {
        "id": ident,
        "source": source_of(context, "x"),
        "kind": kind,
        "created_at": tweet_time(tweet.get("created_at")),
        "text": text,
        "author": author,
        "url": f"https://x.com/{owner.handle or 'i/web'}/status/{ident}",
        "thread_id": reply_to or ident,
        "direction": direction,
    }
    if reply_to:
        item["in_reply_to"] = reply_to
    lang = text_of(tweet.get("lang"))
    if lang:
        item["lang"] = lang
    media = _tweet_media(tweet)
    if media:
        item["media"] = media
    return item


def tweet_time(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("tweet has no created_at")
    try:
        return iso(datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y"))
    except ValueError as exc:
        raise ValueError(f"created_at {clip(value, 40)!r} is not X's date format") from exc


def _expand(text: str, urls: Any) -> str:
    for url in urls if isinstance(urls, list) else []:
        if isinstance(url, dict) and isinstance(url.get("url"), str):
            expanded = url.get("expanded_url") or url.get("expanded")
            if isinstance(expanded, str) and url["url"]:
                text = text.replace(url["url"], expanded)
    return text


def tweet_text(tweet: dict[str, Any]) -> str:
    raw = tweet.get("full_text", tweet.get("text"))
    if not isinstance(raw, str):
        raise ValueError("tweet has no full_text")
    if len(raw) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
    entities = tweet.get("entities")
    urls = entities.get("urls") if isinstance(entities, dict) else None
    return _expand(html.unescape(raw), urls).strip()


def _tweet_media(tweet: dict[str, Any]) -> str | None:
    for key in ("extended_entities", "entities"):
        block = tweet.get(key)
        media = block.get("media") if isinstance(block, dict) else None
        if isinstance(media, list) and media and isinstance(media[0], dict):
            return text_of(media[0].get("type")) or "photo"
    return None


def _direct_messages(
    reader: SkipPrefix, context: SourceContext, owner: _Owner, name: str
) -> Iterator[Record]:
    for count, value, problem in _walk_records(reader, DM_PATHS, name):
        locator = f"direct message {count}"
        if problem is not None:
            yield Record(locator, reject=problem)
            continue
        conversation, event = value
        if not isinstance(event, dict) or not event:
            yield Record(locator, reject="expected a direct-message event object", raw=raw_json(event))
            continue
        message = event.get("messageCreate")
        if not isinstance(message, dict):
            yield Record(locator, filtered=f"a conversation event ({next(iter(event))}), not a message")
            continue
        try:
            yield _dm(message, conversation, context, owner, locator)
        except ValueError as exc:
            yield Record(locator, reject=str(exc), raw=raw_json(message))


def _dm(
    message: dict[str, Any], conversation: str | None, context: SourceContext, owner: _Owner, locator: str
) -> Record:
    ident, sender = text_of(message.get("id")), text_of(message.get("senderId"))
    if not ident:
        raise ValueError("direct message has no id")
    created = message.get("createdAt")
    if not isinstance(created, str):
        raise ValueError("direct message has no createdAt")
    try:
        at = iso(datetime.fromisoformat(created.replace("Z", "+00:00")))
    except ValueError as exc:
        raise ValueError(f"createdAt {clip(created, 40)!r} is not an ISO time") from exc
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    if len(str(text)) > MAX_TEXT_CHARS:
        raise ValueError(f"text longer than {MAX_TEXT_CHARS} characters")
    text = _expand(html.unescape(str(text)), message.get("urls")).strip()
    media = "attachment" if message.get("mediaUrls") else None
    if not text and media is None:
        return Record(f"direct message {ident}", filtered="an empty message (no text, no media)")
    item: dict[str, Any] = {
        "id": f"dm:{ident}",
        "source": source_of(context, "x"),
        "kind": "direct_message",
        "created_at": at,
        "text": text,
        "author": {"id": sender} if sender else {},
        "thread_id": f"dm:{conversation or 'unknown'}",
        "direction": "outbound" if owner.id and sender == owner.id else "inbound",
    }
    if media:
        item["media"] = media
    return Record(f"direct message {ident}", item=item)


def owner_of(stream: IO[bytes]) -> dict[str, str]:
    """The archive owner's `id`, `handle` and `name` from `data/account.js` (empty when absent)."""
    for event in walk(SkipPrefix(stream), Paths(records=frozenset({"item.account"}))):
        if event.kind == "record" and isinstance(event.value, dict):
            account = event.value
            out = {
                "id": text_of(account.get("accountId")),
                "handle": (text_of(account.get("username")) or "").lstrip("@").lower() or None,
                "name": text_of(account.get("accountDisplayName")),
            }
            return {k: v for k, v in out.items() if v}
    return {}
