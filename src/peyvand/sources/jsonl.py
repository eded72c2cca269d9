"""Canonical JSONL: one canonical item (DESIGN §4) per line, streamed line by line in constant memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from peyvand.sources._lines import iter_lines
from peyvand.sources.base import Record, SourceContext

MAX_LINE_BYTES = 1_000_000
BOM = b"\xef\xbb\xbf"


def decode_json_line(data: bytes) -> tuple[Any, str | None, str]:
    """One JSONL line as (value, reject reason or None, the line as text for `raw`)."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8: {exc.reason} at byte {exc.start}", data.decode("utf-8", "replace")
    try:
        return json.loads(text), None, text
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} at column {exc.colno}", text
    except RecursionError:
        return None, "not valid JSON: nested too deeply", text[:2000]


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "<stdin>") -> Iterator[Record]:
    for line in iter_lines(stream, MAX_LINE_BYTES):
        number, where = line.number, f"line {line.number}"
        if line.too_long:
            yield Record(
                where,
                number,
                reject=f"line longer than {MAX_LINE_BYTES} bytes",
                raw=line.data.decode("utf-8", "replace"),
            )
            continue
        if not line.data.strip():
            continue
        obj, problem, text = decode_json_line(line.data)
        if problem is not None:
            yield Record(where, number, reject=problem, raw=text)
        elif not isinstance(obj, dict):
            yield Record(where, number, reject=f"expected a JSON object, got {type(obj).__name__}", raw=text)
        else:
            if context.source_name and "source" not in obj:
                obj["source"] = context.source_name
            yield Record(where, number, item=obj, raw=text)
