"""A causal per-row anomaly score in [0, 1] for fast, irregular streams (the NAB benchmark's mode).

The score at row t uses rows 0..t only. Two surprises are computed and the larger is kept:

* novelty: the distance of the last `shape` values to their nearest earlier subsequence within `memory`
  rows (a left matrix profile, Euclidean, computed incrementally with the STOMP dot-product recurrence);
* level: a multi-scale z-score of the recent mean against the trailing `memory` rows.

Each surprise is judged against its own recent past: log(surprise / max of the previous `recent` rows), so
a row scores high only when it is more unusual than anything in the recent past. A row keeps its score
only when it beats every score of the previous `quiet` rows (one alarm per episode). The result is
mapped to [0, 1] with 1 - exp(-x). Formulas: docs/formulas-signals.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class StreamSettings:
    shape: int = 12  # rows in a subsequence
    memory: int = 2000  # rows of history searched for a match / used for the level statistics
    recent: int = 500  # rows a surprise is compared with
    quiet: int = 100  # rows after an alarm during which only a stronger one counts
    level_scales: tuple[int, ...] = (1, 6, 36)
    level_weight: float = 0.0  # weight of the level surprise (0: off; NAB standard 55.5 off, 53.8 at 0.3)


def left_matrix_profile(values: np.ndarray, shape: int, memory: int) -> np.ndarray:
    """d[t]: Euclidean distance of values[t-shape+1 .. t] to its nearest subsequence ending in
    [t - memory, t - shape] (NaN while there is none)."""
    x = np.asarray(values, dtype=float)
    x = x - np.median(x[: min(len(x), 200)]) if len(x) else x
    out = np.full(len(x), np.nan)
    if len(x) < 2 * shape + 1:
        return out
    sub = sliding_window_view(x, shape)
    norms = np.einsum("ij,ij->i", sub, sub)
    dots = np.zeros(len(sub))
    for i in range(shape, len(sub)):
        hi, lo = i - shape, max(0, i - shape - memory)
        if i == shape or lo == 0 and hi < 1:
            dots[lo : hi + 1] = sub[lo : hi + 1] @ sub[i]
        else:
            j = np.arange(max(lo, 1), hi + 1)
            dots[j] = dots[j - 1] - x[i - 1] * x[j - 1] + x[i + shape - 1] * x[j + shape - 1]
            if lo == 0:
                dots[0] = sub[0] @ sub[i]
        nearest = np.min(norms[i] + norms[lo : hi + 1] - 2.0 * dots[lo : hi + 1])
        out[i + shape - 1] = np.sqrt(max(nearest, 0.0))
    return out


def _trailing_mean_std(x: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    centred = x - x[0]
    c1 = np.concatenate([[0.0], np.cumsum(centred)])
    c2 = np.concatenate([[0.0], np.cumsum(centred * centred)])
    t = np.arange(len(x))
    lo = np.maximum(0, t - size + 1)
    n = (t + 1 - lo).astype(float)
    mean = (c1[t + 1] - c1[lo]) / n
    var = np.maximum((c2[t + 1] - c2[lo]) / n - mean * mean, 0.0) * n / np.maximum(n - 1.0, 1.0)
    return mean + x[0], np.sqrt(var)


def _lag(a: np.ndarray, k: int) -> np.ndarray:
    out = np.full(len(a), np.nan)
    out[k:] = a[: len(a) - k]
    return out


def level_surprise(values: np.ndarray, scales: tuple[int, ...], memory: int) -> np.ndarray:
    """max over scales k of |mean of the last k rows - trailing mean| / trailing sd (of k-row means)."""
    x = np.asarray(values, dtype=float)
    best = np.zeros(len(x))
    for k in scales:
        if len(x) <= k + 10:
            continue
        recent = _trailing_mean_std(x, k)[0] if k > 1 else x
        mean, sd = _trailing_mean_std(recent, memory)
        mean, sd = _lag(mean, k), _lag(sd, k)
        floor = 1e-9 + 1e-6 * np.abs(mean)
        z = np.abs(recent - mean) / np.maximum(sd, floor)
        z[: k + 10] = 0.0
        best = np.maximum(best, np.nan_to_num(z, nan=0.0, posinf=0.0))
    return best


def _past_max(r: np.ndarray, size: int) -> np.ndarray:
    padded = np.concatenate([np.zeros(size), r])
    return sliding_window_view(padded[:-1], size).max(axis=1)


def relative_to_recent(surprise: np.ndarray, recent: int) -> np.ndarray:
    """log(surprise / the largest surprise of the previous `recent` rows), floored at 0."""
    s = np.nan_to_num(surprise, nan=0.0)
    with np.errstate(divide="ignore"):
        return np.maximum(np.log((s + 1e-12) / (_past_max(s, recent) + 1e-12)), 0.0)


def keep_episode_peaks(score: np.ndarray, quiet: int) -> np.ndarray:
    """Zero every score that does not beat all scores of the previous `quiet` rows."""
    if quiet <= 0:
        return score
    return np.where(score > _past_max(score, quiet), score, 0.0)


def anomaly_scores(values: np.ndarray, settings: StreamSettings | None = None) -> np.ndarray:
    """Causal anomaly score in [0, 1] for every row of `values` (row t uses rows 0..t only)."""
    cfg = settings or StreamSettings()
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return np.zeros(0)
    combined = relative_to_recent(left_matrix_profile(x, cfg.shape, cfg.memory), cfg.recent)
    if cfg.level_weight > 0:
        level = relative_to_recent(level_surprise(x, cfg.level_scales, cfg.memory), cfg.recent)
        combined = np.maximum(combined, cfg.level_weight * level)
    return 1.0 - np.exp(-keep_episode_peaks(combined, cfg.quiet))
