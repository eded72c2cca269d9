"""`peyvand demo`: build the demo workspaces in one SQLite file and serve the web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from peyvand.cli.common import app, err, fail, open_store, out
from peyvand.settings import load_settings

DEFAULT_DEMO_DB = "peyvand-demo.sqlite"


def _print_logins(users: list[dict[str, object]]) -> None:
    table = Table("username", "password", "role(s)", "language", title="Demo logins")
    for user in users:
        roles = ", ".join(f"{m['role']}@{m['workspace']}" for m in user["memberships"])  # type: ignore[attr-defined]
        table.add_row(
            str(user["username"]),
            str(user.get("password") or "peyvand-demo"),
            roles,
            str(user.get("locale", "fa")),
        )
    out.print(table)


def _build(db: str, scale: float) -> list[dict[str, object]]:
    from peyvand.services.demo import build_demo
    from peyvand.services.understanding import one_numeric_thread

    one_numeric_thread()

    store = open_store(db)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as progress:
        task = progress.add_task("building the demo workspaces", total=None)
        counts: dict[str, int] = {}

        def tick(workspace: str, n: int) -> None:
            counts[workspace] = counts.get(workspace, 0) + n
            progress.update(task, description=f"ingesting {workspace}: {counts[workspace]:,} items")

        result = build_demo(store, scale=scale, on_progress=tick)
    for key, summary in result.workspaces.items():
        out.print(f"[bold]{key}[/bold]: {summary.accepted:,} items accepted, {summary.rejected} rejected")
    store.dispose()
    return result.users


def _existing_users(db: str) -> list[dict[str, object]] | None:
    from peyvand.services.workspaces import list_workspaces

    if not Path(db).exists():
        return None
    store = open_store(db)
    try:
        if not list_workspaces(store):
            return None
    finally:
        store.dispose()
    from peyvand.demo import build_scenario

    return build_scenario(scale=0.01).users


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="SQLite file for the demo.")] = DEFAULT_DEMO_DB,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web app afterwards.")] = True,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Rebuild even if the file already holds the demo.")
    ] = False,
    scale: Annotated[float, typer.Option(help="Data volume (1.0 = the full 820 days).")] = 1.0,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Build the demo workspaces in one SQLite file and serve the web app."""
    if "://" in db and not db.startswith("sqlite"):
        raise fail("the demo builds a SQLite file; give --db a file path")
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    users = _existing_users(db)
    if users is None:
        users = _build(db, scale)
    else:
        out.print(f"Using the demo already in {db} (--fresh rebuilds it).")
    _print_logins(users)
    if not serve:
        return
    import uvicorn

    from peyvand.services.understanding import settle_long_running_process
    from peyvand.web.app import create_app

    settings = load_settings(database_url=db, host=host, port=port)
    out.print(f"Peyvand demo is at [bold]http://{host}:{port}[/bold]  (Ctrl+C stops it)")
    web_app = create_app(settings)
    settle_long_running_process()
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
