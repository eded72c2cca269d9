"""Input formats. Each module parses one format into canonical items (DESIGN §4) and never touches the DB.

The entry points for ingest and the CLI:

- `parse_path(path, *, context, format="auto")`: every `Record` of a file, folder or zip archive;
- `iter_inputs(paths, *, format="auto")`: the input files under paths, each with its format;
- `detect_format(path)`: the format of one file from its content;
- `parser_for(format, context)`: the parser of one format, for a stream the caller already has;
- `load_mapping(path)`: a generic CSV/JSONL mapping file, for `SourceContext.mapping`.

All of them raise `SourceError` (`UnreadableInput`, `MappingError`) only for a whole input that cannot be
used; single bad records are rejects.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from peyvand.sources.base import (
    MappingError,
    Parser,
    Record,
    SourceContext,
    SourceError,
    UnreadableInput,
)
from peyvand.sources.detect import FORMATS, detect_format
from peyvand.sources.inputs import InputFile, iter_inputs
from peyvand.sources.mapping import load_mapping

__all__ = [
    "FORMATS",
    "InputFile",
    "MappingError",
    "Record",
    "SourceContext",
    "SourceError",
    "UnreadableInput",
    "detect_format",
    "iter_inputs",
    "load_mapping",
    "parse_path",
    "parser_for",
]

_PARSERS = {
    "telegram": "telegram:parse",
    "instagram": "instagram:parse",
    "x": "x_archive:parse",
    "rss": "feeds:parse",
    "ga4": "ga4:parse",
    "matomo": "matomo:parse",
    "store-visits": "store_visits:parse",
    "ads": "ads:parse",
    "csv": "mapped:parse_csv",
}
_OWNER_FILES = (("x", "account.js", "x_archive"), ("instagram", "personal_information.json", "instagram"))


def parser_for(format: str, context: SourceContext) -> Parser:
    """The parser of one format (JSONL with a mapping in the context is the mapped JSONL reader)."""
    if format == "jsonl":
        target = (
            "mapped:parse_jsonl"
            if context.mapping.get("fields") or context.mapping.get("metrics")
            else "jsonl:parse"
        )
    elif format in _PARSERS:
        target = _PARSERS[format]
    else:
        raise UnreadableInput(f"unknown format {format!r} (one of {', '.join(FORMATS)})")
    module, name = target.split(":")
    parser: Parser = getattr(importlib.import_module(f"peyvand.sources.{module}"), name)
    return parser


def _with_owner(files: list[InputFile], context: SourceContext) -> SourceContext:
    """The context with the export's owner, read from X's account.js or Instagram's personal information."""
    if context.export_owner:
        return context
    for fmt, filename, module in _OWNER_FILES:
        for file in files:
            if file.format == fmt and file.name.replace("\\", "/").endswith(filename):
                with file.open() as stream:
                    owner = importlib.import_module(f"peyvand.sources.{module}").owner_of(stream)
                if owner:
                    return replace(context, export_owner=owner)
    return context


def parse_path(path: str | Path, *, context: SourceContext, format: str = "auto") -> Iterator[Record]:
    """Every record of the file, folder or zip archive at `path`, each tagged with its input file.

    Raises `UnreadableInput` before yielding anything when the path is missing, of unknown format, or a
    corrupt or unsafe archive. Inside a folder or archive, a member that turns out unreadable becomes one
    reject for that member and the others are still read.
    """
    files = list(iter_inputs([path], format=format))
    context = _with_owner(files, context)
    for file in files:
        yield from _parse_file(file, context)


def _parse_file(file: InputFile, context: SourceContext) -> Iterator[Record]:
    parser = parser_for(file.format, context)
    try:
        with file.open() as stream:
            for record in parser(stream, context=context, name=file.name):
                yield replace(record, input=file.name)
    except SourceError as exc:
        if not file.in_container:
            raise
        yield Record(file.name, reject=f"unreadable file: {exc}", input=file.name)
