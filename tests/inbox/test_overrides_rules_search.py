"""A person's overrides (audit trail, training labels), routing rules edited with a dry run and applied,
search over normalised Persian and English, and saved filters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from inbox.inbox_support import Desk, message
from peyvand.services.access import AccessDenied, InvalidInput, NotFound
from peyvand.services.inbox import InboxFilters, list_inbox
from peyvand.services.overrides import (
    labels_for_training,
    override_audience,
    override_intent,
    override_routing,
    override_sentiment,
)
from peyvand.services.routing_rules import (
    apply_rule_change,
    dry_run_rule_change,
    list_routing_rules,
    parse_rule,
)
from peyvand.services.saved_filters import delete_filter, list_filters, save_filter
from peyvand.storage.tables import Conversation, DecisionLog, Item

ZWNJ = "\u200c"


def _item(desk: Desk, external_id: str) -> Item:
    with desk.store.read() as session:
        found = session.scalar(
            select(Item).where(Item.workspace_id == desk.workspace_id, Item.external_id == external_id)
        )
        assert found is not None
        return found


def _log(desk: Desk, item_id: int) -> list[DecisionLog]:
    with desk.store.read() as session:
        return list(
            session.scalars(
                select(DecisionLog).where(DecisionLog.item_id == item_id).order_by(DecisionLog.id)
            )
        )


def test_overrides_update_the_item_and_keep_who_and_when(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z", "Hello there"))
    item = _item(desk, "m1")
    pr = desk["pr"]
    override_intent(desk.store, pr, item_id=item.id, intent="press_inquiry", note="a journalist")
    override_audience(desk.store, pr, item_id=item.id, audience="journalist")
    override_sentiment(desk.store, pr, item_id=item.id, sentiment="positive")
    override_routing(desk.store, pr, item_id=item.id, team="pr", unit="media", share_with=["marketing"])
    changed = _item(desk, "m1")
    assert (changed.intent, changed.audience, changed.sentiment) == (
        "press_inquiry",
        "journalist",
        "positive",
    )
    assert (changed.team, changed.unit, changed.share_with) == ("pr", "media", ["marketing"])
    assert changed.sentiment_provisional is False
    log = _log(desk, item.id)
    assert [(e.field, e.actor, e.user_id) for e in log] == [
        ("intent", "person", pr.user_id),
        ("audience", "person", pr.user_id),
        ("sentiment", "person", pr.user_id),
        ("routing", "person", pr.user_id),
    ]
    assert log[0].previous == {"intent": item.intent} and log[0].note == "a journalist"
    assert log[3].previous["unit"] is None and log[3].value["unit"] == "media"
    with desk.store.read() as session:  # the message opened its conversation: the conversation follows
        conversation = session.get(Conversation, item.conversation_id)
        assert conversation is not None and conversation.unit == "media"
    with pytest.raises(InvalidInput):
        override_intent(desk.store, pr, item_id=item.id, intent="gossip")
    with pytest.raises(AccessDenied):
        override_intent(desk.store, desk["viewer"], item_id=item.id, intent="question")


def test_marketing_can_correct_only_what_it_sees(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    item = _item(desk, "m1")
    with pytest.raises(NotFound):
        override_intent(desk.store, desk["marketing"], item_id=item.id, intent="question")
    override_routing(desk.store, desk["pr"], item_id=item.id, team="pr", unit=None, share_with=["marketing"])
    override_intent(desk.store, desk["marketing"], item_id=item.id, intent="purchase_intent")
    assert _item(desk, "m1").intent == "purchase_intent"


def test_labels_for_training_are_the_latest_person_labels_of_the_workspace(desk: Desk) -> None:
    desk.ingest(
        message("a", "2026-03-01T10:00:00Z", "چای تون عالیه"), message("b", "2026-03-01T11:00:00Z", "bad tea")
    )
    a, b = _item(desk, "a"), _item(desk, "b")
    override_sentiment(desk.store, desk["pr"], item_id=a.id, sentiment="negative")
    override_sentiment(desk.store, desk["pr"], item_id=a.id, sentiment="positive")
    override_sentiment(desk.store, desk["pr"], item_id=b.id, sentiment="neutral")
    override_routing(desk.store, desk["pr"], item_id=b.id, team="pr", unit="advertising")
    assert sorted(labels_for_training(desk.store, desk.workspace_id, "sentiment")) == [
        ("bad tea", "neutral"),
        ("چای تون عالیه", "positive"),
    ]
    assert labels_for_training(desk.store, desk.workspace_id, "routing") == [("bad tea", "pr/advertising")]
    assert labels_for_training(desk.store, desk.workspace_id, "intent") == []
    assert labels_for_training(desk.store, desk.workspace_id + 1000, "sentiment") == []


def test_a_rule_change_is_dry_run_then_applied_with_an_audit_trail(desk: Desk) -> None:
    desk.ingest(
        message("m1", "2026-11-01T10:00:00Z"),
        message("m2", "2026-11-02T10:00:00Z", "Where is my order?", source="instagram", kind="comment"),
    )
    rules = {r.id: r for r in list_routing_rules(desk.store, desk["pr"])}
    assert rules["R2-conversations"].origin == "default"
    changed = parse_rule(rules["R2-conversations"].text.replace('team = "pr"', 'team = "pr"\nunit = "media"'))
    before = {m: (_item(desk, m).team, _item(desk, m).unit) for m in ("m1", "m2")}
    assert before == {"m1": ("pr", None), "m2": ("pr", None)}
    dry = dry_run_rule_change(desk.store, desk["admin"], rule_id="R2-conversations", rule=changed, days=3650)
    assert dry.changed == 2 and dry.transitions[("pr", "pr/media")] == 2 and len(dry.examples) == 2
    assert _item(desk, "m1").unit is None  # a dry run writes nothing
    override_routing(desk.store, desk["pr"], item_id=_item(desk, "m2").id, team="pr", unit="advertising")
    applied = apply_rule_change(
        desk.store, desk["admin"], rule_id="R2-conversations", rule=changed, days=3650
    )
    assert applied.changed == 1 and applied.kept_by_person == 1
    assert _item(desk, "m1").unit == "media" and _item(desk, "m2").unit == "advertising"
    log = _log(desk, _item(desk, "m1").id)
    assert [(e.field, e.actor) for e in log] == [("routing", "rules")] and log[0].previous["unit"] is None
    assert {r.id: r.origin for r in list_routing_rules(desk.store, desk["pr"])}[
        "R2-conversations"
    ] == "changed"
    back = apply_rule_change(desk.store, desk["admin"], rule_id="R2-conversations", rule=None, days=3650)
    assert back.changed == 1 and _item(desk, "m1").unit is None
    with pytest.raises(InvalidInput):
        parse_rule('id = "X"\nwhen = { mood = ["bad"] }')
    with pytest.raises(AccessDenied):
        dry_run_rule_change(desk.store, desk["pr"], rule_id="R2-conversations", rule=changed)


def test_search_ignores_arabic_letter_forms_zwnj_and_case(desk: Desk) -> None:
    desk.ingest(
        message("fa", "2026-03-01T10:00:00Z", f"می{ZWNJ}خواهم چای سبز بخرم، کیفیتش خوبه؟"),
        message("ar", "2026-03-01T11:00:00Z", "اين كيك خيلي خوشمزه بود"),  # Arabic ي and ك
        message("en", "2026-03-01T12:00:00Z", "Green TEA arrived broken"),
    )
    pr = desk["pr"]

    def found(q: str) -> set[str]:
        rows = list_inbox(desk.store, pr, filters=InboxFilters(q=q)).rows
        ids = {desk.conversation_of(name): name for name in ("fa", "ar", "en")}
        return {ids[r.id] for r in rows}

    assert found("میخواهم") == {"fa"}  # no half-space
    assert found("می خواهم") == {"fa"}  # a space instead
    assert found(f"مي{ZWNJ}خواهم") == {"fa"}  # Arabic ي
    assert found("کیک") == {"ar"} and found("كيك") == {"ar"}
    assert found("green tea") == {"en"} and found("%") == set()
    assert found("person-en") == {"en"}  # the person's handle


def test_saved_filters_are_per_person(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    saved = save_filter(
        desk.store, desk["pr"], name="My urgent", filters=InboxFilters(assignee="me", priority="urgent")
    )
    assert saved.query == {"assignee": "me", "priority": "urgent"} and "assignee=me" in saved.href
    save_filter(desk.store, desk["pr"], name="My urgent", filters=InboxFilters(sla="missed"))
    assert [(f.name, f.query) for f in list_filters(desk.store, desk["pr"])] == [
        ("My urgent", {"sla": "missed"})
    ]
    assert list_filters(desk.store, desk["pr2"]) == []
    with pytest.raises(NotFound):
        delete_filter(desk.store, desk["pr2"], filter_id=saved.id)
    delete_filter(desk.store, desk["pr"], filter_id=saved.id)
    assert list_filters(desk.store, desk["pr"]) == []
    with pytest.raises(AccessDenied):
        save_filter(desk.store, desk["marketing"], name="x", filters=InboxFilters())
