"""The hand-written inbox sets in benchmarks/data are well-formed: every label is in the DESIGN §2
vocabulary and every author is a valid Author (a broken line would silently shrink the benchmark)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peyvand.domain.items import Author

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
VOCABULARY = {
    "sentiment": {"positive", "negative", "neutral"},
    "intent": {"complaint", "question", "praise", "purchase_intent", "press_inquiry", "partnership", "other"},
    "audience": {"customer", "journalist", "media_outlet", "influencer", "partner", "public"},
    "sales_signal": {True, False},
}


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("inbox-dev.jsonl", 211),
        ("inbox-dev2.jsonl", 200),
        ("inbox-heldout.jsonl", 200),
        ("inbox-dev3.jsonl", 200),
        ("inbox-dev4.jsonl", 200),
    ],
)
def test_inbox_set_is_well_formed(name: str, size: int) -> None:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line) for line in lines]
    assert len(messages) == size
    for m in messages:
        assert m["text"].strip() and m["source"] and m["kind"]
        Author(**m.get("author", {}))
        for field, allowed in VOCABULARY.items():
            assert field not in m or m[field] in allowed, (m["text"], field, m[field])
        assert "sentiment" in m and "intent" in m and m.get("brand", "darcheh") in ("darcheh", "lumira")
