"""The significance side: noise of past forecast errors, test p-values, intervals, and FDR q-values.

Counts: observed ~ NegBin(mean = expected, size r), two-sided p = min(1, 2 min(P(X <= y), P(X >= y))),
with 1/r estimated from the robust spread of earlier standardised errors u = (y - mu) / sqrt(mu):
Var(u) = 1 + mu / r, so 1/r = max(s_u^2 - 1, 0) / median(mu), s_u = 1.4826 MAD(u).
Amounts: log(y / mu) ~ Normal(0, s^2), s = 1.4826 MAD of earlier log errors.
Both give the coefficient of variation `cv` of one test's observed value under "no change".
A reported change is judged by its own test (`ratio_p`) of its observed sum against rho times its expected
sum, and its 95% interval is that test inverted (`ratio_interval`): the ratios rho the test keeps at
p >= 0.05. So its p-value is below 0.05 exactly when its interval leaves out "no change".
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats

MAD_TO_SD = 1.4826
MIN_ERRORS = 20
MAX_SIZE = 1e8  # 1/r below 1e-8: Poisson


def _median(x: np.ndarray) -> np.ndarray:
    """Median of each row, ignoring NaN (np.sort puts NaN last; faster than np.nanmedian)."""
    if x.shape[0] == 0:
        return np.zeros(0)
    ordered = np.sort(x, axis=1)
    k = np.sum(np.isfinite(x), axis=1)
    rows = np.arange(len(x))
    low, high = ordered[rows, np.maximum((k - 1) // 2, 0)], ordered[rows, np.maximum(k // 2, 0)]
    return np.where(k > 0, (low + high) / 2, np.nan)


def _mad(x: np.ndarray) -> np.ndarray:
    """1.4826 MAD of each row, ignoring NaN."""
    return MAD_TO_SD * _median(np.abs(x - _median(x)[:, None]))


def _blocks(ok: np.ndarray, size: int, refresh: int, columns: tuple[np.ndarray, ...]):
    """For every block of `refresh` periods: the last `size` valid entries before it of each column
    (NaN-padded rows), the block starts, and how many valid entries each row holds."""
    n = len(ok)
    starts = np.arange(0, n, refresh)
    before = np.concatenate([[0], np.cumsum(ok)])[starts]  # valid entries before each block
    keep = before >= MIN_ERRORS
    starts, before = starts[keep], before[keep]
    rows = []
    for column in columns:
        padded = np.concatenate([np.full(size, np.nan), column[ok]])
        if len(starts):
            rows.append(np.lib.stride_tricks.sliding_window_view(padded, size)[before])
        else:
            rows.append(np.zeros((0, size)))
    return rows, starts, np.minimum(before, size)


def _spread(values: np.ndarray, starts: np.ndarray, used: np.ndarray, n: int, refresh: int):
    out, count = np.full(n, np.nan), np.zeros(n)
    for start, value, k in zip(starts, values, used, strict=True):
        out[start : start + refresh] = value
        count[start : start + refresh] = k
    return out, count


def noise_history(
    observed: np.ndarray, expected: np.ndarray, count: bool, size: int, refresh: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per period i, the noise parameter learnt from the errors of periods before i, and their number.

    Counts: 1/r (extra-Poisson dispersion); amounts: sd of the log error. NaN until MIN_ERRORS errors.
    """
    ok = np.isfinite(observed) & np.isfinite(expected) & (expected > 0)
    if not count:
        ok &= observed > 0
    (y, mu), starts, used = _blocks(ok, size, refresh, (observed, expected))
    with np.errstate(invalid="ignore", divide="ignore"):
        if count:
            dispersion = np.maximum(_mad((y - mu) / np.sqrt(mu)) ** 2 - 1.0, 0.0) / _median(mu)
        else:
            dispersion = np.maximum(_mad(np.log(y / mu)), 1e-6)
    return _spread(dispersion, starts, used, len(ok), refresh)


