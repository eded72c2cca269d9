"""A workspace's members, managed by its admins (the members page; `peyvand user …` is the operator's way).

An admin acts in their own workspace only: a person who is not a member of it is "not found", whatever
other workspace they belong to. Two rules keep a workspace manageable:

- it always keeps an active admin: removing, demoting or disabling its last one is refused;
- disabling or enabling a person changes their sign-in everywhere, so an admin may do it only to people
  whose every workspace they administer too; otherwise they remove the person from their workspace.

Every change is audited (`audit_log`, with the workspace) and, as in `peyvand.services.users`, every change
of a person's role, membership or state ends that person's sessions.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peyvand.domain.vocabulary import Role
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.users import (
    audit_user_change,
    check_password,
    check_username,
    hash_password,
    raise_session_version,
    username_taken,
)
from peyvand.storage.db import Store
from peyvand.storage.tables import Membership, User

ROLES = tuple(r.value for r in Role)


class MemberRefused(InvalidInput):
    """A change an admin asked for and may not make; `reason` names which rule refused it (the page says
    it in the viewer's language, the message in English)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    display_name: str
    role: str
    active: bool
    last_sign_in_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "active": self.active,
            "last_sign_in_at": self.last_sign_in_at.isoformat() if self.last_sign_in_at else None,
        }


@dataclass(frozen=True)
class NewMember:
    """A member made with a new account: `password` is shown to the admin once and kept nowhere."""

    member: Member
    password: str


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")


def _member(user: User, role: str) -> Member:
    return Member(user.id, user.username, user.display_name, role, user.is_active, user.last_sign_in_at)


def _membership(session: Session, actor: Actor, user_id: int) -> Membership:
    """The person's membership in the actor's workspace (NotFound when they have none there)."""
    found = session.scalar(
        select(Membership).where(Membership.workspace_id == actor.workspace_id, Membership.user_id == user_id)
    )
    if found is None:
        raise NotFound("no such member in this workspace")
    return found


def _keep_an_admin(session: Session, workspace_id: int, user_id: int) -> None:
    """Refuse a change that takes `user_id` away from the workspace's active admins when no other is left.
    The admins' rows are locked (PostgreSQL) so two admins demoting each other at once cannot both pass."""
    admins = session.scalars(
        select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.workspace_id == workspace_id,
            Membership.role == Role.ADMIN.value,
            User.is_active.is_(True),
        )
        .with_for_update(of=Membership)
    ).all()
    if user_id in admins and len(admins) == 1:
        raise MemberRefused(
            "last_admin",
            "this is the workspace's last admin: make another member admin first, so that someone can "
            "still manage the workspace",
        )


def _audit(session: Session, actor: Actor, action: str, user_id: int, **details: str) -> None:
    audit_user_change(
        session, action, user_id=user_id, by=actor.user_id, workspace_id=actor.workspace_id, **details
    )


def list_members(store: Store, actor: Actor) -> list[Member]:
    require(actor, "members.manage")
    with store.read() as session:
        rows = session.execute(
            select(User, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == actor.workspace_id)
            .order_by(func.lower(User.username))
        ).all()
        return [_member(user, role) for user, role in rows]


def add_member(store: Store, actor: Actor, *, username: str, role: str) -> Member:
    """Give an existing account a role in this workspace."""
    require(actor, "members.manage")
    _check_role(role)
    with store.transaction() as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None or not _within_reach(session, actor, user.id):
            raise MemberRefused(
                "no_account", f"there is no account named {username.strip()!r}: make a new one instead"
            )
        taken = session.scalar(
            select(Membership.role).where(
                Membership.workspace_id == actor.workspace_id, Membership.user_id == user.id
            )
        )
        if taken is not None:
            raise MemberRefused(
                "already_member", f"{user.username} is already a member ({taken}): change their role instead"
            )
        session.add(Membership(workspace_id=actor.workspace_id, user_id=user.id, role=role))
        raise_session_version(session, user.id)
        _audit(session, actor, "membership.grant", user.id, role=role)
        return _member(user, role)


