"""The marketing desk's commands: `peyvand signals detect` and `peyvand loops import`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peyvand.cli.common import DbOption, WorkspaceOption, app, fail, open_store, operator, out
from peyvand.services.access import InvalidInput

signals_app = typer.Typer(
    help="Significant rises and falls in the stored behaviour series.", no_args_is_help=True
)
loops_app = typer.Typer(help="Marketing loops (nurture sequences) and their events.", no_args_is_help=True)
app.add_typer(signals_app, name="signals")
app.add_typer(loops_app, name="loops")


@signals_app.command("detect")
def signals_detect(
    since: Annotated[
        str | None, typer.Option("--since", help="Evaluate periods from this date (YYYY-MM-DD) on.")
    ] = None,
    new_only: Annotated[
        bool,
        typer.Option("--new-only", help="Evaluate only the periods after the last run (as the job does)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run's counts as JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Run the signal engine over the workspace's series, store and explain what it finds."""
    from peyvand.services.loops import apply_crisis_pauses
    from peyvand.services.signals import detect_signals

    try:
        first = date.fromisoformat(since) if since else None
    except ValueError:
        raise fail(f"--since must be a date, YYYY-MM-DD, not {since!r}") from None
    store = open_store(db)
    actor = operator(store, workspace)
    run = detect_signals(store, actor, since=first, history=first is None and not new_only)
    apply_crisis_pauses(store, actor)
    if as_json:
        out.print_json(json.dumps(run.to_json()))
        return
    table = Table(
        "grain", "series", "periods", "found", "new", "updated", "removed", title=f"signals ({run.mode})"
    )
    for g in run.grains:
        table.add_row(
            g.grain,
            *(str(getattr(g, k)) for k in ("series", "periods", "found", "new", "updated", "removed")),
        )
    out.print(table)
    out.print(f"{run.signals} signal(s) stored, {run.shared_with_pr} shared with PR (rule R6).")


@loops_app.command("import")
def loops_import(
    file: Annotated[Path, typer.Argument(help="CSV with the columns loop, contact, step, event, at, value.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome counts as JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Import loop events (send, open, click, convert, unsubscribe) from a CSV file."""
    from peyvand.services.loop_import import import_loop_events_csv

    if not file.exists():
        raise fail(f"{file}: no such file", code=2)
    store = open_store(db)
    actor = operator(store, workspace)
    try:
        with file.open(encoding="utf-8-sig", newline="") as stream:
            result = import_loop_events_csv(store, actor, stream)
    except InvalidInput as exc:
        raise fail(f"{file}: {exc}", code=2) from None
    if as_json:
        out.print_json(json.dumps(result.to_json(), ensure_ascii=False))
        return
    out.print(f"{result.accepted} accepted, {result.duplicate} duplicate, {result.rejected} rejected")
    if result.loops_created:
        out.print(f"new loops: {', '.join(result.loops_created)}")
    for reject in result.rejects[:20]:
        out.print(f"  [red]rejected[/red] line {reject['line']}: {reject['reason']}", highlight=False)
