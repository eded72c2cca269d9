"""Generic CSV and JSONL with a mapping file (see `mapping.py` and docs/sources.md).

Each CSV row or JSONL line is one record, read through the mapping's `[fields]` (canonical field =
column or dotted key), `[constants]` and, for wide metric tables, `[metrics]` and `[dims]` (one record
per metric cell). Times are read with `time_format` in `timezone`. An item without a mapped id gets a
deterministic one built from its content, so re-imports dedupe. A CSV without a mapping is read when
its header names canonical fields (`id`, `kind`, `created_at`, `text`, `author.name`, `metric`, `value`,
`at`, `dims.store`…); otherwise it needs one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, Any

import jdatetime

from peyvand.sources._common import from_unix, local_to_utc, source_of, stable_id, timezone_name
from peyvand.sources._lines import iter_lines
from peyvand.sources._table import iter_rows
from peyvand.sources._values import parse_datetime, parse_number
from peyvand.sources.base import MappingError, Record, SourceContext
from peyvand.sources.jsonl import MAX_LINE_BYTES, decode_json_line
from peyvand.sources.mapping import PREFIXES, TEXT_FIELDS, check_mapping

Getter = Callable[[str], Any]
_TRUE = frozenset({"true", "yes", "1", "y", "بله"})
_GROUPS = frozenset({"author", "context", "dims"})


def parse_csv(stream: IO[bytes], *, context: SourceContext, name: str = "items.csv") -> Iterator[Record]:
    mapping = context.mapping or {}
    rows = iter_rows(stream, comments=False, delimiter=mapping.get("delimiter"))
    header: list[str] | None = None
    for row in rows:
        if row.kind == "bad":
            yield Record(f"line {row.line}", row.line, reject=row.problem or "unreadable row", raw=row.text)
            continue
        if row.kind == "blank":
            continue
        if header is None:
            header = [c.strip().lstrip("\ufeff") for c in row.cells]
            mapping = mapping if _has_fields(mapping) else _identity(header, name)
            continue
        extra = row.cells[len(header) :]
        if any(c.strip() for c in extra):
            reason = (
                f"{len(row.cells)} cells, the header has {len(header)} "
                "(an unquoted comma or delimiter in a cell?)"
            )
            yield Record(f"line {row.line}", row.line, reject=reason, raw=row.text[:2000])
            continue
        values: dict[str, Any] = dict(zip(header, row.cells, strict=False))
        yield from _records(values.get, mapping, context, "csv", row.line, row.text)


def parse_jsonl(stream: IO[bytes], *, context: SourceContext, name: str = "items.jsonl") -> Iterator[Record]:
    mapping = check_mapping(context.mapping, where="mapping")
    for line in iter_lines(stream, MAX_LINE_BYTES):
        where = f"line {line.number}"
        if line.too_long:
            yield Record(
                where,
                line.number,
                reject=f"line longer than {MAX_LINE_BYTES} bytes",
                raw=line.data.decode("utf-8", "replace"),
            )
            continue
        if not line.data.strip():
            continue
        obj, problem, text = decode_json_line(line.data)
        if problem is None and not isinstance(obj, dict):
            problem = f"expected a JSON object, got {type(obj).__name__}"
        if problem is not None:
            yield Record(where, line.number, reject=problem, raw=text)
            continue
        yield from _records(_getter(obj), mapping, context, "jsonl", line.number, text)


def _has_fields(mapping: dict[str, Any]) -> bool:
    return bool(mapping.get("fields") or mapping.get("metrics"))


def _identity(header: list[str], name: str) -> dict[str, Any]:
    fields = {h: h for h in header if h}
    if not any(h in TEXT_FIELDS or h.startswith(PREFIXES) for h in fields) or not {"kind", "metric"} & set(
        fields
    ):
        raise MappingError(
            f"{name}: a CSV of unknown layout needs a mapping file saying which column is the text, "
            "the time, the author… (`--mapping` on the command line, the mapping file field on the "
            "imports page); or name its columns after the canonical fields (kind, created_at, text, "
            "author.name, …), which is also what the API reads"
        )
    return {"fields": fields}


def _getter(obj: dict[str, Any]) -> Getter:
    return lambda path: lookup(obj, path)


def lookup(obj: Any, path: str) -> Any:
    """A dotted key path in a JSON object ("user.name"); the whole key is tried first."""
    if isinstance(obj, dict) and path in obj:
        return obj[path]
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _records(
    get: Getter, mapping: dict[str, Any], context: SourceContext, default: str, line: int, raw: str
) -> Iterator[Record]:
    where = f"line {line}"
    try:
        items = build_items(get, mapping, context, default)
    except ValueError as exc:
        yield Record(where, line, reject=str(exc), raw=raw[:2000])
        return
    for label, item in items:
        where = f"line {line}, {label}" if label else f"line {line}"
        if item is None:
            yield Record(where, line, filtered="no value in this cell", raw=raw[:2000])
        else:
            yield Record(where, line, item=item, raw=raw[:2000])


def _set(item: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if not rest or head not in _GROUPS:
        item[path] = value
        return
    group = item.setdefault(head, {})
    if not isinstance(group, dict):
        raise ValueError(f"{head} is mapped both as one value and as {head}.* fields")
    group[rest] = value


def _groups(item: dict[str, Any]) -> None:
    """`author` mapped to one column is the author's name; `context` and `dims` must be groups."""
    if isinstance(item.get("author"), str):
        item["author"] = {"name": item["author"]}
    for head in _GROUPS:
        if head in item and not isinstance(item[head], dict):
            raise ValueError(f"{head} must be a group of fields ({head}.name, …), not one value")


