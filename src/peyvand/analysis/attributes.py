"""Attribute association: how often mentions of the brand (and of each competitor) carry an attribute.

`attribute_association` gives, per attribute × entity (× period), the share of the entity's mentions
that carry the attribute with its Wilson interval and n, and the polarity split of those mentions.
`attribute_shift` tests whether the share moved between two periods (two-proportion test, difference
with a Newcombe score interval). Formulas are in `docs/formulas-pr.md`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from statistics import NormalDist
from typing import Literal

from scipy.stats import fisher_exact

from peyvand.analysis.reputation import (
    Mention,
    Periods,
    Sentiment,
    select,
    wilson_interval,
)

Direction = Literal["rise", "fall"]


def attribute_polarity(mention: Mention, attribute: str, entity: str) -> Sentiment | None:
    """The polarity with which `mention` ties `attribute` to `entity`, or None when it does not.

    A mention counts once per attribute: its hits' polarity when they agree (neutral hits yield to a
    polar one), neutral when it holds both positive and negative hits.
    """
    polarities = {
        hit.polarity
        for hit in mention.attributes
        if hit.key == attribute and (hit.entity is None or hit.entity == entity)
    }
    if not polarities:
        return None
    polar = polarities - {"neutral"}
    return polar.pop() if len(polar) == 1 else "neutral"


@dataclass(frozen=True, slots=True)
class AttributeShare:
    """The share of `entity`'s mentions carrying `attribute` in one period (None: the whole input)."""

    attribute: str
    desired: bool
    entity: str
    period_start: date | None
    mentions: int
    carrying: int
    share: float | None
    low: float
    high: float
    positive: int
    negative: int
    neutral: int

    def polarity_share(self, polarity: Sentiment) -> float | None:
        """The share of the carrying mentions with `polarity`; None when none carry the attribute."""
        count = {"positive": self.positive, "negative": self.negative, "neutral": self.neutral}[polarity]
        return None if self.carrying == 0 else count / self.carrying


def _share(
    mentions: Sequence[Mention],
    attribute: str,
    entity: str,
    period_start: date | None,
    *,
    desired: bool,
    confidence: float,
) -> AttributeShare:
    polarities = [attribute_polarity(m, attribute, entity) for m in mentions]
    carried = [p for p in polarities if p is not None]
    low, high = wilson_interval(len(carried), len(mentions), confidence)
    return AttributeShare(
        attribute=attribute,
        desired=desired,
        entity=entity,
        period_start=period_start,
        mentions=len(mentions),
        carrying=len(carried),
        share=len(carried) / len(mentions) if mentions else None,
        low=low,
        high=high,
        positive=carried.count("positive"),
        negative=carried.count("negative"),
        neutral=carried.count("neutral"),
    )


def _by_period(mentions: Sequence[Mention], periods: Periods | None) -> dict[date | None, list[Mention]]:
    if periods is None:
        return {None: list(mentions)}
    days = [periods.local_date(m.at) for m in mentions]
    if not days:
        return {}
    grouped: dict[date | None, list[Mention]] = {s: [] for s in periods.span(min(days), max(days))}
    for mention, day in zip(mentions, days, strict=True):
        grouped[periods.start_of(day)].append(mention)
    return grouped


def attribute_association(
    mentions: Iterable[Mention],
    *,
    attributes: Sequence[str],
    entities: Sequence[str],
    desired: Collection[str] = (),
    periods: Periods | None = None,
    confidence: float = 0.95,
) -> list[AttributeShare]:
    """Attribute shares for each attribute × entity (× period when `periods` is given).

    Ordered with the desired attributes first (each group in the order of `attributes`), then by the
    order of `entities` (put the brand first), then by period. Each entity's shares are computed over
    its own mentions only, so the brand and a competitor compare like with like.
    """
    pool = list(mentions)
    ordered = [a for a in attributes if a in desired] + [a for a in attributes if a not in desired]
    grouped = {entity: _by_period(select(pool, entity), periods) for entity in entities}
    return [
        _share(bucket, attribute, entity, start, desired=attribute in desired, confidence=confidence)
        for attribute in ordered
        for entity in entities
        for start, bucket in grouped[entity].items()
    ]


@dataclass(frozen=True, slots=True)
class AttributeShift:
    """The change in an attribute's share between a `before` and an `after` window, with its test."""

    attribute: str
    entity: str
    polarity: Sentiment | None
    before_mentions: int
    before_carrying: int
    after_mentions: int
    after_carrying: int
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    test: Literal["z", "fisher", "none"]
    cohens_h: float | None
    wanted: Direction | None
    toward_wanted: bool | None


def _tally(
    mentions: Sequence[Mention],
    window: tuple[datetime, datetime],
    attribute: str,
    entity: str,
    polarity: Sentiment | None,
) -> tuple[int, int]:
    inside = [m for m in mentions if window[0] <= m.at < window[1]]
    found = [attribute_polarity(m, attribute, entity) for m in inside]
    carrying = sum(1 for p in found if p is not None and (polarity is None or p == polarity))
    return len(inside), carrying


def newcombe_interval(k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p2 − p1 (independent samples), from the Wilson intervals."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    d = p2 - p1
    return d - math.hypot(p2 - l2, u1 - p1), d + math.hypot(u2 - p2, p1 - l1)


def two_proportion_p_value(k1: int, n1: int, k2: int, n2: int) -> tuple[float, Literal["z", "fisher"]]:
    """Two-sided p-value: pooled z test when every expected cell count is ≥ 5, else Fisher's exact test."""
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n * pooled for n in (n1, n2)] + [n * (1 - pooled) for n in (n1, n2)]
    if min(expected) < 5:
        _, p = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])
        return float(p), "fisher"
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (k2 / n2 - k1 / n1) / se
    return 2 * (1 - NormalDist().cdf(abs(z))), "z"


def _wanted(desired: bool, polarity: Sentiment | None) -> Direction | None:
    """For a desired attribute PR wants the share to rise, or to fall when counting negative hits."""
    if not desired:
        return None
    return "fall" if polarity == "negative" else "rise"


def attribute_shift(
    mentions: Iterable[Mention],
    *,
    attribute: str,
    entity: str,
    before: tuple[datetime, datetime],
    after: tuple[datetime, datetime],
    polarity: Sentiment | None = None,
    desired: bool = True,
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> AttributeShift:
    """Did the share of `entity`'s mentions carrying `attribute` move between two half-open windows?

    With `polarity`, only mentions carrying it with that polarity count. `toward_wanted` is true when
    the share moved the way PR wants (`_wanted`) with p < `alpha`.
    """
    pool = select(mentions, entity)
    n1, k1 = _tally(pool, before, attribute, entity, polarity)
    n2, k2 = _tally(pool, after, attribute, entity, polarity)
    wanted = _wanted(desired, polarity)
    shift = AttributeShift(
        attribute, entity, polarity, n1, k1, n2, k2, None, None, None, None, "none", None, wanted, None
    )
    if n1 == 0 or n2 == 0:
        return shift
    low, high = newcombe_interval(k1, n1, k2, n2, confidence)
    p_value, test = two_proportion_p_value(k1, n1, k2, n2)
    difference = k2 / n2 - k1 / n1
    moved = "rise" if difference > 0 else "fall" if difference < 0 else None
    return replace(
        shift,
        difference=difference,
        low=low,
        high=high,
        p_value=p_value,
        test=test,
        cohens_h=2 * math.asin(math.sqrt(k2 / n2)) - 2 * math.asin(math.sqrt(k1 / n1)),
        toward_wanted=None if wanted is None else (moved == wanted and p_value < alpha),
    )
