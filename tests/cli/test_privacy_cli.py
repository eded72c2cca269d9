"""`peyvand privacy …`: the operator finds a person, exports their data to a file, erases it (asked first
unless --yes), and sets and applies the workspace's retention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peyvand.cli import app

runner = CliRunner()
ITEMS = [
    {
        "id": "c1",
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-01T10:00:00Z",
        "text": "سفارشم هنوز نرسیده",
        "author": {"handle": "sara", "email": "sara@example.com"},
    },
    {
        "id": "d1",
        "source": "telegram",
        "kind": "direct_message",
        "created_at": "2026-03-03T10:00:00Z",
        "text": "Hello, is green tea available?",
        "author": {"handle": "reza"},
    },
]


def invoke(*args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def db(brand_file: Path, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'privacy.sqlite'}"
    items = tmp_path / "items.jsonl"
    items.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in ITEMS), encoding="utf-8")
    invoke("init", "--brand", str(brand_file), "--db", url)
    invoke("ingest", str(items), "--db", url)
    return url


def test_the_operator_finds_exports_and_erases_a_person(db: str, tmp_path: Path) -> None:
    [person] = json.loads(invoke("privacy", "find", "SARA@example", "--json", "--db", db))
    sara = str(person["id"])
    out = tmp_path / "sara.json"
    invoke("privacy", "export", "--person", sara, "--out", str(out), "--db", db)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [i["text"] for i in document["items"]] == ["سفارشم هنوز نرسیده"]
    invoke("privacy", "erase", "--person", sara, "--db", db, input="n\n", code=1)  # asked, refused
    assert "Erased person" in invoke("privacy", "erase", "--person", sara, "--yes", "--db", db)
    assert "already erased" in invoke("privacy", "erase", "--person", sara, "--yes", "--db", db)
    erased = json.loads(invoke("privacy", "export", "--person", sara, "--db", db))
    assert erased["items"][0]["text"] is None and erased["authors"][0]["email"] is None
    assert "Nobody found" in invoke("privacy", "find", "sara", "--db", db)
    invoke("privacy", "export", "--person", "999999", "--db", db, code=1)


def test_the_operator_sets_and_applies_the_retention(db: str) -> None:
    assert "off" in invoke("privacy", "retention", "--db", db)
    assert "30 day(s)" in invoke("privacy", "retention", "--days", "30", "--db", db)
    runs = json.loads(invoke("privacy", "apply-retention", "--json", "--db", db))
    [run] = runs.values()
    assert run["days"] == 30 and run["items"] == 2 and run["authors"] == 2
    assert "off" in invoke("privacy", "retention", "--off", "--db", db)
    assert json.loads(invoke("privacy", "apply-retention", "--json", "--db", db)) == {}
