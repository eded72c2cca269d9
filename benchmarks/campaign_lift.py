"""Campaign lift: how often a campaign with no effect is called significant, and how often the interval
covers an injected lift, for `measure_lift` and, beside it, a naive pre/post comparison.

    .venv/bin/python benchmarks/campaign_lift.py [--seeds 200] [--boot 1000] [--quick]

Synthetic daily orders as in docs/formulas-marketing.md §2.4: level 1000, a slow trend (+0.5 a day),
Thursday and Friday peaks, AR(1) noise with σ = 40 and the row's φ. Each row is a separate set of seeds.
A null row has no campaign effect; the coverage row adds 60 orders a day (about +5%) in the window.

- **peyvand**: `measure_lift` (OLS counterfactual with trend and weekday terms, studentised sieve
  bootstrap interval), significant when p < 0.05.
- **naive**: the mean of the window minus the mean of as many days just before it, Welch's t-test and
  its t interval (what a spreadsheet comparison of "before" and "after" does).

Printed: per row, the share of null campaigns called significant (a perfect method: 0.05) and, for the
coverage row, the share of intervals that contain the injected lift (perfect: 0.95) and the power; then
the ratio of the naive false-positive rate to peyvand's.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy import stats

from peyvand.analysis.campaigns import LiftSettings, measure_lift

FIRST = date(2024, 1, 6)


@dataclass(frozen=True)
class Row:
    pre: int
    window: int
    phi: float
    lift: float = 0.0


ROWS = (Row(180, 28, 0.0), Row(180, 28, 0.5), Row(180, 28, 0.8), Row(365, 28, 0.5), Row(60, 14, 0.5))
COVERAGE = Row(180, 28, 0.5, lift=60.0)


def series(seed: int, row: Row) -> tuple[list[date], np.ndarray]:
    rng = np.random.default_rng(seed)
    n = row.pre + row.window
    days = [FIRST + timedelta(days=k) for k in range(n)]
    weekday = np.array([d.weekday() for d in days])
    shocks = rng.normal(0.0, 40.0, n)
    noise = np.zeros(n)
    for k in range(n):
        noise[k] = row.phi * noise[k - 1] + shocks[k] if k else shocks[k]
    y = 1000 + 0.5 * np.arange(n) + 120 * (weekday == 4) + 60 * (weekday == 3) + noise
    y[row.pre :] += row.lift
    return days, y


def naive(y: np.ndarray, row: Row) -> tuple[bool, float, float]:
    """Welch's t-test of the window against as many days before it; (significant, low, high) of the
    total lift."""
    before, after = y[row.pre - row.window : row.pre], y[row.pre :]
    test = stats.ttest_ind(after, before, equal_var=False)
    diff = after.mean() - before.mean()
    se = np.sqrt(after.var(ddof=1) / len(after) + before.var(ddof=1) / len(before))
    half = stats.t.ppf(0.975, df=len(after) + len(before) - 2) * se
    return bool(test.pvalue < 0.05), (diff - half) * row.window, (diff + half) * row.window


def run_row(row: Row, seeds: int, boot: int, base: int) -> dict[str, float]:
    settings = LiftSettings(n_boot=boot)
    ours = theirs = ours_cover = theirs_cover = 0
    truth = row.lift * row.window
    for seed in range(base, base + seeds):
        days, y = series(seed, row)
        lift = measure_lift(days, y, start=days[row.pre], end=days[-1], settings=settings)
        ours += lift.p_value < 0.05
        ours_cover += lift.lift_interval.low <= truth <= lift.lift_interval.high
        significant, low, high = naive(y, row)
        theirs += significant
        theirs_cover += low <= truth <= high
    return {
        "peyvand": ours / seeds,
        "naive": theirs / seeds,
        "peyvand_cover": ours_cover / seeds,
        "naive_cover": theirs_cover / seeds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=200, help="seeds per row")
    parser.add_argument("--boot", type=int, default=1000, help="bootstrap draws per campaign")
    parser.add_argument("--quick", action="store_true", help="50 seeds a row, 500 draws (about a minute)")
    args = parser.parse_args()
    seeds, boot = (50, 500) if args.quick else (args.seeds, args.boot)
    started = time.perf_counter()
    print(f"null campaigns: share called significant at alpha 0.05 ({seeds} seeds a row, B = {boot})")
    print(f"{'history n':>9s} {'window h':>8s} {'phi':>4s} {'peyvand':>8s} {'naive':>6s}")
    fp_ours, fp_naive = [], []
    for i, row in enumerate(ROWS):
        result = run_row(row, seeds, boot, base=1000 * (i + 1))
        fp_ours.append(result["peyvand"])
        fp_naive.append(result["naive"])
        print(f"{row.pre:9d} {row.window:8d} {row.phi:4.1f} {result['peyvand']:8.3f} {result['naive']:6.3f}")
    cover = run_row(COVERAGE, seeds, boot, base=99_000)
    print(
        f"\ninjected lift of {COVERAGE.lift:.0f} a day (n = {COVERAGE.pre}, h = {COVERAGE.window}, "
        f"phi = {COVERAGE.phi}): interval covers it {cover['peyvand_cover']:.3f} "
        f"(naive {cover['naive_cover']:.3f}); power {cover['peyvand']:.3f} (naive {cover['naive']:.3f})"
    )
    mean_ours, mean_naive = float(np.mean(fp_ours)), float(np.mean(fp_naive))
    print(
        f"mean false-positive rate: peyvand {mean_ours:.3f}, naive {mean_naive:.3f}; "
        f"naive / peyvand = {mean_naive / max(mean_ours, 1e-9):.1f}x"
    )
    print(f"took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
