"""People, their roles per workspace, and logging in.

Passwords are hashed with Argon2id (argon2-cffi: the OWASP-recommended algorithm, maintained by the PyCA
people; it also tells us when a stored hash needs rehashing with newer parameters).

Signing out everywhere: each user has a session version, kept in their session cookies at sign-in and
checked on every request (`peyvand.web.security`). Raising it ends every session the user has, copies of
a stolen cookie included. It is raised by `end_sessions` ("log out of every device"), `change_password`,
`set_active` and every membership change (`grant_role` when the role is new or differs, `revoke_role`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from peyvand.domain.vocabulary import Role
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import AuditEntry, Membership, User, Workspace

_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("peyvand-timing-equaliser")
LOCALES = ("fa", "en")
CALENDARS = ("jalali", "gregorian")


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    locale: str
    calendar: str
    session_version: int = 0
    must_change_password: bool = False


@dataclass(frozen=True)
class MembershipInfo:
    workspace_id: int
    workspace_slug: str
    workspace_name: str
    role: str
    timezone: str = "Asia/Tehran"


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.display_name,
        user.locale,
        user.calendar,
        user.session_version,
        user.must_change_password,
    )


def check_password(password: str) -> None:
    """The rule every new password meets (the CLI's, the account page's and a new member's)."""
    if len(password) < 8:
        raise InvalidInput("a password needs at least 8 characters")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def raise_session_version(session: Session, user_id: int) -> None:
    """End every session of the user: their cookies carry the old version from now on."""
    session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def audit_user_change(
    session: Session,
    action: str,
    *,
    user_id: int,
    by: int | None,
    workspace_id: int | None = None,
    **details: str,
) -> None:
    """Record what happened to user `user_id`, done by user `by` (None: the local operator)."""
    entry = AuditEntry(
        workspace_id=workspace_id,
        user_id=by,
        action=action,
        target=str(user_id),
        details=details,
        at=utcnow(),
    )
    session.add(entry)


# Latin letters, digits and . _ - @ + (an e-mail address may be a username): no spaces, control or
# invisible characters, markup or look-alike letters of other scripts in a name others pick from a list.
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,149}")


def check_username(username: str) -> str:
    """The username as it will be stored, or `InvalidInput` saying what a username may hold."""
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "a username is 1 to 150 Latin letters, digits and . _ - @ +, starting with a letter or digit"
        )
    return username


def username_taken(session: Session, username: str) -> bool:
    """Whether an account has this name, in any letter case ("Admin" beside "admin" would impersonate)."""
    found = session.scalar(select(User.id).where(func.lower(User.username) == username.lower()).limit(1))
    return found is not None


def _check_preferences(locale: str, calendar: str) -> None:
    if locale not in LOCALES:
        raise InvalidInput(f"locale must be one of {', '.join(LOCALES)}")
    if calendar not in CALENDARS:
        raise InvalidInput(f"calendar must be one of {', '.join(CALENDARS)}")


def create_user(
    store: Store,
    *,
    username: str,
    password: str,
    display_name: str = "",
    locale: str = "fa",
    calendar: str = "jalali",
) -> UserInfo:
    username = check_username(username)
    check_password(password)
    _check_preferences(locale, calendar)
    with store.transaction() as session:
        if username_taken(session, username):
            raise InvalidInput(f"user {username!r} already exists")
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=hash_password(password),
            locale=locale,
            calendar=calendar,
            created_at=utcnow(),
        )
        session.add(user)
        session.flush()
        return _info(user)


def grant_role(
    store: Store, *, workspace_id: int, user_id: int, role: str, actor: Actor | None = None
) -> None:
    """Give a user a role in a workspace (replacing any role they had there). A new or different role
    ends the user's sessions; granting the role they already have changes nothing."""
    if role not in {r.value for r in Role}:
        raise InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}")
    if actor is not None:
        require(actor, "workspace.admin")
        if actor.workspace_id != workspace_id:
            raise NotFound("workspace")
    with store.transaction() as session:
        if session.get(Workspace, workspace_id) is None or session.get(User, user_id) is None:
            raise NotFound("workspace or user")
        membership = _membership(session, workspace_id, user_id)
        if membership is not None and membership.role == role:
            return
        if membership is None:
            session.add(Membership(workspace_id=workspace_id, user_id=user_id, role=role))
        else:
            membership.role = role
        raise_session_version(session, user_id)
        by = actor.user_id if actor else None
        audit_user_change(
            session, "membership.grant", user_id=user_id, by=by, workspace_id=workspace_id, role=role
        )


