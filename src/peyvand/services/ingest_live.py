"""Live ingest: records that arrive over HTTP (API requests, webhook deliveries), answered fast.

Each request's records are validated, deduplicated and written at once (rejects recorded with their
place and reason), text items pending enrichment (`services.enrichment`), and the answer gives the
outcome counts of this request. The records of one channel (one API token, one webhook endpoint) on one
UTC day are gathered in one import run (`status = "live"`), so the imports page shows "Telegram bot ·
2026-03-05: 412 accepted, 3 duplicate, 1 rejected" rather than a run per message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select

from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.ingest import MAX_REJECTS_REPORTED, IngestSummary, reject_entry, write_batch
from peyvand.services.understanding import WorkspaceUnderstanding, workspace_rules
from peyvand.services.workspaces import read_brand
from peyvand.sources.base import Record
from peyvand.storage.db import Store
from peyvand.storage.tables import ImportRun, Workspace
from peyvand.text.enrich import TextAnalyzer

LIVE = "live"


class _TextLater:
    """Stands in for the text analyzer on the live path: text items are stored pending and understood
    by the enrichment job, so nothing here reads text (and building the analyzer would cost ~0.2 s)."""

    def enrich(self, *_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("text is understood by the enrichment job, not on the live path")


def _live_context(store: Store, workspace_id: int) -> WorkspaceUnderstanding:
    with store.read() as session:
        ws = session.get(Workspace, workspace_id)
        assert ws is not None
        return WorkspaceUnderstanding(
            workspace_id=workspace_id,
            brand=read_brand(session, workspace_id),
            analyzer=cast(TextAnalyzer, _TextLater()),
            rules=workspace_rules(session, workspace_id),
            tz=ZoneInfo(ws.timezone),
        )


def live_run(store: Store, actor: Actor, *, channel: str, format: str, via: str) -> int:
    """The id of today's live run of the channel (created on the day's first request)."""
    day = utcnow().date().isoformat()
    key = f"live|{actor.workspace_id}|{via}|{channel}|{day}"
    fingerprint = hashlib.sha256(key.encode("utf-8")).hexdigest()
    with store.transaction() as session:
        run_id = session.scalar(
            select(ImportRun.id).where(
                ImportRun.workspace_id == actor.workspace_id,
                ImportRun.fingerprint == fingerprint,
                ImportRun.status == LIVE,
            )
        )
        if run_id is not None:
            return int(run_id)
        run = ImportRun(
            workspace_id=actor.workspace_id,
            label=f"{channel} · {day}"[:500],
            format=format,
            via=via,
            fingerprint=fingerprint,
            status=LIVE,
            filtered_reasons={},
            started_at=utcnow(),
            user_id=actor.user_id,
        )
        session.add(run)
        session.flush()
        return run.id


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    stream = iter(records)
    while chunk := list(islice(stream, size)):
        yield chunk


def ingest_live(
    store: Store,
    actor: Actor,
    records: Iterable[Record],
    *,
    channel: str,
    format: str,
    via: str,
    batch_size: int = 500,
) -> IngestSummary:
    """Ingest one request's records into today's live run of `channel`; returns this request's outcome."""
    require(actor, "ingest.write")
    run_id = live_run(store, actor, channel=channel, format=format, via=via)
    ctx = _live_context(store, actor.workspace_id)
    summary = IngestSummary(run_id)
    for chunk in _batches(records, batch_size):
        out = write_batch(store, run_id, ctx, chunk, enrich=False)
        summary.accepted += len(out.prepared)
        summary.duplicate += out.duplicate
        summary.revised += out.revised_count
        summary.rejected += len(out.rejects)
        summary.filtered += sum(out.filtered.values())
        summary.filtered_reasons.update(out.filtered)
        for record, reason in out.rejects:
            if len(summary.rejects) < MAX_REJECTS_REPORTED:
                summary.rejects.append(reject_entry(record, reason))
    with store.transaction() as session:  # the run's last activity
        run = session.get(ImportRun, run_id)
        if run is not None:
            run.finished_at = utcnow()
    return summary
