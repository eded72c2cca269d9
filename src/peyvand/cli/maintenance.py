"""`peyvand jobs …` and `peyvand secrets …`: running and pruning the background jobs, and re-encrypting the
secrets kept at rest."""

from __future__ import annotations

from typing import Annotated

import typer

from peyvand.cli.common import DbOption, app, err, fail, open_store, out, settings_for

jobs_app = typer.Typer(
    help="The background jobs: run those that are due (`peyvand jobs` alone does this), remove old ones.",
    invoke_without_command=True,
)
app.add_typer(jobs_app, name="jobs")


def _run_due_jobs(db: str | None) -> None:
    from peyvand.jobs.handlers import HANDLERS, URGENT
    from peyvand.jobs.queue import run_pending

    ran = run_pending(open_store(db), HANDLERS, limit=10_000, urgent=URGENT)
    out.print(f"Ran {ran} job(s).")


@jobs_app.callback()
def jobs_main(ctx: typer.Context, db: DbOption = None) -> None:
    """Run the background jobs that are due, then exit (for cron, or when the web server is not running)."""
    if ctx.invoked_subcommand is None:
        _run_due_jobs(db)


@jobs_app.command("run")
def jobs_run(db: DbOption = None) -> None:
    """Run the background jobs that are due, then exit (the same as `peyvand jobs`)."""
    _run_due_jobs(db)


@jobs_app.command("prune")
def jobs_prune(
    days: Annotated[
        int | None,
        typer.Option("--days", min=0, help="Keep finished jobs this many days (PEYVAND_JOB_RETENTION_DAYS)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Remove finished jobs (done or failed) older than the retention; queued and running ones stay."""
    from peyvand.services.jobs import prune_jobs

    retention = settings_for(db).job_retention_days if days is None else days
    if retention == 0:
        out.print("Job retention is 0 days: every job is kept.")
        return
    removed = prune_jobs(open_store(db), retention_days=retention)
    out.print(f"Removed {removed} finished job(s) older than {retention} day(s).")


secrets_app = typer.Typer(help="The secrets Peyvand keeps encrypted at rest.", no_args_is_help=True)
app.add_typer(secrets_app, name="secrets")


@secrets_app.command("reseal")
def secrets_reseal(db: DbOption = None) -> None:
    """Re-encrypt every stored secret (webhook secrets, verify tokens, the outbound signing secret) under
    the current PEYVAND_SECRET_KEY, after setting it for the first time or changing it."""
    from peyvand.services.sealed_secrets import reseal_secrets
    from peyvand.storage.sealed import SecretUnreadable

    settings = settings_for(db)
    if settings.secret_key is None:
        err.print(
            "warning: PEYVAND_SECRET_KEY is not set: the secrets are sealed under the key kept in the "
            "database itself (see docs/settings.md)."
        )
    try:
        count = reseal_secrets(open_store(db))
    except SecretUnreadable as exc:
        raise fail(str(exc)) from None
    out.print(f"Re-encrypted {count} stored secret(s) under the current key.")