def revoke_role(store: Store, *, workspace_id: int, user_id: int, actor: Actor | None = None) -> None:
    """Remove a user from a workspace, ending their sessions (an admin acts in their own workspace only)."""
    if actor is not None:
        require(actor, "workspace.admin")
        if actor.workspace_id != workspace_id:
            raise NotFound("membership")
    with store.transaction() as session:
        membership = _membership(session, workspace_id, user_id)
        if membership is None:
            raise NotFound("membership")
        session.delete(membership)
        raise_session_version(session, user_id)
        by = actor.user_id if actor else None
        audit_user_change(session, "membership.revoke", user_id=user_id, by=by, workspace_id=workspace_id)


def _membership(session: Session, workspace_id: int, user_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
    )


def change_password(store: Store, *, user_id: int, password: str, by: int | None = None) -> None:
    """Set a new password and end every session of the user (the one changing it signs in again)."""
    check_password(password)
    new_hash = hash_password(password)  # slow: outside the transaction
    with store.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("user")
        user.password_hash, user.must_change_password = new_hash, False
        raise_session_version(session, user_id)
        audit_user_change(session, "user.password", user_id=user_id, by=by)


def set_active(store: Store, *, user_id: int, active: bool, by: int | None = None) -> None:
    """Disable a user (they cannot sign in, and their sessions end) or enable them again."""
    with store.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("user")
        user.is_active = active
        raise_session_version(session, user_id)
        audit_user_change(session, "user.enable" if active else "user.disable", user_id=user_id, by=by)


def end_sessions(store: Store, *, user_id: int, by: int | None = None) -> None:
    """Log the user out of every device: every session cookie they have stops working."""
    with store.transaction() as session:
        if session.get(User, user_id) is None:
            raise NotFound("user")
        raise_session_version(session, user_id)
        audit_user_change(session, "user.sessions_ended", user_id=user_id, by=by)


def authenticate(store: Store, *, username: str, password: str) -> UserInfo | None:
    """The user when the password is right, else None (in constant-ish time either way). The slow hash is
    checked outside any transaction, so a sign-in never holds SQLite's writer lock while it runs."""
    with store.read() as session:
        user = session.scalar(select(User).where(User.username == username.strip(), User.is_active.is_(True)))
        stored_hash = user.password_hash if user else _DUMMY_HASH
        found = _info(user) if user else None
    try:
        _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if found is None:
        return None
    new_hash = _hasher.hash(password) if _hasher.check_needs_rehash(stored_hash) else None
    with store.transaction() as session:
        row = session.get(User, found.id)
        if row is not None:
            row.last_sign_in_at = utcnow()
            if new_hash is not None and row.password_hash == stored_hash:
                row.password_hash = new_hash
    return found


def get_user(store: Store, *, user_id: int) -> UserInfo | None:
    with store.read() as session:
        user = session.get(User, user_id)
        return _info(user) if user and user.is_active else None


def memberships(store: Store, *, user_id: int) -> list[MembershipInfo]:
    with store.read() as session:
        rows = session.execute(
            select(Membership.role, Workspace.id, Workspace.slug, Workspace.name, Workspace.timezone)
            .join(Workspace, Workspace.id == Membership.workspace_id)
            .where(Membership.user_id == user_id)
            .order_by(Workspace.id)
        )
        return [MembershipInfo(ws_id, slug, name, role, tz) for role, ws_id, slug, name, tz in rows]


def set_preferences(store: Store, *, user_id: int, locale: str, calendar: str) -> UserInfo:
    _check_preferences(locale, calendar)
    with store.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("user")
        user.locale, user.calendar = locale, calendar
        return _info(user)


def user_id_by_name(store: Store, *, username: str) -> int | None:
    with store.read() as session:
        return session.scalar(select(User.id).where(User.username == username.strip()))
