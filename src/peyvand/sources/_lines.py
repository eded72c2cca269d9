"""Reading lines of any length in constant memory: a line over the limit is reported, not held."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

CHUNK = 1 << 16


@dataclass(frozen=True)
class Line:
    number: int
    data: bytes  # the line (without its end) or, when too long, its first bytes
    too_long: bool = False


def iter_lines(stream: IO[bytes], limit: int) -> Iterator[Line]:
    """Yield each line of a binary stream; a line longer than `limit` bytes is skipped to its end."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            _skip_rest(stream)
            yield Line(number, raw[:2000], too_long=True)
            continue
        yield Line(number, raw.rstrip(b"\r\n"))


def _skip_rest(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return
