"""RSS 2.0 and Atom feeds for media monitoring: only entries about the brand become articles."""

from __future__ import annotations

import io

import pytest

from peyvand.sources import feeds
from peyvand.sources.base import SourceContext, UnreadableInput


def test_persian_rss(run, payloads, items):
    records = run(payloads / "rss" / "persian_news_rss2.xml")
    assert len(records) == 4
    assert records[1].filtered == "does not mention the brand, a product or a competitor"
    assert records[3].reject == "entry has no publication or update date"
    first, second = items(records)
    assert first["kind"] == "article" and first["source"] == "rss"
    assert first["id"] == "https://www.eghtesad-nemooneh.example/?p=48213"
    assert first["author"] == {"name": "مینا صادقی"}
    assert first["outlet"] == {
        "name": "روزنامه اقتصاد نمونه",
        "url": "https://www.eghtesad-nemooneh.example",
        "domain": "eghtesad-nemooneh.example",
    }
    assert first["url"] == "https://www.eghtesad-nemooneh.example/1404/12/11/nahal-nowruz-sales/"
    assert first["created_at"] == "2026-03-02T04:45:00Z"
    assert "trackView" not in first["text"] and "<" not in first["text"]
    assert first["text"].startswith("شرکت چای نهال اعلام کرد")  # content:encoded, the fuller body
    assert second["title"] == "بازار چای سبز در حال رشد است"  # product named as چاي‌سبز in the body


def test_atom(run, payloads, items):
    records = run(payloads / "rss" / "english_blog_atom.xml")
    assert (
        records[1].filtered == "does not mention the brand, a product or a competitor"
    )  # "steam", "instead"
    [article] = items(records)
    assert article["title"] == "Kohsar & Nahal Tea battle for the café market"
    assert article["author"] == {"name": "J. Example"}
    assert (
        article["text"] == "Two Iranian brands, Kohsar and Nahal Tea, are competing for café contracts.\n"
        "Prices differ by 12%."
    )


def test_without_a_brand_every_entry_is_kept(payloads):
    with (payloads / "rss" / "english_blog_atom.xml").open("rb") as stream:
        records = list(feeds.parse(stream, context=SourceContext(), name="atom.xml"))
    assert [r.item is not None for r in records] == [True, True]
    assert records[1].item is not None and records[1].item["author"] == {
        "name": "Tea Trade Weekly (invented)"
    }


def test_an_entry_without_id_or_link_gets_a_stable_id(context):
    feed = (
        b'<rss version="2.0"><channel><title>T</title><link>https://t.example/</link><item>'
        b"<title>Nahal news</title><pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate></item>"
        b"</channel></rss>"
    )
    ids = [next(feeds.parse(io.BytesIO(feed), context=context, name="f.xml")).item["id"] for _ in range(2)]
    assert ids[0] == ids[1] and ids[0].startswith("t.example:")


def test_a_broken_feed_keeps_what_was_read(context):
    feed = (
        b'<rss version="2.0"><channel><title>T</title><item><title>Nahal one</title>'
        b"<pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate><guid>urn:a</guid></item><item><title>Nah"
    )
    records = list(feeds.parse(io.BytesIO(feed), context=context, name="f.xml"))
    assert records[0].item is not None and records[0].item["id"] == "urn:a"
    assert records[-1].reject is not None and "not well-formed" in records[-1].reject


@pytest.mark.parametrize("data", [b"", b"hello, world", b"<html><body>news</body></html>", b"\x00\x01\x02"])
def test_not_a_feed_is_unreadable(context, data):
    with pytest.raises(UnreadableInput):
        list(feeds.parse(io.BytesIO(data), context=context, name="f.xml"))


def test_strip_html():
    assert feeds.strip_html("<p>a <b>b</b></p><script>x()</script><p>c&amp;d</p>") == "a b\nc&d"
