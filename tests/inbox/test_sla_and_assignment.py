"""SLA policies on business hours (Iranian week with Friday off and Thursday off, Western week, Iran's
holidays), escalation by the sweep job, the SLA report, and assignment by unit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from inbox.inbox_support import Desk, message
from peyvand.domain.assignment import Candidate, pick_assignee
from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services.access import AccessDenied, InvalidInput
from peyvand.services.assignment import assignment_view, save_assignment_settings, set_agent
from peyvand.services.conversation_view import conversation_view
from peyvand.services.inbox import InboxFilters, list_inbox
from peyvand.services.inbox_actions import assign_conversation, set_conversation_status, set_conversation_unit
from peyvand.services.inbox_sweep import sweep_inbox
from peyvand.services.sla_policies import save_sla_policy
from peyvand.services.sla_report import sla_report, wilson_interval
from peyvand.storage.tables import Job
from peyvand.storage.tables_inbox import AppliedSlaRecord

TEHRAN_THURSDAY_4PM = "2026-05-07T16:00:00+03:30"  # Thursday; Friday is the weekend


def _policy(desk: Desk, **fields: Any) -> None:
    base: dict[str, Any] = {
        "name": "standard",
        "first_response_minutes": 60,
        "week": "iranian",
        "thursday": "off",
        "opens": "09:00",
        "closes": "17:00",
        "iranian_holidays": False,
    }
    save_sla_policy(desk.store, desk["admin"], **(base | fields))


def _applied(desk: Desk, conversation_id: int) -> AppliedSlaRecord:
    with desk.store.read() as session:
        row = session.scalar(
            select(AppliedSlaRecord).where(AppliedSlaRecord.conversation_id == conversation_id)
        )
    assert row is not None
    return row


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_iranian_week_moves_the_due_time_past_thursday_and_friday(desk: Desk) -> None:
    _policy(desk)
    desk.ingest(message("m1", TEHRAN_THURSDAY_4PM, thread_id="m1"))
    cid = desk.conversation_of("m1")
    sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-09T09:30:00+03:30"), repeat=False
    )
    applied = _applied(desk, cid)
    assert applied.first_response_status == "running"
    saturday_10am = _at("2026-05-09T10:00:00+03:30")  # an hour after opening
    assert applied.first_response_due_at == saturday_10am
    assert applied.status == "running" and applied.next_due_at == applied.first_response_due_at
    desk.ingest(
        message(
            "r1", "2026-05-09T09:45:00+03:30", "سلام، پیگیری می‌کنیم", direction="outbound", thread_id="m1"
        )
    )
    sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-09T12:00:00+03:30"), repeat=False
    )
    assert _applied(desk, desk.conversation_of("m1")).first_response_status == "hit"


def test_western_week_counts_thursday_afternoon_so_the_same_reply_is_late(desk: Desk) -> None:
    _policy(desk, week="western")
    desk.ingest(message("m1", TEHRAN_THURSDAY_4PM, thread_id="m1"))
    desk.ingest(message("r1", "2026-05-09T09:45:00+03:30", "hello", direction="outbound", thread_id="m1"))
    sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-09T12:00:00+03:30"), repeat=False
    )
    applied = _applied(desk, desk.conversation_of("m1"))
    assert applied.first_response_due_at == _at("2026-05-07T17:00:00+03:30")
    assert applied.first_response_status == "missed" and applied.status == "missed"


def test_iranian_holidays_stop_the_clock(desk: Desk) -> None:
    _policy(desk, thursday="half", iranian_holidays=True)  # Eid al-Adha: Wednesday 27 May 2026
    desk.ingest(message("m1", "2026-05-27T10:00:00+03:30"))
    cid = desk.conversation_of("m1")
    now = _at("2026-05-27T12:00:00+03:30")
    view = conversation_view(desk.store, desk["pr"], conversation_id=cid, now=now)
    assert view.sla is not None and view.sla.first_response.status == "running"
    assert view.sla.first_response.due_at == _at("2026-05-28T10:00:00+03:30")  # Thursday (half day) 10:00


def test_a_unit_gets_its_own_policy(desk: Desk) -> None:
    _policy(desk, week="always")
    _policy(desk, name="press", unit="media", first_response_minutes=15, week="always")
    desk.ingest(message("m1", "2026-05-02T10:00:00Z"), message("m2", "2026-05-02T10:00:00Z"))
    media = desk.conversation_of("m2")
    set_conversation_unit(desk.store, desk["pr"], conversation_id=media, unit="media")
    sweep_inbox(desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-02T10:30:00Z"), repeat=False)
    assert _applied(desk, desk.conversation_of("m1")).first_response_status == "running"
    assert _applied(desk, media).first_response_status == "missed"
    with pytest.raises(InvalidInput):
        _policy(desk, name="bad", opens="18:00", closes="09:00")
    with pytest.raises(AccessDenied):
        save_sla_policy(desk.store, desk["pr"], name="mine", first_response_minutes=5)


def test_the_sweep_job_escalates_a_conversation_that_waits_too_long(desk: Desk) -> None:
    _policy(desk, week="always", escalate_after_minutes=120)
    desk.ingest(message("m1", "2026-05-02T10:00:00Z"), message("m2", "2026-05-02T11:30:00Z"))
    with desk.store.read() as session:  # ingest queued the sweep
        assert (
            session.scalar(select(Job.id).where(Job.kind == "inbox.sweep", Job.status == "queued"))
            is not None
        )
    result = sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-02T12:30:00Z"), repeat=False
    )
    assert result.escalated == 1
    escalated = list_inbox(
        desk.store, desk["pr"], filters=InboxFilters(escalated="1"), now=_at("2026-05-02T12:30:00Z")
    )
    assert [r.id for r in escalated.rows] == [desk.conversation_of("m1")]
    assert escalated.rows[0].priority == "urgent" and escalated.rows[0].escalated
    again = sweep_inbox(
        desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-02T12:40:00Z"), repeat=False
    )
    assert again.escalated == 0  # escalated once, not on every sweep
    missed = list_inbox(
        desk.store, desk["pr"], filters=InboxFilters(sla="missed"), now=_at("2026-05-02T12:40:00Z")
    )
    assert {r.id for r in missed.rows} == {desk.conversation_of("m1"), desk.conversation_of("m2")}
    assert run_pending(desk.store, HANDLERS) >= 1  # the queued job runs through the real handler


def test_sla_report_gives_percent_met_per_target_and_group(desk: Desk) -> None:
    _policy(desk, week="always", resolution_minutes=600)
    desk.ingest(
        message("a", "2026-05-02T10:00:00Z", thread_id="a"),
        message("ra", "2026-05-02T10:20:00Z", "ok", direction="outbound", thread_id="a"),
        message("b", "2026-05-02T10:00:00Z", thread_id="b"),
        message("rb", "2026-05-02T12:00:00Z", "sorry", direction="outbound", thread_id="b"),
        message("c", "2026-05-02T10:00:00Z", thread_id="c"),
    )
    pr = desk["pr"]
    assign_conversation(desk.store, pr, conversation_id=desk.conversation_of("a"), assignee_id=pr.user_id)
    now = _at("2026-05-02T10:30:00Z")
    sweep_inbox(desk.store, workspace_id=desk.workspace_id, now=now, repeat=False)
    rows = {(r.group, r.target): r for r in sla_report(desk.store, desk["viewer"], days=30, now=now).rows}
    first = rows[("all", "first_response")]
    assert (first.hit, first.missed, first.running) == (1, 1, 1) and first.met == 0.5
    assert rows[("standard", "first_response")].decided == 2
    by_person = {(r.group, r.target): r for r in sla_report(desk.store, pr, by="person", now=now).rows}
    assert (
        by_person[("pr", "first_response")].hit == 1
        and by_person[("unassigned", "first_response")].missed == 1
    )
    low, high = wilson_interval(1, 2) or (0.0, 0.0)
    assert 0.09 < low < 0.1 and 0.9 < high < 0.91
    evening = _at("2026-05-02T20:00:00Z")
    met, hit, every = (  # the pages say met; the stored state is hit
        list_inbox(desk.store, pr, filters=InboxFilters(sla=word, status="all"), now=later).total
        for word, later in (("met", evening), ("hit", evening), (None, now))
    )
    assert met == hit < every


def test_pick_assignee_round_robin_least_load_and_cap() -> None:
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    a = Candidate(1, frozenset({"none", "media"}), open_load=5, last_assigned_at=late)
    b = Candidate(2, frozenset({"none"}), open_load=1, last_assigned_at=early)
    c = Candidate(3, frozenset({"advertising"}), open_load=0)
    assert pick_assignee([a, b, c], unit=None, strategy="round_robin", cap=None) == b
    assert pick_assignee([a, b, c], unit="media", strategy="least_load", cap=None) == a
    assert pick_assignee([a, b, c], unit="media", strategy="least_load", cap=5) is None
    assert pick_assignee([a, b, c], unit="advertising", strategy="round_robin", cap=1) == c


def test_new_conversations_are_assigned_round_robin_by_unit_within_the_cap(desk: Desk) -> None:
    pr, pr2 = desk["pr"], desk["pr2"]
    assert pr.user_id is not None and pr2.user_id is not None
    set_agent(desk.store, desk["admin"], user_id=pr.user_id, units=["none", "media"], in_rotation=True)
    set_agent(desk.store, desk["admin"], user_id=pr2.user_id, units=["none"], in_rotation=True)
    save_assignment_settings(desk.store, desk["admin"], strategy="round_robin", cap=2, auto_assign=True)
    desk.ingest(*(message(f"m{i}", f"2026-05-02T1{i}:00:00Z") for i in range(5)))
    result = sweep_inbox(desk.store, workspace_id=desk.workspace_id, repeat=False)
    owners = [desk.conversation(desk.conversation_of(f"m{i}")).assignee_id for i in range(5)]
    assert result.assigned == 4 and owners == [pr.user_id, pr2.user_id, pr.user_id, pr2.user_id, None]
    loads = {a.name: a.open_load for a in assignment_view(desk.store, desk["pr"]).agents}
    assert loads["pr"] == 2 and loads["pr2"] == 2
    with pytest.raises(InvalidInput):
        set_agent(
            desk.store,
            desk["admin"],
            user_id=desk["marketing"].user_id or 0,
            units=["none"],
            in_rotation=True,
        )


def test_least_load_fills_the_emptiest_desk_first(desk: Desk) -> None:
    pr, pr2 = desk["pr"], desk["pr2"]
    assert pr.user_id is not None and pr2.user_id is not None
    desk.ingest(message("old1", "2026-05-01T10:00:00Z"), message("old2", "2026-05-01T11:00:00Z"))
    for mid in ("old1", "old2"):
        assign_conversation(desk.store, pr, conversation_id=desk.conversation_of(mid), assignee_id=pr.user_id)
    for user_id in (pr.user_id, pr2.user_id):
        set_agent(desk.store, desk["admin"], user_id=user_id, units=["none"], in_rotation=True)
    save_assignment_settings(desk.store, desk["admin"], strategy="least_load", cap=None, auto_assign=True)
    desk.ingest(message("n1", "2026-05-02T10:00:00Z"), message("n2", "2026-05-02T11:00:00Z"))
    sweep_inbox(desk.store, workspace_id=desk.workspace_id, repeat=False)
    owners = {desk.conversation(desk.conversation_of(m)).assignee_id for m in ("n1", "n2")}
    assert owners == {pr2.user_id}


def test_the_sweep_repeats_only_while_there_is_something_to_watch(desk: Desk) -> None:
    _policy(desk, week="always")
    desk.ingest(message("m1", "2026-05-02T10:00:00Z"))

    def next_sweeps() -> int:
        with desk.store.read() as session:
            return len(
                list(
                    session.scalars(
                        select(Job.id).where(
                            Job.kind == "inbox.sweep",
                            Job.status == "queued",
                            Job.dedupe_key.not_like("%:now"),
                        )
                    )
                )
            )

    sweep_inbox(desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-02T10:30:00Z"))
    assert next_sweeps() == 1  # an open conversation under a policy: look again in five minutes
    set_conversation_status(
        desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), status="resolved"
    )
    sweep_inbox(desk.store, workspace_id=desk.workspace_id, now=_at("2026-05-02T11:30:00Z"))
    assert next_sweeps() == 1  # nothing left to watch: no further sweep queued
