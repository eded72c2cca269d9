"""The significance side: noise of past forecast errors, test p-values, intervals, and FDR q-values.

Counts: observed ~ NegBin(mean = expected, size r), two-sided p = min(1, 2 min(P(X <= y), P(X >= y))),
with 1/r estimated from the robust spread of earlier standardised errors u = (y - mu) / sqrt(mu):
Var(u) = 1 + mu / r, so 1/r = max(s_u^2 - 1, 0) / median(mu), s_u = 1.4826 MAD(u).
Amounts: log(y / mu) ~ Normal(0, s^2), s = 1.4826 MAD of earlier log errors.
Both give the coefficient of variation `cv` of one test's observed value under "no change", which makes
the 95% interval of the effect: (y / mu) exp(+-1.96 cv) - 1.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

MAD_TO_SD = 1.4826
MIN_ERRORS = 20
MAX_SIZE = 1e8  # 1/r below 1e-8: Poisson


def _mad(x: np.ndarray) -> float:
    return float(MAD_TO_SD * np.median(np.abs(x - np.median(x))))


def noise_history(
    observed: np.ndarray, expected: np.ndarray, count: bool, size: int, refresh: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per period i, the noise parameter learnt from the errors of periods before i, and their number.

    Counts: 1/r (extra-Poisson dispersion); amounts: sd of the log error. NaN until MIN_ERRORS errors.
    """
    n = len(observed)
    ok = np.isfinite(observed) & np.isfinite(expected) & (expected > 0)
    if not count:
        ok &= observed > 0
    out, used = np.full(n, np.nan), np.zeros(n)
    for start in range(0, n, refresh):
        seen = np.nonzero(ok[:start])[0][-size:]
        if len(seen) < MIN_ERRORS:
            continue
        out[start : start + refresh] = _noise(observed[seen], expected[seen], count)
        used[start : start + refresh] = len(seen)
    return out, used


def _noise(y: np.ndarray, mu: np.ndarray, count: bool) -> float:
    if count:
        u = (y - mu) / np.sqrt(mu)
        return max(_mad(u) ** 2 - 1.0, 0.0) / float(np.median(mu))
    return max(_mad(np.log(y / mu)), 1e-6)


def coefficient_of_variation(expected: np.ndarray, noise: np.ndarray, count: bool) -> np.ndarray:
    if count:
        return np.sqrt(1.0 / np.maximum(expected, 1e-12) + noise)
    return np.asarray(noise, dtype=float)


def two_sided_p(
    observed: np.ndarray, expected: np.ndarray, noise: np.ndarray, count: bool, dof: np.ndarray | float
) -> np.ndarray:
    """p-value of `observed` under the no-change distribution around `expected`.

    The noise is itself estimated from `dof` effectively independent errors, so the standardised log error
    is also judged against Student's t with `dof` degrees of freedom, and the larger p-value is kept.
    """
    cv = coefficient_of_variation(expected, noise, count)
    if count:  # the log-normal with the same coefficient of variation
        z = np.log((observed + 0.5) / (expected + 0.5)) / np.sqrt(np.log1p(cv**2))
    else:
        z = np.log(np.maximum(observed, 1e-12) / expected) / cv
    p_t = np.minimum(1.0, 2.0 * stats.t.sf(np.abs(z), np.maximum(dof, 1.0)))
    return p_t if not count else np.maximum(p_t, _negative_binomial_p(observed, expected, noise))


def _negative_binomial_p(observed: np.ndarray, expected: np.ndarray, noise: np.ndarray) -> np.ndarray:
    size = np.minimum(1.0 / np.maximum(noise, 1.0 / MAX_SIZE), MAX_SIZE)
    prob = size / (size + expected)
    y = np.round(observed)
    low = stats.nbinom.cdf(y, size, prob)
    high = stats.nbinom.sf(y - 1, size, prob)
    return np.minimum(1.0, 2.0 * np.minimum(low, high))


def effect_interval(observed: float, expected: float, cv: float) -> tuple[float, float, float]:
    """Relative change (observed / expected - 1) and its 95% interval on the log scale."""
    ratio = (observed + 0.5) / (expected + 0.5)
    spread = float(np.exp(1.959964 * cv))
    return observed / expected - 1.0, ratio / spread - 1.0, ratio * spread - 1.0


def bh_q_values(p_values: np.ndarray, family_size: int | None = None) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values; `family_size` >= len(p) counts untested hypotheses as p = 1."""
    p = np.asarray(p_values, dtype=float)
    m = max(len(p), family_size or 0)
    if len(p) == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, len(p) + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty_like(p)
    q[order] = np.minimum(q_sorted, 1.0)
    return q
