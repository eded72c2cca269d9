"""RSS 2.0, RSS 1.0 and Atom news feeds, for media monitoring (parsed by feedparser).

Each entry is one record. An entry that mentions the brand, a product or a competitor (matched on
normalised Persian and English text of its title and body) becomes an `article` item: the outlet's
piece about the brand, with `author` the writer (`dc:creator`, `<author>`) or else the outlet, `outlet`
the feed's title, link and domain, `url` the entry's link, `title`, and `text` the summary or content
without HTML. Other entries are filtered ("does not mention the brand, a product or a competitor").
Without a brand profile every entry is kept.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import IO, Any
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import feedparser

from peyvand.sources._common import MAX_TEXT_CHARS, from_unix, source_of, stable_id, text_of
from peyvand.sources._match import NOT_MENTIONED, BrandMatcher
from peyvand.sources.base import Record, SourceContext, UnreadableInput

MAX_FEED_BYTES = 32 * 1024 * 1024
_BLOCKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\s*\n\s*")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def strip_html(markup: str) -> str:
    """Visible text of an HTML fragment, paragraphs kept as line breaks."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.parts))
    return _LINES.sub("\n", text).strip()


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "feed.xml") -> Iterator[Record]:
    data = stream.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise UnreadableInput(f"{name}: feed larger than {MAX_FEED_BYTES // (1024 * 1024)} MiB")
    try:
        feed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    except Exception as exc:  # feedparser's own faults on hostile bytes (bad encoding declarations…)
        raise UnreadableInput(f"{name}: not a readable feed ({type(exc).__name__}: {exc})") from None
    if not feed.get("version") and not feed.entries:
        problem = feed.get("bozo_exception")
        raise UnreadableInput(f"{name}: not an RSS or Atom feed ({problem or 'no feed found'})")
    outlet = _outlet(feed.feed)
    matcher = BrandMatcher(context.brand)
    for position, entry in enumerate(feed.entries, start=1):
        locator = f"entry {position}"
        try:
            yield _entry(entry, outlet, matcher, context, locator)
        except ValueError as exc:
            yield Record(
                locator, reject=str(exc), raw=str(entry.get("title") or entry.get("link") or "")[:2000]
            )
    problem = feed.get("bozo_exception")
    if feed.entries and isinstance(problem, SAXParseException):
        reason = (
            "the feed is not well-formed XML (read leniently, entries after the fault may be missing): "
            f"{problem}"
        )
        yield Record(f"after entry {len(feed.entries)}", reject=reason[:500])


def _outlet(meta: Any) -> dict[str, str]:
    link = text_of(meta.get("link"))
    outlet = {"name": strip_html(text_of(meta.get("title")) or ""), "url": link or ""}
    host = _host(link)
    if host:
        outlet["domain"] = host.removeprefix("www.")
    return {k: v for k, v in outlet.items() if v}


def _host(link: str | None) -> str | None:
    try:
        return urlsplit(link).hostname if link else None
    except ValueError:  # a malformed link ("http://[::1")
        return None


def _entry(
    entry: Any, outlet: dict[str, str], matcher: BrandMatcher, context: SourceContext, locator: str
) -> Record:
    title = strip_html(text_of(entry.get("title")) or "")
    text = _body(entry)
    # plain dict lookups: FeedParserDict maps updated_parsed to published_parsed with a warning
    stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if stamp is None:
        raise ValueError("entry has no publication or update date")
    if matcher.brand is not None:
        found = matcher.mentions(f"{title}\n{text}")
        if found is None:
            return Record(locator, filtered=NOT_MENTIONED)
    link = text_of(entry.get("link"))
    item: dict[str, Any] = {
        "id": _entry_id(entry, outlet, title, link),
        "source": source_of(context, "rss"),
        "kind": "article",
        "created_at": from_unix(calendar.timegm(stamp)),
        "title": title[:1000] or None,
        "text": text,
        "author": _author(entry, outlet),
        "outlet": outlet,
    }
    if link:
        item["url"] = link
    return Record(locator, item={k: v for k, v in item.items() if v is not None})


def _body(entry: Any) -> str:
    content = entry.get("content")
    candidates = [c.get("value") for c in content if isinstance(c, dict)] if isinstance(content, list) else []
    candidates.append(entry.get("summary"))
    body = max((c for c in candidates if isinstance(c, str)), key=len, default="")
    return strip_html(body[: MAX_TEXT_CHARS * 4])[:MAX_TEXT_CHARS]


def _author(entry: Any, outlet: dict[str, str]) -> dict[str, str]:
    writer = strip_html(text_of(entry.get("author")) or "")
    if writer:
        return {"name": writer[:200]}
    return {"name": outlet["name"]} if outlet.get("name") else {}


def _entry_id(entry: Any, outlet: dict[str, str], title: str, link: str | None) -> str:
    guid = text_of(entry.get("id"))
    if guid and ":" in guid:
        return guid[:256]
    if link:
        return link[:256]
    scope = outlet.get("domain") or outlet.get("name") or "feed"
    return f"{scope}:{guid}"[:256] if guid else f"{scope}:{stable_id(title, entry.get('published'))}"
