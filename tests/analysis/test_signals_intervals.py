"""A change's p-value and effect interval come from one test, so they always agree (docs/formulas-signals.md,
"Changes"): p < 0.05 exactly when the 95% interval leaves out "no change"."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.analysis.test_signals import daily_counts

from peyvand.analysis.signals import detect_many
from peyvand.analysis.signals.stats import ratio_interval, ratio_p

EDGE = 1e-9  # p-values this close to 0.05 sit on the interval's bound, within the root finder's tolerance


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    count=st.booleans(),
    observed=st.integers(min_value=0, max_value=200_000),
    ratio=st.floats(min_value=0.3, max_value=3.0),
    noise=st.floats(min_value=0.0, max_value=0.5),
)
def test_the_interval_leaves_out_one_exactly_when_p_is_below_alpha(count, observed, ratio, noise):
    if not count:
        observed = max(observed, 1) * 1.37  # an amount
        noise = max(noise, 1e-3)  # an amount's noise is a log sd
    expected = max(observed, 0.5) / ratio
    p = ratio_p(observed, expected, noise, count)
    low, high = ratio_interval(observed, expected, noise, count)
    assert low <= observed / expected <= high
    if abs(p - 0.05) > EDGE:
        assert (p < 0.05) == (not low <= 1.0 <= high), (p, low, high)
    for bound in (low, high):  # the bounds are where the same test reaches 0.05
        if bound > 1e-6:
            assert ratio_p(observed, expected, noise, count, ratio=bound) == pytest.approx(0.05, abs=1e-6)


def test_reported_changes_agree_with_their_intervals():
    many = {f"small-{k}": daily_counts(300 + k, shift=(450, 1.0 + 0.04 * k)) for k in range(1, 7)}
    many |= {f"spike-{k}": daily_counts(320 + k, spike=(500, 1.5 + 0.3 * k)) for k in range(1, 5)}
    changes = [c for found in detect_many(many).values() for c in found]
    assert changes
    for c in changes:
        low, high = c.effect_ci
        assert low <= c.effect <= high
        assert (c.p_value < 0.05) == (not low <= 0.0 <= high)
        assert c.p_value <= c.q_value <= 0.05
        assert np.isfinite([c.p_value, c.q_value, low, high]).all()
