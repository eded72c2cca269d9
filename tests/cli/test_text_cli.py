"""`peyvand labels import`, `peyvand models train` and `peyvand models status`, as a user runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from peyvand.cli import app
from text_data import made_up_labels, message

runner = CliRunner()


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def _csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_labels_train_and_read_the_messages_again(brand_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    items = tmp_path / "items.jsonl"
    texts = ["زورک زورک زورک باران", "بلیپ بلیپ بلیپ دریا", "یه پیام معمولی"]
    items.write_text(
        "".join(json.dumps(message(i, t), ensure_ascii=False) + "\n" for i, t in enumerate(texts)), "utf-8"
    )
    invoke("ingest", str(items), "--db", db)
    labels = _csv(tmp_path / "intent.csv", [r for _, r in made_up_labels("intent")], ("text", "label"))
    output = json.loads(invoke("labels", "import", str(labels), "--task", "intent", "--json", "--db", db))
    assert output["added"] == 20 and output["rejected"] == 0
    by_id = _csv(
        tmp_path / "sentiment.csv",
        [{"item_id": "m2", "label": "positive"}, {"item_id": "m9", "label": "x"}],
        ("item_id", "label"),
    )
    assert "1 added" in invoke("labels", "import", str(by_id), "--task", "sentiment", "--db", db)
    trained = json.loads(invoke("models", "train", "--task", "intent", "--json", "--db", db))
    [intent] = trained["tasks"]
    assert intent["in_use"] and intent["learned_macro_f1"] > intent["builtin_macro_f1"]
    assert trained["reenriched"]["fields"]["intent"] == 1  # the «زورک» message is now a press inquiry
    status = json.loads(invoke("models", "status", "--json", "--db", db))
    assert [s["task"] for s in status] == ["sentiment", "intent", "audience"]
    assert status[0]["labels_per_class"] == {"positive": 1} and status[1]["in_use"]
    assert "intent" in invoke("models", "status", "--db", db)
    exported = [
        json.loads(line)
        for line in invoke("export", "items", "--db", db).splitlines()
        if line.startswith("{")
    ]
    assert {e["id"]: e["intent"] for e in exported}["m0"] == "press_inquiry"


def test_a_labels_file_without_its_columns_exits_2(brand_file: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    invoke("init", "--brand", str(brand_file), "--db", db)
    bad = _csv(tmp_path / "bad.csv", [{"message": "hi"}], ("message",))
    assert "text,label or item_id,label" in invoke(
        "labels", "import", str(bad), "--task", "sentiment", "--db", db, code=2
    )
    invoke("labels", "import", str(tmp_path / "missing.csv"), "--task", "sentiment", "--db", db, code=2)
    assert "task must be one of" in invoke("models", "train", "--task", "tone", "--db", db, code=1)
