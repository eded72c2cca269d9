"""The jobs table as a queue.

`enqueue` writes a job row in the caller's transaction (so a job exists exactly when its cause was
committed). `run_pending` claims and runs jobs; the in-process `Worker` thread calls it in a loop. Jobs a
person waits for (`urgent` kinds: enriching what just came in, sending a reply, reading an upload) are
claimed before the analyses, and the worker gives them a lane of their own, so a long analysis (crisis
detection reads the whole history) never holds them up. A
broker-backed worker can replace the worker later by reading the same table (or by being fed from it)
without touching any caller of `enqueue`.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import Job

log = logging.getLogger("peyvand.jobs")
Handler = Callable[[Store, dict[str, Any]], None]
STALE_AFTER = timedelta(minutes=15)


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    workspace_id: int | None = None,
    dedupe_key: str | None = None,
    run_after: datetime | None = None,
) -> None:
    """Add a job in the caller's transaction; a queued job with the same dedupe key is not added twice."""
    now = utcnow()
    job = Job(
        workspace_id=workspace_id,
        kind=kind,
        payload=payload or {},
        dedupe_key=dedupe_key,
        status="queued",
        run_after=run_after or now,
        created_at=now,
    )
    if dedupe_key is None:
        session.add(job)
        return
    # At most one queued job per key. A running job gave its key up when it was claimed, so work that
    # arrives while it runs (and that it may not have read) gets a job of its own.
    if session.scalar(select(Job.id).where(Job.dedupe_key == dedupe_key)) is not None:
        return
    try:
        with session.begin_nested():  # a concurrent transaction may queue the same key first
            session.add(job)
    except IntegrityError:
        pass


def _claim(
    store: Store,
    worker_id: str,
    urgent: Collection[str] = (),
    only_urgent: bool = False,
    skip: Collection[str] = (),
) -> Job | None:
    """Claim the next due job: urgent kinds first, then in the order they were queued (`only_urgent`:
    those alone; `skip`: not these kinds). The claim holds only if the row is still as it was read
    (status and claim time), so two workers never take the same job, a stale running one included."""
    now = utcnow()
    with store.transaction() as session:
        query = (
            select(Job)
            .where(
                or_(Job.status == "queued", (Job.status == "running") & (Job.claimed_at < now - STALE_AFTER))
            )
            .where(Job.run_after <= now)
        )
        if skip:
            query = query.where(Job.kind.not_in(list(skip)))
        if only_urgent:
            query = query.where(Job.kind.in_(list(urgent)))
        elif urgent:
            query = query.order_by(case((Job.kind.in_(list(urgent)), 0), else_=1))
        candidate = session.scalar(query.order_by(Job.id).limit(1))
        if candidate is None:
            return None
        same_claim = (
            Job.claimed_at.is_(None)
            if candidate.claimed_at is None
            else Job.claimed_at == candidate.claimed_at
        )
        claimed = session.execute(
            update(Job)
            .where(Job.id == candidate.id, Job.status == candidate.status, same_claim)
            .values(
                status="running",
                claimed_at=now,
                claimed_by=worker_id,
                attempts=Job.attempts + 1,
                dedupe_key=None,
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return None
        session.refresh(candidate)
        return candidate


def _finish(store: Store, job_id: int, error: str | None) -> None:
    with store.transaction() as session:
        job = session.get(Job, job_id)
        assert job is not None
        if error is None:
            job.status, job.error = "done", None
        elif job.attempts < job.max_attempts:
            job.status, job.error = "queued", error
            job.run_after = utcnow() + timedelta(seconds=30 * 2**job.attempts)
        else:
            job.status, job.error = "failed", error
        if job.status != "queued":
            job.finished_at = utcnow()


def run_pending(
    store: Store,
    handlers: Mapping[str, Handler],
    *,
    limit: int = 100,
    worker_id: str = "inline",
    urgent: Collection[str] = (),
    only_urgent: bool = False,
    skip: Collection[str] = (),
) -> int:
    """Run up to `limit` due jobs (the `urgent` kinds first; with `only_urgent`, those alone; never the
    `skip` kinds); returns how many ran. Failures are retried with backoff, then kept."""
    ran = 0
    while ran < limit:
        job = _claim(store, worker_id, urgent, only_urgent, skip)
        if job is None:
            break
        handler = handlers.get(job.kind)
        error = None
        try:
            if handler is None:
                raise LookupError(f"no handler for job kind {job.kind!r}")
            handler(store, dict(job.payload))
        except Exception:  # a failing job must not stop the worker; its traceback is kept on the row
            error = traceback.format_exc(limit=5)
            log.warning("job %s (%s) failed", job.id, job.kind)
        _finish(store, job.id, error)
        ran += 1
    return ran


class Worker:
    """The in-process worker: a daemon thread that runs due jobs every `poll_seconds`, and its periodic
    `maintenance` (e.g. removing old finished jobs) at start and every `maintenance_seconds`. With
    `urgent` kinds, a second thread runs those and the first never does, so they start within a poll even
    while the first thread is in a long analysis, and two of them (two enrichments of one workspace) never
    run side by side."""

    def __init__(
        self,
        store: Store,
        handlers: Mapping[str, Handler],
        *,
        poll_seconds: float = 1.0,
        maintenance: Callable[[], object] | None = None,
        maintenance_seconds: float = 3600.0,
        urgent: Collection[str] = (),
    ) -> None:
        self.store, self.handlers, self.poll_seconds = store, handlers, poll_seconds
        self.maintenance, self.maintenance_seconds = maintenance, maintenance_seconds
        self.urgent = tuple(urgent)
        self._next_maintenance = time.monotonic()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads = [threading.Thread(target=self._loop, name="peyvand-worker", daemon=True)]
        if self.urgent:
            self._threads.append(
                threading.Thread(target=self._urgent_loop, name="peyvand-worker-urgent", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _maintain(self) -> None:
        if self.maintenance is None or time.monotonic() < self._next_maintenance:
            return
        self._next_maintenance = time.monotonic() + self.maintenance_seconds
        try:
            self.maintenance()
        except Exception:  # maintenance may fail (a locked database); the next round tries again
            log.exception("worker maintenance error")

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._maintain()
            try:
                ran = run_pending(  # the urgent kinds are the urgent lane's alone: one enrichment at a time
                    self.store, self.handlers, limit=20, worker_id="in-process", skip=self.urgent
                )
            except Exception:  # keep the worker alive through a transient database error
                log.exception("worker loop error")
                ran = 0
            if not ran:
                self._stop.wait(self.poll_seconds)

    def _urgent_loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = run_pending(
                    self.store,
                    self.handlers,
                    limit=20,
                    worker_id="in-process-urgent",
                    urgent=self.urgent,
                    only_urgent=True,
                )
            except Exception:  # keep the lane alive through a transient database error
                log.exception("urgent worker loop error")
                ran = 0
            if not ran:
                self._stop.wait(self.poll_seconds)
