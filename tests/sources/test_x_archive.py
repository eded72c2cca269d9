"""The X archive: tweets.js, direct-messages.js, account.js; folder and zip."""

from __future__ import annotations

import io
import zipfile

import pytest

from peyvand.sources import x_archive
from peyvand.sources.base import SourceContext, UnreadableInput

ARCHIVE = "x/twitter-2026-03-05-4f3e2d1c0b9a"


def test_archive_folder(run, payloads, items):
    records = run(payloads / ARCHIVE)
    outcomes = {r.locator: r.filtered or r.reject or r.item["id"] for r in records}  # type: ignore[index]
    assert outcomes["tweet 1898000000000000101"] == "the brand's own post (broadcast, not feedback)"
    assert outcomes["tweet 1898000000000000103"] == "the brand's own thread continuation, not feedback"
    assert outcomes["tweet 1898000000000000104"] == "the brand's own retweet, not feedback"
    assert len(records) == 11
    got = {i["id"]: i for i in items(records)}
    reply = got["1898000000000000102"]
    assert reply["kind"] == "reply" and reply["direction"] == "outbound"
    assert reply["in_reply_to"] == "1898000000000000050"
    assert reply["text"].endswith("ببخشید بابت تأخیر & ممنون از صبرت 🙏")  # &amp; unescaped
    assert reply["author"]["handle"] == "nahaltea"
    assert reply["url"] == "https://x.com/nahaltea/status/1898000000000000102"
    assert got["1898000000000000105"]["text"].endswith("https://nahal.example/press")  # t.co expanded


def test_direct_messages(run, payloads, items):
    got = {i["id"]: i for i in items(run(payloads / ARCHIVE))}
    inbound, outbound = got["dm:1898000000000000301"], got["dm:1898000000000000302"]
    assert inbound["direction"] == "inbound" and outbound["direction"] == "outbound"
    assert inbound["thread_id"] == outbound["thread_id"] == "dm:1400000000000000001-1500000000000000002"
    assert inbound["text"] == "سفارشم کجاست؟ https://nahal.example/orders/77"
    assert got["dm:1898000000000000402"]["media"] == "attachment"


def test_zip_archive_gives_the_same_records(run, payloads, tmp_path):
    folder = payloads / ARCHIVE
    target = tmp_path / "twitter-2026-03-05.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    from_zip = run(target)
    from_folder = run(folder)
    assert [r.item or r.filtered for r in from_zip] == [r.item or r.filtered for r in from_folder]
    assert all("!data/" in (r.input or "") for r in from_zip)


def _tweets(text: str, **extra: str) -> io.BytesIO:
    body = (
        'window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "7", "created_at" : '
        '"Sun Mar 01 07:00:00 +0000 2026", "full_text" : "'
        + text
        + '"'
        + "".join(f', "{k}" : "{v}"' for k, v in extra.items())
        + " } } ]"
    )
    return io.BytesIO(body.encode())


def test_someone_elses_archive_keeps_only_tweets_about_the_brand(brand):
    other = SourceContext(brand=brand, export_owner={"handle": "journalist_example", "id": "9"})
    [mention] = x_archive.parse(_tweets("Interviewing @nahaltea today"), context=other, name="tweets.js")
    assert mention.item is not None and (mention.item["kind"], mention.item["direction"]) == (
        "mention",
        "inbound",
    )
    [unrelated] = x_archive.parse(_tweets("Lunch."), context=other, name="tweets.js")
    assert unrelated.filtered == "does not mention the brand, a product or a competitor"
    [answer] = x_archive.parse(
        _tweets("@nahaltea thanks", in_reply_to_status_id_str="5", in_reply_to_screen_name="NahalTea"),
        context=other,
        name="tweets.js",
    )
    assert answer.item is not None and answer.item["kind"] == "reply"


def test_bad_tweets_are_rejected(context):
    body = (
        b'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1"}}, '
        b'{"tweet": {"id_str": "2", "full_text": "x", '
        b'"created_at": "yesterday", "in_reply_to_status_id_str": "1"}}, 3 ]'
    )
    records = list(x_archive.parse(io.BytesIO(body), context=context, name="tweets.js"))
    assert [r.reject for r in records] == [
        "tweet has no full_text",
        "created_at 'yesterday' is not X's date format",
        "expected a tweet object, got int",
    ]


def test_owner_from_account_js(payloads):
    with (payloads / ARCHIVE / "data" / "account.js").open("rb") as stream:
        assert x_archive.owner_of(stream) == {
            "id": "1400000000000000001",
            "handle": "nahaltea",
            "name": "Nahal Tea | چای نهال",
        }


def test_files_that_are_not_read(context, payloads):
    with (payloads / ARCHIVE / "data" / "like.js").open("rb") as stream:
        with pytest.raises(UnreadableInput, match="'like' file"):
            list(x_archive.parse(stream, context=context, name="like.js"))
    with pytest.raises(UnreadableInput, match="window.YTD"):
        list(x_archive.parse(io.BytesIO(b"[]"), context=context, name="tweets.js"))
