"""`peyvand signals detect` and `peyvand loops import`, as a user runs them on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from marketing_data import loop_csv, metric_items, visits
from peyvand.cli import app

runner = CliRunner()


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_signals_detect_over_history_then_only_new(brand_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    items = tmp_path / "visits.jsonl"
    rows = metric_items("site_visits", visits(9))
    items.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    invoke("ingest", str(items), "--db", db, "--json")
    run = json.loads(invoke("signals", "detect", "--db", db, "--json"))
    day = next(g for g in run["grains"] if g["grain"] == "day")
    assert run["mode"] == "history" and day["periods"] == 200 and day["new"] >= 1
    again = json.loads(invoke("signals", "detect", "--db", db, "--json", "--new-only"))
    assert again["mode"] == "incremental" and again["grains"][0]["periods"] == 0
    assert again["signals"] == run["signals"]
    since = json.loads(invoke("signals", "detect", "--db", db, "--json", "--since", "2026-01-01"))
    assert since["mode"] == "since" and since["grains"][0]["periods"] == sum(
        1 for r in rows if r["at"] >= "2026-01-01"
    )
    assert "signal(s) stored" in invoke("signals", "detect", "--db", db)
    assert "YYYY-MM-DD" in invoke("signals", "detect", "--db", db, "--since", "last week", code=1)


def test_loops_import(brand_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    events = tmp_path / "events.csv"
    events.write_text(
        loop_csv(
            [
                ("welcome", "c1", 1, "send", "2026-03-01T10:00:00Z", None),
                ("welcome", "c1", 1, "convert", "2026-03-02T10:00:00Z", 100),
                ("welcome", "c2", 1, "bounce", "2026-03-01T10:00:00Z", None),
            ]
        ),
        encoding="utf-8",
    )
    result = json.loads(invoke("loops", "import", str(events), "--db", db, "--json"))
    assert (result["accepted"], result["rejected"], result["loops_created"]) == (2, 1, ["welcome"])
    assert result["rejects"][0]["line"] == 4
    assert "0 accepted, 2 duplicate, 1 rejected" in invoke("loops", "import", str(events), "--db", db)
    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\n", encoding="utf-8")
    assert "missing" in invoke("loops", "import", str(bad), "--db", db, code=2)
    assert "no such file" in invoke("loops", "import", str(tmp_path / "none.csv"), "--db", db, code=2)
