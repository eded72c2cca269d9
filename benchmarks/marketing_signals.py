"""Signal-engine quality on generated daily marketing series with known injected changes.

    .venv/bin/python benchmarks/marketing_signals.py [--series 40] [--seed 1] [--alpha 0.05]

Three metrics (site visits, store visits, orders) as negative-binomial counts (overdispersed), with a
weekly profile, yearly season, trend, 2% missing days, a Nowruz dip and pre-Nowruz rush, and a Yalda
lift. Two years from 2024-01-01. Half the series get two injected changes in the second year (a spike
or a level shift, rise or fall, of various sizes); the other half stay clean.

A detection matches an injected change when the direction agrees and it starts within 1 day of a spike
or within [-3, +14] days of a shift start. A level shift that brings the series back is reported by the
engine as the end of the earlier change (a rise "from 3 Mar to 14 Apr"), so an injected shift also counts
as found when it matches the day after a reported level shift's end, in the opposite direction; ends are
never counted as detections (precision and false alarms use the reported starts only). Reported:
recall (injected changes found), precision (detections that match), false alarms per series-year
(unmatched detections; on clean series alone too). The naive baseline beside it is a fixed-threshold
z-score (|value - mean of the previous 28 days| > 3 sd, alarms 7 days apart merged), with no season,
holiday or overdispersion model.

Then, for the engine: recall by kind and size, by series for changes of at least 30%, and against an
oracle z (how far the change lies in its own series' no-change distribution, true mean and size known);
false alarms per series-year by series; and, for level shifts, detections per shift, start error and how
often the effect interval holds the injected effect.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy import stats

from peyvand.analysis.calendar import HolidayCalendar
from peyvand.analysis.signals import Change, ChangeKind, Series, detect_many

START, DAYS, WARMUP = date(2024, 1, 1), 730, 63
METRICS = {"site_visits": (2500.0, 40.0), "store_visits": (400.0, 25.0), "orders": (60.0, 15.0)}
WEEKLY = {
    "site_visits": [1.0, 1.05, 1.05, 1.0, 0.9, 0.8, 0.85],
    "store_visits": [0.9, 0.9, 0.95, 1.05, 1.25, 1.2, 0.75],
    "orders": [1.0, 1.05, 1.0, 1.0, 0.95, 0.8, 0.9],
}
EFFECTS = HolidayCalendar(keys=frozenset({"nowruz", "pre_nowruz", "yalda"}))


@dataclass(frozen=True)
class Injected:
    day: int
    kind: str  # spike | level_shift
    factor: float
    z: float = 0.0  # oracle z: |log factor| over the noise sd of one day (spike) or four weeks (shift)


def _mean(rng: np.random.Generator, metric: str, stamps: list[date]) -> np.ndarray:
    base, _ = METRICS[metric]
    t = np.arange(len(stamps))
    weekly = np.array(WEEKLY[metric])[[d.weekday() for d in stamps]]
    yearly = 1 + rng.uniform(0.05, 0.2) * np.sin(2 * np.pi * (t / 365.25 + rng.uniform()))
    trend = 1 + rng.uniform(-0.2, 0.3) * t / 365
    holiday = np.ones(len(stamps))
    for i, d in enumerate(stamps):
        keys = EFFECTS.keys_on(d)
        holiday[i] = (
            0.55 if "nowruz" in keys else 1.25 if "pre_nowruz" in keys else 1.3 if "yalda" in keys else 1
        )
    return base * rng.lognormal(0, 0.5) * weekly * yearly * trend * holiday


def oracle_z(factor: float, mean: float, size: float, periods: int) -> float:
    """How far `factor` times the mean of a `periods`-day sum of negative-binomial counts lies in the
    sum's own no-change distribution (known mean and size), as a normal z: the best any test can do."""
    total, r = mean * periods, size * periods
    moved = factor * total
    tail = (
        stats.nbinom.sf(moved, r, r / (r + total))
        if factor > 1
        else stats.nbinom.cdf(moved, r, r / (r + total))
    )
    return float(stats.norm.isf(max(float(tail), 1e-300)))


def _inject(rng: np.random.Generator, mu: np.ndarray, size: float) -> list[Injected]:
    injected: list[Injected] = []
    for day in sorted(rng.choice(np.arange(420, DAYS - 40, 60), size=2, replace=False)):
        if rng.random() < 0.5:
            factor = float(rng.choice([rng.uniform(2.0, 4.0), rng.uniform(0.15, 0.45)]))
            z = oracle_z(factor, float(mu[day]), size, 1)
            mu[day] *= factor
            injected.append(Injected(int(day), "spike", factor, z))
        else:
            factor = float(rng.choice([rng.uniform(1.25, 1.6), rng.uniform(0.55, 0.8)]))
            z = oracle_z(factor, float(mu[day : day + 28].mean()), size, 28)
            mu[day:] *= factor
            injected.append(Injected(int(day), "level_shift", factor, z))
    return injected


