"""Before/after comparisons of the reputation numbers: net sentiment and a share (share of voice).

Used by branding campaigns (the campaign window against an equal window before it) and the attribute
page. Formulas are in `docs/formulas-pr.md` ("Comparing two periods"); the attribute share's own test
is `attributes.attribute_shift`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from peyvand.analysis.attributes import newcombe_interval, two_proportion_p_value
from peyvand.analysis.reputation import net_sentiment, wilson_interval, z_value


def _adjusted(positive: int, negative: int, neutral: int) -> tuple[float, float]:
    """Bonett–Price adjusted (P − N)/n and its variance (the pseudo-counts of the interval)."""
    n = positive + negative + neutral
    p, q = (positive + 1) / (n + 2), (negative + 1) / (n + 2)
    return p - q, (p + q - (p - q) ** 2) / (n + 2)


@dataclass(frozen=True, slots=True)
class NetSentimentChange:
    """Net sentiment before and after (each on [−100, 100] with its n) and the change in points."""

    before: float | None
    before_n: int
    after: float | None
    after_n: int
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None


def net_sentiment_change(
    before: Sequence[int], after: Sequence[int], *, confidence: float = 0.95
) -> NetSentimentChange:
    """Compare two independent samples given as (positive, negative, neutral) counts.

    difference = net_after − net_before (points); its interval is the difference of the Bonett–Price
    adjusted estimates ± z √(v₁ + v₂), and the two-sided p-value reads the raw difference against the
    same standard error. None where either sample is empty.
    """
    b, a = net_sentiment(*before), net_sentiment(*after)
    nb, na = sum(before), sum(after)
    if b is None or a is None:
        return NetSentimentChange(b, nb, a, na, None, None, None, None)
    (eb, vb), (ea, va) = _adjusted(*before), _adjusted(*after)
    se = math.sqrt(vb + va)
    half = z_value(confidence) * se
    difference = a - b
    p_value = 2 * (1 - NormalDist().cdf(abs(difference / 100) / se))
    return NetSentimentChange(
        b, nb, a, na, difference, 100 * (ea - eb - half), 100 * (ea - eb + half), p_value
    )


@dataclass(frozen=True, slots=True)
class ShareChange:
    """A share (k of n) before and after, with Wilson intervals, and the change with its test."""

    before_k: int
    before_n: int
    after_k: int
    after_n: int
    before: float | None
    before_low: float
    before_high: float
    after: float | None
    after_low: float
    after_high: float
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    test: Literal["z", "fisher", "none"]


def share_change(k1: int, n1: int, k2: int, n2: int, *, confidence: float = 0.95) -> ShareChange:
    """Share k₁/n₁ before against k₂/n₂ after: Newcombe interval and the two-proportion test."""
    bl, bh = wilson_interval(k1, n1, confidence)
    al, ah = wilson_interval(k2, n2, confidence)
    before = k1 / n1 if n1 else None
    after = k2 / n2 if n2 else None
    if not n1 or not n2:
        return ShareChange(k1, n1, k2, n2, before, bl, bh, after, al, ah, None, None, None, None, "none")
    low, high = newcombe_interval(k1, n1, k2, n2, confidence)
    p_value, test = two_proportion_p_value(k1, n1, k2, n2)
    return ShareChange(
        k1, n1, k2, n2, before, bl, bh, after, al, ah, k2 / n2 - k1 / n1, low, high, p_value, test
    )
