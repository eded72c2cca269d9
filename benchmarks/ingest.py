"""Ingest speed and memory: `peyvand ingest` on a generated canonical JSONL file, beside a baseline.

The baseline is the least any importer must do for the same file: decode each JSON line and insert it
into SQLite with executemany in batches (no validation, enrichment, routing, dedupe or rollups). The ratio
says what Peyvand's guarantees cost. Both are timed in wall-clock and in CPU seconds of their process: on a
shared machine the wall clock moves with the other load, the CPU time much less, so both ratios are
printed. Memory is measured as the peak RSS of the ingest process on N lines and on 4N lines: flat memory
means the ratio stays near 1.

    python benchmarks/ingest.py [--lines 50000] [--text-share 0.1]

Needs nothing from ../shared (the data is generated).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BRAND = """
[brand]
name = "چای نیلوفر"
aliases = ["Niloofar Tea", "نیلوفر", "@niloofartea"]
[[products]]
key = "green-tea"
names = ["green tea", "چای سبز"]
"""
TEXTS = [
    "چای سبز نیلوفر خیلی خوب بود، ممنون",
    "سفارشم هنوز نرسیده، خیلی بده",
    "قیمت چای سبز چنده؟",
    "Niloofar green tea is great",
    "My order is late again",
    "Do you ship to Shiraz?",
]


def write_items(path: Path, lines: int, text_share: float, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            if rng.random() < text_share:
                item = {
                    "id": f"t{i}",
                    "source": "instagram",
                    "kind": "comment",
                    "created_at": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00+03:30",
                    "text": rng.choice(TEXTS),
                    "author": {"handle": f"user{rng.randrange(5000)}"},
                }
            else:
                item = {
                    "id": f"e{i}",
                    "source": "pos",
                    "kind": "event",
                    "event": "store_checkin",
                    "at": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+03:30",
                    "dims": {"store": f"s{i % 3}", "visitor": f"v{i}"},
                }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


def peyvand_ingest(items: Path, workdir: Path) -> tuple[float, float, float]:
    """Wall-clock seconds, CPU seconds and peak RSS (MiB) of `peyvand ingest` in its own process."""
    db = workdir / f"bench-{items.stem}.sqlite"
    brand = workdir / "brand.toml"
    brand.write_text(BRAND, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "peyvand.cli", "init", "--brand", str(brand), "--db", str(db)],
        check=True,
        capture_output=True,
    )
    script = (
        "import resource,sys,time;from peyvand.cli import app;t=time.perf_counter();c=time.process_time();"
        "sys.argv=['peyvand','ingest',sys.argv[1],'--db',sys.argv[2],'--json'];"
        "\ntry:\n app()\nexcept SystemExit:\n pass\n"
        "rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024\n"
        "print(time.perf_counter()-t, time.process_time()-c, rss, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(items), str(db)], check=True, capture_output=True, text=True
    )
    seconds, cpu, rss = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(cpu), float(rss)


def baseline_ingest(items: Path, workdir: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of the least an importer must do."""
    db = sqlite3.connect(workdir / f"baseline-{items.stem}.sqlite")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE items (id TEXT PRIMARY KEY, source TEXT, kind TEXT, at TEXT, raw TEXT)")
    start, cpu = time.perf_counter(), time.process_time()
    batch = []
    with items.open(encoding="utf-8") as lines:
        for line in lines:
            obj = json.loads(line)
            batch.append(
                (obj["id"], obj["source"], obj["kind"], obj.get("at") or obj.get("created_at"), line)
            )
            if len(batch) == 500:
                db.executemany("INSERT OR IGNORE INTO items VALUES (?,?,?,?,?)", batch)
                db.commit()
                batch = []
    db.executemany("INSERT OR IGNORE INTO items VALUES (?,?,?,?,?)", batch)
    db.commit()
    db.close()
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--text-share", type=float, default=0.1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small, large = work / "small.jsonl", work / "large.jsonl"
        write_items(small, args.lines, args.text_share)
        write_items(large, 4 * args.lines, args.text_share)
        seconds, cpu, rss_small = peyvand_ingest(small, work)
        base, base_cpu = baseline_ingest(small, work)
        _, _, rss_large = peyvand_ingest(large, work)
    n = args.lines
    print(f"lines: {n:,} ({args.text_share:.0%} text items, the rest events)")
    print(f"peyvand ingest : {n / seconds:10,.0f} items/s  ({seconds:.1f} s; {n / cpu:,.0f} items/CPU-s)")
    print(
        f"baseline       : {n / base:10,.0f} items/s  ({base:.1f} s; {n / base_cpu:,.0f} items/CPU-s)"
        "  json.loads + sqlite executemany"
    )
    print(f"ratio          : {base / seconds:.3f} of the baseline's speed ({base_cpu / cpu:.3f} in CPU time)")
    print(
        f"peak RSS       : {rss_small:.0f} MiB on {args.lines:,} lines, "
        f"{rss_large:.0f} MiB on {4 * args.lines:,} lines "
        f"(ratio {rss_large / rss_small:.2f}; flat memory ≈ 1)"
    )


if __name__ == "__main__":
    main()
