"""Crash safety, as a user would meet it: `peyvand ingest` killed with SIGKILL in the middle of a large file,
then run again, finishes the job with no duplicates and no gaps, resuming after the last committed batch."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peyvand.domain.brand import BrandProfile
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store
from peyvand.storage.migrate import upgrade

RECORDS = 3000
BATCH = 100


def write_export(path: Path) -> tuple[int, set[str]]:
    """Events and some comments, with repeated ids and unreadable lines among them; returns the number of
    records and the ids that must end up stored."""
    unique: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        for i in range(RECORDS):
            if i % 97 == 50:
                out.write("{not json\n")
                continue
            n = i - 1 if i % 50 == 0 else i  # every 50th record repeats the one before it
            if n % 20 == 0:
                item = {
                    "id": f"t{n}",
                    "source": "instagram",
                    "kind": "comment",
                    "created_at": "2026-03-01T10:00:00Z",
                    "text": "چای سبز نیلوفر عالیه",
                    "author": {"handle": f"u{n % 300}"},
                }
            else:
                item = {
                    "id": f"e{n}",
                    "source": "pos",
                    "kind": "event",
                    "event": "store_checkin",
                    "at": f"2026-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
                    "dims": {"store": f"s{n % 3}"},
                }
            unique.add(item["id"])
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return RECORDS, unique


def _progress(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT max(records_done) FROM imports").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0] or 0) if row else 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_ingest_resumes_with_no_duplicates_and_no_gaps(tmp_path: Path, brand: BrandProfile) -> None:
    db, export = tmp_path / "crash.sqlite", tmp_path / "export.jsonl"
    total, unique = write_export(export)
    store = Store.from_url(str(db))
    upgrade(store.engine)
    create_workspace(store, brand=brand, slug="crash")
    store.dispose()
    env = {**os.environ, "PEYVAND_INGEST_BATCH_SIZE": str(BATCH), "PEYVAND_DATABASE_URL": f"sqlite:///{db}"}
    command = [sys.executable, "-m", "peyvand.cli", "ingest", str(export), "--json"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _progress(db) < 5 * BATCH and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the ingest finished (or failed) before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    done_at_kill = _progress(db)
    assert 0 < done_at_kill < total
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM imports").fetchall() == [("running",)]
        stored_at_kill = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    assert 0 < stored_at_kill <= done_at_kill

    again = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    summary = json.loads(again.stdout)
    assert summary["resumed_after"] == done_at_kill  # the same run, after its last committed batch
    assert summary["accepted"] + summary["duplicate"] + summary["rejected"] + summary["filtered"] == total
    assert summary["accepted"] == len(unique) and summary["rejected"] == len(range(50, RECORDS, 97))
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT external_id FROM items")}
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == len(unique)
        assert conn.execute("SELECT count(*), max(status) FROM imports").fetchone() == (1, "done")
    assert stored == unique  # no gaps, no duplicates
