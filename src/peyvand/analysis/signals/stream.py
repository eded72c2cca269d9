"""A causal per-row anomaly score in [0, 1] for fast, irregular streams (the NAB benchmark's mode).

The score at row t uses rows 0..t only. Up to four surprises are computed, each scaled by its weight, and
the largest is kept:

* record: how far the value goes beyond the range (max and min) of the previous `record_memory` rows, as
  a share of that range (a new extreme);
* context: the share of the recent contexts (the last 2, 3, 4, 6 and 8 values, quantised on a grid of
  `context_bins` steps over the range seen so far) that never occurred before, averaged over the last
  `context_smoothing` rows (a new pattern of values);
* novelty: the series is averaged over blocks of `novelty_block` rows (a coarser time scale, where
  changes of daily shape show and row noise does not); the distance of the last `shape` block means to
  their nearest earlier subsequence within `memory` rows (a left matrix profile, Euclidean, computed
  incrementally with the STOMP dot-product recurrence) is judged against its own recent past:
  log(distance / max of the previous `recent` rows), scored at the row that completes a block, one peak
  per `novelty_quiet` rows (a new shape);
* level (off by default): a multi-scale z-score of the recent mean against the trailing `memory` rows.

A row keeps the combined score only when it beats every score of the previous `quiet` rows (one alarm per
episode). The result is mapped to [0, 1] with 1 - exp(-x). Formulas: docs/formulas-signals.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class StreamSettings:
    """One configuration for every stream (chosen on the NAB corpus: docs/benchmarks-signals.md)."""

    shape: int = 12  # values (block means) in a subsequence
    memory: int = 5000  # rows of history searched for a match / used for the level statistics
    recent: int = 500  # rows a novelty or level surprise is compared with
    quiet: int = 50  # rows after an alarm during which only a stronger one counts
    level_scales: tuple[int, ...] = (1, 6, 36)
    level_weight: float = 0.0  # weight of the level surprise (0: off)
    novelty_weight: float = 2.0  # weight of the subsequence novelty (0: off, and not computed)
    novelty_block: int = 24  # rows averaged into one value before the subsequence search (1: raw rows)
    novelty_quiet: int = 100  # one novelty peak per this many rows
    record_weight: float = 30.0  # weight of the record surprise (0: off)
    record_memory: int = 5000  # rows whose range a new extreme is measured against
    warmup: int = 100  # rows before the record surprise is scored
    context_weight: float = 1.0  # weight of the context novelty (0: off)
    context_bins: int = 24  # grid steps over the range seen so far
    context_lengths: tuple[int, ...] = (2, 3, 4, 6, 8)
    context_smoothing: int = 5  # rows the context novelty is averaged over


def left_matrix_profile(values: np.ndarray, shape: int, memory: int) -> np.ndarray:
    """d[t]: Euclidean distance of values[t-shape+1 .. t] to its nearest subsequence ending in
    [t - memory, t - shape] (NaN while there is none)."""
    x = np.asarray(values, dtype=float)
    x = x - x[0] if len(x) else x  # centred for precision on its first value (causal)
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


def shape_novelty(values: np.ndarray, shape: int, block: int, memory: int, recent: int) -> np.ndarray:
    """Per row: how much more the last `shape` means of `block` rows differ from their nearest earlier
    match than any of the previous `recent` rows' did, log(distance / recent max), floored at 0. Scored
    at the last row of each block, 0 elsewhere; 0 until `recent` rows of distances exist (the first
    distance is not a surprise). `memory` and `recent` count rows, whatever the block."""
    x = np.asarray(values, dtype=float)
    out = np.zeros(len(x))
    n_blocks = len(x) // block
    means = x[: n_blocks * block].reshape(n_blocks, block).mean(axis=1)
    distance = left_matrix_profile(means, shape, max(memory // block, 1))
    measured = np.nonzero(~np.isnan(distance))[0]
    if len(measured) == 0:
        return out
    surprise = relative_to_recent(distance, max(recent // block, 1))
    surprise[: measured[0] + recent // block] = 0.0
    out[block - 1 : n_blocks * block : block] = surprise
    return out


def keep_episode_peaks(score: np.ndarray, quiet: int) -> np.ndarray:
    """Zero every score that does not beat all scores of the previous `quiet` rows."""
    if quiet <= 0:
        return score
    return np.where(score > _past_max(score, quiet), score, 0.0)


def record_surprise(values: np.ndarray, memory: int, warmup: int) -> np.ndarray:
    """max(x - past max, past min - x, 0) / (past max - past min), over the previous `memory` rows."""
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return np.zeros(0)
    high = sliding_window_view(np.concatenate([np.full(memory, -np.inf), x])[:-1], memory).max(axis=1)
    low = sliding_window_view(np.concatenate([np.full(memory, np.inf), x])[:-1], memory).min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        beyond = np.maximum(x - high, low - x) / np.maximum(high - low, 1e-9)
    beyond[: max(warmup, 1)] = 0.0
    return np.maximum(np.nan_to_num(beyond, nan=0.0, posinf=0.0), 0.0)


_HASH = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit multiplier: contexts hash to distinct keys


def _context_keys(q: np.ndarray, length: int) -> np.ndarray:
    """One key per row for the last `length` quantised values (a polynomial hash modulo 2^64); rows
    before `length - 1` get key 0 and are ignored by the caller."""
    keys = np.zeros(len(q), dtype=np.uint64)
    if len(q) >= length:
        digits = sliding_window_view(q, length).astype(np.uint64)
        factors = np.full(length, _HASH, dtype=np.uint64)
        factors[0] = 1
        powers = np.cumprod(factors, dtype=np.uint64)
        keys[length - 1 :] = (digits * powers).sum(axis=1, dtype=np.uint64)
    return keys


def context_novelty(values: np.ndarray, bins: int, lengths: tuple[int, ...], start: int = 64) -> np.ndarray:
    """Per row t: the share of `lengths` whose context ending at t (quantised values) never occurred in
    rows 0..t-1. The grid (`bins` steps over the range of the rows seen) is re-learnt at rows 64, 128, 256,
    ...; rows in a stretch are quantised with the grid learnt before it, so row t uses rows 0..t only."""
    x = np.asarray(values, dtype=float)
    out = np.zeros(len(x))
    bounds = [start * 2**k for k in range(40) if start * 2**k < len(x)] + [len(x)]
    for first, stop in zip(bounds[:-1], bounds[1:], strict=True):
        low, high = float(np.min(x[:first])), float(np.max(x[:first]))
        step = (high - low) / bins if high > low else 1.0
        q = np.clip(np.floor((x[:stop] - low) / step), -1e9, 1e9) + 1e9
        for length in lengths:
            keys = _context_keys(q, length)
            _, first_seen = np.unique(keys[length - 1 :], return_index=True)
            new = np.zeros(stop, dtype=bool)
            new[first_seen + length - 1] = True
            out[first:stop] += new[first:stop]
    return out / max(len(lengths), 1)


def _trailing_mean(x: np.ndarray, size: int) -> np.ndarray:
    return _trailing_mean_std(x, size)[0] if size > 1 else x


def surprises(values: np.ndarray, settings: StreamSettings) -> dict[str, np.ndarray]:
    """The unweighted surprises of every row, for the kinds whose weight is positive."""
    cfg, x = settings, np.asarray(values, dtype=float)
    parts: dict[str, np.ndarray] = {}
    if cfg.novelty_weight > 0:
        novelty = shape_novelty(x, cfg.shape, cfg.novelty_block, cfg.memory, cfg.recent)
        parts["novelty"] = keep_episode_peaks(novelty, cfg.novelty_quiet)
    if cfg.record_weight > 0:
        parts["record"] = record_surprise(x, cfg.record_memory, cfg.warmup)
    if cfg.context_weight > 0:
        context = context_novelty(x, cfg.context_bins, cfg.context_lengths)
        parts["context"] = _trailing_mean(context, cfg.context_smoothing)
    if cfg.level_weight > 0:
        parts["level"] = relative_to_recent(level_surprise(x, cfg.level_scales, cfg.memory), cfg.recent)
    return parts


def combine(parts: dict[str, np.ndarray], settings: StreamSettings, size: int) -> np.ndarray:
    """The largest weighted surprise of each row, kept only when it beats the previous `quiet` rows,
    mapped to [0, 1]."""
    weights = {
        "novelty": settings.novelty_weight,
        "record": settings.record_weight,
        "context": settings.context_weight,
        "level": settings.level_weight,
    }
    combined = np.zeros(size)
    for kind, surprise in parts.items():
        if weights[kind] > 0:
            combined = np.maximum(combined, weights[kind] * surprise)
    return 1.0 - np.exp(-keep_episode_peaks(combined, settings.quiet))


def anomaly_scores(values: np.ndarray, settings: StreamSettings | None = None) -> np.ndarray:
    """Causal anomaly score in [0, 1] for every row of `values` (row t uses rows 0..t only)."""
    cfg = settings or StreamSettings()
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return np.zeros(0)
    return combine(surprises(x, cfg), cfg, len(x))
