"""`peyvand privacy …`: one person's data on request (find, export, erase) and the workspace's retention,
as the local operator. What each does is in docs/privacy.md; the page is /settings/privacy."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peyvand.cli.common import DbOption, WorkspaceOption, app, fail, open_store, operator, out
from peyvand.services.access import InvalidInput, NotFound

privacy_app = typer.Typer(
    help="Personal data: find, export and erase one person's data; the workspace's retention.",
    no_args_is_help=True,
)
app.add_typer(privacy_app, name="privacy")
PersonOption = Annotated[
    int, typer.Option("--person", help="An author record's id (see `peyvand privacy find`).", min=1)
]


@privacy_app.command("find")
def privacy_find(
    query: Annotated[str, typer.Argument(help="A handle, name or e-mail address (or part), or a record id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Find people by handle, name, e-mail or record id; each with every record taken as them."""
    from peyvand.services.personal_data import find_people

    store = open_store(db)
    people = find_people(store, operator(store, workspace), query=query)
    if as_json:
        sys.stdout.write(json.dumps([p.to_json() for p in people], ensure_ascii=False) + "\n")
        return
    if not people:
        out.print("Nobody found.")
        return
    table = Table(
        "person", "records (id source handle e-mail name)", "items", "conversations", title="People"
    )
    for p in people:
        records = "\n".join(
            f"{r.id} {r.source} {r.handle or '-'} {r.email or '-'} {r.name or '-'}"
            + (" (erased)" if r.erased else "")
            for r in p.records
        )
        table.add_row(str(p.id), records, str(p.items), str(p.conversations))
    out.print(table)


@privacy_app.command("export")
def privacy_export(
    person: PersonOption,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the JSON here (default: standard output).")
    ] = None,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export everything the workspace holds on one person as JSON (format in docs/privacy.md)."""
    from peyvand.services.personal_data import export_person

    store = open_store(db)
    try:
        document = export_person(store, operator(store, workspace), author_id=person)
    except NotFound as exc:
        raise fail(str(exc)) from None
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out_file is None:
        sys.stdout.write(text)
        return
    out_file.write_text(text, encoding="utf-8")
    out.print(f"Wrote {len(document['items'])} item(s) of person {person} to {out_file}.")


@privacy_app.command("erase")
def privacy_erase(
    person: PersonOption,
    yes: Annotated[bool, typer.Option("--yes", help="Erase without asking (it cannot be undone).")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Erase one person's data: texts and identity anonymised, statistics kept. Cannot be undone."""
    from peyvand.services.personal_data import erase_person

    if not yes:
        typer.confirm(f"Erase person {person}'s data? This cannot be undone", abort=True, err=True)
    store = open_store(db)
    try:
        erased = erase_person(store, operator(store, workspace), author_id=person)
    except NotFound as exc:
        raise fail(str(exc)) from None
    if not erased.total:
        out.print(f"Person {person} was already erased: nothing changed.")
        return
    counts = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in erased.to_json().items())
    out.print(f"Erased person {person}: {counts}.")


@privacy_app.command("clear-rejects")
def privacy_clear_rejects(
    import_id: Annotated[int, typer.Argument(help="The import's number (peyvand ingest prints it).")],
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Delete the input as it came in of one import's rejected records (their lines and reasons stay)."""
    from peyvand.services.imports import clear_reject_input

    store = open_store(db)
    try:
        cleared = clear_reject_input(store, operator(store, workspace), run_id=import_id)
    except NotFound as exc:
        raise fail(str(exc)) from None
    out.print(f"Cleared the input of {cleared} rejected record(s) of import {import_id}.")


@privacy_app.command("retention")
def privacy_retention(
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, max=36_500, help="Keep messages and authors this many days."),
    ] = None,
    off: Annotated[bool, typer.Option("--off", help="Keep them until erased on request.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Show or set the workspace's retention (--days N, or --off)."""
    from peyvand.services.personal_data import retention_days, set_retention

    if days is not None and off:
        raise fail("give --days or --off, not both")
    store = open_store(db)
    actor = operator(store, workspace)
    if days is not None or off:
        try:
            set_retention(store, actor, days=None if off else days)
        except InvalidInput as exc:
            raise fail(str(exc)) from None
    current = retention_days(store, actor)
    if current is None:
        out.print("Retention: off (messages and authors are kept until erased on request).")
    else:
        out.print(
            f"Retention: {current} day(s). Older messages and inactive authors are anonymised hourly by the "
            "web server's worker, or by `peyvand privacy apply-retention`."
        )


@privacy_app.command("apply-retention")
def privacy_apply_retention(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Anonymise now what is older than the retention (every workspace that has one, or --workspace).

    The web server's worker does this hourly; run it from cron when the server runs without its worker."""
    from peyvand.services.personal_data import apply_retention, apply_retention_everywhere

    store = open_store(db)
    if workspace is None:
        runs = {slug: run.to_json() for slug, run in apply_retention_everywhere(store).items()}
    else:
        runs = {workspace: apply_retention(store, operator(store, workspace)).to_json()}
    if as_json:
        sys.stdout.write(json.dumps(runs) + "\n")
        return
    if not runs:
        out.print("No workspace has a retention.")
    for slug, run in runs.items():
        if run["days"] is None:
            out.print(f"{slug}: no retention.")
            continue
        changed = ", ".join(
            f"{run[k]} {k.replace('_', ' ')}" for k in ("items", "authors", "notes", "rejects")
        )
        out.print(f"{slug}: retention {run['days']} day(s), anonymised {changed}.")