def make_series(seed: int, changed: bool) -> tuple[str, Series, list[Injected]]:
    rng = np.random.default_rng(seed)
    metric = list(METRICS)[seed % 3]
    stamps = [START + timedelta(days=i) for i in range(DAYS)]
    mu = _mean(rng, metric, stamps)
    size = METRICS[metric][1]
    injected = _inject(rng, mu, size) if changed else []
    y = rng.poisson(rng.gamma(size, mu / size)).astype(float)
    keep = rng.random(DAYS) >= 0.02
    for change in injected:
        keep[change.day] = True
    key = f"{metric}-{seed}"
    return (
        key,
        Series([d for d, k in zip(stamps, keep, strict=True) if k], y[keep].tolist(), key=key),
        injected,
    )


def naive_alarms(series: Series) -> list[tuple[int, int]]:
    """(day index, sign) of fixed-threshold z-score alarms, merged when 7 days apart or less."""
    index = {d: i for i, d in enumerate(START + timedelta(days=k) for k in range(DAYS))}
    y = np.full(DAYS, np.nan)
    for d, v in zip(series.timestamps, series.values, strict=True):
        y[index[d]] = v
    alarms: list[tuple[int, int]] = []
    for t in range(WARMUP, DAYS):
        past = y[t - 28 : t][np.isfinite(y[t - 28 : t])]
        if not np.isfinite(y[t]) or len(past) < 14:
            continue
        z = (y[t] - past.mean()) / max(past.std(ddof=1), 1e-9)
        if abs(z) > 3 and not (alarms and t - alarms[-1][0] <= 7):
            alarms.append((t, int(np.sign(z))))
    return alarms


def _matches(found: tuple[int, int], change: Injected) -> bool:
    day, sign = found
    if sign != (1 if change.factor > 1 else -1):
        return False
    low, high = (-1, 1) if change.kind == "spike" else (-3, 14)
    return low <= day - change.day <= high


Found = dict[str, list[tuple[int, int]]]


def score(detections: Found, truth: dict[str, list[Injected]], ends: Found | None = None) -> dict[str, float]:
    hits = matched = total = clean_false = 0
    for key, found in detections.items():
        injected = truth[key]
        hits += sum(_found(found + (ends or {}).get(key, []), c) for c in injected)
        good = sum(any(_matches(f, c) for c in injected) for f in found)
        matched += good
        total += len(found)
        if not injected:
            clean_false += len(found)
    years = (DAYS - WARMUP) / 365
    n_injected = sum(len(v) for v in truth.values())
    n_clean = sum(1 for v in truth.values() if not v)
    return {
        "recall": hits / max(n_injected, 1),
        "precision": matched / max(total, 1),
        "false_alarms_per_series_year": (total - matched) / (len(truth) * years),
        "false_alarms_per_clean_series_year": clean_false / (max(n_clean, 1) * years),
    }


SIZE_BUCKETS = {
    "spike": ((0.0, 1.5, "x0.15-0.45 fall"), (1.5, 3.0, "x2-3 rise"), (3.0, 9.0, "x3-4 rise")),
    "level_shift": (
        (0.0, 0.7, "-30..-45%"),
        (0.7, 1.0, "-20..-30%"),
        (1.0, 1.3, "+25..+30%"),
        (1.3, 9.0, "+30..+60%"),
    ),
}


def _bucket(change: Injected) -> str:
    for low, high, name in SIZE_BUCKETS[change.kind]:
        if low <= change.factor < high:
            return name
    return "other"


def _z_bucket(z: float) -> str:
    return "< 3" if z < 3 else "3-5" if z < 5 else "5-8" if z < 8 else ">= 8"


def at_least_30(change: Injected) -> bool:
    return abs(change.factor - 1) >= 0.3 - 1e-9


def _found(found: list[tuple[int, int]], change: Injected) -> bool:
    return any(_matches(f, change) for f in found)


def recall_table(detections: Found, truth: dict[str, list[Injected]], ends: Found) -> None:
    """Recall per kind and size bucket, and per metric, for the changes of at least 30%."""
    rows: dict[tuple[str, str], list[bool]] = {}
    for key, injected in truth.items():
        metric = key.rsplit("-", 1)[0]
        for change in injected:
            hit = _found(detections[key] + ends.get(key, []), change)
            rows.setdefault((change.kind, _bucket(change)), []).append(hit)
            rows.setdefault((f"{change.kind} oracle z", _z_bucket(change.z)), []).append(hit)
            if at_least_30(change):
                rows.setdefault(("changes >= 30%", metric), []).append(hit)
                rows.setdefault(("changes >= 30%", "all"), []).append(hit)
    print("recall by size bucket:")
    for (kind, bucket), hits in sorted(rows.items()):
        print(f"  {kind:15s} {bucket:18s} {np.mean(hits):5.2f}  ({sum(hits)}/{len(hits)})")


