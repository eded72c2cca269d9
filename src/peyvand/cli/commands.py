"""The core commands: init, brand export, route, export items, migrate, workspaces, serve, detect
(`peyvand user …` is in `peyvand.cli.users`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from peyvand.cli.common import (
    DbOption,
    WorkspaceOption,
    app,
    brand_app,
    export_app,
    fail,
    open_store,
    operator,
    out,
)
from peyvand.domain.brand import BrandFileError, brand_to_toml, load_brand_file
from peyvand.services.access import InvalidInput
from peyvand.settings import load_settings


@app.command()
def init(
    brand: Annotated[Path, typer.Option("--brand", help="Brand file (TOML, DESIGN §4 format).")],
    slug: Annotated[
        str | None, typer.Option(help="Short name of the workspace (default: from the brand).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a workspace from a brand file."""
    from peyvand.services.workspaces import create_workspace

    try:
        profile = load_brand_file(brand)
        info = create_workspace(open_store(db), brand=profile, slug=slug)
    except BrandFileError as exc:
        raise fail("\n  ".join([f"{exc.path}:", *exc.problems])) from None
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    out.print(f"Created workspace [bold]{info.slug}[/bold] for {info.name}.")


@brand_app.command("export")
def brand_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the workspace's brand profile as a brand file (TOML)."""
    from peyvand.services.workspaces import load_brand

    store = open_store(db)
    actor = operator(store, workspace)
    text = brand_to_toml(load_brand(store, workspace_id=actor.workspace_id))
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
def route(
    items: Annotated[Path, typer.Argument(help="Canonical items, one JSON object per line ('-' for stdin).")],
    brand: Annotated[Path, typer.Option("--brand", help="Brand file (TOML).")],
) -> None:
    """Print the routing decision of every item, without touching a database (DESIGN §4)."""
    from peyvand.services.routing_preview import route_lines

    try:
        profile = load_brand_file(brand)
    except BrandFileError as exc:
        raise fail("\n  ".join([f"{exc.path}:", *exc.problems])) from None
    stream = sys.stdin.buffer if str(items) == "-" else items.open("rb")
    with stream:
        for obj in route_lines(stream, profile):
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@export_app.command("items")
def export_items(
    format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    feedback: Annotated[str | None, typer.Option(help="Only interaction, mention or reaction.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Include each item's raw payload (jsonl).")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Print the stored items with their routing decisions."""
    from peyvand.services.export import iter_items, to_csv, to_jsonl

    if format not in ("jsonl", "csv"):
        raise fail("--format must be jsonl or csv")
    store = open_store(db)
    actor = operator(store, workspace)
    rows = iter_items(store, actor, feedback=feedback, with_raw=raw)
    chunks = to_jsonl(rows) if format == "jsonl" else to_csv(rows)
    sink = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        for chunk in chunks:
            sink.write(chunk)
    finally:
        if output:
            sink.close()


@app.command()
def migrate(db: DbOption = None) -> None:
    """Create or upgrade the database schema."""
    open_store(db)
    out.print("Database schema is up to date.")


@app.command()
def workspaces(db: DbOption = None) -> None:
    """List the workspaces."""
    from peyvand.services.workspaces import list_workspaces

    table = Table("slug", "name", "time zone")
    for ws in list_workspaces(open_store(db)):
        table.add_row(ws.slug, ws.name, ws.timezone)
    out.print(table)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the web app."""
    import uvicorn

    from peyvand.services.understanding import settle_long_running_process
    from peyvand.web.app import create_app

    settings = load_settings(database_url=db, host=host, port=port)
    open_store(settings.database_url).dispose()
    out.print(f"Peyvand is at [bold]http://{settings.host}:{settings.port}[/bold]")
    web_app = create_app(settings)
    settle_long_running_process()
    uvicorn.run(
        web_app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


@app.command()
def detect(
    series: Annotated[
        Path, typer.Argument(help="CSV with a date/time column and a value column ('-' for stdin).")
    ],
    time_col: Annotated[
        str | None, typer.Option("--time-col", help="Date/time column (auto when obvious).")
    ] = None,
    value_col: Annotated[
        str | None, typer.Option("--value-col", help="Value column (auto when obvious).")
    ] = None,
    grain: Annotated[str | None, typer.Option(help="day or hour (inferred from the timestamps).")] = None,
    alpha: Annotated[float, typer.Option(help="False discovery rate across the tests.")] = 0.05,
) -> None:
    """Find significant rises and falls (spikes and level shifts) in a series, without a database."""
    import io

    from peyvand.analysis.signals import detect_csv

    if grain not in (None, "day", "hour"):
        raise fail("--grain must be day or hour")
    source = io.StringIO(sys.stdin.read()) if str(series) == "-" else series
    try:
        result = detect_csv(source, time_col=time_col, value_col=value_col, grain=grain, alpha=alpha)  # type: ignore[arg-type]
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
