"""Canonical JSONL, one item per line."""

from __future__ import annotations

import io

from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext


def test_canonical_jsonl(run, payloads):
    records = run(payloads / "jsonl" / "canonical_items.jsonl", ctx=SourceContext(source_name="webform"))
    assert [r.line for r in records] == [1, 2, 4, 5, 6]  # the blank line is not a record
    assert records[2].item is not None and records[2].item["source"] == "webform"
    assert records[3].reject == "not valid JSON: Expecting value at column 1"
    assert records[4].reject == "expected a JSON object, got list"


def test_long_lines_bad_bytes_and_deep_nesting_are_rejected():
    data = (
        b'{"a": "'
        + b"x" * (jsonl.MAX_LINE_BYTES + 10)
        + b'"}\n'
        + b"\xff\xfe\n"
        + b"[" * 100_000
        + b"\n"
        + b'\xef\xbb\xbf{"id": "1"}\n'
    )
    records = list(jsonl.parse(io.BytesIO(data), context=SourceContext(), name="x"))
    assert [r.reject for r in records[:3]] == [
        f"line longer than {jsonl.MAX_LINE_BYTES} bytes",
        "not UTF-8: invalid start byte at byte 0",
        "not valid JSON: nested too deeply",
    ]
    assert records[3].item == {"id": "1"}  # a byte order mark is not part of the JSON
