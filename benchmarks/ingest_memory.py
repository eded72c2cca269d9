"""Flat memory on large inputs: peak RSS of `peyvand ingest` on a generated JSONL file and a generated
Telegram Desktop export, each at two sizes (the second four times the first).

Flat memory means the peak stays the same whatever the size (ratio near 1.0) and far below the input's
size; an importer that held the input would grow by at least the difference in size.

    python benchmarks/ingest_memory.py [--jsonl-mb 100] [--telegram-mb 10] [--factor 4]

The defaults ingest 100 MB and 400 MB of JSONL (metric items carrying a large unknown field, kept as they
came) and 10 MB and 40 MB of Telegram messages (5,000 and 20,000 messages, each enriched: the slow part).
Each run is its own process with its own SQLite file; the peak is that process's `ru_maxrss`.
"""

from __future__ import annotations

import argparse
import json
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
MESSAGE_TEXT = ("نظر مشتری درباره چای سبز نیلوفر و زمان ارسال سفارش؛ ممنون از پاسخ شما. " * 40)[:2000]


def write_jsonl(path: Path, megabytes: float, record_bytes: int = 20_000) -> int:
    """Metric items of about `record_bytes` each (a large `note` field is kept with the item)."""
    target, written, n, filler = megabytes * 1_000_000, 0, 0, "x" * record_bytes
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            item = {
                "id": f"m{n}",
                "source": "shop",
                "kind": "metric",
                "metric": "orders",
                "at": f"2026-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
                "value": n % 17,
                "dims": {"store": f"s{n % 5}"},
                "note": filler,
            }
            line = json.dumps(item) + "\n"
            out.write(line)
            written, n = written + len(line), n + 1
    return n


def write_telegram(path: Path, megabytes: float) -> int:
    """A supergroup export of 2 KB messages (every tenth a reply), written as Telegram Desktop does."""
    target, written, n = megabytes * 1_000_000, 0, 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "Niloofar customers",\n "type": "public_supergroup",\n')
        out.write(' "id": 1600000001,\n "messages": [\n')
        while written < target:
            message = {
                "id": n + 1,
                "type": "message",
                "date": "2026-03-01T10:00:00",
                "date_unixtime": str(1772348400 + n),
                "from": f"User {n % 400}",
                "from_id": f"user{n % 400}",
                "text": MESSAGE_TEXT,
            }
            if n % 10 == 9:
                message["reply_to_message_id"] = n
            chunk = ("," if n else "") + json.dumps(message, ensure_ascii=False) + "\n"
            out.write(chunk)
            written, n = written + len(chunk.encode("utf-8")), n + 1
        out.write(" ]\n}\n")
    return n


CHILD = (
    "import resource,sys,time\n"
    "from peyvand.cli import app\n"
    "t=time.perf_counter()\n"
    "sys.argv=['peyvand','ingest',sys.argv[1],'--db',sys.argv[2],'--json']\n"
    "try:\n app()\nexcept SystemExit:\n pass\n"
    "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, file=sys.stderr)\n"
)


def ingest(path: Path, workdir: Path) -> tuple[float, float, dict[str, object]]:
    """Seconds, peak RSS (MiB) and the JSON summary of `peyvand ingest` in a process of its own."""
    db = workdir / f"{path.stem}.sqlite"
    brand = workdir / "brand.toml"
    brand.write_text(BRAND, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "peyvand.cli", "init", "--brand", str(brand), "--db", str(db)],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(db)], check=True, capture_output=True, text=True
    )
    seconds, rss = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(rss), json.loads(done.stdout)


def measure(kind: str, megabytes: float, factor: float, workdir: Path) -> list[dict[str, float]]:
    writer = write_jsonl if kind == "jsonl" else write_telegram
    rows = []
    for size in (megabytes, megabytes * factor):
        path = workdir / f"{kind}-{size:g}mb.{'jsonl' if kind == 'jsonl' else 'json'}"
        records = writer(path, size)
        seconds, rss, summary = ingest(path, workdir)
        assert summary["accepted"] == records, summary  # every record stored: nothing skipped
        rows.append({"mb": path.stat().st_size / 1e6, "records": records, "seconds": seconds, "rss_mib": rss})
        path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jsonl-mb", type=float, default=100)
    parser.add_argument("--telegram-mb", type=float, default=10)
    parser.add_argument("--factor", type=float, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, mb in (("jsonl", args.jsonl_mb), ("telegram", args.telegram_mb)):
            started = time.perf_counter()
            small, large = measure(kind, mb, args.factor, Path(tmp))
            for row in (small, large):
                print(
                    f"{kind:9} {row['mb']:8.1f} MB {row['records']:8.0f} records {row['seconds']:7.1f} s "
                    f"peak RSS {row['rss_mib']:6.1f} MiB"
                )
            ratio, grew = large["rss_mib"] / small["rss_mib"], large["rss_mib"] - small["rss_mib"]
            print(
                f"{kind:9} peak RSS ratio (x{args.factor:g} input): {ratio:.2f}  "
                f"(input grew {large['mb'] - small['mb']:.0f} MB, peak grew {grew:.1f} MiB;"
                f" {time.perf_counter() - started:.0f} s)"
            )


if __name__ == "__main__":
    main()
