"""Working conversations: status transitions and reopening, assignment, priority, unit, notes, bulk
actions, the history of changes, who may do what, and workspace isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from inbox.inbox_support import Desk, make_desk, message
from peyvand.domain.brand import BrandProfile
from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.conversation_view import conversation_view
from peyvand.services.handoffs import hand_off_conversation, list_handoffs, set_handoff_status
from peyvand.services.inbox import InboxFilters, list_inbox
from peyvand.services.inbox_actions import (
    Change,
    add_note,
    assign_conversation,
    bulk_update,
    set_conversation_priority,
    set_conversation_status,
    set_conversation_unit,
)
from peyvand.services.inbox_sweep import sweep_inbox
from peyvand.services.workspaces import create_workspace
from peyvand.storage.tables_inbox import InboxEvent


def _events(desk: Desk, conversation_id: int) -> list[tuple[str, str]]:
    with desk.store.read() as session:
        rows = session.execute(
            select(InboxEvent.kind, InboxEvent.actor)
            .where(InboxEvent.conversation_id == conversation_id)
            .order_by(InboxEvent.id)
        )
        return [(k, a) for k, a in rows]


def test_status_transitions_and_a_new_inbound_message_reopens(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z", thread_id="t1"))
    cid = desk.conversation_of("m1")
    assert desk.conversation(cid).status == "open"
    set_conversation_status(desk.store, desk["pr"], conversation_id=cid, status="resolved")
    resolved = desk.conversation(cid)
    assert resolved.status == "resolved" and resolved.resolved_at is not None
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    desk.ingest(message("m2", later, "یک سؤال دیگه", thread_id="t1"))
    reopened = desk.conversation(cid)
    assert reopened.status == "open" and reopened.resolved_at is None

    set_conversation_status(desk.store, desk["pr"], conversation_id=cid, status="pending")
    assert desk.conversation(cid).status == "pending"
    desk.ingest(message("m3", (datetime.now(UTC) + timedelta(minutes=2)).isoformat(), "الو؟", thread_id="t1"))
    assert desk.conversation(cid).status == "open"
    kinds = _events(desk, cid)
    assert ("status", "person") in kinds and ("status", "ingest") in kinds


def test_an_old_message_imported_late_does_not_reopen(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z", thread_id="t1"))
    cid = desk.conversation_of("m1")
    set_conversation_status(desk.store, desk["pr"], conversation_id=cid, status="pending")
    desk.ingest(message("m0", "2026-02-28T10:00:00Z", "older", thread_id="t1"))
    assert desk.conversation(cid).status == "pending"


def test_snooze_needs_a_future_time_and_the_sweep_wakes_it(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    cid = desk.conversation_of("m1")
    with pytest.raises(InvalidInput):
        set_conversation_status(desk.store, desk["pr"], conversation_id=cid, status="snoozed")
    until = datetime.now(UTC) + timedelta(hours=1)
    set_conversation_status(
        desk.store, desk["pr"], conversation_id=cid, status="snoozed", snoozed_until=until
    )
    snoozed = desk.conversation(cid)
    assert snoozed.status == "snoozed" and snoozed.snoozed_until == until
    early = sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=until - timedelta(minutes=5), repeat=False
    )
    assert early.woken == 0 and desk.conversation(cid).status == "snoozed"
    due = sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=until + timedelta(seconds=1), repeat=False
    )
    assert due.woken == 1
    woken = desk.conversation(cid)
    assert woken.status == "open" and woken.snoozed_until is None


def test_assign_priority_unit_and_notes_are_recorded(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    cid = desk.conversation_of("m1")
    pr = desk["pr"]
    assign_conversation(desk.store, pr, conversation_id=cid, assignee_id=pr.user_id)
    set_conversation_priority(desk.store, pr, conversation_id=cid, priority="high")
    set_conversation_unit(desk.store, pr, conversation_id=cid, unit="media")
    add_note(desk.store, pr, conversation_id=cid, text="با خبرنگار تماس گرفتم")
    view = conversation_view(desk.store, pr, conversation_id=cid)
    assert view.conversation.assignee_id == pr.user_id and view.assignee == "pr"
    assert view.conversation.priority == "high" and view.conversation.unit == "media"
    assert [n.text for n in view.notes] == ["با خبرنگار تماس گرفتم"] and view.notes[0].author == "pr"
    assert [e.kind for e in view.events] == ["assigned", "priority", "unit", "note"]
    with pytest.raises(InvalidInput):  # marketing people are not given PR conversations
        assign_conversation(desk.store, pr, conversation_id=cid, assignee_id=desk["marketing"].user_id)
    with pytest.raises(InvalidInput):
        set_conversation_priority(desk.store, pr, conversation_id=cid, priority="whenever")
    with pytest.raises(InvalidInput):
        add_note(desk.store, pr, conversation_id=cid, text="   ")


def test_bulk_actions_change_every_selected_conversation_or_none(desk: Desk) -> None:
    desk.ingest(*(message(f"m{i}", f"2026-03-01T1{i}:00:00Z") for i in range(3)))
    ids = [desk.conversation_of(f"m{i}") for i in range(3)]
    pr2 = desk["pr2"]
    n = bulk_update(
        desk.store,
        desk["pr"],
        conversation_ids=ids[:2],
        change=Change(assignee_id=pr2.user_id, priority="high"),
    )
    assert n == 2
    page = list_inbox(desk.store, desk["pr"], filters=InboxFilters(assignee=str(pr2.user_id)))
    assert sorted(r.id for r in page.rows) == sorted(ids[:2]) and {r.priority for r in page.rows} == {"high"}
    with pytest.raises(NotFound):  # one id from nowhere: nothing changes
        bulk_update(
            desk.store, desk["pr"], conversation_ids=[ids[2], 999_999], change=Change(status="resolved")
        )
    assert desk.conversation(ids[2]).status == "open"
    bulk_update(desk.store, desk["pr"], conversation_ids=ids, change=Change(status="resolved"))
    assert list_inbox(desk.store, desk["pr"], filters=InboxFilters()).total == 0
    assert list_inbox(desk.store, desk["pr"], filters=InboxFilters(status="resolved")).total == 3
    with pytest.raises(InvalidInput):
        bulk_update(desk.store, desk["pr"], conversation_ids=ids, change=Change())


def test_marketing_and_viewers_cannot_work_the_inbox(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    cid = desk.conversation_of("m1")
    for name in ("marketing", "viewer"):
        with pytest.raises(AccessDenied):
            list_inbox(desk.store, desk[name], filters=InboxFilters())
        with pytest.raises(AccessDenied):
            set_conversation_status(desk.store, desk[name], conversation_id=cid, status="resolved")
        with pytest.raises(AccessDenied):
            add_note(desk.store, desk[name], conversation_id=cid, text="x")
        with pytest.raises(AccessDenied):
            conversation_view(desk.store, desk[name], conversation_id=cid)


def test_a_handoff_lets_marketing_read_the_conversation(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z", "We'd like to buy green tea wholesale for our shops."))
    cid = desk.conversation_of("m1")
    with pytest.raises(InvalidInput):
        hand_off_conversation(desk.store, desk["pr"], conversation_id=cid, note=" ")
    hid = hand_off_conversation(
        desk.store, desk["pr"], conversation_id=cid, note="Wholesale lead: send prices"
    )
    handoffs = list_handoffs(desk.store, desk["marketing"])
    assert [(h.id, h.note, h.status, h.by) for h in handoffs] == [
        (hid, "Wholesale lead: send prices", "open", "pr")
    ]
    assert handoffs[0].first_message and "wholesale" in handoffs[0].first_message
    view = conversation_view(desk.store, desk["marketing"], conversation_id=cid)
    assert view.can_work is False and [h.id for h in view.handoffs] == [hid]
    set_handoff_status(desk.store, desk["marketing"], handoff_id=hid, status="done")
    assert list_handoffs(desk.store, desk["pr"], status="done")[0].id == hid
    with pytest.raises(AccessDenied):
        list_handoffs(desk.store, desk["viewer"])


def test_no_conversation_crosses_workspaces(desk: Desk, brand: BrandProfile) -> None:
    other = make_desk(
        desk.store, Actor.operator(create_workspace(desk.store, brand=brand, slug="other-ws").id), "o-"
    )
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    other.ingest(message("x1", "2026-03-01T10:00:00Z", "other brand"))
    mine = desk.conversation_of("m1")
    assert [r.id for r in list_inbox(desk.store, other["pr"], filters=InboxFilters()).rows] == [
        other.conversation_of("x1")
    ]
    for call in (
        lambda: conversation_view(desk.store, other["pr"], conversation_id=mine),
        lambda: set_conversation_status(desk.store, other["pr"], conversation_id=mine, status="resolved"),
        lambda: add_note(desk.store, other["admin"], conversation_id=mine, text="x"),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(InvalidInput):  # a person from another workspace cannot be given the conversation
        assign_conversation(desk.store, desk["pr"], conversation_id=mine, assignee_id=other["pr"].user_id)
