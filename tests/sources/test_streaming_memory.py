"""Large inputs are read in constant memory: the peak stays far below the size of the file.

Each test writes an export of about 8 MB to a temporary file (few, long records, to stay fast) and
measures the parser's peak Python allocation with tracemalloc while it walks every record.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from peyvand.sources import ga4, instagram, jsonl, telegram
from peyvand.sources.base import Record, SourceContext

TEXT = ("نظر مشتری درباره چای نهال و ارسال سفارش. " * 60)[:2500]
COUNT = 1000
PEAK_LIMIT = 1_000_000  # bytes: under a quarter of the input


def _write(path: Path, head: str, rows: Iterator[str], tail: str) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for row in rows:
            out.write(row)
        out.write(tail)
    return path


def _peak(parser: Callable[..., Iterator[Record]], path: Path, context: SourceContext) -> tuple[int, int]:
    count = 0
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            for record in parser(stream, context=context, name=path.name):
                assert record.reject is None, record.reject
                count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return count, peak


def _message(n: int) -> dict[str, object]:
    return {
        "id": n,
        "type": "message",
        "date": "2026-03-01T10:00:00",
        "date_unixtime": str(1772348400 + n),
        "from": f"User {n % 50}",
        "from_id": f"user{n % 50}",
        "text": [TEXT, {"type": "bold", "text": "!"}],
    }


def test_telegram_export_streams(tmp_path: Path, context: SourceContext) -> None:
    rows = ((",\n" if n else "") + json.dumps(_message(n), ensure_ascii=False) for n in range(COUNT))
    path = _write(
        tmp_path / "result.json",
        '{\n "name": "Big",\n "type": "public_supergroup",\n "id": 1,\n "messages": [\n',
        rows,
        "\n ]\n}\n",
    )
    assert path.stat().st_size > 4 * PEAK_LIMIT
    count, peak = _peak(telegram.parse, path, context)
    assert count == COUNT
    assert peak < PEAK_LIMIT


def test_full_telegram_account_export_streams(tmp_path: Path, context: SourceContext) -> None:
    def chats() -> Iterator[str]:
        for chat in range(3):
            yield (
                "," if chat else ""
            ) + f'{{"name": "C{chat}", "type": "personal_chat", "id": {chat}, "messages": ['
            yield ",".join(json.dumps(_message(n), ensure_ascii=False) for n in range(COUNT // 3))
            yield "]}"

    path = _write(
        tmp_path / "result.json",
        '{"personal_information": {"user_id": 9}, "chats": {"list": [',
        chats(),
        "]}}",
    )
    count, peak = _peak(telegram.parse, path, context)
    assert count == COUNT // 3 * 3
    assert peak < PEAK_LIMIT


def test_instagram_thread_streams(tmp_path: Path, context: SourceContext) -> None:
    rows = (
        (",\n" if n else "")
        + json.dumps(
            {"sender_name": "Sara", "timestamp_ms": 1772348400000 + n, "content": TEXT}, ensure_ascii=False
        )
        for n in range(COUNT)
    )
    path = _write(
        tmp_path / "message_1.json", '{"participants": [{"name": "Sara"}], "messages": [', rows, "]}"
    )
    assert path.stat().st_size > 4 * PEAK_LIMIT
    count, peak = _peak(instagram.parse, path, context)
    assert count == COUNT
    assert peak < PEAK_LIMIT


def test_jsonl_streams(tmp_path: Path, context: SourceContext) -> None:
    item = {"id": "x", "source": "s", "kind": "comment", "created_at": "2026-03-01T00:00:00Z", "text": TEXT}
    rows = (json.dumps({**item, "id": str(n)}, ensure_ascii=False) + "\n" for n in range(COUNT))
    path = _write(tmp_path / "items.jsonl", "", rows, "")
    assert path.stat().st_size > 4 * PEAK_LIMIT
    count, peak = _peak(jsonl.parse, path, context)
    assert count == COUNT
    assert peak < PEAK_LIMIT


def test_csv_streams(tmp_path: Path, context: SourceContext) -> None:
    label = "x" * 5000
    rows = (f"2026{1 + n // 1000 % 12:02d}{1 + n % 28:02d},{label}{n},{n}\n" for n in range(COUNT))
    path = _write(tmp_path / "ga4.csv", "# Property: p\nDate,Page title,Sessions\n", rows, "")

    def parse(stream: IO[bytes], **kwargs: object) -> Iterator[Record]:
        return ga4.parse(stream, context=context, name="ga4.csv")

    assert path.stat().st_size > 4 * PEAK_LIMIT
    count, peak = _peak(parse, path, context)
    assert count == COUNT
    assert peak < PEAK_LIMIT
