"""Crisis detection opens a suggested crisis on a burst of negative mentions, and not on calm data; PR
confirms, dismisses and closes it, and the exchange shows its state."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.crises import crisis_state, decide_crisis, detect_crises, list_crises
from peyvand.storage.db import Store
from reputation_data import add_items, burst, calm_days

FIRST = date(2026, 1, 3)
BURST = FIRST + timedelta(days=120)


def _with_crisis(store: Store, actor: Actor) -> None:
    add_items(store, actor, calm_days(FIRST, 150, per_day=20))
    add_items(store, actor, burst(BURST, [40, 60, 35, 20]), prefix="angry")


def test_a_burst_of_negative_mentions_opens_one_suggested_crisis(store: Store, workspace: Actor) -> None:
    _with_crisis(store, workspace)
    result = detect_crises(store, workspace)
    assert result.candidates == 1 and len(result.opened) == 1
    [crisis] = list_crises(store, workspace)
    assert crisis.status == "suggested"
    assert (crisis.start, crisis.end) == (BURST, BURST + timedelta(days=3))  # the four angry days
    evidence = crisis.evidence
    assert evidence["negative_volume_change"]["direction"] == "rise"
    assert evidence["net_sentiment_change"]["direction"] == "fall"
    assert evidence["net_sentiment_change"]["observed"] < evidence["net_sentiment_change"]["baseline"]
    assert evidence["negative"] >= 155 and evidence["negative_per_day_before"] < 5
    assert evidence["negative_sources"]["instagram"] == 155
    assert crisis_state(store, Actor(workspace.workspace_id, "viewer")).status == "suggested"
    again = detect_crises(store, workspace)  # a second run updates the crisis, it does not add one
    assert again.opened == [] and again.updated == result.opened
    assert len(list_crises(store, workspace)) == 1


def test_calm_data_opens_no_crisis(store: Store, workspace: Actor) -> None:
    add_items(store, workspace, calm_days(FIRST, 150, per_day=20))
    result = detect_crises(store, workspace)
    assert result.candidates == 0 and list_crises(store, workspace) == []
    assert crisis_state(store, workspace).status == "calm"


def test_pr_confirms_closes_or_dismisses_and_a_dismissed_crisis_stays_dismissed(
    store: Store, workspace: Actor
) -> None:
    _with_crisis(store, workspace)
    [crisis_id] = detect_crises(store, workspace).opened
    pr = Actor(workspace.workspace_id, "pr")
    with pytest.raises(NotFound):
        decide_crisis(
            store, Actor(workspace.workspace_id + 1000, "admin"), crisis_id=crisis_id, decision="confirm"
        )
    for role in ("marketing", "viewer"):
        with pytest.raises(AccessDenied):
            decide_crisis(store, Actor(workspace.workspace_id, role), crisis_id=crisis_id, decision="confirm")
    with pytest.raises(InvalidInput):
        decide_crisis(store, pr, crisis_id=crisis_id, decision="close")  # only a confirmed one closes
    confirmed = decide_crisis(store, pr, crisis_id=crisis_id, decision="confirm", note="batch recall")
    assert confirmed.status == "confirmed" and confirmed.note == "batch recall"
    assert crisis_state(store, pr).status == "confirmed"
    assert decide_crisis(store, pr, crisis_id=crisis_id, decision="close").status == "closed"
    assert crisis_state(store, pr).status == "calm"
    detect_crises(store, workspace)
    assert [c.status for c in list_crises(store, workspace)] == ["closed"]


def test_dismissed_crisis_is_not_reopened(store: Store, workspace: Actor) -> None:
    _with_crisis(store, workspace)
    [crisis_id] = detect_crises(store, workspace).opened
    decide_crisis(store, workspace, crisis_id=crisis_id, decision="dismiss")
    assert detect_crises(store, workspace).opened == []
    assert [c.status for c in list_crises(store, workspace)] == ["dismissed"]


def test_the_daily_chart_reaches_back_to_an_old_crisis(store: Store, workspace: Actor) -> None:
    from peyvand.services.crises import crisis_daily

    _with_crisis(store, workspace)
    add_items(store, workspace, calm_days(FIRST + timedelta(days=150), 200, per_day=5), prefix="later")
    newest = FIRST + timedelta(days=349)
    assert crisis_daily(store, workspace)[0][0] == newest - timedelta(days=179)  # the crisis is older
    since = BURST - timedelta(days=14)
    daily = crisis_daily(store, workspace, since=since)
    assert daily[0][0] == since and daily[-1][0] == newest
