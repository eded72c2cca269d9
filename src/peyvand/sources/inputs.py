"""What to read: files, folders and zip archives of exports, each file with its format.

`iter_inputs` expands the paths a user gives into `InputFile`s (format, name, open): a file is sniffed
(or takes the forced format), a folder is walked (links not followed), a zip archive is read in place,
member by member, never extracted. Inside folders and archives only files Peyvand reads are yielded
(media, HTML and unrelated JSON are skipped). Archives are refused whole, with `UnreadableInput`, when
corrupt, encrypted, holding unsafe member paths (absolute, `..`), too many members, or members whose
declared size or compression ratio is past the limits (zip bombs); the reader never gets more bytes
than a member declares.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, NamedTuple, cast

from peyvand.sources.base import UnreadableInput
from peyvand.sources.detect import FORMATS, HEAD_BYTES, detect_format, sniff

MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 16 * 1024**3
MAX_TOTAL_BYTES = 64 * 1024**3
MAX_RATIO = 200
READ_SUFFIXES = frozenset(
    {".json", ".js", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt", ".xml", ".rss", ".atom", ""}
)
TABLE_FORMATS = frozenset({"ga4", "matomo", "store-visits", "ads", "csv"})


_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


class InputFile(NamedTuple):
    format: str
    name: str
    open: Callable[[], IO[bytes]]
    in_container: bool = False


def iter_inputs(paths: Iterable[str | Path], *, format: str = "auto") -> Iterator[InputFile]:
    """Every input file under `paths`, with its format; raises `UnreadableInput` for a path that is
    missing, of unknown format, or a corrupt or unsafe archive."""
    if format != "auto" and format not in FORMATS:
        raise UnreadableInput(f"unknown format {format!r} (one of auto, {', '.join(FORMATS)})")
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UnreadableInput(f"{path}: no such file or folder")
        if path.is_dir():
            yield from _folder(path, format)
        elif not path.is_file():
            raise UnreadableInput(f"{path}: not a regular file")
        elif detect_format(path) == "zip":
            yield from _archive(path, format, given=True)
        else:
            chosen = detect_format(path) if format == "auto" else format
            yield InputFile(chosen, str(path), _file_opener(path))


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _keep(sniffed: str | None, forced: str) -> str | None:
    if sniffed is None or forced == "auto":
        return sniffed
    if sniffed == forced or (forced == "csv" and sniffed in TABLE_FORMATS):
        return forced
    return None


def _folder(root: Path, forced: str) -> Iterator[InputFile]:
    count = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__MACOSX")))
        for name in sorted(files):
            path = Path(folder) / name
            count += 1
            if count > MAX_MEMBERS:
                raise UnreadableInput(f"{root}: more than {MAX_MEMBERS} files")
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            if name.lower().endswith(".zip"):
                yield from _archive(path, forced)
                continue
            if path.suffix.lower() not in READ_SUFFIXES:
                continue
            with path.open("rb") as handle:
                chosen = _keep(sniff(name, handle.read(HEAD_BYTES), strict=True), forced)
            if chosen is not None:
                yield InputFile(chosen, str(path), _file_opener(path), True)


def _check_member(archive: Path, info: zipfile.ZipInfo, total: int) -> int:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise UnreadableInput(f"{archive}: refused, member {name[:200]!r} has an unsafe path")
    if info.flag_bits & 0x1:
        raise UnreadableInput(f"{archive}: refused, member {name[:200]!r} is encrypted")
    if info.file_size > MAX_MEMBER_BYTES:
        raise UnreadableInput(f"{archive}: refused, member {name[:200]!r} is larger than the limit")
    if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnreadableInput(
            f"{archive}: refused, member {name[:200]!r} expands more than {MAX_RATIO}× (a zip bomb?)"
        )
    total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise UnreadableInput(f"{archive}: refused, its contents are larger than the limit")
    return total


def _members(archive: Path) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableInput(f"{archive}: not a readable zip archive ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise UnreadableInput(f"{archive}: refused, more than {MAX_MEMBERS} members")
    total = 0
    for info in infos:
        total = _check_member(archive, info, total)
    return [i for i in infos if not i.is_dir()]


def _archive(archive: Path, forced: str, *, given: bool = False) -> Iterator[InputFile]:
    """The readable members of a zip archive. An archive named on its own (not found in a folder) that
    holds nothing readable is refused, with a hint for office files (a workbook is a zip archive too)."""
    members = _members(archive)
    found = 0
    for info in members:
        base = PurePosixPath(info.filename).name
        if base.startswith(".") or "__MACOSX" in info.filename:
            continue
        if PurePosixPath(base).suffix.lower() not in READ_SUFFIXES:
            continue
        opener = _member_opener(archive, info)
        with opener() as handle:
            head = handle.read(HEAD_BYTES)
        chosen = _keep(sniff(base, head, strict=True), forced)
        if chosen is not None:
            found += 1
            yield InputFile(chosen, f"{archive}!{info.filename}", opener, True)
    if given and not found:
        raise UnreadableInput(f"{archive}: {_empty_archive_hint({i.filename for i in members})}")


def _empty_archive_hint(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "an Excel workbook; Peyvand reads CSV: save the sheet as «CSV UTF-8» and import that file"
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file; Peyvand reads CSV: save the sheet as CSV (UTF-8) and import that file"
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        return "an Office document, not an export Peyvand can read"
    return (
        "a zip archive with no file Peyvand can read "
        "(CSV, JSON or JSONL, RSS or Atom feeds, platform exports)"
    )


class _Member:
    """A zip member's stream that closes its archive with it."""

    def __init__(self, archive: zipfile.ZipFile, stream: IO[bytes]) -> None:
        self._archive, self._stream = archive, stream

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except _CORRUPT as exc:
            raise UnreadableInput(f"corrupt archive member ({exc})") from None

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._stream.readline(size)
        except _CORRUPT as exc:
            raise UnreadableInput(f"corrupt archive member ({exc})") from None

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()
        self._archive.close()

    def __enter__(self) -> _Member:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


def _member_opener(archive: Path, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        try:
            zf = zipfile.ZipFile(archive)
            return cast(IO[bytes], _Member(zf, zf.open(info)))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise UnreadableInput(f"{archive}!{info.filename}: cannot be read ({exc})") from None

    return open_member
