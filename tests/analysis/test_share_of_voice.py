from datetime import date, datetime, timedelta

import pytest

from peyvand.analysis.reputation import TEHRAN, Mention, Periods
from peyvand.analysis.share_of_voice import effective_reach, share_of_voice

START = datetime(2025, 5, 1, 10, tzinfo=TEHRAN)


def said(entity: str, reach: int | None, *, day: int = 0, source: str = "x", also: str = "") -> Mention:
    entities = (entity, also) if also else (entity,)
    return Mention(at=START + timedelta(days=day), entities=entities, reach=reach, source=source)


def test_count_and_reach_weighted_shares_differ_as_their_weights_say() -> None:
    items = [said("brand", 10) for _ in range(6)] + [said("rival", 1000) for _ in range(4)]
    items.append(said("unrelated", 5))
    brand, rival = share_of_voice(items, entities=["brand", "rival"])
    assert (brand.mentions, brand.total, brand.share) == (6, 10, pytest.approx(0.6))
    # Wilson 6/10: centre (0.6 + 3.8415/20) / 1.38415 = 0.57225
    assert (brand.low, brand.high) == pytest.approx((0.31267, 0.83182), abs=1e-4)
    assert brand.reach == 60 and rival.reach == 4000
    assert brand.reach_share == pytest.approx(60 / 4060)
    assert rival.reach_share == pytest.approx(4000 / 4060)
    assert rival.share == pytest.approx(0.4)


def test_a_mention_naming_both_counts_for_both() -> None:
    items = [said("brand", 10, also="rival"), said("brand", 10)]
    brand, rival = share_of_voice(items, entities=["brand", "rival"])
    assert (brand.mentions, rival.mentions, brand.total) == (2, 1, 3)


def test_missing_reach_is_the_source_median_or_zero() -> None:
    items = [said("brand", 10), said("brand", 30), said("rival", None), said("rival", None, source="unknown")]
    assert effective_reach(items) == [(10.0, False), (30.0, False), (20.0, True), (20.0, True)]
    assert [r for r, _ in effective_reach(items, "zero")] == [10.0, 30.0, 0.0, 0.0]
    _, rival = share_of_voice(items, entities=["brand", "rival"])
    assert (rival.reach, rival.reach_imputed) == (40.0, 2)
    _, rival = share_of_voice(items, entities=["brand", "rival"], missing_reach="zero")
    assert rival.reach == 0.0 and rival.reach_share == pytest.approx(0.0)


def test_per_period_shares_list_empty_periods() -> None:
    items = [said("brand", 1, day=0), said("rival", 1, day=0), said("rival", 1, day=2)]
    shares = share_of_voice(items, entities=["brand", "rival"], periods=Periods("day"))
    assert [(s.period_start, s.entity, s.mentions, s.share) for s in shares] == [
        (date(2025, 5, 1), "brand", 1, 0.5),
        (date(2025, 5, 1), "rival", 1, 0.5),
        (date(2025, 5, 2), "brand", 0, None),
        (date(2025, 5, 2), "rival", 0, None),
        (date(2025, 5, 3), "brand", 0, 0.0),
        (date(2025, 5, 3), "rival", 1, 1.0),
    ]
    assert shares[2].low == 0.0 and shares[2].high == 1.0
    assert share_of_voice([], entities=["brand"]) == []


def test_smaller_panels_get_wider_intervals() -> None:
    small = share_of_voice([said("brand", 1)] * 3 + [said("rival", 1)] * 2, entities=["brand", "rival"])[0]
    large = share_of_voice([said("brand", 1)] * 300 + [said("rival", 1)] * 200, entities=["brand", "rival"])[
        0
    ]
    assert small.share == large.share == pytest.approx(0.6)
    assert small.high - small.low > 5 * (large.high - large.low)
