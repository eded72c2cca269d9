"""The noise of a campaign's counterfactual: an autoregression of the pre-period residuals, and bootstrap
draws of the summed forecast error over the window from it (a studentised sieve bootstrap).

Formulas: docs/formulas-marketing.md §2.2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import solve_toeplitz
from scipy.signal import lfilter

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class NoiseModel:
    """An autoregression of the residuals, e_t = sum_i a_i e_(t-i) + u_t: a, the innovations u, and the
    long-run variance of e (the variance per day of a long sum of residuals)."""

    coefficients: FloatArray
    innovations: FloatArray
    long_run_variance: float

    @property
    def order(self) -> int:
        return len(self.coefficients)


def noise_model(residuals: FloatArray, max_order: int) -> NoiseModel:
    """Yule-Walker autoregression of the residuals (always stationary), order 0..max_order by AIC."""
    n = len(residuals)
    centred = residuals - residuals.mean()
    top = int(min(max_order, n // 10))
    gamma = _autocovariances(centred[None, :], top)[0]
    if gamma[0] <= 0:
        return NoiseModel(np.zeros(0), centred, 0.0)
    best, best_aic = np.zeros(0), n * math.log(max(gamma[0], 1e-300))
    for order in range(1, top + 1):
        coefficients = solve_toeplitz(gamma[:order], gamma[1 : order + 1])
        variance = gamma[0] - coefficients @ gamma[1 : order + 1]
        aic = n * math.log(max(variance, 1e-300)) + 2 * order
        if aic < best_aic:
            best, best_aic = coefficients, aic
    p = len(best)
    lagged = np.column_stack([centred[p - i : n - i] for i in range(1, p + 1)]) if p else np.zeros((n, 0))
    innovations = centred[p:] - lagged @ best
    long_run = float(_long_run_variances(centred[None, :], p)[0])
    return NoiseModel(best, innovations - innovations.mean(), long_run)


def _autocovariances(rows: FloatArray, top: int) -> FloatArray:
    """Autocovariances at lags 0..top of each (centred) row, divided by n."""
    n = rows.shape[1]
    return np.stack(
        [np.einsum("ij,ij->i", rows[:, : n - k], rows[:, k:]) / n for k in range(top + 1)], axis=1
    )


def _long_run_variances(rows: FloatArray, order: int) -> FloatArray:
    """Long-run variance of each row under its Yule-Walker AR(order) fit: var(u) / (1 - sum a)^2."""
    gamma = _autocovariances(rows - rows.mean(axis=1, keepdims=True), order)
    if order == 0:
        return gamma[:, 0]
    lags = np.abs(np.arange(order)[:, None] - np.arange(order)[None, :])
    coefficients = np.linalg.solve(gamma[:, lags], gamma[:, 1:, None])[:, :, 0]
    innovation_variance = gamma[:, 0] - (coefficients * gamma[:, 1:]).sum(axis=1)
    return np.asarray(innovation_variance / (1.0 - coefficients.sum(axis=1)) ** 2, dtype=float)


def forecast_errors(
    noise: NoiseModel, x_pre: FloatArray, x_win: FloatArray, n_boot: int, seed: int
) -> FloatArray:
    """Bootstrap draws of the summed forecast error over the window (actual minus predicted, no campaign).

    Each draw runs the residual autoregression on resampled innovations for n + h days after a burn-in:
    the first n days are new pre-period noise (refitting moves the coefficients by pinv(X) e*), the
    last h the window's noise. Each draw is studentised by the long-run variance re-estimated from its
    own refitted residuals and rescaled by the one estimated from the data (a bootstrap-t), so the
    interval also carries the uncertainty of that estimate.
    """
    n, h = len(x_pre), len(x_win)
    if noise.long_run_variance <= 0:
        return np.zeros(n_boot)
    burn = 0 if noise.order == 0 else max(100, n)
    rng = np.random.default_rng(seed)
    shocks = rng.choice(noise.innovations, size=(n_boot, burn + n + h), replace=True)
    simulated = lfilter([1.0], np.r_[1.0, -noise.coefficients], shocks, axis=1)[:, burn:]
    pre = simulated[:, :n]
    coefficient_shift = pre @ np.linalg.pinv(x_pre).T
    errors = simulated[:, n:].sum(axis=1) - coefficient_shift @ x_win.sum(axis=0)
    replicate_variance = _long_run_variances(pre - coefficient_shift @ x_pre.T, noise.order)
    ratio = np.sqrt(noise.long_run_variance / np.maximum(replicate_variance, 1e-300))
    return np.asarray(errors * ratio, dtype=float)
