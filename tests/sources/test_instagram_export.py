"""Instagram "Download your information" JSON: message threads, own comments, Meta's mojibake."""

from __future__ import annotations

import io
import json

import pytest

from peyvand.sources import instagram
from peyvand.sources.base import SourceContext, UnreadableInput

EXPORT = "instagram/instagram-nahaltea-2026-03-05-AbCdEf"
INBOX = f"{EXPORT}/your_instagram_activity/messages/inbox/sara.tehrani_1047318273650192/message_1.json"


def test_mojibake_is_decoded_and_plain_text_is_kept():
    assert instagram.fix_text("\u00d8\u00b3\u00d9\u0084\u00d8\u00a7\u00d9\u0085") == "سلام"
    assert instagram.fix_text("\u00f0\u009f\u008c\u00b8") == "🌸"
    assert instagram.fix_text("سلام") == "سلام"  # already text: not latin-1 encodable, kept
    assert instagram.fix_text("café") == "café"  # latin-1 but not valid UTF-8 bytes: kept


def test_thread_messages(run, payloads, items):
    records = run(payloads / INBOX)
    assert len(records) == 8
    assert sorted(r.filtered for r in records if r.filtered) == [
        "a call notice, not a message",
        "a reaction notice, not a message",
        "a reaction notice, not a message",
    ]
    got = items(records)
    assert {i["thread_id"] for i in got} == {"sara.tehrani_1047318273650192"}
    question = next(i for i in got if i["text"].startswith("سلام، دمنوش"))
    assert question["direction"] == "inbound" and question["author"] == {"name": "Sara Tehrani"}
    assert question["created_at"] == "2026-03-02T14:40:00Z"
    photo = next(i for i in got if i.get("media") == "photo")
    assert photo["text"] == ""  # "Sara sent an attachment." is a placeholder, not her words
    share = next(i for i in got if i.get("media") == "share")
    assert share["url"] == "https://www.instagram.com/p/DExampleP0st1/"


def test_brand_messages_are_outbound_by_the_export_owner(run, payloads, items):
    folder = run(payloads / EXPORT)  # the folder: personal_information.json names the owner
    reply = next(i for i in items(folder) if i["text"].startswith("سلام سارا جان"))
    assert reply["direction"] == "outbound"
    alone = run(payloads / INBOX)  # the file alone: the display name is not one of the brand's names
    assert next(i for i in items(alone) if i["text"].startswith("سلام سارا جان"))["direction"] == "inbound"


def test_brand_messages_are_outbound_by_brand_name(payloads, brand):
    ctx = SourceContext(brand=brand, export_owner={"name": "Nahal Tea | چای نهال"})
    with (payloads / INBOX).open("rb") as stream:
        got = [r.item for r in instagram.parse(stream, context=ctx, name=INBOX) if r.item]
    assert [i["direction"] for i in got].count("outbound") == 1


def test_ids_are_stable_and_unique(run, payloads, items):
    first = [i["id"] for i in items(run(payloads / EXPORT))]
    again = [i["id"] for i in items(run(payloads / EXPORT))]
    assert first == again and len(set(first)) == len(first)


def test_comments_are_the_accounts_own_outbound_comments(run, payloads, items):
    records = run(payloads / EXPORT)
    comments = [i for i in items(records) if i["kind"] in {"comment", "reply"}]
    assert len(comments) == 3
    assert {c["direction"] for c in comments} == {"outbound"}
    assert {c["author"]["handle"] for c in comments} == {"nahaltea"}
    reply = next(c for c in comments if c["text"].startswith("@sara.tehrani"))
    assert reply["kind"] == "reply" and reply["media_owner"] == "nahaltea"


def test_export_folder_reads_only_supported_files(run, payloads):
    inputs = {r.input.rsplit("/", 1)[-1] for r in run(payloads / EXPORT) if r.input}
    assert inputs == {"message_1.json", "post_comments_1.json", "reels_comments.json"}


def _thread(messages: list[object]) -> io.BytesIO:
    doc = {"participants": [{"name": "A"}, {"name": "B"}], "messages": messages}
    return io.BytesIO(json.dumps(doc).encode())


def test_identical_messages_in_the_same_millisecond_get_distinct_ids(context):
    same = {"sender_name": "A", "timestamp_ms": 1772348400000, "content": "hi"}
    got = [
        r.item["id"] for r in instagram.parse(_thread([same, same]), context=context, name="x.json") if r.item
    ]
    assert len(got) == 2 and got[0] != got[1]
    assert got[0].startswith("participants-")  # no thread folder in the name: named by participants


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"sender_name": "A", "content": "no time"}, "no timestamp_ms"),
        ({"sender_name": "A", "timestamp_ms": "soon", "content": "x"}, "no timestamp_ms"),
        ([1, 2], "expected an object"),
    ],
)
def test_bad_messages_are_rejected(context, message, reason):
    [record] = instagram.parse(_thread([message]), context=context, name="m.json")
    assert record.reject is not None and reason in record.reject


def test_unsent_and_empty_messages_are_filtered(context):
    records = list(
        instagram.parse(
            _thread(
                [
                    {"sender_name": "A", "timestamp_ms": 1, "is_unsent": True, "content": "x"},
                    {"sender_name": "A", "timestamp_ms": 1772348400000},
                ]
            ),
            context=context,
            name="m.json",
        )
    )
    assert [r.filtered for r in records] == ["an unsent message", "an empty message (no text, no media)"]


def test_other_json_is_unreadable(context):
    with pytest.raises(UnreadableInput):
        list(instagram.parse(io.BytesIO(b'{"likes_media_likes": []}'), context=context, name="likes.json"))
