"""The imports page's reads: every import run of the workspace with its outcome counts, each run's rejected
records (streamed, for the downloads), and the uploads still waiting for the worker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from peyvand.services.access import Actor, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry, ImportRun, Reject, User
from peyvand.storage.tables_api import IngestUpload

PAGE_SIZE = 50
REJECTS_CHUNK = 1000


@dataclass(frozen=True)
class RunInfo:
    id: int
    label: str
    format: str
    via: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    accepted: int
    duplicate: int
    rejected: int
    filtered: int
    filtered_reasons: dict[str, int]
    records_done: int
    user: str | None
    revised: int = 0

    @property
    def total(self) -> int:
        return self.accepted + self.duplicate + self.rejected + self.filtered + self.revised

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return data


@dataclass(frozen=True)
class UploadInfo:
    id: int
    filename: str
    format: str
    size: int
    status: str
    error: str | None
    import_id: int | None
    created_at: datetime


def _run(row: ImportRun, user: str | None) -> RunInfo:
    return RunInfo(
        row.id,
        row.label,
        row.format,
        row.via,
        row.status,
        row.started_at,
        row.finished_at,
        row.accepted,
        row.duplicate,
        row.rejected,
        row.filtered,
        {str(k): int(v) for k, v in dict(row.filtered_reasons or {}).items()},
        row.records_done,
        user,
        row.revised,
    )


def _runs_query(workspace_id: int) -> Any:
    return (
        select(ImportRun, User.display_name)
        .outerjoin(User, User.id == ImportRun.user_id)
        .where(ImportRun.workspace_id == workspace_id)
    )


def list_runs(
    store: Store, actor: Actor, *, page: int = 1, via: str | None = None
) -> tuple[list[RunInfo], int]:
    """One page of the workspace's import runs, newest first, and how many there are in all."""
    require(actor, "imports.read")
    query = _runs_query(actor.workspace_id)
    counted = select(func.count()).select_from(ImportRun).where(ImportRun.workspace_id == actor.workspace_id)
    if via:
        query, counted = query.where(ImportRun.via == via), counted.where(ImportRun.via == via)
    page = max(page, 1)
    with store.read() as session:
        rows = session.execute(
            query.order_by(ImportRun.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()
        return [_run(run, user) for run, user in rows], int(session.scalar(counted) or 0)


def get_run(store: Store, actor: Actor, *, run_id: int) -> RunInfo:
    require(actor, "imports.read")
    with store.read() as session:
        row = session.execute(_runs_query(actor.workspace_id).where(ImportRun.id == run_id)).first()
        if row is None:
            raise NotFound(f"no import {run_id} in this workspace")
        return _run(row[0], row[1])


def _reject_json(row: Reject, with_raw: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"line": row.line} if row.line is not None else {"path": row.locator}
    entry["reason"] = row.reason
    if with_raw:
        entry["raw"] = row.raw
    return entry


def iter_rejects(
    store: Store, actor: Actor, *, run_id: int, limit: int | None = None, with_raw: bool = True
) -> Iterator[dict[str, Any]]:
    """The run's rejected records in order, `{"line" or "path", "reason", "raw"}` (the shape of
    `peyvand ingest --rejects`), read in chunks so a run with millions of rejects streams."""
    get_run(store, actor, run_id=run_id)
    after, sent = 0, 0
    while limit is None or sent < limit:
        size = REJECTS_CHUNK if limit is None else min(REJECTS_CHUNK, limit - sent)
        with store.read() as session:
            rows = list(
                session.scalars(
                    select(Reject)
                    .where(
                        Reject.workspace_id == actor.workspace_id,
                        Reject.import_id == run_id,
                        Reject.id > after,
                    )
                    .order_by(Reject.id)
                    .limit(size)
                )
            )
        if not rows:
            return
        for row in rows:
            yield _reject_json(row, with_raw)
        after, sent = rows[-1].id, sent + len(rows)


def list_uploads(store: Store, actor: Actor, *, limit: int = 20) -> list[UploadInfo]:
    """The workspace's latest uploads through the imports page (waiting, running, done or failed)."""
    require(actor, "imports.read")
    u = IngestUpload
    columns = (u.id, u.filename, u.format, u.size, u.status, u.error, u.import_id, u.created_at)
    with store.read() as session:  # never the file's bytes
        rows = session.execute(
            select(*columns).where(u.workspace_id == actor.workspace_id).order_by(u.id.desc()).limit(limit)
        ).all()
        return [UploadInfo(*row) for row in rows]


def clear_reject_input(store: Store, actor: Actor, *, run_id: int) -> int:
    """Delete the input as it came in of every rejected record of one import (it may hold a person's
    message, and nothing links it to a person for an erasure); the line and the reason stay, so the run
    still says what went wrong. Admins only (`personal_data.manage`); audited with the count. Returns
    how many records had input to clear."""
    require(actor, "personal_data.manage")
    get_run(store, actor, run_id=run_id)
    with store.transaction() as session:
        cleared = session.execute(
            update(Reject)
            .where(
                Reject.workspace_id == actor.workspace_id, Reject.import_id == run_id, Reject.raw.is_not(None)
            )
            .values(raw=None)
        )
        count = int(cleared.rowcount or 0)  # type: ignore[attr-defined]
        session.add(
            AuditEntry(
                workspace_id=actor.workspace_id,
                user_id=actor.user_id,
                action="imports.clear_reject_input",
                target=str(run_id),
                details={"records": count},
                at=utcnow(),
            )
        )
    return count
