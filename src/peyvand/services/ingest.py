"""Ingest: records in, every one with a recorded outcome (accepted, duplicate, rejected, filtered).

Records are committed in batches; each batch's items, rejects, rollups and the run's progress commit in
one transaction, so a crash loses nothing that was acknowledged, and a re-run of the same input (same
fingerprint) resumes after the last committed batch. Items are unique on (workspace, source, id), so any
re-run adds nothing twice.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.domain.items import ItemError
from peyvand.services import ingest_batch as batch_writer
from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.enrichment import prepare_pending
from peyvand.services.ingest_hooks import BatchWritten, after_batch
from peyvand.services.ingest_rows import PreparedItem, prepare_many
from peyvand.services.understanding import WorkspaceUnderstanding, understanding_for
from peyvand.sources.base import Record
from peyvand.storage.db import Store
from peyvand.storage.dialect import storable
from peyvand.storage.tables import ImportRun, Reject

MAX_REJECTS_REPORTED = 10_000


@dataclass
class IngestSummary:
    import_id: int
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    filtered: int = 0
    filtered_reasons: Counter[str] = field(default_factory=Counter)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    resumed_after: int = 0
    revised: int = 0  # a stored metric value replaced by a corrected one (not counted as a duplicate)

    @property
    def total(self) -> int:
        return self.accepted + self.duplicate + self.rejected + self.filtered + self.revised

    def to_json(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "revised": self.revised,
            "rejected": self.rejected,
            "filtered": self.filtered,
            "filtered_reasons": dict(self.filtered_reasons),
            "rejects": self.rejects,
            "resumed_after": self.resumed_after,
        }


@dataclass
class _Outcomes:
    """What happened to the records of one batch."""

    prepared: list[PreparedItem] = field(default_factory=list)
    rejects: list[tuple[Record, str]] = field(default_factory=list)
    filtered: Counter[str] = field(default_factory=Counter)
    duplicate: int = 0
    revised: list[batch_writer.Revision] = field(default_factory=list)
    revised_in_batch: int = 0  # a metric given again further down the batch with another value

    @property
    def revised_count(self) -> int:
        return len(self.revised) + self.revised_in_batch


def _prepare_pending(
    records: list[Record], ctx: WorkspaceUnderstanding, now: Any
) -> list[PreparedItem | ItemError]:
    out: list[PreparedItem | ItemError] = []
    for record in records:
        try:
            out.append(prepare_pending(record, ctx, now))
        except ItemError as exc:
            out.append(exc)
    return out


def _classify(records: list[Record], ctx: WorkspaceUnderstanding, now: Any, enrich: bool = True) -> _Outcomes:
    out = _Outcomes()
    valid: list[Record] = []
    for record in records:
        if record.reject is not None:
            out.rejects.append((record, record.reject))
        elif record.filtered is not None:
            out.filtered[record.filtered] += 1
        else:
            item = storable(record.item)
            valid.append(record if item is record.item else replace(record, item=item))
    # the batch's text items are understood together (understand_many): same results, much faster
    results = prepare_many(valid, ctx, now) if enrich else _prepare_pending(valid, ctx, now)
    for record, result in zip(valid, results, strict=True):
        if isinstance(result, ItemError):
            out.rejects.append((record, str(result)))
        else:
            out.prepared.append(result)
    return out


def _drop_duplicates(session: Session, workspace_id: int, out: _Outcomes) -> None:
    """Keep the records not stored yet. One that is stored is a duplicate, unless it is a metric whose
    value differs from the stored one (at the same time and dimensions): a corrected re-export, which
    revises the stored value. A metric repeated within the batch with another value: the last wins."""
    stored = batch_writer.existing_keys(session, workspace_id, [p.key for p in out.prepared])
    fresh: dict[tuple[str, str], PreparedItem] = {}
    again: list[PreparedItem] = []
    for p in out.prepared:
        if p.key in stored:
            again.append(p)
        elif p.key not in fresh:
            fresh[p.key] = p
        elif p.row["kind"] == "metric" and p.row["value"] != fresh[p.key].row["value"]:
            fresh[p.key] = p  # corrected further down the same file
            out.revised_in_batch += 1
        else:
            out.duplicate += 1
    out.prepared = list(fresh.values())
    out.revised = batch_writer.revisions(
        session, workspace_id, [p for p in again if p.row["kind"] == "metric"]
    )
    out.duplicate += len(again) - len(out.revised)


def write_batch(
    store: Store, run_id: int, ctx: WorkspaceUnderstanding, records: list[Record], *, enrich: bool = True
) -> _Outcomes:
    """Write one batch of records and its outcomes to run `run_id`, in one transaction. With
    `enrich=False` text items are stored pending enrichment and the enrichment job is queued with them."""
    now = utcnow()
    out = _classify(records, ctx, now, enrich)
    ws = ctx.workspace_id
    with store.transaction() as session:
        _drop_duplicates(session, ws, out)
        author_ids = batch_writer.upsert_authors(session, ws, out.prepared, now)
        conversations = batch_writer.attach_conversations(session, ws, out.prepared, author_ids)
        for p in out.prepared:
            if p.author:
                p.row["author_id"] = author_ids[(p.row["source"], p.author["key"])]
            p.row["import_id"] = run_id
        batch_writer.insert_items(session, ws, out.prepared)
        batch_writer.add_rollups(session, store.dialect, ws, out.prepared, now)
        batch_writer.apply_revisions(session, store.dialect, ws, out.revised, now)
        batch_writer.refresh_conversations(session, conversations)
        after_batch(
            session,
            BatchWritten(
                workspace_id=ws,
                conversation_ids=conversations,
                feedback={p.row["feedback"] for p in out.prepared},
                pending_enrichment=any(p.row["enriched_at"] is None for p in out.prepared),
            ),
        )
        for record, reason in out.rejects:
            session.add(
                Reject(
                    workspace_id=ws,
                    import_id=run_id,
                    line=record.line,
                    locator=storable(record.locator)[:500],
                    reason=storable(reason),
                    raw=storable(record.raw),
                    created_at=now,
                )
            )
        _count(session, run_id, out, len(records))
    return out


def _count(session: Session, run_id: int, out: _Outcomes, n_records: int) -> None:
    run = session.get(ImportRun, run_id, with_for_update=True)  # live runs take concurrent requests
    assert run is not None
    run.accepted += len(out.prepared)
    run.duplicate += out.duplicate
    run.revised += out.revised_count
    run.rejected += len(out.rejects)
    run.filtered += sum(out.filtered.values())
    reasons = dict(run.filtered_reasons)
    for reason, n in out.filtered.items():
        reasons[reason] = reasons.get(reason, 0) + n
    run.filtered_reasons = reasons
    run.records_done += n_records


def _open_run(
    store: Store, actor: Actor, label: str, fmt: str, via: str, fingerprint: str | None
) -> ImportRun:
    with store.transaction() as session:
        if fingerprint:
            unfinished = session.scalar(
                select(ImportRun)
                .where(
                    ImportRun.workspace_id == actor.workspace_id,
                    ImportRun.fingerprint == fingerprint,
                    ImportRun.status == "running",
                )
                .order_by(ImportRun.id.desc())
            )
            if unfinished is not None:
                return unfinished
        run = ImportRun(
            workspace_id=actor.workspace_id,
            label=label[:500],
            format=fmt,
            via=via,
            fingerprint=fingerprint,
            status="running",
            filtered_reasons={},
            started_at=utcnow(),
            user_id=actor.user_id,
        )
        session.add(run)
        session.flush()
        return run


def _finish_run(store: Store, run_id: int, status: str) -> ImportRun:
    with store.transaction() as session:
        run = session.get(ImportRun, run_id)
        assert run is not None
        run.status, run.finished_at = status, utcnow()
        return run


def _summary_of(run: ImportRun, rejects: list[dict[str, Any]], resumed_after: int) -> IngestSummary:
    return IngestSummary(
        run.id,
        run.accepted,
        run.duplicate,
        run.rejected,
        run.filtered,
        Counter(run.filtered_reasons),
        rejects,
        resumed_after,
        run.revised,
    )


def reject_entry(record: Record, reason: str) -> dict[str, Any]:
    entry: dict[str, Any] = (
        {"line": record.line, "reason": reason}
        if record.line is not None
        else {"path": record.locator, "reason": reason}
    )
    if record.input:
        entry["input"] = record.input
    return entry


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    while chunk := list(islice(records, size)):
        yield chunk


def ingest_records(
    store: Store,
    actor: Actor,
    records: Iterable[Record],
    *,
    label: str,
    format: str,
    via: str = "cli",
    fingerprint: str | None = None,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
    rejects_out: IO[str] | None = None,
    enrich: bool = True,
) -> IngestSummary:
    """Ingest records into the actor's workspace; returns the outcome counts of the whole run. With
    `enrich=False` text items are stored pending, for the enrichment job (`services.enrichment`)."""
    require(actor, "ingest.write")
    run = _open_run(store, actor, label, format, via, fingerprint)
    resumed_after = run.records_done
    ctx = understanding_for(store, actor.workspace_id)  # a stale learned model: its retraining is queued
    stream = iter(records)
    for _ in islice(stream, resumed_after):
        pass
    reported: list[dict[str, Any]] = []
    # A crash or interrupt leaves the run "running": the next run with the same fingerprint resumes it.
    for chunk in _batches(stream, batch_size):
        out = write_batch(store, run.id, ctx, chunk, enrich=enrich)
        for record, reason in out.rejects:
            entry = reject_entry(record, reason)
            if len(reported) < MAX_REJECTS_REPORTED:
                reported.append(entry)
            if rejects_out is not None:
                rejects_out.write(json.dumps({**entry, "raw": record.raw}, ensure_ascii=False) + "\n")
        if on_batch is not None:
            on_batch(len(chunk))
    finished = _finish_run(store, run.id, "done")
    return _summary_of(finished, reported, resumed_after)
