"""The five-line library example of the README works as written."""

from __future__ import annotations

import json
from pathlib import Path

import peyvand


def test_readme_library_example(brand_file: Path, tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    rows = [
        {
            "id": "1",
            "source": "telegram",
            "kind": "direct_message",
            "created_at": "2026-03-01T10:00:00Z",
            "text": "سلام، چای سبز نیلوفر موجود است؟",
            "author": {"handle": "reza"},
        },
        {
            "id": "2",
            "source": "ga4",
            "kind": "metric",
            "metric": "site_visits",
            "at": "2026-03-01",
            "value": 9,
        },
    ]
    items.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    brand = peyvand.load_brand(brand_file)
    desk = peyvand.open(str(tmp_path / "lib.sqlite"))
    desk.create_workspace(brand, slug="niloofar")
    assert desk.ingest(items).to_json()["accepted"] == 2
    assert desk.ingest(rows).to_json()["duplicate"] == 2
    assert [d["team"] for d in peyvand.route(rows, brand)] == ["pr", "marketing"]
    assert [i["id"] for i in desk.items(feedback="reaction")] == ["2"]
    desk.close()
