"""Files sent over HTTP: the imports page's upload form (ingested by the worker) and the API's raw exports.

Both go through the file path of ingest: the bytes are written to a private temporary folder under their
own file name, read with `sources.parse_path` (format detected from the content, zip archives walked),
and ingested in batches as an import run whose fingerprint is the content's SHA-256, so a job that
crashed half-way resumes after its last committed batch when it is retried.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from itertools import chain
from pathlib import Path

from sqlalchemy import select

from peyvand.jobs.queue import enqueue
from peyvand.services.access import OPERATOR, Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.ingest import IngestSummary, ingest_records
from peyvand.services.workspaces import load_brand
from peyvand.sources import FORMATS, SourceContext, SourceError, detect_format, parse_path
from peyvand.sources.base import Record
from peyvand.sources.mapping import check_mapping
from peyvand.storage.db import Store
from peyvand.storage.tables_api import IngestUpload

UPLOAD_JOB = "ingest.upload"
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_filename(name: str | None) -> str:
    """A file name without folders or odd characters (never empty)."""
    base = Path((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip("._")[:200]
    return cleaned or "upload"


def parse_mapping_text(text: str | None) -> dict[str, object]:
    """A mapping file's text (TOML) checked, or {} when none; `InvalidInput` names what is wrong."""
    if not text or not text.strip():
        return {}
    try:
        return check_mapping(tomllib.loads(text), where="mapping file")
    except (tomllib.TOMLDecodeError, SourceError) as exc:
        raise InvalidInput(f"mapping file: {exc}") from None


def _check_format(fmt: str) -> str:
    if fmt != "auto" and fmt not in FORMATS:
        raise InvalidInput(f"format must be auto or one of {', '.join(FORMATS)}")
    return fmt


def ingest_bytes(
    store: Store,
    actor: Actor,
    *,
    content: bytes,
    filename: str,
    format: str = "auto",
    mapping: dict[str, object] | None = None,
    via: str = "web",
    enrich: bool = True,
) -> IngestSummary:
    """Ingest one file's bytes. Raises `SourceError` (without any server path in its message) when the
    whole file cannot be read; single bad records are rejects of the run."""
    require(actor, "ingest.write")
    fmt, name = _check_format(format), safe_filename(filename)
    context = SourceContext(brand=load_brand(store, workspace_id=actor.workspace_id), mapping=mapping or {})
    with tempfile.TemporaryDirectory(prefix="peyvand-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            detected = detect_format(path) if fmt == "auto" else fmt
            records = parse_path(path, context=context, format=fmt)
            first = next(records, None)  # an unreadable input fails here, before any run is opened
        except SourceError as exc:
            raise type(exc)(str(exc).replace(f"{folder}/", "")) from None
        key = f"{hashlib.sha256(content).hexdigest()}|{fmt}|{actor.workspace_id}|{via}"
        return ingest_records(
            store,
            actor,
            _named_as_uploaded(chain([first], records) if first is not None else iter(()), folder),
            label=name,
            format=detected,
            via=via,
            fingerprint=hashlib.sha256(key.encode()).hexdigest(),
            enrich=enrich,
        )


def _named_as_uploaded(records: Iterator[Record], folder: str) -> Iterator[Record]:
    """Records name their input as the uploader named it, not by the server's temporary path."""
    prefix = f"{folder}/"
    for record in records:
        if record.input is not None and record.input.startswith(prefix):
            record = replace(record, input=record.input[len(prefix) :])
        yield record


def save_upload(
    store: Store,
    actor: Actor,
    *,
    filename: str,
    content: bytes,
    format: str = "auto",
    mapping_text: str | None = None,
) -> int:
    """Keep an uploaded file and queue its ingest job; returns the upload's id."""
    require(actor, "ingest.write")
    _check_format(format)
    if not content:
        raise InvalidInput("the file is empty")
    parse_mapping_text(mapping_text)
    with store.transaction() as session:
        row = IngestUpload(
            workspace_id=actor.workspace_id,
            filename=safe_filename(filename),
            format=format,
            size=len(content),
            content=content,
            mapping=mapping_text or None,
            status="queued",
            user_id=actor.user_id,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        enqueue(session, UPLOAD_JOB, {"upload_id": row.id}, workspace_id=actor.workspace_id)
        return row.id


def _finish(store: Store, upload_id: int, *, import_id: int | None, error: str | None) -> None:
    with store.transaction() as session:
        row = session.get(IngestUpload, upload_id)
        assert row is not None
        row.status = "failed" if error else "done"
        row.error, row.import_id, row.finished_at = error, import_id, utcnow()
        row.content = None  # the records are in the store (or the file was unusable): drop the bytes


def run_upload(store: Store, *, upload_id: int) -> None:
    """The upload job: ingest the kept file as the person who sent it; a whole-file problem is kept as
    the upload's error for the imports page."""
    with store.transaction() as session:
        row = session.scalar(select(IngestUpload).where(IngestUpload.id == upload_id))
        if row is None or row.status in ("done", "failed") or row.content is None:
            return
        row.status = "running"
        actor = Actor(workspace_id=row.workspace_id, role=OPERATOR, user_id=row.user_id)
        args = (bytes(row.content), row.filename, row.format, row.mapping)
    content, filename, fmt, mapping_text = args
    try:
        summary = ingest_bytes(
            store,
            actor,
            content=content,
            filename=filename,
            format=fmt,
            mapping=parse_mapping_text(mapping_text),
            via="web",
        )
    except (SourceError, InvalidInput) as exc:
        _finish(store, upload_id, import_id=None, error=str(exc))
        return
    _finish(store, upload_id, import_id=summary.import_id, error=None)
