from datetime import date, datetime, timedelta

import numpy as np
import pytest

from peyvand.analysis.attributes import (
    attribute_association,
    attribute_polarity,
    attribute_shift,
    newcombe_interval,
)
from peyvand.analysis.reputation import TEHRAN, AttributeHit, Mention, Periods

START = datetime(2025, 1, 1, 12, tzinfo=TEHRAN)
MIDDLE = START + timedelta(days=30)
END = START + timedelta(days=60)


def mention(day: int, entity: str, *hits: AttributeHit) -> Mention:
    return Mention(at=START + timedelta(days=day), entities=(entity,), attributes=hits)


def brand_and_rival() -> list[Mention]:
    trust_pos = AttributeHit("trustworthy", "positive")
    trust_neg = AttributeHit("trustworthy", "negative")
    items = [mention(0, "brand", trust_pos), mention(0, "brand", trust_pos), mention(1, "brand", trust_neg)]
    items += [mention(1, "brand", AttributeHit("price", "negative")) for _ in range(2)]
    items += [mention(1, "brand") for _ in range(5)]
    items += [mention(0, "rival", trust_pos), mention(0, "rival", trust_pos), mention(1, "rival")]
    items.append(mention(1, "rival"))
    return items


def test_share_interval_and_polarity_split_with_desired_attributes_first() -> None:
    shares = attribute_association(
        brand_and_rival(),
        attributes=["price", "trustworthy"],
        entities=["brand", "rival"],
        desired={"trustworthy"},
    )
    assert [(s.attribute, s.entity, s.desired) for s in shares] == [
        ("trustworthy", "brand", True),
        ("trustworthy", "rival", True),
        ("price", "brand", False),
        ("price", "rival", False),
    ]
    brand, rival, price, _ = shares
    assert (brand.mentions, brand.carrying, brand.share) == (10, 3, pytest.approx(0.3))
    assert (brand.low, brand.high) == pytest.approx((0.10779, 0.60322), abs=1e-4)
    assert (brand.positive, brand.negative, brand.neutral) == (2, 1, 0)
    assert brand.polarity_share("positive") == pytest.approx(2 / 3)
    assert (rival.mentions, rival.carrying, rival.share) == (4, 2, pytest.approx(0.5))
    assert (price.carrying, price.negative) == (2, 2)


def test_share_over_time_lists_every_period() -> None:
    shares = attribute_association(
        brand_and_rival(), attributes=["trustworthy"], entities=["brand"], periods=Periods("day")
    )
    assert [(s.period_start, s.mentions, s.carrying) for s in shares] == [
        (date(2025, 1, 1), 2, 2),
        (date(2025, 1, 2), 8, 1),
    ]


def test_mixed_hits_count_once_as_neutral_and_entity_specific_hits_stay_with_their_entity() -> None:
    mixed = Mention(
        at=START,
        entities=("brand", "rival"),
        attributes=(
            AttributeHit("quality", "positive"),
            AttributeHit("quality", "negative"),
            AttributeHit("price", "negative", entity="rival"),
        ),
    )
    assert attribute_polarity(mixed, "quality", "brand") == "neutral"
    assert attribute_polarity(mixed, "price", "rival") == "negative"
    assert attribute_polarity(mixed, "price", "brand") is None


def shifted(before: int, after: int, n: int = 200) -> list[Mention]:
    hit = AttributeHit("trustworthy", "positive")
    items = [mention(i % 30, "brand", *((hit,) if i < before else ())) for i in range(n)]
    items += [mention(30 + i % 30, "brand", *((hit,) if i < after else ())) for i in range(n)]
    return items


def test_clear_shift_is_detected_with_its_effect_size() -> None:
    shift = attribute_shift(
        shifted(20, 60), attribute="trustworthy", entity="brand", before=(START, MIDDLE), after=(MIDDLE, END)
    )
    assert (shift.before_carrying, shift.after_carrying) == (20, 60)
    assert shift.test == "z"
    # p1 = 0.1, p2 = 0.3, pooled 0.2, se = 0.04, z = 5
    assert shift.p_value == pytest.approx(5.733e-7, rel=1e-3)
    assert shift.difference == pytest.approx(0.2)
    assert (shift.low, shift.high) == pytest.approx((0.12285, 0.27510), abs=1e-4)
    assert shift.wanted == "rise" and shift.toward_wanted is True
    assert shift.cohens_h == pytest.approx(0.51578, abs=1e-4)


def test_null_shift_is_not_significant() -> None:
    rng = np.random.default_rng(7)
    before, after = (int(k) for k in rng.binomial(200, 0.15, size=2))
    shift = attribute_shift(
        shifted(before, after),
        attribute="trustworthy",
        entity="brand",
        before=(START, MIDDLE),
        after=(MIDDLE, END),
    )
    assert shift.p_value is not None and shift.p_value > 0.05
    assert shift.toward_wanted is False


def test_negative_polarity_wants_a_fall_and_small_samples_use_fishers_test() -> None:
    shift = attribute_shift(
        shifted(1, 8, n=20),
        attribute="trustworthy",
        entity="brand",
        before=(START, MIDDLE),
        after=(MIDDLE, END),
        polarity="negative",
    )
    assert shift.wanted == "fall"
    assert (shift.before_carrying, shift.after_carrying) == (0, 0)
    shift = attribute_shift(
        shifted(1, 8, n=20),
        attribute="trustworthy",
        entity="brand",
        before=(START, MIDDLE),
        after=(MIDDLE, END),
    )
    assert shift.test == "fisher"
    assert shift.p_value == pytest.approx(0.019656, abs=1e-5)
    empty = attribute_shift(
        [], attribute="trustworthy", entity="brand", before=(START, MIDDLE), after=(MIDDLE, END)
    )
    assert empty.p_value is None and empty.test == "none"


def test_newcombe_interval_is_wider_for_smaller_samples() -> None:
    small = newcombe_interval(2, 20, 6, 20)
    large = newcombe_interval(20, 200, 60, 200)
    assert small[1] - small[0] > 2 * (large[1] - large[0])
