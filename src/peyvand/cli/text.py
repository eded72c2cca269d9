"""Text understanding's commands: `peyvand labels import`, `peyvand models train`, `peyvand models status`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peyvand.cli.common import DbOption, WorkspaceOption, app, fail, open_store, operator, out
from peyvand.services.access import InvalidInput

labels_app = typer.Typer(help="Training labels of the workspace's text models.", no_args_is_help=True)
models_app = typer.Typer(help="The workspace's learned text models.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")
app.add_typer(models_app, name="models")

TaskOption = Annotated[str, typer.Option("--task", help="sentiment, intent or audience.")]


@labels_app.command("import")
def labels_import(
    file: Annotated[Path, typer.Argument(help="CSV with the columns text,label or item_id,label.")],
    task: TaskOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome counts as JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Import labelled messages of one task (training data; the messages themselves do not change)."""
    from peyvand.services.text_labels import import_labels_csv

    if not file.exists():
        raise fail(f"{file}: no such file", code=2)
    store = open_store(db)
    actor = operator(store, workspace)
    try:
        with file.open(encoding="utf-8-sig", newline="") as stream:
            result = import_labels_csv(store, actor, stream, task=task)
    except InvalidInput as exc:
        raise fail(f"{file}: {exc}", code=2) from None
    if as_json:
        out.print_json(json.dumps(result.to_json(), ensure_ascii=False))
        return
    out.print(
        f"{result.task}: {result.added} added, {result.changed} changed, {result.unchanged} unchanged, "
        f"{result.rejected} rejected"
    )
    for reject in result.rejects[:20]:
        out.print(f"  [red]rejected[/red] line {reject['line']}: {reject['reason']}", highlight=False)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


@models_app.command("train")
def models_train(
    task: Annotated[
        str | None, typer.Option("--task", help="Train only this task (sentiment, intent or audience).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome of each task as JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Train the workspace's text models from its labels; re-read the stored messages when one changes."""
    from peyvand.services.text_reenrich import reenrich_items
    from peyvand.services.text_training import train_models

    store = open_store(db)
    actor = operator(store, workspace)
    try:
        outcomes = train_models(store, actor, tasks=[task] if task else None, queue_reenrich=False)
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    reread = reenrich_items(store, actor) if any(o.changed for o in outcomes) else None
    if as_json:
        payload = {
            "tasks": [o.to_json() for o in outcomes],
            "reenriched": reread.to_json() if reread else None,
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    table = Table(
        "task", "labels", "learned macro-F1", "built-in macro-F1", "in use", "why", title="text models"
    )
    for o in outcomes:
        in_use = "learned model" if o.in_use else "built-in rules"
        table.add_row(
            o.task, str(o.n_labels), _score(o.learned_macro_f1), _score(o.builtin_macro_f1), in_use, o.reason
        )
    out.print(table)
    if reread is not None:
        out.print(f"Read {reread.examined} messages again: {reread.changed} changed ({dict(reread.fields)}).")


@models_app.command("status")
def models_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the status of each task as JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Labels per class and the latest training of each task (what the settings page shows)."""
    from peyvand.services.text_labelling import text_understanding_view

    store = open_store(db)
    views = text_understanding_view(store, operator(store, workspace))
    if as_json:
        out.print_json(json.dumps([v.to_json() for v in views], ensure_ascii=False, default=str))
        return
    table = Table("task", "labels per class", "learned macro-F1", "built-in macro-F1", "in use", "trained")
    for v in views:
        m = v.model
        classes = ", ".join(f"{k} {n}" for k, n in v.classes.most_common()) or "—"
        trained = m["trained_at"].isoformat(timespec="minutes") if m["trained_at"] else "—"
        in_use = "learned model" if m["in_use"] else "built-in rules"
        table.add_row(
            v.task, classes, _score(m["learned_macro_f1"]), _score(m["builtin_macro_f1"]), in_use, trained
        )
    out.print(table)
