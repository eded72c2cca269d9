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


def test_urgent_jobs_are_claimed_first(store: Store) -> None:
    order: list[str] = []
    handlers = {k: (lambda s, p, k=k: order.append(k)) for k in ("test.analyse", "test.enrich")}
    with store.transaction() as session:
        enqueue(session, "test.analyse", {})
        enqueue(session, "test.enrich", {})
        enqueue(session, "test.analyse", {})
    assert run_pending(store, handlers, urgent=("test.enrich",), only_urgent=True) == 1
    assert order == ["test.enrich"]
    with store.transaction() as session:
        enqueue(session, "test.enrich", {})
    assert run_pending(store, handlers, skip=("test.enrich",)) == 2  # the main lane leaves them
    assert order == ["test.enrich", "test.analyse", "test.analyse"]
    with store.transaction() as session:
        enqueue(session, "test.analyse", {})
        enqueue(session, "test.enrich", {})
    assert run_pending(store, handlers, urgent=("test.enrich",)) == 3  # one lane: urgent first
    assert order[3:] == ["test.enrich", "test.enrich", "test.analyse"]


def test_the_worker_runs_urgent_jobs_while_a_long_analysis_runs(sqlite_path: Any) -> None:
    """A person waits for an enrichment; a crisis detection over the whole history takes seconds. (A
    store on a real database file: the two lanes hold a connection each, as in the server.)"""
    import threading

    from peyvand.jobs.queue import Worker
    from peyvand.storage.db import make_engine
    from peyvand.storage.migrate import upgrade

    engine = make_engine(str(sqlite_path))
    upgrade(engine)
    store = Store(engine)

    analysing, enriched = threading.Event(), threading.Event()

    def analyse(_s: Store, _p: dict[str, Any]) -> None:
        analysing.set()
        assert enriched.wait(10)  # finishes only once the urgent job has run beside it

    with store.transaction() as session:
        enqueue(session, "test.analyse", {})
    worker = Worker(
        store,
        {"test.analyse": analyse, "test.enrich": lambda _s, _p: enriched.set()},
        poll_seconds=0.01,
        urgent=("test.enrich",),
    )
    worker.start()
    try:
        assert analysing.wait(10)
        with store.transaction() as session:
            enqueue(session, "test.enrich", {})
        assert enriched.wait(10)
    finally:
        worker.stop()
        engine.dispose()


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


def _job(store: Store, status: str, finished_days_ago: float | None) -> int:
    from datetime import timedelta

    from peyvand.services.clock import utcnow

    now = utcnow()
    with store.transaction() as session:
        job = Job(
            kind="test.old",
            payload={},
            status=status,
            run_after=now,
            created_at=now,
            finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
        )
        session.add(job)
        session.flush()
        return job.id


def test_prune_removes_only_finished_jobs_older_than_the_retention(store: Store) -> None:
    from peyvand.services.jobs import prune_jobs

    old_done, old_failed = _job(store, "done", 20), _job(store, "failed", 15)
    kept = [_job(store, "done", 2), _job(store, "failed", 13), _job(store, "queued", None)]
    kept.append(_job(store, "running", None))
    assert prune_jobs(store, retention_days=0) == 0  # 0 keeps every job
    assert prune_jobs(store, retention_days=14, batch=1) == 2  # in batches of one row
    ids = {j.id for j in _jobs(store)}
    assert old_done not in ids and old_failed not in ids and set(kept) <= ids


def test_the_worker_prunes_as_part_of_its_periodic_work(store: Store) -> None:
    from peyvand.jobs.queue import Worker

    calls: list[int] = []
    worker = Worker(
        store, {}, poll_seconds=0.01, maintenance=lambda: calls.append(1), maintenance_seconds=3600
    )
    worker._maintain()
    worker._maintain()  # not again before maintenance_seconds have passed
    assert calls == [1]
    failing = Worker(store, {}, maintenance=lambda: 1 / 0)
    failing._maintain()  # a failing maintenance is logged, not raised: the worker keeps running


def test_jobs_prune_command(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from peyvand.cli import app

    db = str(tmp_path / "jobs.sqlite")
    runner = CliRunner()
    assert "Ran 0 job(s)." in runner.invoke(app, ["jobs", "--db", db], catch_exceptions=False).output
    assert "Ran 0 job(s)." in runner.invoke(app, ["jobs", "run", "--db", db], catch_exceptions=False).output
    store = Store.from_url(db)
    old = _job(store, "done", 30)
    recent = _job(store, "done", 3)
    store.dispose()
    result = runner.invoke(app, ["jobs", "prune", "--days", "7", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0 and "Removed 1 finished job(s) older than 7 day(s)." in result.output
    with Store.from_url(db).read() as session:
        assert set(session.scalars(select(Job.id))) == {recent} and old != recent
