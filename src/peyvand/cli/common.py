"""What every command shares: the Typer apps, options, consoles and opening the store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from peyvand.services.access import Actor
from peyvand.settings import Settings, load_settings, secret_keys
from peyvand.storage.db import Store
from peyvand.storage.migrate import upgrade

app = typer.Typer(
    help="Peyvand: a communications desk for Digital PR and Digital Marketing.", no_args_is_help=True
)
brand_app = typer.Typer(help="The brand profile of a workspace.", no_args_is_help=True)
export_app = typer.Typer(help="Export stored data.", no_args_is_help=True)
user_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
app.add_typer(brand_app, name="brand")
app.add_typer(export_app, name="export")
app.add_typer(user_app, name="user")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database: a SQLite file path or a SQLAlchemy URL (PEYVAND_DATABASE_URL)."),
]
WorkspaceOption = Annotated[
    str | None, typer.Option("--workspace", "-w", help="Workspace slug (needed when there are several).")
]


def settings_for(db: str | None) -> Settings:
    return load_settings(database_url=db)


def open_store(db: str | None) -> Store:
    """The store, its schema brought up to date (migrations run on every open; they are idempotent)."""
    settings = settings_for(db)
    secret_key, old_secret_keys = secret_keys(settings)
    store = Store.from_url(settings.database_url, secret_key=secret_key, old_secret_keys=old_secret_keys)
    upgrade(store.engine, secret_key=secret_key, old_secret_keys=old_secret_keys)
    return store


def operator(store: Store, workspace: str | None) -> Actor:
    """The local operator acting in the chosen workspace; exits with a clear message when none fits."""
    from peyvand.services.access import InvalidInput, NotFound
    from peyvand.services.workspaces import resolve_workspace

    try:
        return Actor.operator(resolve_workspace(store, workspace).id)
    except (NotFound, InvalidInput) as exc:
        raise fail(str(exc)) from None


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True, markup=True, highlight=False)
    return typer.Exit(code)
