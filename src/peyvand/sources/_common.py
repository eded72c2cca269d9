"""Small helpers the source parsers share: stable ids, times, sizes."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peyvand.sources.base import SourceContext

DEFAULT_TIMEZONE = "Asia/Tehran"
RAW_CHARS = 2000
MAX_TEXT_CHARS = 100_000


def source_of(context: SourceContext, default: str) -> str:
    """The item's `source`: the workspace's name for this input, else the format's own."""
    return context.source_name or default


def stable_id(*parts: Any) -> str:
    """A short deterministic id from the parts (same parts, same id, on every re-import)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clip(text: str, limit: int = RAW_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def raw_json(value: Any) -> str:
    """A record as JSON text for a reject's `raw` (clipped)."""
    return clip(json.dumps(value, ensure_ascii=False, default=str))


def iso(moment: datetime) -> str:
    """An aware datetime as the ISO text the canonical item carries (UTC, `Z`)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def from_unix(seconds: float) -> str:
    """Seconds since the epoch as canonical UTC text; raises ValueError when out of range."""
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=float(seconds))
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"timestamp {seconds!r} is out of range") from exc
    if not 1990 <= moment.year <= 2200:
        raise ValueError(f"timestamp {seconds!r} is not a plausible date ({moment.year})")
    return iso(moment)


def timezone_name(context: SourceContext) -> str:
    """The zone for times written without one: the mapping's `timezone`, else the brand's, else Tehran."""
    zone = context.mapping.get("timezone") if isinstance(context.mapping, dict) else None
    if isinstance(zone, str) and zone:
        return zone
    if context.brand is not None:
        return context.brand.brand.timezone
    return DEFAULT_TIMEZONE


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def local_to_utc(naive: datetime, zone_name: str) -> str:
    """A wall-clock time in `zone_name` (or an aware one, kept) as canonical UTC text."""
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=zone(zone_name))
    return iso(naive)


def text_of(value: Any) -> str | None:
    """A scalar as text (numbers as written), None for missing or empty."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None
