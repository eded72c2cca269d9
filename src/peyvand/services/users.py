"""People, their roles per workspace, and logging in.

Passwords are hashed with Argon2id (argon2-cffi: the OWASP-recommended algorithm, maintained by the PyCA
people; it also tells us when a stored hash needs rehashing with newer parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

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


@dataclass(frozen=True)
class MembershipInfo:
    workspace_id: int
    workspace_slug: str
    workspace_name: str
    role: str
    timezone: str = "Asia/Tehran"


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, user.locale, user.calendar)


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
    username = username.strip()
    if not username or len(password) < 8:
        raise InvalidInput("a user needs a username and a password of at least 8 characters")
    _check_preferences(locale, calendar)
    with store.transaction() as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise InvalidInput(f"user {username!r} already exists")
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
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
    """Give a user a role in a workspace (replacing any role they had there)."""
    if role not in {r.value for r in Role}:
        raise InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}")
    if actor is not None:
        require(actor, "workspace.admin")
    with store.transaction() as session:
        if session.get(Workspace, workspace_id) is None or session.get(User, user_id) is None:
            raise NotFound("workspace or user")
        membership = session.scalar(
            select(Membership).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
        )
        if membership is None:
            session.add(Membership(workspace_id=workspace_id, user_id=user_id, role=role))
        else:
            membership.role = role
        session.add(
            AuditEntry(
                workspace_id=workspace_id,
                user_id=actor.user_id if actor else None,
                action="membership.grant",
                target=str(user_id),
                details={"role": role},
                at=utcnow(),
            )
        )


def authenticate(store: Store, *, username: str, password: str) -> UserInfo | None:
    """The user when the password is right, else None (in constant-ish time either way)."""
    with store.transaction() as session:
        user = session.scalar(select(User).where(User.username == username.strip(), User.is_active.is_(True)))
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return _info(user)


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
