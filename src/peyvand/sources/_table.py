"""Reading CSV exports in constant memory, whatever their encoding and separator.

The encoding comes from the byte order mark (Matomo and Excel-style exports write UTF-16 with one), else
UTF-8. The separator (comma, tab or semicolon) is guessed from the first line that is not a comment.
Lines that start with `#` (GA4's header block) are reported as comments, blank lines as blank, each
other row as its cells; a row that is not valid in the encoding, too long or malformed is reported with
its problem instead of cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

MAX_LINE_CHARS = 1_000_000
_TOO_LONG = "\x00peyvand:line-too-long\x00"
_UNDECODABLE = "\x00peyvand:undecodable\x00"
_BAD_BYTES = re.compile(r"[\udc80-\udcff]")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]
    kind: str = "row"  # "row", "comment", "blank", "bad"
    problem: str | None = None
    text: str = ""


class _Chain(io.RawIOBase):
    """The bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head, self._stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def open_text(stream: IO[bytes]) -> tuple[io.TextIOWrapper, str]:
    head = stream.read(4)
    encoding = next((name for bom, name in _BOMS if head.startswith(bom)), "utf-8")
    if encoding == "utf-8" and len(head) == 4 and b"\x00" in head:
        if head[1::2] == b"\x00\x00":
            encoding = "utf-16-le"
        elif head[0::2] == b"\x00\x00":
            encoding = "utf-16-be"
    buffered = io.BufferedReader(_Chain(head, stream), buffer_size=1 << 16)
    return io.TextIOWrapper(buffered, encoding=encoding, errors="surrogateescape", newline=""), encoding


def _lines(text: io.TextIOWrapper) -> Iterator[str]:
    while True:
        try:
            line = text.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError:  # e.g. UTF-16 cut in the middle of a character
            yield _UNDECODABLE + "\n"
            return
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            while (rest := text.readline(1 << 16)) and not rest.endswith("\n"):
                pass
            yield _TOO_LONG + "\n"
            continue
        yield line


def sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_rows(stream: IO[bytes], *, comments: bool = True, delimiter: str | None = None) -> Iterator[Row]:
    """Every row of a CSV export, in order, with blanks and (when `comments`) `#` comment lines marked."""
    text, encoding = open_text(stream)
    try:
        lines = _lines(text)
        pending: list[str] = []
        offset = 0
        for line in lines:
            stripped = line.strip().lstrip("\ufeff")
            if stripped and not (comments and stripped.startswith("#")):
                pending.append(line)
                break
            offset += 1
            if stripped:
                yield Row(offset, [], "comment", text=_readable(stripped))
        if not pending:
            return
        delimiter = delimiter or sniff_delimiter(pending[0])
        yield from _rows(_chain_lines(pending, lines), delimiter, encoding, offset, comments)
    finally:
        text.detach()


def _readable(text: str) -> str:
    """Text with undecodable bytes shown as U+FFFD."""
    if not _BAD_BYTES.search(text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _chain_lines(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _rows(lines: Iterator[str], delimiter: str, encoding: str, offset: int, comments: bool) -> Iterator[Row]:
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        start = offset + reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(start, [], "bad", problem=f"not valid CSV: {exc}")
            continue
        yield _classify(start, cells, encoding, comments)


def _classify(line: int, cells: list[str], encoding: str, comments: bool) -> Row:
    joined = ",".join(cells)
    if cells == [_TOO_LONG]:
        return Row(line, [], "bad", problem=f"line longer than {MAX_LINE_CHARS} characters")
    if cells == [_UNDECODABLE]:
        return Row(line, [], "bad", problem=f"the rest of the file is not valid {encoding.upper()} text")
    if _BAD_BYTES.search(joined):
        return Row(
            line, [], "bad", problem=f"not valid {encoding.upper()} text", text=_readable(joined)[:2000]
        )
    cells = [c.lstrip("\ufeff") for c in cells]
    if not any(c.strip() for c in cells):
        return Row(line, cells, "blank")
    if comments and cells[0].lstrip().startswith("#"):
        return Row(line, cells, "comment", text=joined)
    return Row(line, cells, text=joined[:2000])
