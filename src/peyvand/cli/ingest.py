"""`peyvand ingest`: stream records from files into the store, with a progress bar and a summary."""

from __future__ import annotations

import hashlib
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from peyvand.cli.common import (
    DbOption,
    WorkspaceOption,
    app,
    err,
    fail,
    open_store,
    operator,
    out,
    settings_for,
)
from peyvand.services.access import Actor
from peyvand.services.ingest import IngestSummary, ingest_records
from peyvand.sources import FORMATS
from peyvand.sources.base import SourceContext
from peyvand.storage.db import Store


def fingerprint(path: Path, fmt: str, workspace_id: int) -> str:
    """Identifies one input file's content as of now, so an interrupted run of it can be resumed."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{fmt}|{workspace_id}"
    return hashlib.sha256(key.encode()).hexdigest()


def _print_summary(label: str, summary: IngestSummary) -> None:  # noqa: C901
    table = Table(title=f"{label}", show_header=True)
    columns = (
        "accepted",
        "duplicate",
        *(("revised",) if summary.revised else ()),
        "rejected",
        "filtered",
        "total",
    )
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(*(str(getattr(summary, c)) for c in columns))
    out.print(table)
    for reason, n in summary.filtered_reasons.most_common():
        out.print(f"  filtered {n}: {reason}")
    for entry in summary.rejects[:20]:
        where = f"line {entry['line']}" if "line" in entry else entry["path"]
        if entry.get("input") and entry["input"] != label:
            where = f"{entry['input']}: {where}"
        out.print(f"  [red]rejected[/red] {where}: {entry['reason']}", highlight=False, markup=True)
    if summary.rejected > 20:
        out.print(f"  … and {summary.rejected - 20} more rejects (see --rejects FILE or the imports page)")
    if summary.resumed_after:
        out.print(f"  resumed an interrupted run after {summary.resumed_after} records")


def _fingerprint_of(path: Path, fmt: str, workspace_id: int) -> str | None:
    """Folders have no single fingerprint: their files are deduplicated item by item instead."""
    return fingerprint(path, fmt, workspace_id) if path.is_file() else None


def _ingest_path(
    store: Store,
    actor: Actor,
    path: Path,
    fmt: str,
    context: SourceContext,
    rejects: IO[str] | None,
    quiet: bool,
) -> IngestSummary:
    from peyvand.sources import parse_path

    records = parse_path(path, context=context, format=fmt)
    big = path.is_dir() or path.stat().st_size > 5_000_000
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} records"),
        console=err,
        disable=quiet or not big,
        transient=True,
    ) as progress:
        task = progress.add_task(path.name, total=None)
        return ingest_records(
            store,
            actor,
            records,
            label=str(path),
            format=fmt,
            fingerprint=_fingerprint_of(path, fmt, actor.workspace_id),
            batch_size=settings_for(None).ingest_batch_size,
            on_batch=lambda n: progress.advance(task, n),
            rejects_out=rejects,
        )


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files, folders or zip archives of exports.", exists=True, dir_okay=True),
    ],
    format: Annotated[str, typer.Option("--format", help=f"auto, or one of: {', '.join(FORMATS)}.")] = "auto",
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Column mapping for generic CSV/JSONL.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source name for records that carry none.")] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Also write rejected records (JSONL).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Bring exports in; each record ends accepted, duplicate, rejected or filtered (see docs/sources.md)."""
    from peyvand.services.workspaces import load_brand
    from peyvand.sources import SourceError, load_mapping

    if format != "auto" and format not in FORMATS:
        raise fail(f"unknown --format {format!r}: use auto or one of {', '.join(FORMATS)}")
    store = open_store(db)
    actor = operator(store, workspace)
    try:
        context = SourceContext(
            brand=load_brand(store, workspace_id=actor.workspace_id),
            source_name=source,
            mapping=load_mapping(mapping) if mapping else {},
        )
    except SourceError as exc:
        raise fail(str(exc), code=2) from None
    summaries = []
    with ExitStack() as stack:
        rejects_file = stack.enter_context(rejects.open("a", encoding="utf-8")) if rejects else None
        for path in paths:
            try:
                summary = _ingest_path(store, actor, path, format, context, rejects_file, as_json)
            except SourceError as exc:
                raise fail(f"{path}: {exc}", code=2) from None
            summaries.append((path, summary))
            if not as_json:
                _print_summary(str(path), summary)
    if as_json:
        sys.stdout.write(json.dumps(_combined(summaries), ensure_ascii=False) + "\n")


def _combined(summaries: list[tuple[Path, IngestSummary]]) -> dict[str, object]:
    if len(summaries) == 1:
        return summaries[0][1].to_json()
    total: dict[str, object] = {
        k: sum(getattr(s, k) for _, s in summaries)
        for k in ("accepted", "duplicate", "revised", "rejected", "filtered")
    }
    total["rejects"] = [dict(r, file=str(p)) for p, s in summaries for r in s.rejects]
    total["files"] = [{"path": str(p), **s.to_json()} for p, s in summaries]
    return total
