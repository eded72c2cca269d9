"""Campaign return from stored series: spend from the ad metrics, lift over a counterfactual with the
other products as control, the verdict (earned back / not distinguishable from zero), the justification
and the channel comparison. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from marketing_data import LENGTH, START, campaign_revenue, store_campaign
from peyvand.analysis.campaigns import Expectation, Verdict
from peyvand.services.access import AccessDenied, Actor, NotFound
from peyvand.services.campaign_forms import save_campaign_form
from peyvand.services.campaign_return import campaign_result, campaign_results
from peyvand.services.campaigns import save_campaign
from peyvand.storage.db import Store


def test_a_campaign_that_earns_its_money_back(store: Store, workspace: Actor) -> None:
    store_campaign(store, workspace, lift=0.3, seed=11)
    result = campaign_result(store, workspace, key="spring")
    assert result.spend == 28 * 300_000 and result.spend_source == "ad_spend"
    assert result.revenue is not None and "control" in result.revenue.terms
    truth = 0.3 * sum(campaign_revenue(11, 0.0)[0][START : START + LENGTH])  # about 17M
    returned = result.returned
    assert returned is not None
    assert returned.revenue_interval.low < truth < returned.revenue_interval.high
    assert returned.verdict is Verdict.EARNED
    assert returned.roi_interval is not None and returned.roi_interval.low > 0
    assert result.justified is not None and result.justified.outcome is Expectation.BEAT
    assert result.orders is None  # no orders series stored
    channels = result.channels
    assert channels is not None and channels.assumption
    instagram = next(c for c in channels.channels if c.name == "instagram_ads")
    assert instagram.clicks == 28 * 900 and instagram.conversions == 28 * 45
    assert channels.free.clicks == 0


def test_no_lift_is_said_plainly(store: Store, workspace: Actor) -> None:
    store_campaign(store, workspace, lift=0.0, seed=12)
    [result] = [r for r in campaign_results(store, workspace) if r.campaign.key == "spring"]
    assert result.returned is not None
    assert result.returned.verdict is Verdict.NOT_DISTINGUISHABLE
    assert result.returned.verdict.sentence("en") == "lift not distinguishable from zero"
    assert result.returned.verdict.sentence("fa") == "اثر کمپین از صفر قابل تشخیص نیست"
    assert result.justified is not None and result.justified.outcome is Expectation.SHORT
    assert result.to_json()["verdict"] == "lift not distinguishable from zero"


def test_branding_campaigns_are_listed_read_only(store: Store, workspace: Actor) -> None:
    save_campaign(
        store,
        workspace,
        {"key": "brand-film", "kind": "branding", "name": "Film", "starts_on": "2026-01-01", "budget": 5e6},
    )
    [result] = campaign_results(store, workspace)
    assert result.campaign.kind == "branding" and result.returned is None and result.note == "branding"


def test_the_form_keeps_kpis_and_returns_warnings(store: Store, workspace: Actor) -> None:
    save_campaign(
        store,
        workspace,
        {
            "key": "k1",
            "kind": "marketing",
            "name": "K1",
            "products": ["green-tea"],
            "starts_on": "2026-01-01",
            "kpis": [{"key": "revenue", "target": 5}],
        },
    )
    marketing = Actor(workspace.workspace_id, "marketing")
    form = {
        "key": "k1",
        "name": "K1 again",
        "kind": "marketing",
        "owner_team": "pr",
        "starts_on": "2026-01-01",
        "channels": "instagram_ads: paid\nnewsletter: owned",
        "budget": "1,000",
        "products": "",
    }
    key, warnings = save_campaign_form(store, marketing, form)
    assert key == "k1"
    assert {w.key for w in warnings} == {"owner", "products"}
    [result] = campaign_results(store, workspace)
    assert result.campaign.name == "K1 again" and result.campaign.kpis == [{"key": "revenue", "target": 5}]
    assert result.campaign.channels[1] == {"name": "newsletter", "type": "owned"}
    with pytest.raises(AccessDenied):
        save_campaign_form(store, Actor(workspace.workspace_id, "pr"), form)
    with pytest.raises(NotFound):
        campaign_result(store, workspace, key="nope")
