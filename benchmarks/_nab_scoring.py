"""NAB scoring, written from the rules in research/datasets.md §2 (no NAB code copied).

A detector gives every row of every corpus file an anomaly score in [0, 1]. For a threshold t, a row
with score >= t is a detection. Rows in the probationary period, the first min(floor(0.15 N), 750)
rows, are not scored. Inside a label window, the earliest detection earns tp * S(y) / S(-1) with y the
relative position (-1 at the window's first row); a window without a detection costs -fn. Outside
every window, a detection costs fp * S(y) with y the distance past the preceding window in units of
that window's width - 1 (the full -fp before the first window). S(y) = 2 / (1 + exp(5 y)) - 1, and
-1 for y > 3. One threshold is optimised for the whole corpus (NAB's optimizer); the raw total is
normalised so that the null detector scores 0 and the perfect detector 100.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROFILES: dict[str, dict[str, float]] = {
    "standard": {"tp": 1.0, "fn": 1.0, "fp": 0.11},
    "reward_low_FP_rate": {"tp": 1.0, "fn": 1.0, "fp": 0.22},
    "reward_low_FN_rate": {"tp": 1.0, "fn": 2.0, "fp": 0.11},
}
OUTSIDE, PROBATION = -1, -2


@dataclass(frozen=True)
class NabFile:
    """One corpus file: its key (`category/name.csv`), rows and label windows as row indices."""

    key: str
    timestamps: np.ndarray  # datetime64[s]
    values: np.ndarray
    windows: tuple[tuple[int, int], ...]  # inclusive (first row, last row)

    @property
    def category(self) -> str:
        return self.key.split("/")[0]

    @property
    def name(self) -> str:
        return self.key.split("/")[1]


def probation_length(n_rows: int) -> int:
    return int(min(math.floor(0.15 * n_rows), 0.15 * 5000))


def scaled_sigmoid(y: np.ndarray) -> np.ndarray:
    out = 2.0 / (1.0 + np.exp(np.clip(5.0 * y, -50, 50))) - 1.0
    return np.where(y > 3.0, -1.0, out)


def _read_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    stamps = np.array([r[0] for r in rows], dtype="datetime64[s]")
    return stamps, np.array([float(r[1]) for r in rows])


def _window_rows(stamps: np.ndarray, limits: list[list[str]]) -> tuple[tuple[int, int], ...]:
    out = []
    for start, end in limits:
        first = int(np.searchsorted(stamps, np.datetime64(start[:19], "s")))
        last = int(np.searchsorted(stamps, np.datetime64(end[:19], "s")))
        if stamps[first] != np.datetime64(start[:19], "s") or stamps[last] != np.datetime64(end[:19], "s"):
            raise ValueError(f"window {start}..{end} does not match a row")
        out.append((first, last))
    return tuple(out)


def load_corpus(data_dir: Path, keys: Sequence[str] | None = None) -> list[NabFile]:
    """Read `data/<category>/<file>.csv` and `labels/combined_windows.json` under `data_dir`."""
    windows = json.loads((data_dir / "labels" / "combined_windows.json").read_text())
    files = []
    for key in sorted(windows) if keys is None else keys:
        stamps, values = _read_file(data_dir / "data" / key)
        files.append(NabFile(key, stamps, values, _window_rows(stamps, windows[key])))
    return files


def sweep_rows(n_rows: int, windows: Sequence[tuple[int, int]], weights: dict[str, float]):
    """Per row: the value a detection there would have, and its window id (or OUTSIDE/PROBATION)."""
    value = np.full(n_rows, -weights["fp"])
    window_id = np.full(n_rows, OUTSIDE, dtype=np.int64)
    rows = np.arange(n_rows)
    max_tp = float(scaled_sigmoid(np.array(-1.0)))
    prev_end = prev_width = None
    for k, (first, last) in enumerate(windows):
        width = last - first + 1
        inside = slice(first, last + 1)
        value[inside] = scaled_sigmoid(-(last - rows[inside] + 1) / width) * weights["tp"] / max_tp
        window_id[inside] = k
        if prev_end is not None and prev_width is not None:
            after = slice(prev_end + 1, first)
            value[after] = scaled_sigmoid(np.abs(rows[after] - prev_end) / (prev_width - 1.0)) * weights["fp"]
        prev_end, prev_width = last, width
    if prev_end is not None and prev_width is not None:
        after = slice(prev_end + 1, n_rows)
        value[after] = scaled_sigmoid(np.abs(rows[after] - prev_end) / (prev_width - 1.0)) * weights["fp"]
    window_id[: probation_length(n_rows)] = PROBATION
    return value, window_id


@dataclass(frozen=True)
class Sweep:
    """The corpus-wide raw score as a function of the threshold (descending distinct scores)."""

    thresholds: np.ndarray
    totals: np.ndarray
    null_total: float

    def best(self) -> tuple[float, float]:
        """(threshold, raw score) maximising the raw score; threshold 1.1 means never detect."""
        i = int(np.argmax(self.totals))
        if self.totals[i] <= self.null_total:
            return 1.1, self.null_total
        return float(self.thresholds[i]), float(self.totals[i])


def _window_gain(order_pos: np.ndarray, value: np.ndarray, fn_weight: float, size: int) -> np.ndarray:
    """Score increments of one window as detections are added in sorted order (running max)."""
    gain = np.zeros(size)
    by_order = np.argsort(order_pos, kind="stable")
    running = np.maximum.accumulate(value[by_order])
    previous = np.concatenate([[-fn_weight], running[:-1]])
    np.add.at(gain, order_pos[by_order], running - np.maximum(previous, -fn_weight))
    return gain


def corpus_sweep(scores: Sequence[np.ndarray], files: Sequence[NabFile], weights: dict[str, float]) -> Sweep:
    """Raw corpus score at every distinct threshold, NAB's sweep over the pooled rows of all files."""
    values, ids, anomaly = [], [], []
    offset = 0
    for score, f in zip(scores, files, strict=True):
        value, window_id = sweep_rows(len(f.values), f.windows, weights)
        keep = window_id != PROBATION
        values.append(value[keep])
        ids.append(np.where(window_id[keep] >= 0, window_id[keep] + offset, OUTSIDE))
        anomaly.append(np.asarray(score, dtype=float)[keep])
        offset += len(f.windows)
    value, window_id, score = np.concatenate(values), np.concatenate(ids), np.concatenate(anomaly)
    order = np.argsort(-score, kind="stable")
    pos = np.empty_like(order)
    pos[order] = np.arange(len(order))
    gain = np.zeros(len(order))
    outside = window_id == OUTSIDE
    np.add.at(gain, pos[outside], value[outside])
    for w in range(offset):
        member = np.nonzero(window_id == w)[0]
        gain += _window_gain(pos[member], value[member], weights["fn"], len(order))
    null_total = -weights["fn"] * offset
    totals = null_total + np.cumsum(gain)
    sorted_scores = score[order]
    last_of_tie = np.nonzero(np.diff(sorted_scores, append=-np.inf) != 0)[0]
    return Sweep(sorted_scores[last_of_tie], totals[last_of_tie], null_total)


