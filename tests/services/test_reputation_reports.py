"""The reputation reports on stored items with known sentiment, attributes and naming (both databases)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from peyvand.services.access import AccessDenied, Actor, InvalidInput
from peyvand.services.campaigns import save_campaign
from peyvand.services.reputation import attribute_report, reputation_report, voice_report
from peyvand.storage.db import Store
from reputation_data import Row, add_items

DAY = date(2026, 3, 10)


def test_sentiment_index_on_known_items(store: Store, workspace: Actor) -> None:
    rows = (
        [Row(DAY, "positive", source="instagram", kind="comment", feedback="interaction", brand=False)] * 6
        + [Row(DAY, "negative", source="x", provisional=False)] * 2
        + [Row(DAY, "neutral", source="x")] * 2
        + [Row(DAY, "negative", brand=False, competitors=["golden-leaf"])] * 5  # about a rival only
        + [Row(DAY - timedelta(days=7), "negative", source="x")] * 4
    )
    add_items(store, workspace, rows)
    report = reputation_report(store, workspace, unit="week", by="source", days=30)
    this_week = report.points[-1]
    assert (this_week.positive, this_week.negative, this_week.neutral) == (6, 2, 2)
    assert this_week.net_sentiment == pytest.approx(40.0)
    assert (this_week.low, this_week.high) == (pytest.approx(-14.7, abs=0.1), pytest.approx(81.4, abs=0.1))
    assert report.points[0].net_sentiment == -100.0 and report.points[0].volume == 4
    assert report.total.volume == 14 and report.total.net_sentiment == pytest.approx(0.0)
    by_source = {g.group: (g.volume, g.net_sentiment) for g in report.groups}
    assert by_source == {"instagram": (6, 100.0), "x": (8, -75.0)}
    assert report.provisional_share == pytest.approx(12 / 14)
    rows_out = report.rows()
    assert {r["split"] for r in rows_out} == {"all", "source"}


def test_periods_and_ranges_are_checked(store: Store, workspace: Actor) -> None:
    with pytest.raises(InvalidInput):
        reputation_report(store, workspace, unit="year")
    with pytest.raises(InvalidInput):
        reputation_report(store, workspace, days=17)
    with pytest.raises(InvalidInput):
        reputation_report(store, workspace, by="colour")


def _shifted(first: date, n: int, carrying: int, span: int = 90, **extra: object) -> list[Row]:
    """`n` brand mentions spread over `span` days from `first`, the first `carrying` of them "natural"."""
    rows = []
    for i in range(n):
        attributes = [("natural", "positive")] if i < carrying else []
        rows.append(Row(first + timedelta(days=i % span), "positive", attributes=attributes, **extra))  # type: ignore[arg-type]
    return rows


def test_attribute_shift_finds_a_clear_rise(store: Store, workspace: Actor) -> None:
    end = date(2026, 6, 29)
    after_start = end - timedelta(days=89)
    before_start = after_start - timedelta(days=90)
    add_items(store, workspace, _shifted(before_start, 200, 20) + _shifted(after_start, 200, 60))
    rival = _shifted(before_start, 40, 4, brand=False, competitors=["golden-leaf"])
    add_items(store, workspace, rival, prefix="rival")
    report = attribute_report(store, workspace, compare="90", days=365)
    assert report.comparison.after.start == after_start and report.comparison.after.end == end
    shift = next(s for s in report.shifts if s.attribute == "natural" and s.entity == "brand")
    assert (shift.before_carrying, shift.before_mentions) == (20, 200)
    assert (shift.after_carrying, shift.after_mentions) == (60, 200)
    assert shift.difference == pytest.approx(0.20)
    assert (shift.low, shift.high) == (pytest.approx(0.123, abs=1e-3), pytest.approx(0.275, abs=1e-3))
    assert shift.p_value == pytest.approx(5.7e-7, rel=0.05) and shift.toward_wanted is True
    brand_natural = next(s for s in report.shares if s.entity == "brand" and s.attribute == "natural")
    assert (brand_natural.carrying, brand_natural.mentions) == (80, 400)
    assert report.shares[0].attribute == "natural"  # desired attributes first
    price = next(s for s in report.shifts if s.attribute == "price" and s.entity == "brand")
    assert price.toward_wanted is None and price.difference == 0


def test_attribute_shift_over_a_branding_campaign(store: Store, workspace: Actor) -> None:
    start = date(2026, 4, 1)
    save_campaign(
        store,
        workspace,
        {
            "key": "natural-spring",
            "kind": "branding",
            "name": "Natural spring",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=29)).isoformat(),
            "kpis": [{"key": "attribute_share", "attribute": "natural", "target": 0.25}],
        },
    )
    add_items(store, workspace, _shifted(start - timedelta(days=30), 90, 9, span=30))
    add_items(store, workspace, _shifted(start, 90, 36, span=30), prefix="during")
    add_items(store, workspace, [Row(start + timedelta(days=40))], prefix="later")  # after the campaign
    report = attribute_report(store, workspace, compare="natural-spring", days=0)
    assert report.comparison.campaign == "natural-spring"
    assert report.comparison.before.end == start - timedelta(days=1)
    shift = next(s for s in report.shifts if s.attribute == "natural" and s.entity == "brand")
    assert (shift.before_carrying, shift.after_carrying) == (9, 36) and shift.toward_wanted is True


def test_share_of_voice_counts_public_naming_and_reach(store: Store, workspace: Actor) -> None:
    rows = (
        [Row(DAY, author="bigoutlet", followers=9000)] * 3
        + [Row(DAY, author="small", followers=100)] * 3
        + [Row(DAY, brand=False, competitors=["golden-leaf"], author="rivalfan", followers=1000)] * 2
        + [Row(DAY, kind="direct_message", feedback="interaction", source="telegram")] * 10  # private
        + [Row(DAY, brand=False, feedback="interaction", kind="comment")] * 5  # not naming the brand
    )
    add_items(store, workspace, rows)
    report = voice_report(store, workspace, unit="month", days=30)
    total = {s.entity: s for s in report.total}
    assert (total["brand"].mentions, total["brand"].total) == (6, 8)
    assert total["brand"].share == pytest.approx(0.75)
    assert total["brand"].low == pytest.approx(0.409, abs=1e-3)
    assert total["brand"].reach_share == pytest.approx(27300 / 29300)
    assert report.periods and {s.period_start for s in report.periods} == {date(2026, 3, 1)}


def test_every_role_reads_the_numbers_and_none_other(store: Store, workspace: Actor) -> None:
    add_items(store, workspace, [Row(DAY, "positive")])
    for role in ("admin", "pr", "marketing", "viewer"):
        actor = Actor(workspace.workspace_id, role)
        assert reputation_report(store, actor, days=30).total.volume == 1
        assert voice_report(store, actor, days=30).total
    with pytest.raises(AccessDenied):
        reputation_report(store, Actor(workspace.workspace_id, "guest"))
