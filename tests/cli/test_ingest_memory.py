"""Flat memory, measured the way an operator would see it: the peak RSS of `peyvand ingest` in its own
process does not grow with the size of the input (a small variant of benchmarks/ingest_memory.py, which
runs 100 MB / 400 MB of JSONL and 10 MB / 40 MB Telegram exports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from peyvand.domain.brand import BrandProfile
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store
from peyvand.storage.migrate import upgrade

CHILD = (
    "import resource,sys\n"
    "from peyvand.cli import app\n"
    "sys.argv=['peyvand','ingest',sys.argv[1],'--json']\n"
    "try:\n app()\nexcept SystemExit:\n pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, file=sys.stderr)\n"
)


def _write(path: Path, megabytes: float) -> int:
    filler, written, n = "x" * 4000, 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < megabytes * 1_000_000:
            item = {
                "id": f"m{n}",
                "source": "shop",
                "kind": "metric",
                "metric": "orders",
                "at": f"2026-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
                "value": n % 7,
                "note": filler,
            }
            line = json.dumps(item) + "\n"
            out.write(line)
            written, n = written + len(line), n + 1
    return n


def _peak_rss(path: Path, tmp_path: Path, brand: BrandProfile) -> tuple[float, int]:
    db = tmp_path / f"{path.stem}.sqlite"
    store = Store.from_url(str(db))
    upgrade(store.engine)
    create_workspace(store, brand=brand, slug="memory")
    store.dispose()
    env = {**os.environ, "PEYVAND_DATABASE_URL": f"sqlite:///{db}"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], env=env, check=True, capture_output=True, text=True
    )
    return float(done.stderr.strip().splitlines()[-1]), int(json.loads(done.stdout)["accepted"])


def test_peak_memory_does_not_grow_with_the_input(tmp_path: Path, brand: BrandProfile) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    n_small, n_large = _write(small, 6), _write(large, 24)
    rss_small, accepted_small = _peak_rss(small, tmp_path, brand)
    rss_large, accepted_large = _peak_rss(large, tmp_path, brand)
    assert (accepted_small, accepted_large) == (n_small, n_large)
    grown_input_mib = (large.stat().st_size - small.stat().st_size) / 2**20
    assert grown_input_mib > 16
    assert rss_large - rss_small < 6, (rss_small, rss_large)  # holding the input would add > 17 MiB
