"""The inbox part of the demo: an SLA policy and assignment settings for each demo workspace, the
conversations assigned by unit, older ones resolved, a few internal notes and a handoff of a wholesale
lead to marketing, then the sweep that applies the SLAs (a realistic mix of hit, missed and running).

Everything goes through the inbox services except the history: conversations resolved days ago get
their resolution time from their last message, which the services (that stamp "now") cannot give.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from peyvand.services.access import Actor
from peyvand.services.assignment import auto_assign, save_assignment_settings, set_agent
from peyvand.services.clock import utcnow
from peyvand.services.handoffs import hand_off_conversation
from peyvand.services.inbox_actions import add_note, assign_conversation
from peyvand.services.inbox_sweep import sweep_inbox
from peyvand.services.sla_policies import save_sla_policy
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, Item, Membership, User

RESOLVE_AFTER = timedelta(days=3)
NOTES = {
    "fa": (
        "با واحد فروش هماهنگ شد؛ منتظر تأیید قیمت هستیم.",
        "مشتری قدیمی است؛ با احترام و سریع پاسخ بدهید.",
    ),
    "en": ("Checked with the sales team; waiting for the price list.", "A long-time customer: answer today."),
}
NOTE_LANGUAGE = {"lumira": "en"}  # the language the workspace's PR team writes its notes in
AGENT_UNITS = {
    "neda": ["media", "none"],
    "arash": ["advertising", "none"],
    "leila": ["media", "advertising", "none"],
}


def _people(store: Store, workspace_id: int) -> dict[str, Actor]:
    with store.read() as session:
        rows = session.execute(
            select(User.username, User.id, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace_id)
        )
        return {name: Actor(workspace_id, role, user_id=uid) for name, uid, role in rows}


def _settings(store: Store, admin: Actor, people: Mapping[str, Actor]) -> None:
    save_sla_policy(
        store,
        admin,
        name="روابط عمومی: استاندارد",
        first_response_minutes=60,
        next_response_minutes=120,
        resolution_minutes=3 * 8 * 60,
        escalate_after_minutes=4 * 60,
        week="iranian",
        thursday="half",
        opens="09:00",
        closes="18:00",
        iranian_holidays=True,
    )
    media = {"first_response_minutes": 30, "next_response_minutes": 60, "resolution_minutes": 2 * 8 * 60}
    save_sla_policy(
        store,
        admin,
        name="رسانه‌ها (واحد رسانه)",
        unit="media",
        escalate_after_minutes=2 * 60,
        week="iranian",
        thursday="half",
        opens="09:00",
        closes="18:00",
        iranian_holidays=True,
        **media,
    )
    for name, actor in people.items():
        if actor.role == "pr" and actor.user_id is not None:
            set_agent(
                store, admin, user_id=actor.user_id, units=AGENT_UNITS.get(name, ["none"]), in_rotation=True
            )


def _assign_history(store: Store, admin: Actor, workspace_id: int, now: datetime) -> None:
    """Round robin without a cap over every conversation so far, as if the rotation had always run."""
    save_assignment_settings(store, admin, strategy="round_robin", cap=None, auto_assign=True)
    with store.transaction() as session:
        for _ in range(1000):
            if not auto_assign(session, workspace_id, now):
                break


def _resolve_history(store: Store, workspace_id: int, now: datetime) -> None:
    """Conversations whose last message is days old were dealt with then (demo history): answered ones
    resolved two hours after the last message, unanswered ones (mostly praise) twenty minutes after it."""
    with store.transaction() as session:
        answered = set(
            session.scalars(
                select(Item.conversation_id).where(
                    Item.workspace_id == workspace_id, Item.direction == "outbound"
                )
            )
        )
        old = session.scalars(
            select(Conversation).where(
                Conversation.workspace_id == workspace_id, Conversation.last_message_at < now - RESOLVE_AFTER
            )
        )
        for conversation in old:
            delay = timedelta(hours=2) if conversation.id in answered else timedelta(minutes=20)
            conversation.status = "resolved"
            conversation.resolved_at = conversation.last_message_at + delay


def _wholesale_lead(store: Store, workspace_id: int) -> int | None:
    """The latest conversation about buying wholesale, else the latest sales lead of any kind."""
    leads = (
        select(Item.conversation_id)
        .where(
            Item.workspace_id == workspace_id,
            Item.conversation_id.is_not(None),
            Item.direction == "inbound",
            Item.intent.in_(("partnership", "purchase_intent")),
        )
        .order_by(Item.occurred_at.desc())
        .limit(1)
    )
    with store.read() as session:
        wholesale = session.scalar(leads.where(Item.text.contains("عمده") | Item.text.contains("wholesale")))
        return wholesale if wholesale is not None else session.scalar(leads)


def _recent(store: Store, workspace_id: int, n: int) -> list[int]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Conversation.id)
                .where(Conversation.workspace_id == workspace_id, Conversation.status != "resolved")
                .order_by(Conversation.last_message_at.desc())
                .limit(n)
            )
        )


def _work(store: Store, workspace_id: int, people: Mapping[str, Actor], language: str) -> None:
    workers = [a for a in people.values() if a.role == "pr"]
    if not workers:
        return
    worker = workers[0]
    for conversation_id, text in zip(_recent(store, workspace_id, 2), NOTES[language], strict=False):
        add_note(store, worker, conversation_id=conversation_id, text=text)
    lead = _wholesale_lead(store, workspace_id)
    if lead is not None:
        assign_conversation(store, worker, conversation_id=lead, assignee_id=worker.user_id)
        note = (
            "سرنخ خرید عمده: خریدار عمده است، نه مشتری تکی. لطفاً فهرست قیمت عمده و شرایط ارسال را بفرستید."
            if language == "fa"
            else "Wholesale lead: a trade buyer, not a single customer. Please send the wholesale price list."
        )
        hand_off_conversation(store, worker, conversation_id=lead, note=note)


def load_inbox_demo(store: Store, workspace_ids: Mapping[str, int], *, now: datetime | None = None) -> None:
    """Set up and work the inbox of each demo workspace (called by `build_demo` after its users)."""
    now = now or utcnow()
    for key, workspace_id in workspace_ids.items():
        people = _people(store, workspace_id)
        admin = next((a for a in people.values() if a.role == "admin"), Actor.operator(workspace_id))
        _settings(store, admin, people)
        _assign_history(store, admin, workspace_id, now)
        _resolve_history(store, workspace_id, now)
        save_assignment_settings(store, admin, strategy="least_load", cap=40, auto_assign=True)
        _work(store, workspace_id, people, NOTE_LANGUAGE.get(key, "fa"))
        sweep_inbox(store, workspace_id=workspace_id, now=now)
