import pytest

from peyvand.domain.routing import RuleError, default_rules, merge_rules, route, rule_from_dict


def _ids(decision):  # type: ignore[no-untyped-def]
    return [r.rule for r in decision.reasons]


def test_rule_1_reactions_to_marketing_and_paid_media_to_advertising() -> None:
    assert route({"feedback": "reaction", "paid_media": False}).team == "marketing"
    paid = route({"feedback": "reaction", "paid_media": True})
    assert (paid.team, paid.unit) == ("marketing", "advertising")
    assert _ids(paid) == ["R1-reactions", "R1-paid-media"]


def test_rule_2_and_3_conversations_to_pr_and_press_to_media() -> None:
    plain = route({"feedback": "interaction", "intent": "complaint", "audience": "customer"})
    assert (plain.team, plain.unit, plain.share_with) == ("pr", None, ())
    for facts in ({"intent": "press_inquiry"}, {"audience": "journalist"}, {"kind": "article"}):
        decision = route({"feedback": "mention", **facts})
        assert (decision.team, decision.unit) == ("pr", "media"), facts


def test_rule_4_sponsored_and_influencer_requests_to_advertising() -> None:
    assert route({"feedback": "interaction", "sponsored": True}).unit == "advertising"
    assert (
        route({"feedback": "interaction", "intent": "partnership", "audience": "influencer"}).unit
        == "advertising"
    )
    assert route({"feedback": "interaction", "intent": "partnership", "audience": "partner"}).unit is None


def test_rule_5_sales_signal_stays_with_pr_and_is_shared() -> None:
    decision = route({"feedback": "interaction", "intent": "purchase_intent", "sales_signal": True})
    assert decision.team == "pr"
    assert decision.share_with == ("marketing",)
    assert "R5-sales-signal" in _ids(decision)
    assert all(r.text for r in decision.reasons)


def test_reasons_in_persian() -> None:
    decision = route({"feedback": "interaction"}, locale="fa")
    assert "روابط عمومی" in decision.reasons[0].text


def test_workspace_override_replaces_and_disables() -> None:
    rules = merge_rules([{"id": "R5-sales-signal", "enabled": False}])
    assert len(rules) == len(default_rules())
    decision = route({"feedback": "interaction", "sales_signal": True}, rules)
    assert decision.share_with == ()
    custom = merge_rules(
        [
            {
                "id": "X-vip",
                "when": {"audience": ["influencer"]},
                "share_with": ["marketing"],
                "reason": {"en": "VIP"},
            }
        ]
    )
    assert route({"feedback": "interaction", "audience": "influencer"}, custom).share_with == ("marketing",)


@pytest.mark.parametrize(
    "bad",
    [
        {"when": {}},
        {"id": "x", "when": {"colour": "red"}},
        {"id": "x", "team": "sales"},
        {"id": "x", "share_with": ["hr"]},
    ],
)
def test_invalid_rules_are_refused(bad: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(RuleError):
        rule_from_dict(bad)
