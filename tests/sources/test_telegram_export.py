"""Telegram Desktop JSON exports: single chats, the whole account, quirks of `text` and dates."""

from __future__ import annotations

import io
import json

import pytest

from peyvand.sources import telegram
from peyvand.sources.base import SourceContext, UnreadableInput


def test_personal_chat_yields_one_record_per_message(run, payloads, items):
    records = run(payloads / "telegram" / "personal_chat_result.json")
    assert len(records) == 8
    assert [r.filtered for r in records if r.filtered] == ["a service message (phone_call), not feedback"]
    got = {i["id"]: i for i in items(records)}
    first = got["5100000001:80002"]
    assert first["kind"] == "direct_message"
    assert first["direction"] == "inbound"
    assert first["thread_id"] == "5100000001"
    assert first["created_at"] == "2026-03-01T06:30:00Z"  # date_unixtime, not the local "10:00" date
    assert first["author"] == {"name": "Maryam Karimi", "id": "user5100000001"}


def test_brand_reply_is_outbound_in_the_same_thread(run, payloads, items):
    got = {i["id"]: i for i in items(run(payloads / "telegram" / "personal_chat_result.json"))}
    reply = got["5100000001:80003"]
    assert reply["direction"] == "outbound"
    assert reply["in_reply_to"] == "5100000001:80002"
    assert reply["thread_id"] == got["5100000001:80002"]["thread_id"]


def test_text_as_list_of_strings_and_entities_is_joined(run, payloads, items):
    got = {i["id"]: i for i in items(run(payloads / "telegram" / "personal_chat_result.json"))}
    assert got["5100000001:80005"]["text"] == "بسته‌بندی آسیب دیده بود لطفاً پیگیری کنید"
    assert got["5100000001:80007"]["text"] == "پیگیری شد. جزئیات: وضعیت سفارش"


def test_media_only_messages_keep_their_media_kind(run, payloads, items):
    got = {i["id"]: i for i in items(run(payloads / "telegram" / "personal_chat_result.json"))}
    assert (got["5100000001:80004"]["media"], got["5100000001:80004"]["text"]) == ("photo", "")
    assert got["5100000001:80006"]["media"] == "voice_message"
    assert got["5100000001:80008"]["media"] == "sticker"


def test_group_threads_follow_reply_chains_and_service_messages_are_filtered(run, payloads, items):
    records = run(payloads / "telegram" / "group_result.json")
    assert len(records) == 9
    filtered = [r.filtered for r in records if r.filtered]
    assert filtered == [
        "a service message (create_group), not feedback",
        "a service message (join_group_by_link), not feedback",
        "a service message (pin_message), not feedback",
    ]
    got = {i["id"]: i for i in items(records)}
    assert got["1600000001:103"]["kind"] == "comment"
    assert got["1600000001:104"]["kind"] == "reply"
    assert {got[f"1600000001:{n}"]["thread_id"] for n in (103, 104, 105, 109)} == {"1600000001:103"}
    assert got["1600000001:105"]["direction"] == "outbound"  # posted by the brand's channel "چای نهال"
    assert got["1600000001:107"]["author"] == {"id": "user5400000004"}  # deleted account: from is null
    assert got["1600000001:107"]["forwarded_from"] == "Anonymous"
    assert got["1600000001:108"]["media"] == "poll"


def test_full_account_export(run, payloads, items):
    records = run(payloads / "telegram" / "full_account_result.json")
    assert len(records) == 11
    reasons = {r.locator: r.filtered for r in records if r.filtered}
    assert reasons["chat 7000000001: message 1"].startswith("saved messages")
    assert reasons["chat 93372553: message 11"] == "a chat with a bot, not feedback"
    assert reasons["chat 1800000008: message 9001"] == "does not mention the brand, a product or a competitor"
    assert reasons["chat 1700000001: message 1"] == "the brand's own channel post (broadcast, not feedback)"
    got = {i["id"]: i for i in items(records)}
    # the account that made the export is the brand's: its messages are outbound
    assert got["5500000005:502"]["direction"] == "outbound"
    assert got["5500000005:501"]["direction"] == "inbound"
    # a news channel's post that names the brand with an Arabic yeh (چاي) is kept
    assert got["1800000008:9002"]["kind"] == "post"


def test_account_owner_is_outbound_even_without_a_brand_profile(payloads):
    path = payloads / "telegram" / "full_account_result.json"
    with path.open("rb") as stream:
        records = list(telegram.parse(stream, context=SourceContext(), name=path.name))
    got = {r.item["id"]: r.item for r in records if r.item}
    assert got["5500000005:502"]["direction"] == "outbound"
    assert got["1800000008:9001"]["kind"] == "post"  # without a brand nothing can be filtered as unrelated


def _export(messages: list[object]) -> io.BytesIO:
    chat = {"name": "X", "type": "personal_chat", "id": 1, "messages": messages}
    return io.BytesIO(json.dumps(chat, ensure_ascii=False).encode("utf-8"))


def test_local_date_is_used_in_the_workspace_zone_only_without_unix_time(context):
    stream = _export([{"id": 1, "type": "message", "date": "2026-03-01T10:00:00", "from": "A", "text": "hi"}])
    [record] = telegram.parse(stream, context=context, name="result.json")
    assert record.item is not None and record.item["created_at"] == "2026-03-01T06:30:00Z"


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            {"id": 1, "type": "message", "from": "A", "text": "no date"},
            "message has no date_unixtime or date",
        ),
        ({"id": 1, "type": "message", "date_unixtime": "99999999999999", "text": "x"}, "out of range"),
        ({"type": "message", "date_unixtime": "1772348400", "text": "x"}, "message has no numeric id"),
        ({"id": 1, "type": "sticker_set", "date_unixtime": "1772348400"}, "unknown message type"),
        ("just a string", "expected a message object"),
    ],
)
def test_bad_messages_are_rejected_with_a_reason(context, message, reason):
    [record] = telegram.parse(_export([message]), context=context, name="result.json")
    assert record.reject is not None and reason in record.reject


def test_a_cut_off_export_keeps_what_was_read_and_rejects_the_rest(context):
    data = _export([{"id": n, "type": "message", "date_unixtime": "1772348400", "text": "x"} for n in (1, 2)])
    cut = data.getvalue()[:-40]
    records = list(telegram.parse(io.BytesIO(cut), context=context, name="result.json"))
    assert [r.item["id"] for r in records if r.item] == ["1:1"]
    assert records[-1].reject is not None and "cut off" in records[-1].reject


def test_not_a_telegram_export_is_unreadable(context):
    with pytest.raises(UnreadableInput):
        list(telegram.parse(io.BytesIO(b'{"hello": "world"}'), context=context, name="result.json"))
    with pytest.raises(UnreadableInput):
        list(telegram.parse(io.BytesIO(b"\x89PNG\r\n"), context=context, name="result.json"))
