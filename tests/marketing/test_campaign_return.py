"""Campaign return from stored series: spend from the ad metrics, lift over a counterfactual with the
other products as control, the verdict (earned back / not distinguishable from zero), the justification
and the channel comparison. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from marketing_data import LENGTH, START, campaign_revenue, store_campaign
from peyvand.analysis.campaigns import Expectation, Verdict
from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.audiences import save_audience
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
    assert result.returned is not None and result.returned.roi_interval is not None
    if result.returned.roi_interval.high < 0:  # not even the best case pays the spend back
        assert result.returned.verdict is Verdict.NOT_EARNED
        assert result.to_json()["verdict"] == "did not earn its money back"
    else:
        assert result.returned.verdict is Verdict.NOT_DISTINGUISHABLE
        assert result.to_json()["verdict"] == "lift not distinguishable from zero"
    assert Verdict.NOT_DISTINGUISHABLE.sentence("fa") == "اثر کمپین از صفر قابل تشخیص نیست"
    assert result.justified is not None and result.justified.outcome is Expectation.SHORT


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
        "editing": "1",
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


def _form(**fields: str) -> dict[str, str]:
    return {"key": "k2", "name": "K2", "kind": "marketing", "starts_on": "2026-01-01", **fields}


def test_the_form_refuses_what_would_break_or_mislead_the_numbers(store: Store, workspace: Actor) -> None:
    marketing = Actor(workspace.workspace_id, "marketing")
    with pytest.raises(InvalidInput, match="budget cannot be negative"):
        save_campaign_form(store, marketing, _form(budget="-500", products="green-tea"))
    with pytest.raises(InvalidInput, match="expected return cannot be negative"):
        save_campaign_form(store, marketing, _form(expected_return="-1", products="green-tea"))
    with pytest.raises(InvalidInput, match="no product with the key 'black_tea'"):
        save_campaign_form(store, marketing, _form(products="black_tea"))
    with pytest.raises(InvalidInput, match="1405-01-15"):
        save_campaign_form(store, marketing, _form(starts_on="0784-04-19", products="green-tea"))
    save_campaign_form(
        store, marketing, _form(products="green-tea", starts_on="۱۴۰۵/۰۱/۱۵", ends_on="1405-02-15")
    )
    [saved] = campaign_results(store, workspace)
    assert (saved.campaign.starts_on, saved.campaign.ends_on) == (date(2026, 4, 4), date(2026, 5, 5))
    with pytest.raises(InvalidInput, match="exists: edit it"):  # "new campaign" never overwrites one
        save_campaign_form(store, marketing, _form(name="Other", products="green-tea"))
    assert campaign_results(store, workspace)[0].campaign.name == "K2"


def test_a_cleared_field_is_cleared_and_marketing_cannot_take_over_a_branding_campaign(
    store: Store, workspace: Actor
) -> None:
    save_campaign(
        store, workspace, {"key": "root", "kind": "branding", "name": "Root", "starts_on": "2026-01-01"}
    )
    marketing = Actor(workspace.workspace_id, "marketing")
    with pytest.raises(AccessDenied):  # the stored kind counts, not only the submitted one
        save_campaign_form(store, marketing, {**_form(key="root", name="hijacked"), "editing": "1"})
    assert [r.campaign.kind for r in campaign_results(store, workspace) if r.campaign.key == "root"] in (
        [],
        ["branding"],
    )
    market = {"kind": "target_market", "key": "tehran", "name": "تهران", "dims": {"city": {"eq": "tehran"}}}
    save_audience(store, marketing, market)
    save_campaign_form(store, marketing, _form(products="green-tea", target_market_key="tehran"))
    save_campaign_form(
        store, marketing, {**_form(products="green-tea", target_market_key=""), "editing": "1"}
    )
    [k2] = [r for r in campaign_results(store, workspace) if r.campaign.key == "k2"]
    assert k2.campaign.target_market is None