def false_alarms_by_metric(
    detections: dict[str, list[tuple[int, int]]], truth: dict[str, list[Injected]]
) -> None:
    """Unmatched detections per series-year, per metric (series size), on all and on clean series."""
    years = (DAYS - WARMUP) / 365
    table: dict[str, list[int]] = {}
    for key, found in detections.items():
        metric = key.rsplit("-", 1)[0]
        false = sum(not any(_matches(f, c) for c in truth[key]) for f in found)
        row = table.setdefault(metric, [0, 0, 0, 0])
        row[0] += false
        row[1] += 1
        if not truth[key]:
            row[2] += false
            row[3] += 1
    print("false alarms per series-year by metric (mean level; all series, clean series):")
    for metric, (false, n, clean_false, n_clean) in table.items():
        level = METRICS[metric][0]
        print(
            f"  {metric:13s} ~{level:6.0f}/day  {false / (n * years):5.2f}  "
            f"{clean_false / (max(n_clean, 1) * years):5.2f}"
        )


def shift_reporting(found: dict[str, list], truth: dict[str, list[Injected]]) -> None:
    """For injected level shifts: detections matched per shift, start error in days, and how often the
    effect's 95% interval holds the injected effect (factor - 1)."""
    per_shift, errors, covered = [], [], []
    for key, injected in truth.items():
        for change in injected:
            if change.kind != "level_shift":
                continue
            sign = 1 if change.factor > 1 else -1
            others = [o for o in injected if o is not change]
            near = [
                c
                for c in found[key]
                if (1 if c.effect > 0 else -1) == sign
                and -3 <= (c.start.date() - START).days - change.day <= 60
                and not any(_matches(((c.start.date() - START).days, sign), o) for o in others)
            ]
            if near:
                per_shift.append(len(near))
                first = min(near, key=lambda c: c.start)
                errors.append(abs((first.start.date() - START).days - change.day))
                covered.append(first.effect_ci[0] <= change.factor - 1 <= first.effect_ci[1])
    if per_shift:
        print(
            f"level shifts found: {len(per_shift)}; detections per found shift (same sign, within 60 d, "
            f"not another injected change): "
            f"mean {np.mean(per_shift):.2f}, max {max(per_shift)}; start error median "
            f"{np.median(errors):.0f} d, 90th pct {np.percentile(errors, 90):.0f} d; "
            f"effect interval holds the injected effect for {np.mean(covered):.2f}"
        )


def summary(ours: Found, naive: Found, truth: dict[str, list[Injected]], ends: Found) -> None:
    """The headline table: recall, precision and false alarms of both detectors, and recall by kind."""
    rows = {"peyvand detect_many": score(ours, truth, ends), "naive z-score > 3": score(naive, truth)}
    print(
        f"{'detector':22s} {'recall':>7s} {'precision':>9s} {'FA/series-yr':>12s} {'FA/clean series-yr':>18s}"
    )
    for name, r in rows.items():
        print(
            f"{name:22s} {r['recall']:7.2f} {r['precision']:9.2f} {r['false_alarms_per_series_year']:12.2f} "
            f"{r['false_alarms_per_clean_series_year']:18.2f}"
        )
    ours_fa = rows["peyvand detect_many"]["false_alarms_per_series_year"]
    naive_fa = rows["naive z-score > 3"]["false_alarms_per_series_year"]
    print(f"false alarms, naive / peyvand: {naive_fa / max(ours_fa, 1e-9):.1f}x")
    for kind in ("spike", "level_shift"):
        sub = {k: [c for c in v if c.kind == kind] for k, v in truth.items()}
        found_ours, found_naive = score(ours, sub, ends)["recall"], score(naive, sub)["recall"]
        print(f"recall on {kind}s: peyvand {found_ours:.2f}, naive {found_naive:.2f}")


def _ended(change: Change) -> bool:
    """A level shift the engine closed before the series' last day (a return to the earlier level)."""
    return change.kind is ChangeKind.LEVEL_SHIFT and (change.end.date() - START).days < DAYS - 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--series", type=int, default=40, help="series with changes (as many clean ones)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--alpha", type=float, default=0.05, help="detect_many's false-discovery level")
    args = parser.parse_args()
    made = [make_series(args.seed * 10_000 + i, changed=i % 2 == 0) for i in range(2 * args.series)]
    truth = {key: injected for key, _, injected in made}
    started = time.perf_counter()
    found = detect_many({key: s for key, s, _ in made}, grain="day", alpha=args.alpha)
    elapsed = time.perf_counter() - started
    ours = {
        k: [((c.start.date() - START).days, 1 if c.effect > 0 else -1) for c in v] for k, v in found.items()
    }
    ends = {
        k: [((c.end.date() - START).days + 1, -1 if c.effect > 0 else 1) for c in v if _ended(c)]
        for k, v in found.items()
    }
    print(
        f"{2 * args.series} series x {DAYS} days ({args.series} with 2 injected changes each); "
        f"detect_many took {elapsed:.1f} s"
    )
    summary(ours, {key: naive_alarms(s) for key, s, _ in made}, truth, ends)
    print("\npeyvand detect_many:")
    recall_table(ours, truth, ends)
    false_alarms_by_metric(ours, truth)
    shift_reporting(found, truth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