def excess_history(
    error: np.ndarray, predicted: np.ndarray, size: int, refresh: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per period i, how much the robust variance of the earlier log errors exceeds the variance the
    independent-periods model predicted for them (0 when it does not), and the number of errors behind it.
    """
    ok = np.isfinite(error) & np.isfinite(predicted)
    (e, v), starts, used = _blocks(ok, size, refresh, (error, predicted))
    excess = np.maximum(_mad(e) ** 2 - _median(v), 0.0)
    return _spread(excess, starts, used, len(ok), refresh)


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


def _log_sd(observed: float, noise: float, count: bool) -> float:
    """sd of the log of an observed value, taken at the observed value (not at the tested mean), so that
    the test's statistic moves one way as the tested ratio moves away from the estimate: counts
    sqrt(log(1 + 1/(y + 1/2) + noise)), amounts the noise (the log sd)."""
    return float(np.sqrt(np.log1p(1.0 / (observed + 0.5) + noise))) if count else float(noise)


def _negative_binomial_tails(observed: float, mean: float, noise: float) -> tuple[float, float]:
    """P(X <= y) and P(X >= y) for X ~ NegBin(mean, size 1/noise) (Poisson as noise -> 0)."""
    size = min(1.0 / max(noise, 1.0 / MAX_SIZE), MAX_SIZE)
    y = round(observed)
    low = float(special.betainc(size, y + 1, size / (size + mean)))
    high = float(special.betainc(y, size, mean / (size + mean))) if y > 0 else 1.0
    return low, high


def ratio_p(observed: float, expected: float, noise: float, count: bool, ratio: float = 1.0) -> float:
    """Two-sided p-value of a change's own test: `observed` (a sum) against `ratio` x `expected`.

    z = log((y + c) / (ratio mu + c)) / s (c = 1/2 for counts, 0 for amounts; s from `_log_sd`) against
    the normal; for counts the exact negative-binomial tail too, and the larger p-value is kept. Both
    parts fall monotonically as `ratio` moves away from y / mu, which lets `ratio_interval` invert the
    test exactly. The normal rather than Student's t: the noise of an effect counts all the excess
    variance of earlier windows, slow drifts included (`tests.window_noise`), which already errs wide.
    """
    c = 0.5 if count else 0.0
    mean = ratio * expected
    z = np.log((max(observed, 1e-300) + c) / (mean + c)) / _log_sd(observed, noise, count)
    p = float(min(1.0, 2.0 * stats.norm.sf(abs(z))))
    if count:
        low, high = _negative_binomial_tails(observed, mean, noise)
        p = max(p, min(1.0, 2.0 * min(low, high)))
    return p


def _tail_root(tail, target: float, start: float, step: float) -> float:
    """The log mean at which the monotone `tail(log mean)` reaches `target`, searching from `start`
    (where it is on the accepting side) in the direction `step`."""
    far = start + step
    while (tail(far) - target) * (tail(start) - target) > 0:
        far += step
        step *= 2
    return float(optimize.brentq(lambda x: tail(x) - target, min(start, far), max(start, far), xtol=1e-12))


def ratio_interval(
    observed: float, expected: float, noise: float, count: bool, level: float = 0.95
) -> tuple[float, float]:
    """The `level` interval of the ratio of the true mean to `expected`: every ratio at which `ratio_p`
    keeps p >= 1 - level (its two parts inverted separately, the interval their union).

    So 1 lies outside the interval exactly when `ratio_p(..., ratio=1)` is below 1 - level.
    """
    alpha = 1.0 - level
    c = 0.5 if count else 0.0
    reach = float(stats.norm.isf(alpha / 2.0)) * _log_sd(observed, noise, count)
    centre = max(observed, 1e-300) + c
    low, high = (centre * np.exp(-reach) - c) / expected, (centre * np.exp(reach) - c) / expected
    if count:
        y, log_y = round(observed), np.log(max(observed, 0.5))

        def below(log_mean: float) -> float:
            return _negative_binomial_tails(y, float(np.exp(log_mean)), noise)[0]

        def above(log_mean: float) -> float:
            return _negative_binomial_tails(y, float(np.exp(log_mean)), noise)[1]

        if y > 0 and above(log_y) >= alpha / 2:
            low = min(low, float(np.exp(_tail_root(above, alpha / 2, log_y, -1.0))) / expected)
        if below(log_y) >= alpha / 2:
            high = max(high, float(np.exp(_tail_root(below, alpha / 2, log_y, 1.0))) / expected)
    return max(low, 0.0), high


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