def build_items(
    get: Getter, mapping: dict[str, Any], context: SourceContext, default: str
) -> list[tuple[str, dict[str, Any] | None]]:
    """The canonical items one input record maps to, each with its label: one (label "") for a plain
    mapping, one per metric column for a wide one (None where the cell is empty)."""
    item: dict[str, Any] = {}
    for path, value in mapping.get("constants", {}).items():
        _set(item, path, value)
    for path, column in mapping.get("fields", {}).items():
        value = get(column)
        if value is not None and value != "":
            _set(item, path, value.strip() if isinstance(value, str) else value)
    for dim, column in mapping.get("dims", {}).items():
        value = get(column)
        if value not in (None, ""):
            item.setdefault("dims", {})[dim] = value
    item.setdefault("source", mapping.get("source") or source_of(context, default))
    _groups(item)
    _convert(item, mapping, context)
    if mapping.get("metrics"):
        return _wide(item, get, mapping)
    item.setdefault("kind", "metric" if "metric" in item else None)
    if item["kind"] is None:
        raise ValueError("no kind: map a column to kind or set kind in [constants]")
    item.setdefault("id", _default_id(item))
    return [("", item)]


def _convert(item: dict[str, Any], mapping: dict[str, Any], context: SourceContext) -> None:
    for key in ("created_at", "at"):
        if key in item:
            item[key] = parse_time(item[key], mapping.get("time_format", "iso"), timezone_name(context))
    if isinstance(item.get("value"), str):
        item["value"] = parse_number(item["value"])
    author, ctx = item.get("author", {}), item.get("context", {})
    if isinstance(author.get("followers"), str):
        number = parse_number(author["followers"])
        author["followers"] = None if number is None else int(number)
    if isinstance(ctx.get("sponsored"), str):
        ctx["sponsored"] = ctx["sponsored"].strip().lower() in _TRUE
    for key in ("id", "thread_id", "in_reply_to"):
        if isinstance(item.get(key), int | float) and not isinstance(item.get(key), bool):
            item[key] = str(int(item[key]))


def _wide(
    base: dict[str, Any], get: Getter, mapping: dict[str, Any]
) -> list[tuple[str, dict[str, Any] | None]]:
    at = base.get("at") or base.get("created_at")
    if at is None:
        raise ValueError("no time: map a column to at for the metric columns")
    items: list[tuple[str, dict[str, Any] | None]] = []
    for metric, column in mapping["metrics"].items():
        raw = get(column)
        value = parse_number(str(raw)) if raw not in (None, "") else None
        if value is None:
            items.append((metric, None))
            continue
        item = {k: v for k, v in base.items() if k not in {"created_at", "id", "text"}}
        item.update(kind="metric", metric=metric, at=at, value=value)
        item.setdefault("dims", {})
        item["id"] = _default_id(item)
        items.append((metric, item))
    return items


def _default_id(item: dict[str, Any]) -> str:
    if item.get("kind") == "metric":
        dims = item.get("dims") or {}
        return f"{item.get('metric')}:{item.get('at')}" + (f":{stable_id(dims)[:12]}" if dims else "")
    keys = ("kind", "event", "created_at", "at", "text", "author", "thread_id", "dims")
    return stable_id(*(item.get(k) for k in keys))


def parse_time(value: Any, fmt: str, zone_name: str) -> str:
    """A time cell as canonical UTC text, read with the mapping's `time_format`."""
    try:
        if fmt in {"unix", "unix_ms"}:
            seconds = parse_number(str(value))
            if seconds is None:
                raise ValueError("empty")
            return from_unix(seconds / 1000 if fmt == "unix_ms" else seconds)
        text = str(value).strip()
        if fmt.startswith("jalali:"):
            moment = jdatetime.datetime.strptime(text, fmt[len("jalali:") :]).togregorian()
        elif fmt == "iso":
            moment = _iso(text)
        else:
            moment = datetime.strptime(text, fmt)
        return local_to_utc(moment, zone_name)
    except (ValueError, OverflowError, TypeError) as exc:
        raise ValueError(f"time {str(value)[:40]!r} does not match the time format {fmt!r}") from exc


def _iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return parse_datetime(text)[0]
