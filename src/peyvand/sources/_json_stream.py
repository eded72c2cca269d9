"""Streaming JSON in constant memory: one record object at a time out of a document of any size.

`walk` reads a JSON document with ijson (its C backend when installed) and reports, in document order,
the scalar values at "meta" paths (a chat's name and id), the opening of "container" paths (a new chat,
the messages array) and each complete value at "record" paths (one message), built alone by ijson's
object builder and then forgotten. Numbers come as `int` or, with a fraction or exponent, as
`decimal.Decimal`, so no number is ever out of range. A record nested deeper than `MAX_DEPTH` or holding
more than `MAX_RECORD_EVENTS` values is reported as too large and never built; nesting outside records
costs linear time (positions are only spelled out near the top). Malformed JSON ends the walk with an
`error` event after everything read before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson
from ijson import utils as ijson_utils

MAX_DEPTH = 32
MAX_RECORD_EVENTS = 200_000
_DEPTH = {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
MAX_PATH_DEPTH = 12
_SCALAR = frozenset({"string", "number", "boolean", "null"})
_NOT_A_START = frozenset({"map_key", "end_map", "end_array"})
_BACKEND = ijson.get_backend(ijson.backend)


@dataclass(frozen=True)
class Paths:
    records: frozenset[str]
    meta: frozenset[str] = frozenset()
    containers: frozenset[str] = frozenset()


@dataclass
class Event:
    kind: str  # "record", "too_large", "meta", "open", "error"
    path: str
    value: Any = None


class SkipPrefix:
    """A binary reader that drops everything before the first `[` or `{` (X's `window.YTD.… =` prefix,
    a UTF-8 byte order mark), so the JSON parser sees plain JSON."""

    def __init__(self, stream: IO[bytes], *, limit: int = 4096) -> None:
        self._stream = stream
        head = stream.read(limit)
        starts = [i for i in (head.find(b"["), head.find(b"{")) if i >= 0]
        cut = min(starts) if starts else 0
        self.prefix = head[:cut]
        self._head = head[cut:]

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                out, self._head = self._head + self._stream.read(), b""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._stream.read(size)


def _builder(path: str) -> tuple[Any, list[Any]]:
    sink = ijson_utils.sendable_list()
    return _BACKEND.items_basecoro(sink, path).send, sink


def _too_large(path: str) -> Event:
    return Event(
        "too_large", path, f"nested deeper than {MAX_DEPTH} levels or larger than {MAX_RECORD_EVENTS} values"
    )


def _step(path: list[str], event: str, value: Any) -> str | None:
    """Track the position like ijson's prefixes, joined only near the top (deep nesting stays linear)."""
    if event == "map_key":
        path[-1] = value
        return None
    if event in _CLOSE:
        path.pop()
        return ".".join(path) if len(path) <= MAX_PATH_DEPTH else None
    prefix = ".".join(path) if len(path) <= MAX_PATH_DEPTH else None
    if event == "start_map":
        path.append("")
    elif event == "start_array":
        path.append("item")
    return prefix


def walk(stream: IO[bytes] | SkipPrefix, paths: Paths) -> Iterator[Event]:
    """The events of `paths` in a JSON document (see the module's doc)."""
    try:
        yield from _walk(stream, paths)
    except ijson.JSONError as exc:
        yield Event("error", "", _reason(exc))
    except (UnicodeDecodeError, ValueError, OverflowError) as exc:
        yield Event("error", "", f"{type(exc).__name__}: {exc}")


def _walk(stream: IO[bytes] | SkipPrefix, paths: Paths) -> Iterator[Event]:
    records, depth_of = paths.records, _DEPTH.get
    builders: dict[str, tuple[Any, list[Any]]] = {}
    position: list[str] = []
    sink: list[Any] = []
    current, send, depth, count, overflow = "", None, 0, 0, False
    for event, value in ijson.basic_parse(stream):
        if send is None:
            prefix = _step(position, event, value)
            if prefix not in records or event in _NOT_A_START:
                found = _outside(prefix, event, value, paths)
                if found is not None:
                    yield found
                continue
            assert prefix is not None
            if event in _OPEN:
                position.pop()  # inside a record only the depth is tracked
            send, sink = builders.get(prefix) or builders.setdefault(prefix, _builder(prefix))
            current, depth, count, overflow = prefix, 0, 0, False
        depth += depth_of(event, 0)
        count += 1
        if not overflow:
            if depth > MAX_DEPTH or count > MAX_RECORD_EVENTS:
                overflow = True
                builders.pop(current, None)  # dropped with its half-built record
            else:
                send((current, event, value))
        if depth == 0:
            yield _too_large(current) if overflow else Event("record", current, sink.pop() if sink else None)
            send = None


def _outside(path: str | None, event: str, value: Any, paths: Paths) -> Event | None:
    if path is None:
        return None
    if event in _SCALAR and path in paths.meta:
        return Event("meta", path, value)
    if event in _OPEN and path in paths.containers:
        return Event("open", path)
    return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"not valid JSON: {text[:300]}"
