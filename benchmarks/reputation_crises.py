"""Crisis detection quality: synthetic bursts and calm conversations, and the demo's crisis.

    .venv/bin/python benchmarks/reputation_crises.py [--seeds 30] [--demo]

Synthetic: 150 days of a brand conversation (`tests/reputation_data.calm_days`: about `--per-day`
mentions a day, 55% positive, 30% neutral, 15% negative), once as it is and once with a four-day burst
of angry mentions from day 120 (`--burst`, default 40, 60, 35, 20). Reported: bursts found (a crisis
whose window overlaps the burst), windows found exactly on the burst's days, false alarms on the calm
conversations, and the same with the signal engine alone (no sampled falls, no window rule) beside it.

`--demo` also builds the demo (scale 1, about three minutes) in a temporary SQLite file and prints the
crises it finds against the story's crisis window (docs/formulas-pr.md, "Crisis detection").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from peyvand.analysis.reputation import Mention, crisis_candidates, crisis_series  # noqa: E402
from peyvand.analysis.signals import detect_many  # noqa: E402
from peyvand.services.crises import NET_SHIFT, engine_series, find_candidates  # noqa: E402
from peyvand.services.reputation_data import BrandPanel  # noqa: E402
from reputation_data import TEHRAN, burst, calm_days  # noqa: E402

FIRST = date(2026, 1, 3)
BURST = FIRST + timedelta(days=120)


def _engine_only(mentions: list[Mention]) -> list[tuple[date, date]]:
    daily = crisis_series(mentions, entity="brand", tz=TEHRAN)
    changes = detect_many(
        {"n": engine_series(daily.negative_volume, 0.0), "s": engine_series(daily.net_sentiment, NET_SHIFT)}
    )
    return [(c.start, c.end) for c in crisis_candidates(changes["n"], changes["s"])]


def synthetic(seeds: int, per_day: int, sizes: list[int]) -> None:
    panel = BrandPanel(1, TEHRAN, "brand", {}, (), ())
    last = BURST + timedelta(days=len(sizes) - 1)
    tally = {"full": [0, 0, 0], "engine": [0, 0, 0]}  # found, exact, false alarms
    for seed in range(1, seeds + 1):
        for angry in (False, True):
            rows = calm_days(FIRST, 150, seed=seed, per_day=per_day) + (burst(BURST, sizes) if angry else [])
            mentions = [Mention(at=r.at(), sentiment=r.sentiment, entities=("brand",)) for r in rows]  # type: ignore[arg-type]
            found = {
                "full": [(c.start, c.end) for c in find_candidates(mentions, panel)[0]],
                "engine": _engine_only(mentions),
            }
            for key, windows in found.items():
                if not angry:
                    tally[key][2] += bool(windows)
                    continue
                tally[key][0] += any(s <= last and e >= BURST for s, e in windows)
                tally[key][1] += (BURST, last) in windows
    for key, (hit, exact, false) in tally.items():
        found = f"bursts found {hit}/{seeds}, on the burst's days {exact}/{seeds}"
        print(f"{key:>7}: {found}, false alarms {false}/{seeds}")


def demo() -> None:
    from peyvand.demo import build_scenario
    from peyvand.services.access import Actor
    from peyvand.services.crises import list_crises
    from peyvand.services.demo import build_demo
    from peyvand.storage.db import Store
    from peyvand.storage.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        store = Store.from_url(str(Path(folder) / "demo.sqlite"))
        upgrade(store.engine)
        started = time.perf_counter()
        build_demo(store, seed=1405)
        truth = build_scenario(seed=1405, scale=0.01).workspace("darcheh").truth["crisis"]
        print(f"demo built in {time.perf_counter() - started:.0f} s; story crisis: {truth}")
        for crisis in list_crises(store, Actor.operator(1)):
            print(f"found: {crisis.start} – {crisis.end} ({crisis.status}), evidence: "
                  f"{crisis.evidence['negative_per_day']} negatives a day against "
                  f"{crisis.evidence['negative_per_day_before']} before")  # fmt: skip
        store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--burst", default="40,60,35,20")
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    synthetic(args.seeds, args.per_day, [int(n) for n in args.burst.split(",")])
    if args.demo:
        demo()


if __name__ == "__main__":
    main()