def file_score(
    score: np.ndarray, f: NabFile, weights: dict[str, float], threshold: float
) -> dict[str, float]:
    """One file's raw score and confusion counts at a fixed threshold (NAB's per-file table)."""
    value, window_id = sweep_rows(len(f.values), f.windows, weights)
    scored = window_id != PROBATION
    hit = (np.asarray(score) >= threshold) & scored
    total = float(np.sum(value[hit & (window_id == OUTSIDE)]))
    for k in range(len(f.windows)):
        in_window = np.nonzero(hit & (window_id == k))[0]
        total += float(value[in_window[0]]) if len(in_window) else -weights["fn"]
    in_any = window_id >= 0
    return {
        "score": total,
        "tp": int(np.sum(hit & in_any)),
        "fp": int(np.sum(hit & (window_id == OUTSIDE))),
        "fn": int(np.sum(~hit & in_any & scored)),
        "tn": int(np.sum(~hit & (window_id == OUTSIDE) & scored)),
    }


def normalised(raw: float, n_windows: int, weights: dict[str, float]) -> float:
    """100 (raw - null) / (perfect - null), null = -fn * windows and perfect = tp * windows."""
    null = -weights["fn"] * n_windows
    perfect = weights["tp"] * n_windows
    return 100.0 * (raw - null) / (perfect - null)
