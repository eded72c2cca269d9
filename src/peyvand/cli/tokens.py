"""`peyvand token …` and `peyvand webhook …`: API tokens and webhook endpoints of a workspace.

Secrets are printed once, when they are made; lists show only the visible prefix and the address.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from peyvand.cli.common import DbOption, WorkspaceOption, app, fail, open_store, operator, out, settings_for
from peyvand.services.access import InvalidInput, NotFound

token_app = typer.Typer(help="API tokens (for the HTTP ingest API).", no_args_is_help=True)
webhook_app = typer.Typer(help="Webhook endpoints (Telegram, Meta, generic signed).", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(webhook_app, name="webhook")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _pepper(db: str | None, store: object) -> bytes:
    from peyvand.services.api_tokens import token_pepper

    settings = settings_for(db)
    configured = settings.token_pepper.get_secret_value() if settings.token_pepper else None
    return token_pepper(store, configured)  # type: ignore[arg-type]


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option("--name", help="What the token is for (shown in lists).")],
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="ingest (default) and/or imports:read; repeatable.")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create an API token; it is printed once and never stored (only its hash is)."""
    from peyvand.services.api_tokens import create_token

    store = open_store(db)
    try:
        new = create_token(
            store,
            operator(store, workspace),
            name=name,
            scopes=scope or ["ingest"],
            pepper=_pepper(db, store),
        )
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    if as_json:
        sys.stdout.write(json.dumps({**new.info.to_json(), "token": new.secret}) + "\n")
        return
    out.print(
        f"Token {new.info.id} «{new.info.name}» ({', '.join(new.info.scopes)}). "
        "Copy it now, it is not shown again:"
    )
    sys.stdout.write(new.secret + "\n")


@token_app.command("list")
def token_list(as_json: JsonOption = False, db: DbOption = None, workspace: WorkspaceOption = None) -> None:
    """List the workspace's tokens (prefix, scopes, last use; never the secret)."""
    from peyvand.services.api_tokens import list_tokens

    store = open_store(db)
    tokens = list_tokens(store, operator(store, workspace))
    if as_json:
        sys.stdout.write(json.dumps([t.to_json() for t in tokens]) + "\n")
        return
    table = Table("id", "name", "token", "scopes", "created", "last used", "revoked", title="API tokens")
    for t in tokens:
        table.add_row(
            str(t.id),
            t.name,
            t.prefix + "…",
            ", ".join(t.scopes),
            f"{t.created_at:%Y-%m-%d %H:%M}",
            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "",
            f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "",
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `peyvand token list`).")],
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke a token: requests with it are refused from now on."""
    from peyvand.services.api_tokens import revoke_token

    store = open_store(db)
    try:
        info = revoke_token(store, operator(store, workspace), token_id=token_id)
    except NotFound as exc:
        raise fail(str(exc)) from None
    out.print(f"Token {info.id} «{info.name}» is revoked.")


@webhook_app.command("create")
def webhook_create(
    kind: Annotated[str, typer.Option("--kind", help="telegram, meta or generic.")],
    name: Annotated[str, typer.Option("--name", help="What the webhook is for.")],
    app_secret: Annotated[
        str | None,
        typer.Option(
            "--app-secret",
            envvar="PEYVAND_META_APP_SECRET",
            show_envvar=True,
            help="Meta's App Secret (--kind meta). Discouraged on the command line (shell history, process "
            "list): set PEYVAND_META_APP_SECRET, or leave it out to be asked for it without echo.",
        ),
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source name for items without one.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create a webhook endpoint; its address and the secrets Peyvand made are printed once."""
    from peyvand.services.webhooks import create_endpoint

    if kind == "meta" and app_secret is None:
        app_secret = typer.prompt("Meta's App Secret", hide_input=True, err=True)
    store = open_store(db)
    try:
        new = create_endpoint(
            store, operator(store, workspace), kind=kind, name=name, app_secret=app_secret, source=source
        )
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    data = {
        "id": new.info.id,
        "kind": new.info.kind,
        "path": new.info.path,
        "secret": new.secret,
        "verify_token": new.verify_token,
    }
    if as_json:
        sys.stdout.write(json.dumps(data) + "\n")
        return
    out.print(
        f"Webhook {new.info.id} «{new.info.name}» ({new.info.kind}) at {new.info.path} (after your address)."
    )
    if new.secret:
        out.print("Secret (copy it now, it is not shown again):")
        sys.stdout.write(new.secret + "\n")
    if new.verify_token:
        out.print("Verify token for Meta's webhook setup:")
        sys.stdout.write(new.verify_token + "\n")


@webhook_app.command("list")
def webhook_list(as_json: JsonOption = False, db: DbOption = None, workspace: WorkspaceOption = None) -> None:
    """List the workspace's webhook endpoints (never their secrets)."""
    from peyvand.services.webhooks import list_endpoints

    store = open_store(db)
    endpoints = list_endpoints(store, operator(store, workspace))
    rows = [
        {
            "id": e.id,
            "name": e.name,
            "kind": e.kind,
            "path": e.path,
            "active": e.active,
            "last_used_at": e.last_used_at.isoformat() if e.last_used_at else None,
        }
        for e in endpoints
    ]
    if as_json:
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    table = Table("id", "name", "kind", "path", "active", "last used", title="Webhooks")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("id", "name", "kind", "path", "active", "last_used_at")))
    out.print(table)


@webhook_app.command("revoke")
def webhook_revoke(
    endpoint_id: Annotated[int, typer.Argument(help="The webhook's id (see `peyvand webhook list`).")],
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke a webhook endpoint: its requests are refused from now on."""
    from peyvand.services.webhooks import revoke_endpoint

    store = open_store(db)
    try:
        info = revoke_endpoint(store, operator(store, workspace), endpoint_id=endpoint_id)
    except NotFound as exc:
        raise fail(str(exc)) from None
    out.print(f"Webhook {info.id} «{info.name}» is revoked.")
