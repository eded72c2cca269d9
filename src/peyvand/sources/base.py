"""What every source parser yields: one `Record` per input record, each with exactly one outcome.

A parser turns raw input into canonical item objects (plain dicts in the DESIGN §4 shape). A record it
cannot read becomes a reject with a reason; a record that is readable but not feedback (a service message,
a news entry that does not mention the brand) becomes `filtered` with a reason. Nothing is dropped
silently: ingest counts every record it is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from peyvand.domain.brand import BrandProfile


@dataclass(frozen=True)
class Record:
    """One input record and what the parser made of it.

    `locator` says where the record is in the input, for people ("line 12", "result.json: message 5031").
    `line` is the 1-based line number when the input is line-oriented. Exactly one of `item`, `reject`
    and `filtered` is set. `input` names the file the record came from when `parse_path` read it (a member
    of a folder or zip archive is named `archive.zip!path/in/archive`).
    """

    locator: str
    line: int | None = None
    item: dict[str, Any] | None = None
    reject: str | None = None
    filtered: str | None = None
    raw: str | None = None
    input: str | None = None

    def __post_init__(self) -> None:
        outcomes = [self.item is not None, self.reject is not None, self.filtered is not None]
        if sum(outcomes) != 1:
            raise ValueError("a Record has exactly one of item, reject, filtered")


@dataclass(frozen=True)
class SourceContext:
    """What a parser may need to know about the workspace (all optional).

    `export_owner` describes the account that made a platform export when the export says so elsewhere
    than in the file being parsed (X's `data/account.js`, Instagram's `personal_information.json`):
    keys `id`, `handle` (lower-case, no @) and `name`. `parse_path` fills it from the archive.
    """

    brand: BrandProfile | None = None
    source_name: str | None = None
    mapping: dict[str, Any] = field(default_factory=dict)
    export_owner: dict[str, str] = field(default_factory=dict)


class SourceError(ValueError):
    """A whole input that cannot be used; the CLI reports it and exits non-zero."""


class UnreadableInput(SourceError):
    """The input is not a file Peyvand can read: missing, not a supported format, a corrupt or unsafe
    archive. Single bad records inside a readable input are rejects, never this."""


class MappingError(SourceError):
    """A mapping file (generic CSV and JSONL) that cannot be used; the message names the field."""


class Parser(Protocol):
    def __call__(self, stream: IO[bytes], *, context: SourceContext, name: str) -> Iterator[Record]: ...
