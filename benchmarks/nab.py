"""Peyvand's causal stream detector on the Numenta Anomaly Benchmark (NAB v1.1, 58 files).

    .venv/bin/python benchmarks/nab.py [--data ../shared/data/nab] [--out /tmp/nab-results] [--quick]

Scores every row with `peyvand.analysis.signals.anomaly_scores` (row t sees rows 0..t only), writes NAB's
results layout (<out>/peyvand/<category>/peyvand_<file>.csv: timestamp,value,anomaly_score,label), and
scores it with NAB's rules (benchmarks/_nab_scoring.py): one threshold per profile, optimised over the
whole corpus as NAB's optimiser does, normalised so that null = 0 and perfect = 100. The published
scoreboard is printed beside it, and a held-out estimate: the threshold optimised on the even-indexed
files (sorted by name) scores the odd-indexed ones, and the other way round. `--quick` scores 12 files
(2 per category with windows), normalised on their own windows: not comparable with the scoreboard.
`--check` first reproduces the reference tables' window rows and the null detector. `--tune` also runs
the weight grid the default configuration was chosen from, with a nested held-out estimate (weights and
threshold chosen on one half, scored on the other).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _nab_scoring as nab  # noqa: E402

from peyvand.analysis.signals import StreamSettings, anomaly_scores  # noqa: E402
from peyvand.analysis.signals.stream import combine, surprises  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "nab"
SCOREBOARD = {  # NAB README, v1.0 scoreboard (research/datasets.md §2a)
    "ARTime": (74.9, 65.1, 80.4),
    "Numenta HTM": (70.5, 62.6, 75.2),
    "CAD OSE": (69.9, 67.0, 73.2),
    "earthgecko Skyline": (58.2, 46.2, 63.9),
    "KNN CAD": (58.0, 43.4, 64.8),
    "Relative Entropy": (54.6, 47.6, 58.8),
    "Random Cut Forest": (51.7, 38.4, 59.7),
    "Twitter ADVec": (47.1, 33.6, 53.5),
    "Windowed Gaussian": (39.6, 20.9, 47.4),
    "Null": (0.0, 0.0, 0.0),
}
QUICK = 2  # files per category in --quick
GRID = {  # the weights and episode length --tune searches (the default is one point of it)
    "novelty_weight": (0.0, 1.0, 2.0, 3.0),
    "record_weight": (10.0, 30.0, 100.0),
    "context_weight": (0.5, 1.0, 1.5),
    "quiet": (30, 50, 100),
}


def _score_file(values: np.ndarray) -> np.ndarray:
    return anomaly_scores(values, StreamSettings())


def score_corpus(files: list[nab.NabFile], workers: int) -> list[np.ndarray]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_score_file, [f.values for f in files]))


def write_results(out: Path, files: list[nab.NabFile], scores: list[np.ndarray]) -> None:
    for f, score in zip(files, scores, strict=True):
        folder = out / "peyvand" / f.category
        folder.mkdir(parents=True, exist_ok=True)
        label = np.zeros(len(f.values), dtype=int)
        for first, last in f.windows:
            label[first : last + 1] = 1
        with (folder / f"peyvand_{f.name}").open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["timestamp", "value", "anomaly_score", "label"])
            for t, v, s, lab in zip(f.timestamps, f.values, score, label, strict=True):
                writer.writerow([str(t).replace("T", " "), repr(float(v)), f"{s:.6f}", lab])


def check_scorer(data: Path, files: list[nab.NabFile]) -> None:
    """Window rows must match the reference tables' TP+FN, and the null detector must score 0."""
    ref = {r["File"]: r for r in csv.DictReader((data / "results/null/null_standard_scores.csv").open())}
    for f in files:
        _, window_id = nab.sweep_rows(len(f.values), f.windows, nab.PROFILES["standard"])
        row = ref[f.key]
        assert int(np.sum(window_id >= 0)) == int(row["FN"]) + int(row["TP"]), f.key
        assert float(row["Score"]) == -len(f.windows), f.key
    zeros = [np.zeros(len(f.values)) for f in files]
    for weights in nab.PROFILES.values():
        threshold, raw = nab.corpus_sweep(zeros, files, weights).best()
        assert nab.normalised(raw, sum(len(f.windows) for f in files), weights) == 0.0
    print("scorer check: window rows of all files match NAB's tables; null detector scores 0.0")


def halves(n: int) -> list[tuple[list[int], list[int]]]:
    """(tune, score) file indices: even-indexed files against odd-indexed ones, and the other way round."""
    even, odd = list(range(0, n, 2)), list(range(1, n, 2))
    return [(even, odd), (odd, even)]


def held_out(files: list[nab.NabFile], scores: list[np.ndarray], weights: dict[str, float]) -> list[float]:
    """Normalised score of each half at the threshold optimised on the other half."""
    out = []
    for tune, test in halves(len(files)):
        threshold, _ = nab.corpus_sweep([scores[i] for i in tune], [files[i] for i in tune], weights).best()
        raw = sum(nab.file_score(scores[i], files[i], weights, threshold)["score"] for i in test)
        out.append(nab.normalised(raw, sum(len(files[i].windows) for i in test), weights))
    return out


