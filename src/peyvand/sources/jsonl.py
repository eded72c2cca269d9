"""Canonical JSONL: one canonical item (DESIGN §4) per line, streamed line by line in constant memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from peyvand.sources.base import Record, SourceContext

MAX_LINE_BYTES = 1_000_000


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "<stdin>") -> Iterator[Record]:
    for number, raw in enumerate(stream, start=1):
        if len(raw) > MAX_LINE_BYTES:
            yield Record(f"line {number}", number, reject=f"line longer than {MAX_LINE_BYTES} bytes",
                         raw=raw[:2000].decode("utf-8", "replace"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(f"line {number}", number, reject=f"not UTF-8: {exc.reason} at byte {exc.start}",
                         raw=raw.decode("utf-8", "replace"))
            continue
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Record(f"line {number}", number, reject=f"not valid JSON: {exc.msg} at column {exc.colno}",
                         raw=text.rstrip("\n"))
            continue
        except RecursionError:
            yield Record(f"line {number}", number, reject="not valid JSON: nested too deeply", raw=text[:2000])
            continue
        if not isinstance(obj, dict):
            yield Record(f"line {number}", number, reject=f"expected a JSON object, got {type(obj).__name__}",
                         raw=text.rstrip("\n"))
            continue
        if context.source_name and "source" not in obj:
            obj["source"] = context.source_name
        yield Record(f"line {number}", number, item=obj, raw=text.rstrip("\n"))
