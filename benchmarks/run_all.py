"""Run every benchmark in this folder in turn (`make bench`), each in its own process, and sum up.

    .venv/bin/python benchmarks/run_all.py [--quick] [--only NAME ...] [--data ../shared/data]

Order: the signal engine (nab.py, marketing_signals.py), ingest (ingest.py), text understanding
(text_quality.py, when present), campaign lift (campaign_lift.py), then any other script here whose name
does not start with an underscore. `--quick` is passed to the scripts that take it. The benchmarks that
need the shared evaluation data (NAB, the sentiment corpora) say so and measure nothing when
`../shared/data` is missing; the others generate their data. Results and how to read them:
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = ("nab.py", "marketing_signals.py", "ingest.py", "text_quality.py", "campaign_lift.py")
TAKES_QUICK = frozenset({"nab.py", "text_quality.py", "campaign_lift.py"})
NEEDS_DATA = {"nab.py": "nab", "text_quality.py": ""}


def scripts(only: list[str]) -> list[Path]:
    present = {p.name: p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py"}
    ordered = [present[name] for name in FIRST if name in present]
    ordered += [present[name] for name in sorted(present) if name not in FIRST]
    if only:
        wanted = {name if name.endswith(".py") else f"{name}.py" for name in only}
        ordered = [p for p in ordered if p.name in wanted]
    return ordered


def command(script: Path, quick: bool, data: Path) -> list[str]:
    args = [sys.executable, str(script)]
    if quick and script.name in TAKES_QUICK:
        args.append("--quick")
    if script.name in NEEDS_DATA:
        args += ["--data", str(data / NEEDS_DATA[script.name]) if NEEDS_DATA[script.name] else str(data)]
    return args


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the quick variants, where a script has one")
    parser.add_argument("--only", nargs="*", default=[], help="script names to run (default: all)")
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"note: {args.data} is missing: nab.py and text_quality.py will say so and measure nothing.")
    results = []
    for script in scripts(args.only):
        print(f"\n=== {script.name} " + "=" * max(3, 70 - len(script.name)), flush=True)
        started = time.perf_counter()
        code = subprocess.call(command(script, args.quick, args.data), cwd=HERE.parent)
        results.append((script.name, code, time.perf_counter() - started))
    print("\n=== summary " + "=" * 62)
    for name, code, seconds in results:
        print(f"  {name:24s} {'ok' if code == 0 else f'failed ({code})':12s} {seconds:7.0f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
