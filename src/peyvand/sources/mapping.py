"""The mapping file for generic CSV and JSONL input: which column or key is which canonical field.

A mapping is TOML (documented in docs/sources.md). `load_mapping` reads and checks one and returns the
plain dict that goes into `SourceContext.mapping`; `check_mapping` checks a dict already loaded. Every
problem is a `MappingError` naming the field. Fields outside the canonical ones (TEXT_FIELDS, author.*,
context.*, dims.*) are allowed: the canonical item keeps unknown fields.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from peyvand.sources._common import zone
from peyvand.sources.base import MappingError

TOP_KEYS = frozenset(
    {"source", "timezone", "time_format", "delimiter", "format", "fields", "constants", "metrics", "dims"}
)
TEXT_FIELDS = frozenset(
    {
        "id",
        "source",
        "kind",
        "created_at",
        "text",
        "thread_id",
        "in_reply_to",
        "url",
        "title",
        "direction",
        "media",
        "metric",
        "value",
        "at",
        "event",
    }
)
PREFIXES = ("author.", "context.", "dims.")
TIME_WORDS = frozenset({"iso", "unix", "unix_ms"})


def load_mapping(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: mapping file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: not a valid TOML mapping file ({exc})") from None
    return check_mapping(data, where=str(path))


def _check_table(data: dict[str, Any], key: str, where: str, *, fields: bool) -> None:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise MappingError(f"{where}: [{key}] must be a table")
    for name, value in table.items():
        if fields and (not name.strip() or name.startswith(".") or name.endswith(".")):
            raise MappingError(f"{where}: [{key}] {name!r} is not a field name (e.g. text, author.name)")
        if key == "constants":
            if not isinstance(value, str | int | float | bool):
                raise MappingError(f"{where}: [constants] {name!r} must be a string, number or boolean")
        elif not isinstance(value, str) or not value:
            raise MappingError(f"{where}: [{key}] {name!r} must name a column or key (a non-empty string)")


def check_mapping(data: dict[str, Any], *, where: str = "mapping") -> dict[str, Any]:
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise MappingError(f"{where}: unknown key {unknown[0]!r} (expected {', '.join(sorted(TOP_KEYS))})")
    for key, fields in (("fields", True), ("constants", True), ("metrics", False), ("dims", False)):
        _check_table(data, key, where, fields=fields)
    _check_settings(data, where)
    if not data.get("fields") and not data.get("metrics"):
        raise MappingError(f"{where}: [fields] (or [metrics]) must map at least one column")
    return data


def _check_settings(data: dict[str, Any], where: str) -> None:
    for key in ("source", "timezone", "time_format", "delimiter", "format"):
        if key in data and (not isinstance(data[key], str) or not data[key]):
            raise MappingError(f"{where}: {key} must be a non-empty string")
    if "timezone" in data:
        try:
            zone(data["timezone"])
        except ValueError as exc:
            raise MappingError(f"{where}: timezone: {exc}") from None
    if data.get("format") not in (None, "csv", "jsonl"):
        raise MappingError(f'{where}: format must be "csv" or "jsonl"')
    if len(data.get("delimiter", ",")) != 1:
        raise MappingError(f"{where}: delimiter must be one character")
    fmt = data.get("time_format", "iso")
    if fmt not in TIME_WORDS and "%" not in fmt:
        raise MappingError(
            f"{where}: time_format must be iso, unix, unix_ms, a strptime pattern like "
            '"%Y-%m-%d %H:%M", or "jalali:" and a pattern'
        )
