"""Telegram Bot API updates and Meta webhook payloads as canonical items: the mapping, and hostile input
(any JSON gives exactly one outcome per update, change or messaging event, and never an exception)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from api_support import instagram_comment, instagram_message, telegram_update
from peyvand.domain.items import parse_item
from peyvand.sources.base import Record, SourceContext
from peyvand.sources.meta_webhook import parse_payload
from peyvand.sources.telegram_bot import export_chat_id, parse_updates

GROUP = {"id": -1001600000001, "type": "supergroup", "title": "Tea lovers"}


def one(records: Any) -> Record:
    out = list(records)
    assert len(out) == 1
    return out[0]


def test_a_private_message_is_a_direct_message_with_the_export_id(context: SourceContext) -> None:
    record = one(parse_updates(telegram_update(7, "  سلام، چای سبز دارید؟ "), context=context))
    item = record.item
    assert item is not None
    assert item["id"] == "5001:7" and item["kind"] == "direct_message" and item["thread_id"] == "5001"
    assert item["text"] == "سلام، چای سبز دارید؟" and item["created_at"] == "2026-03-01T07:00:07Z"
    assert item["author"] == {"name": "Sara", "handle": "sara_k", "id": "user5001"}
    assert item["direction"] == "inbound"
    parse_item(item)


def test_group_replies_keep_the_thread_and_what_they_answer(context: SourceContext) -> None:
    reply = telegram_update(
        9,
        "منم",
        chat=GROUP,
        message_thread_id=3,
        reply_to_message={"message_id": 5, "chat": GROUP, "date": 1},
    )
    item = one(parse_updates(reply, context=context)).item
    assert item is not None
    assert (item["id"], item["kind"], item["in_reply_to"], item["thread_id"]) == (
        "1600000001:9",
        "reply",
        "1600000001:5",
        "1600000001:3",
    )
    topic = telegram_update(
        10,
        "hi",
        chat=GROUP,
        message_thread_id=3,
        is_topic_message=True,
        reply_to_message={"message_id": 3, "chat": GROUP, "date": 1},
    )
    plain = one(parse_updates(topic, context=context)).item
    assert plain is not None and plain["kind"] == "comment" and "in_reply_to" not in plain


def test_media_edits_the_brand_and_service_messages(context: SourceContext) -> None:
    photo = telegram_update(11, "", photo=[{"file_id": "x"}])
    photo["message"].pop("text")
    item = one(parse_updates(photo, context=context)).item
    assert item is not None and item["media"] == "photo" and item["text"] == ""
    edit = telegram_update(12, "edited text")
    edit["edited_message"] = {**edit.pop("message"), "edit_date": 1772348500}
    edited = one(parse_updates(edit, context=context)).item
    assert edited is not None and edited["id"] == "5001:12" and edited["edited_at"] == "2026-03-01T07:01:40Z"
    brand = telegram_update(
        13, "Thanks!", chat=GROUP, **{"from": {"id": 1, "is_bot": False, "first_name": "Nahal"}}
    )
    own = one(parse_updates(brand, context=context)).item
    assert own is not None and own["direction"] == "outbound"
    service = telegram_update(14, "", chat=GROUP, new_chat_members=[{"id": 2}])
    assert (
        one(parse_updates(service, context=context)).filtered
        == "a service message (new_chat_members), not feedback"
    )
    assert one(parse_updates({"update_id": 15, "my_chat_member": {}}, context=context)).filtered


def test_channel_posts_of_the_brand_are_filtered_and_others_need_a_mention(context: SourceContext) -> None:
    channel = {"id": -1009, "type": "channel", "title": "Nahal Tea", "username": "nahaltea"}
    own = {
        "update_id": 1,
        "channel_post": {"message_id": 1, "chat": channel, "date": 1772348400, "text": "news"},
    }
    assert "own channel" in (one(parse_updates(own, context=context)).filtered or "")
    other = {**channel, "title": "Food news", "username": "foodnews"}
    quiet = {
        "update_id": 2,
        "channel_post": {"message_id": 2, "chat": other, "date": 1772348400, "text": "rain"},
    }
    assert one(parse_updates(quiet, context=context)).filtered
    loud = {
        "update_id": 3,
        "channel_post": {"message_id": 3, "chat": other, "date": 1772348400, "text": "چای نهال"},
    }
    item = one(parse_updates(loud, context=context)).item
    assert item is not None and item["kind"] == "post" and item["id"] == "9:3"


def test_bad_updates_are_rejected_with_the_reason(context: SourceContext) -> None:
    records = list(
        parse_updates([1, {"update_id": 2, "message": {"chat": {"id": 1}, "date": 1}}], context=context)
    )
    assert [r.reject is not None for r in records] == [True, True]
    assert "message_id" in (records[1].reject or "") and records[1].locator == "update 2"
    assert export_chat_id(-1001600000001) == "1600000001" and export_chat_id(-42) == "42"


def test_instagram_comments_and_replies(context: SourceContext) -> None:
    item = one(parse_payload(instagram_comment("c1", "قیمت چای سبز؟", ad=True), context=context)).item
    assert item is not None
    assert (item["id"], item["kind"], item["thread_id"], item["post_id"]) == (
        "c1",
        "comment",
        "c1",
        "18000000000000001",
    )
    assert item["context"] == {"sponsored": True} and item["author"]["handle"] == "sara.k"
    assert item["created_at"] == "2026-03-01T07:00:00Z"
    reply = one(parse_payload(instagram_comment("c2", "same", parent="c1"), context=context)).item
    assert reply is not None and (reply["kind"], reply["in_reply_to"], reply["thread_id"]) == (
        "reply",
        "c1",
        "c1",
    )
    parse_item(item)


def test_instagram_messages_echoes_and_other_events(context: SourceContext) -> None:
    dm = one(parse_payload(instagram_message("m1", "سلام"), context=context)).item
    assert dm is not None and dm["kind"] == "direct_message" and dm["thread_id"] == "dm:9001"
    assert dm["direction"] == "inbound" and dm["created_at"].startswith("2026-03-01T07:00:00.123")
    echo = one(parse_payload(instagram_message("m2", "ممنون", echo=True), context=context)).item
    assert echo is not None and echo["direction"] == "outbound" and echo["thread_id"] == "dm:9001"
    payload = instagram_message("m3", "x")
    payload["entry"][0]["messaging"] = [
        {"sender": {"id": "1"}, "recipient": {"id": "2"}, "timestamp": 1772348400000, "read": {"mid": "m1"}},
        {"sender": {"id": "1"}, "timestamp": 1, "message": {"mid": "m4", "is_deleted": True}},
        {
            "sender": {"id": "1"},
            "timestamp": 1772348400000,
            "message": {"mid": "m5", "attachments": [{"type": "image"}]},
        },
        "junk",
    ]
    payload["entry"][0]["changes"] = [{"field": "mentions", "value": {"media_id": "1"}}]
    records = list(parse_payload(payload, context=context))
    assert [bool(r.filtered) for r in records] == [True, True, True, False, False]
    assert records[3].item is not None and records[3].item["media"] == "photo"
    assert records[4].reject is not None


def test_facebook_page_feed_comments(context: SourceContext) -> None:
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": "1_2",
        "post_id": "1_1",
        "parent_id": "1_1",
        "message": "Great tea",
        "from": {"id": "77", "name": "Ali"},
        "created_time": 1772348400,
    }
    payload = {
        "object": "page",
        "entry": [{"id": "1", "time": 1, "changes": [{"field": "feed", "value": value}]}],
    }
    item = one(parse_payload(payload, context=context)).item
    assert item is not None and item["source"] == "facebook" and item["kind"] == "comment"
    assert item["thread_id"] == "1_2" and item["post_id"] == "1_1"
    liked = {
        "object": "page",
        "entry": [{"id": "1", "changes": [{"field": "feed", "value": {"item": "reaction"}}]}],
    }
    assert one(parse_payload(liked, context=context)).filtered


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
KEYS = st.sampled_from(["message", "edited_message", "channel_post", "update_id", "callback_query", "x"])
MESSAGE_KEYS = st.sampled_from(
    [
        "message_id",
        "chat",
        "date",
        "text",
        "caption",
        "from",
        "photo",
        "reply_to_message",
        "sender_chat",
        "message_thread_id",
        "edit_date",
        "new_chat_members",
    ]
)
CHAT = st.fixed_dictionaries(
    {
        "id": st.integers() | st.text(max_size=5),
        "type": st.sampled_from(["private", "group", "supergroup", "channel", "x"]),
    },
    optional={"title": st.text(max_size=10)},
)
MESSAGE = st.dictionaries(MESSAGE_KEYS, JSON | CHAT | st.integers(1_000_000_000, 2_000_000_000), max_size=8)
UPDATE = st.dictionaries(KEYS, JSON | MESSAGE | st.integers(), max_size=4)


def _accounted(records: list[Record]) -> None:
    for record in records:
        assert sum(x is not None for x in (record.item, record.reject, record.filtered)) == 1


@settings(max_examples=300, deadline=None)
@given(payload=UPDATE | st.lists(UPDATE, max_size=4) | JSON)
def test_any_telegram_body_gives_one_outcome_per_update(payload: Any) -> None:
    records = list(parse_updates(payload, context=SourceContext()))
    updates = (
        payload.get("result")
        if isinstance(payload, dict) and isinstance(payload.get("result"), list)
        else payload
    )
    assert len(records) == (len(updates) if isinstance(updates, list) else 1)
    _accounted(records)
    for record in records:
        if record.item is not None:
            parse_item(record.item)  # what the mapper keeps is a valid item or is rejected at ingest


VALUE_KEYS = st.sampled_from(
    [
        "id",
        "text",
        "from",
        "media",
        "parent_id",
        "item",
        "verb",
        "comment_id",
        "post_id",
        "message",
        "created_time",
        "ad_id",
    ]
)
CHANGE = st.fixed_dictionaries(
    {
        "field": st.sampled_from(["comments", "feed", "mentions", "live_comments", "other"]) | JSON,
        "value": st.dictionaries(VALUE_KEYS, JSON, max_size=8) | JSON,
    }
)
EVENT = st.dictionaries(
    st.sampled_from(["sender", "recipient", "timestamp", "message", "read"]),
    JSON
    | st.fixed_dictionaries(
        {"mid": JSON, "text": JSON}, optional={"is_echo": JSON, "attachments": JSON, "reply_to": JSON}
    ),
    max_size=5,
)
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON,
        "time": JSON,
        "changes": st.lists(CHANGE, max_size=3) | JSON,
        "messaging": st.lists(EVENT, max_size=3) | JSON,
    },
)
META = st.fixed_dictionaries(
    {
        "object": st.sampled_from(["instagram", "page"]) | JSON,
        "entry": st.lists(ENTRY | JSON, max_size=3) | JSON,
    }
)


def _expected(payload: Any) -> int:
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        return 1
    total = 0
    for entry in payload["entry"]:
        if not isinstance(entry, dict):
            total += 1
            continue
        parts = [entry[k] for k in ("changes", "messaging") if k in entry]
        total += 1 if not parts else sum(len(p) if isinstance(p, list) else 1 for p in parts)
    return total


@settings(max_examples=300, deadline=None)
@given(payload=META | JSON)
def test_any_meta_body_gives_one_outcome_per_change_and_event(payload: Any) -> None:
    records = list(parse_payload(payload, context=SourceContext()))
    assert len(records) == _expected(payload)
    _accounted(records)