def report(files: list[nab.NabFile], scores: list[np.ndarray], quick: bool) -> dict[str, tuple[float, float]]:
    n_windows = sum(len(f.windows) for f in files)
    result = {}
    for profile, weights in nab.PROFILES.items():
        threshold, raw = nab.corpus_sweep(scores, files, weights).best()
        result[profile] = (nab.normalised(raw, n_windows, weights), threshold)
    print(
        f"\nNAB score, {len(files)} files, {n_windows} windows (threshold optimised corpus-wide per profile)"
    )
    print(f"{'detector':24s} {'standard':>9s} {'low FP':>9s} {'low FN':>9s}")
    ours = tuple(result[p][0] for p in nab.PROFILES)
    print(f"{'peyvand (this run)':24s} {ours[0]:9.1f} {ours[1]:9.1f} {ours[2]:9.1f}")
    if not quick:
        for name, published in SCOREBOARD.items():
            print(f"{name:24s} {published[0]:9.1f} {published[1]:9.1f} {published[2]:9.1f}")
        print(f"ratio to Windowed Gaussian (standard): {ours[0] / SCOREBOARD['Windowed Gaussian'][0]:.2f}")
    print("thresholds:", {p: round(t, 4) for p, (_, t) in result.items()})
    if not quick:
        print("held-out: odd files at the even files' threshold, even files at the odd files', mean:")
        for profile, weights in nab.PROFILES.items():
            parts = held_out(files, scores, weights)
            print(f"  {profile:20s} {parts[0]:6.1f} {parts[1]:6.1f} {np.mean(parts):6.1f}")
    return result


def per_category(files: list[nab.NabFile], scores: list[np.ndarray], threshold: float) -> None:
    weights = nab.PROFILES["standard"]
    totals: dict[str, list[float]] = {}
    for f, s in zip(files, scores, strict=True):
        part = totals.setdefault(f.category, [0.0, 0.0])
        part[0] += nab.file_score(s, f, weights, threshold)["score"]
        part[1] += len(f.windows)
    print("\nstandard profile per category (corpus threshold):")
    for category, (raw, n) in sorted(totals.items()):
        norm = f"{nab.normalised(raw, int(n), weights):6.1f}" if n else "   n/a"
        print(f"  {category:24s} windows={int(n):3d} raw={raw:8.3f} normalised={norm}")


def _surprises(values: np.ndarray) -> dict[str, np.ndarray]:
    full = StreamSettings()
    return surprises(values, replace(full, level_weight=0.0))


def tune(files: list[nab.NabFile], workers: int) -> None:
    """Score every point of GRID; report the best on the whole corpus and the nested held-out estimate."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(_surprises, [f.values for f in files]))
    weights = nab.PROFILES["standard"]
    grid: list[dict[str, Any]] = [
        dict(zip(GRID, point, strict=True)) for point in itertools.product(*GRID.values())
    ]
    scored = []
    for point in grid:
        cfg = replace(StreamSettings(), **point)
        scored.append([combine(p, cfg, len(f.values)) for p, f in zip(parts, files, strict=True)])
    n_windows = sum(len(f.windows) for f in files)
    full = [nab.normalised(nab.corpus_sweep(s, files, weights).best()[1], n_windows, weights) for s in scored]
    best = int(np.argmax(full))
    print(f"\n--tune: {len(grid)} settings; best on all files {full[best]:.1f} at {grid[best]}")
    for tune_on, test in halves(len(files)):
        fit = [
            nab.corpus_sweep([s[i] for i in tune_on], [files[i] for i in tune_on], weights).best()
            for s in scored
        ]
        tuned = [nab.normalised(raw, sum(len(files[i].windows) for i in tune_on), weights) for _, raw in fit]
        pick = int(np.argmax(tuned))
        raw = sum(nab.file_score(scored[pick][i], files[i], weights, fit[pick][0])["score"] for i in test)
        score = nab.normalised(raw, sum(len(files[i].windows) for i in test), weights)
        chosen = f"  chosen on {len(tune_on)} files: {grid[pick]} ({tuned[pick]:.1f})"
        print(f"{chosen}; on the other {len(test)}: {score:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("/tmp/peyvand-nab-results"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not (args.data / "labels" / "combined_windows.json").exists():
        print(f"NAB data not found at {args.data} (need data/ and labels/); nothing to score.")
        return 0
    files = nab.load_corpus(args.data)
    if args.check:
        check_scorer(args.data, files)
    if args.quick:
        by_category: dict[str, list[nab.NabFile]] = {}
        for f in files:
            if f.windows:
                by_category.setdefault(f.category, []).append(f)
        files = [f for group in by_category.values() for f in group[:QUICK]]
    started = time.perf_counter()
    scores = score_corpus(files, args.workers)
    print(f"scored {sum(len(f.values) for f in files):,} rows in {time.perf_counter() - started:.0f} s")
    write_results(args.out, files, scores)
    print(f"results written under {args.out}/peyvand/")
    result = report(files, scores, args.quick)
    per_category(files, scores, result["standard"][1])
    if args.tune:
        tune(files, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