def create_member(
    store: Store, actor: Actor, *, username: str, role: str, display_name: str = "", locale: str = "fa"
) -> NewMember:
    """Make a new account with a one-time password and give it a role in this workspace."""
    require(actor, "members.manage")
    _check_role(role)
    try:
        username = check_username(username)
    except InvalidInput as exc:
        raise MemberRefused("bad_username", str(exc)) from None
    if locale not in ("fa", "en"):
        raise InvalidInput("language must be fa or en")
    password = secrets.token_urlsafe(12)
    check_password(password)
    password_hash = hash_password(password)  # slow: outside the transaction
    with store.transaction() as session:
        if username_taken(session, username):
            raise MemberRefused(
                "account_exists", f"an account named {username!r} exists: add it as an existing account"
            )
        user = User(
            username=username,
            display_name=display_name.strip()[:200] or username,
            password_hash=password_hash,
            locale=locale,
            calendar="jalali" if locale == "fa" else "gregorian",
            must_change_password=True,  # the one-time password was seen by the admin
            created_at=utcnow(),
        )
        session.add(user)
        session.flush()
        session.add(Membership(workspace_id=actor.workspace_id, user_id=user.id, role=role))
        _audit(session, actor, "user.create", user.id)
        _audit(session, actor, "membership.grant", user.id, role=role)
        return NewMember(_member(user, role), password)


def change_member_role(store: Store, actor: Actor, *, user_id: int, role: str) -> None:
    """Give a member another role (the same role changes nothing); their sessions end."""
    require(actor, "members.manage")
    _check_role(role)
    with store.transaction() as session:
        membership = _membership(session, actor, user_id)
        if membership.role == role:
            return
        if role != Role.ADMIN.value:
            _keep_an_admin(session, actor.workspace_id, user_id)
        membership.role = role
        raise_session_version(session, user_id)
        _audit(session, actor, "membership.grant", user_id, role=role)


def remove_member(store: Store, actor: Actor, *, user_id: int) -> None:
    """Take a member out of this workspace (their account and other workspaces stay); their sessions end."""
    require(actor, "members.manage")
    with store.transaction() as session:
        membership = _membership(session, actor, user_id)
        _keep_an_admin(session, actor.workspace_id, user_id)
        session.delete(membership)
        raise_session_version(session, user_id)
        _audit(session, actor, "membership.revoke", user_id)


def _within_reach(session: Session, actor: Actor, user_id: int) -> bool:
    """Whether the actor may add this account to their workspace: the operator always; an admin when the
    account belongs to no workspace or to one they administer too (an agency's own people). Another
    client's people stay out of reach and read as "no account" here. (Usernames are one namespace for
    the whole install, so making a new account with a name in use still says it is taken.)"""
    if actor.user_id is None:
        return True
    theirs = set(session.scalars(select(Membership.workspace_id).where(Membership.user_id == user_id)))
    return not theirs or bool(theirs & _administered(session, actor.user_id))


def _administered(session: Session, user_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Membership.workspace_id).where(
                Membership.user_id == user_id, Membership.role == Role.ADMIN.value
            )
        )
    )


def _check_reach(session: Session, actor: Actor, user_id: int) -> None:
    """Refuse to disable or enable a person who belongs to a workspace the actor does not administer."""
    if actor.user_id is None:  # the local operator
        return
    theirs = set(session.scalars(select(Membership.workspace_id).where(Membership.user_id == user_id)))
    if theirs - _administered(session, actor.user_id):
        raise MemberRefused(
            "other_workspace",
            "this person is also a member of a workspace you do not administer, and disabling or enabling "
            "them would change their sign-in there too: remove them from this workspace instead",
        )


def set_member_active(store: Store, actor: Actor, *, user_id: int, active: bool) -> None:
    """Disable a member (they cannot sign in anywhere, and their sessions end) or enable them again."""
    require(actor, "members.manage")
    if not active and user_id == actor.user_id:
        raise MemberRefused(
            "disable_self", "you cannot disable yourself: ask another admin, or log out of every device"
        )
    with store.transaction() as session:
        _membership(session, actor, user_id)
        _check_reach(session, actor, user_id)
        if not active:
            _keep_an_admin(session, actor.workspace_id, user_id)
        user = session.get(User, user_id)
        assert user is not None  # it has a membership
        if user.is_active == active:
            return
        user.is_active = active
        raise_session_version(session, user_id)
        _audit(session, actor, "user.enable" if active else "user.disable", user_id)
