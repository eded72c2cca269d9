"""`peyvand user …`: people, their roles, passwords and sessions.

Every command that changes a password, disables a user or changes a role also ends that user's sessions
(their session version is raised: `peyvand.services.users`); `peyvand user logout` does only that.
"""

from __future__ import annotations

from typing import Annotated

import typer

from peyvand.cli.common import DbOption, WorkspaceOption, fail, open_store, operator, out, user_app
from peyvand.services.access import AccessDenied, InvalidInput, NotFound
from peyvand.storage.db import Store

Username = Annotated[str, typer.Argument(help="The user's username.")]
NewPassword = Annotated[
    str,
    typer.Option(
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="PEYVAND_NEW_USER_PASSWORD",
        help="Asked for when not in PEYVAND_NEW_USER_PASSWORD (not on the command line: shell history).",
    ),
]


def _user_id(store: Store, username: str) -> int:
    from peyvand.services.users import user_id_by_name

    user_id = user_id_by_name(store, username=username)
    if user_id is None:
        raise fail(f"no user {username!r}")
    return user_id


@user_app.command("add")
def user_add(
    username: Username,
    role: Annotated[str, typer.Option(help="admin, pr, marketing or viewer.")],
    password: NewPassword,
    display_name: Annotated[str, typer.Option(help="Name shown in the interface.")] = "",
    locale: Annotated[str, typer.Option(help="fa or en.")] = "fa",
    calendar: Annotated[str, typer.Option(help="jalali or gregorian.")] = "jalali",
    db: DbOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create a user (or reuse an existing one) and give them a role in the workspace."""
    from peyvand.services.users import create_user, grant_role, user_id_by_name

    store = open_store(db)
    try:
        actor = operator(store, workspace)
        user_id = user_id_by_name(store, username=username)
        if user_id is None:
            user_id = create_user(
                store,
                username=username,
                password=password,
                display_name=display_name,
                locale=locale,
                calendar=calendar,
            ).id
        grant_role(store, workspace_id=actor.workspace_id, user_id=user_id, role=role)
    except (NotFound, InvalidInput, AccessDenied) as exc:
        raise fail(str(exc)) from None
    out.print(f"{username} is {role} in this workspace.")


@user_app.command("remove")
def user_remove(username: Username, db: DbOption = None, workspace: WorkspaceOption = None) -> None:
    """Take a user's role in the workspace away (the user stays); their sessions end."""
    from peyvand.services.users import revoke_role

    store = open_store(db)
    actor = operator(store, workspace)
    try:
        revoke_role(store, workspace_id=actor.workspace_id, user_id=_user_id(store, username))
    except NotFound:
        raise fail(f"{username} has no role in this workspace") from None
    out.print(f"{username} is no longer in this workspace; their sessions have ended.")


@user_app.command("password")
def user_password(username: Username, password: NewPassword, db: DbOption = None) -> None:
    """Set a user's password; their sessions end."""
    from peyvand.services.users import change_password

    store = open_store(db)
    try:
        change_password(store, user_id=_user_id(store, username), password=password)
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    out.print(f"{username}'s password is changed; their sessions have ended.")


@user_app.command("disable")
def user_disable(username: Username, db: DbOption = None) -> None:
    """Stop a user from signing in; their sessions end (their data and roles are kept)."""
    from peyvand.services.users import set_active

    store = open_store(db)
    set_active(store, user_id=_user_id(store, username), active=False)
    out.print(f"{username} is disabled; their sessions have ended.")


@user_app.command("enable")
def user_enable(username: Username, db: DbOption = None) -> None:
    """Let a disabled user sign in again."""
    from peyvand.services.users import set_active

    store = open_store(db)
    set_active(store, user_id=_user_id(store, username), active=True)
    out.print(f"{username} can sign in again.")


@user_app.command("logout")
def user_logout(username: Username, db: DbOption = None) -> None:
    """Log a user out of every device (for a lost laptop or a copied session cookie)."""
    from peyvand.services.users import end_sessions

    store = open_store(db)
    end_sessions(store, user_id=_user_id(store, username))
    out.print(f"Every session of {username} has ended.")
