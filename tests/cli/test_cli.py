"""The command line, as a user runs it: init, ingest, route, export, brand export, user add."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peyvand.cli import app
from peyvand.services import understanding

runner = CliRunner()

ITEMS = [
    {
        "id": "1",
        "source": "instagram",
        "kind": "comment",
        "created_at": "2026-03-01T10:00:00+03:30",
        "text": "چای سبز نیلوفر عالیه",
        "author": {"handle": "sara"},
    },
    {
        "id": "2",
        "source": "news",
        "kind": "article",
        "created_at": "2026-03-02T10:00:00Z",
        "text": "Niloofar Tea announces a new store",
        "title": "News",
        "url": "https://x.example/a",
    },
    {
        "id": "3",
        "source": "ga4",
        "kind": "metric",
        "metric": "site_visits",
        "at": "2026-03-01",
        "value": 1200,
    },
    {"id": "4", "source": "ads", "kind": "metric", "metric": "ad_spend", "at": "2026-03-01", "value": 50},
]


@pytest.fixture
def items_file(tmp_path: Path) -> Path:
    path = tmp_path / "items.jsonl"
    lines = [json.dumps(o, ensure_ascii=False) for o in ITEMS]
    lines.insert(2, "not json at all")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_init_ingest_export_round_trip(brand_file: Path, items_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    assert "niloofar-tea" in invoke("init", "--brand", str(brand_file), "--db", db)
    rejects = tmp_path / "rejects.jsonl"
    summary = json.loads(invoke("ingest", str(items_file), "--db", db, "--json", "--rejects", str(rejects)))
    assert {k: summary[k] for k in ("accepted", "duplicate", "rejected", "filtered")} == {
        "accepted": 4,
        "duplicate": 0,
        "rejected": 1,
        "filtered": 0,
    }
    assert [(r["line"], r["reason"]) for r in summary["rejects"]] == [
        (3, "not valid JSON: Expecting value at column 1")
    ]
    assert json.loads(rejects.read_text(encoding="utf-8").splitlines()[0])["raw"] == "not json at all"
    again = json.loads(invoke("ingest", str(items_file), "--db", db, "--json"))
    assert (again["accepted"], again["duplicate"]) == (0, 4)
    exported = [json.loads(line) for line in invoke("export", "items", "--db", db).splitlines()]
    assert [(e["id"], e["team"], e["unit"]) for e in exported] == [
        ("3", "marketing", None),
        ("4", "marketing", "advertising"),
        ("1", "pr", None),
        ("2", "pr", "media"),
    ]
    csv_out = invoke("export", "items", "--db", db, "--format", "csv")
    assert csv_out.splitlines()[0].startswith("id,source,feedback,kind")
    assert len(csv_out.splitlines()) == 5


def test_ingest_summary_table(brand_file: Path, items_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    output = invoke("ingest", str(items_file), "--db", db)
    assert "accepted" in output and "rejected line 3" in output


def test_route_prints_the_contract_without_a_database(brand_file: Path, items_file: Path) -> None:
    rows = [
        json.loads(line) for line in invoke("route", str(items_file), "--brand", str(brand_file)).splitlines()
    ]
    first = rows[0]
    assert set(first) >= {
        "id",
        "feedback",
        "team",
        "unit",
        "share_with",
        "language",
        "sentiment",
        "intent",
        "audience",
        "attributes",
        "reasons",
    }
    assert set(first["sentiment"]) == {"label", "score"}
    assert rows[2] == {"line": 3, "error": "not valid JSON: Expecting value at column 1"}
    metric = rows[3]
    assert metric["feedback"] == "reaction" and "sentiment" not in metric


def test_brand_file_errors_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[brand]\nname = "x"\ncolour = "red"\n', encoding="utf-8")
    result = runner.invoke(app, ["init", "--brand", str(bad), "--db", str(tmp_path / "p.sqlite")])
    assert result.exit_code == 1
    assert (
        "bad.toml" in result.output and "brand.colour" in result.output and "unknown field" in result.output
    )


def test_brand_export_and_workspace_choice(brand_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    assert 'name = "چای نیلوفر"' in invoke("brand", "export", "--db", db)
    invoke("init", "--brand", str(brand_file), "--db", db, "--slug", "second")
    ambiguous = runner.invoke(app, ["brand", "export", "--db", db])
    assert ambiguous.exit_code == 1 and "--workspace" in ambiguous.output
    assert "Golden Leaf" in invoke("brand", "export", "--db", db, "--workspace", "second")


def test_user_add_and_database_from_environment(
    brand_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEYVAND_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    invoke("init", "--brand", str(brand_file))
    monkeypatch.setenv("PEYVAND_NEW_USER_PASSWORD", "long-enough-1")
    assert "is pr" in invoke("user", "add", "maryam", "--role", "pr")
    assert (tmp_path / "env.sqlite").exists()


def test_ingest_a_folder_of_exports_in_several_formats(brand_file: Path, tmp_path: Path) -> None:
    import shutil

    payloads = Path(__file__).resolve().parents[1] / "payloads"
    folder = tmp_path / "exports"
    shutil.copytree(payloads / "telegram", folder / "telegram")
    shutil.copytree(payloads / "ga4", folder / "ga4")
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    first = json.loads(invoke("ingest", str(folder), "--db", db, "--json"))
    assert first["accepted"] > 40 and first["rejected"] == 0
    again = json.loads(invoke("ingest", str(folder), "--db", db, "--json"))
    assert again["accepted"] == 0 and again["duplicate"] == first["accepted"] + first["duplicate"]


def test_unreadable_input_exits_non_zero(brand_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = runner.invoke(app, ["ingest", str(broken), "--db", db])
    assert result.exit_code == 2 and "broken.zip" in result.output


def test_serve_believes_forwarded_addresses_only_from_the_configured_proxies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: dict[str, object] = {}
    monkeypatch.delenv("PEYVAND_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    frozen: list[bool] = []  # a test process must not freeze its heap (settle_long_running_process)
    monkeypatch.setattr(understanding, "settle_long_running_process", lambda: frozen.append(True))
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert runner.invoke(app, ["serve", "--db", db]).exit_code == 0
    assert served["forwarded_allow_ips"] == "127.0.0.1"  # by default, only a proxy on this machine
    monkeypatch.setenv("PEYVAND_FORWARDED_ALLOW_IPS", "10.0.0.0/24")
    assert runner.invoke(app, ["serve", "--db", db]).exit_code == 0
    assert served["forwarded_allow_ips"] == "10.0.0.0/24"
    assert frozen == [True, True]
