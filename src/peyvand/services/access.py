"""Who may do what: the one place roles are checked (DESIGN §2 roles; research: RBAC per workspace).

Every service that reads or writes workspace data takes an `Actor` and calls `require`. The CLI acts as
the local operator (`Actor.operator`), who has the database in hand and so every permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from peyvand.domain.vocabulary import Role


class AccessDenied(PermissionError):
    """The actor's role in this workspace does not allow the action."""


class NotFound(LookupError):
    """No such object in this workspace (also said when it exists in another workspace)."""


class InvalidInput(ValueError):
    """Input a person can correct; the message says how."""


OPERATOR = "operator"

# permission -> roles that hold it. Marketing sees PR's conversations only when shared with it (checked by
# the query, see `can_read_all_conversations`); PR sees marketing's aggregated series, not the raw events.
PERMISSIONS: dict[str, frozenset[str]] = {
    "exchange.read": frozenset({Role.ADMIN, Role.PR, Role.MARKETING, Role.VIEWER}),
    "pr_desk.read": frozenset({Role.ADMIN, Role.PR, Role.MARKETING, Role.VIEWER}),
    "conversations.read_all": frozenset({Role.ADMIN, Role.PR}),
    "conversations.work": frozenset({Role.ADMIN, Role.PR}),
    "marketing_desk.read": frozenset({Role.ADMIN, Role.PR, Role.MARKETING, Role.VIEWER}),
    "marketing.raw": frozenset({Role.ADMIN, Role.MARKETING}),
    "marketing.work": frozenset({Role.ADMIN, Role.MARKETING}),
    "items.override": frozenset({Role.ADMIN, Role.PR, Role.MARKETING}),
    "ingest.write": frozenset({Role.ADMIN, Role.PR, Role.MARKETING}),
    "export.items": frozenset({Role.ADMIN, Role.PR}),
    "workspace.admin": frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which workspace, with which role."""

    workspace_id: int
    role: str
    user_id: int | None = None

    @classmethod
    def operator(cls, workspace_id: int) -> Actor:
        return cls(workspace_id=workspace_id, role=OPERATOR)

    def can(self, permission: str) -> bool:
        if permission not in PERMISSIONS:
            raise KeyError(f"unknown permission {permission!r}")
        return self.role == OPERATOR or self.role in PERMISSIONS[permission]


def require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise AccessDenied(f"role {actor.role!r} may not {permission.replace('_', ' ').replace('.', ': ')}")
