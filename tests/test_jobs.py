"""The jobs table as a queue: dedupe while queued, new work while one runs, retries, failures kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from peyvand.jobs.queue import enqueue, run_pending
from peyvand.storage.db import Store
from peyvand.storage.tables import Job


def _jobs(store: Store) -> list[Job]:
    with store.read() as session:
        return list(session.scalars(select(Job).where(Job.kind.like("test.%")).order_by(Job.id)))


def test_dedupe_while_queued_and_requeue_while_running(store: Store) -> None:
    seen: list[dict[str, Any]] = []

    def handler(s: Store, payload: dict[str, Any]) -> None:
        seen.append(payload)
        if len(seen) == 1:  # new work arrives while the first job runs
            with s.transaction() as session:
                enqueue(session, "test.refresh", {"n": 2}, dedupe_key="test:refresh")

    with store.transaction() as session:
        enqueue(session, "test.refresh", {"n": 1}, dedupe_key="test:refresh")
        enqueue(session, "test.refresh", {"n": 1}, dedupe_key="test:refresh")
    assert len(_jobs(store)) == 1
    assert run_pending(store, {"test.refresh": handler}) == 2
    assert [p["n"] for p in seen] == [1, 2]
    assert [j.status for j in _jobs(store)] == ["done", "done"]


def test_failures_are_retried_then_kept_with_their_error(store: Store) -> None:
    def boom(_s: Store, _p: dict[str, Any]) -> None:
        raise RuntimeError("the data source is down")

    with store.transaction() as session:
        enqueue(session, "test.boom")
    run_pending(store, {"test.boom": boom})
    job = _jobs(store)[0]
    assert job.status == "queued" and job.attempts == 1 and "the data source is down" in (job.error or "")
    with store.transaction() as session:
        row = session.get(Job, job.id)
        assert row is not None
        row.run_after, row.attempts = row.created_at, row.max_attempts - 1
    run_pending(store, {"test.boom": boom})
    assert _jobs(store)[0].status == "failed"
