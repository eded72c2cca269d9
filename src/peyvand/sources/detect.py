"""Which format a file is in, from its first bytes (and its name only to break ties).

`sniff` looks at the first `HEAD_BYTES` of a file: X archive files by their `window.YTD.` prefix, feeds
by their root element, Telegram and Instagram exports by their first keys, JSONL by a first line that is a
whole JSON object, and CSV files by their header row (GA4, Matomo, store counter, ad report, else
generic CSV). `detect_format` does it for a path and raises `UnreadableInput` when the format is unknown.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import zipfile
from pathlib import Path

from peyvand.sources import ads, ga4, matomo, store_visits
from peyvand.sources.base import UnreadableInput
from peyvand.sources.x_archive import DMS, TWEETS, ytd_name

HEAD_BYTES = 64 * 1024
FORMATS = ("telegram", "instagram", "x", "rss", "ga4", "matomo", "store-visits", "ads", "csv", "jsonl")
_TABLE_PLANS = (("store-visits", store_visits.plan), ("ads", ads.plan), ("matomo", matomo.plan))
_TELEGRAM = re.compile(
    r'"(date_unixtime|from_id|text_entities|personal_information)"|"type"\s*:\s*"'
    r"(personal_chat|private_group|private_supergroup|public_supergroup|private_channel|"
    r'public_channel|bot_chat|saved_messages)"'
)
_INSTAGRAM = re.compile(
    r'"(sender_name|participants|timestamp_ms|profile_user|comments_reels_comments|'
    r'comments_media_comments)"|"string_map_data"[^]]*"(Comment|Media Owner)"',
    re.S,
)
_GA4_BLOCK = re.compile(r"^#\s*(Account|Property|Start date|End date)\s*:", re.M | re.I)
_TABLE_NAMES = (".csv", ".tsv")


def _text(head: bytes) -> str:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head[: len(head) // 2 * 2].decode(codec, "replace")
    return head.decode("utf-8", "replace").lstrip("\ufeff")


def sniff(name: str, head: bytes, *, strict: bool = False) -> str | None:
    """The format of a file from its first bytes, or None. `strict` (inside folders and archives) keeps
    JSONL and generic CSV to files named so, since exports hold many other JSON and text files."""
    if head.startswith(b"PK\x03\x04") or b"\x00\x00\x00" in head[:64]:
        return None
    text = _text(head).lstrip()
    lower = name.lower()
    if text.startswith("window.YTD."):
        kind = ytd_name(text.encode("utf-8", "replace"))
        return "x" if kind in TWEETS | DMS | {"account"} else None
    if text.startswith("<"):
        return "rss" if re.search(r"<(rss|feed|rdf:RDF)[\s>]", text[:4096]) else None
    if text.startswith(("{", "[")):
        return _sniff_json(text, lower, strict)
    return _sniff_table(text, lower, strict)


def _sniff_json(text: str, lower: str, strict: bool) -> str | None:
    if _TELEGRAM.search(text) and '"messages"' in text or '"chats"' in text and '"list"' in text:
        return "telegram"
    if _INSTAGRAM.search(text):
        return "instagram"
    first = text.split("\n", 1)[0]
    try:
        complete = isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        complete = False
    if complete and (not strict or lower.endswith((".jsonl", ".ndjson"))):
        return "jsonl"
    return None


def _sniff_table(text: str, lower: str, strict: bool) -> str | None:
    if _GA4_BLOCK.search(text[:4096]):
        return "ga4"
    lines = [line for line in text.splitlines()[:8] if line.strip() and not line.lstrip().startswith("#")]
    if not lines or "\x00" in text[:1024]:
        return None
    try:
        delimiter = csv.Sniffer().sniff(lines[0], delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    for line in lines[:4]:
        cells = next(csv.reader([line], delimiter=delimiter), [])
        for fmt, plan in _TABLE_PLANS:
            if plan(cells) is not None:
                return fmt
        found = ga4.plan(cells)
        if found is not None and any(c.role == "date" for c in found.columns) and found.of("metric"):
            return "ga4"
    if strict and not lower.endswith(_TABLE_NAMES):
        return None
    return "csv" if len(lines[0]) < 10_000 else None


def detect_format(path: str | Path) -> str:
    """The format of the file at `path` ("zip" for a zip archive, "folder" for a directory)."""
    path = Path(path)
    if path.is_dir():
        return "folder"
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if head.startswith(b"PK\x03\x04") or (head.startswith(b"PK") and zipfile.is_zipfile(path)):
        return "zip"
    found = sniff(path.name, head)
    if found is None:
        raise UnreadableInput(f"{path}: {_hint(head)}")
    return found


def _hint(head: bytes) -> str:
    text = _text(head)
    if "Exported Data" in text and "<html" in text.lower():
        return "this is Telegram's HTML export; export again choosing the machine-readable JSON format"
    if not text.strip():
        return "the file is empty"
    return "not a format Peyvand can tell (give --format: " + ", ".join(FORMATS) + ")"
