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
# An API token acting for its workspace: it holds only the permissions of its scopes (checked with the
# token in `peyvand.services.api_tokens`), never a person's.
API_TOKEN = "api_token"

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
    "ingest.write": frozenset({Role.ADMIN, Role.PR, Role.MARKETING, API_TOKEN}),
    # The imports page: every run's outcome counts and its rejected records (raw input, so message text).
    "imports.read": frozenset({Role.ADMIN, Role.PR, Role.MARKETING, API_TOKEN}),
    "export.items": frozenset({Role.ADMIN, Role.PR}),
    "workspace.admin": frozenset({Role.ADMIN}),
    # The members page: the workspace's people and roles; adding, changing a role, removing, disabling.
    "members.manage": frozenset({Role.ADMIN}),
    # The privacy page (peyvand.services.personal_data): finding one person's records, exporting them,
    # erasing them on request, and the workspace's retention of messages and authors.
    "personal_data.manage": frozenset({Role.ADMIN}),
    # Reputation (sentiment index, attributes, share of voice, crises, content spread, branding campaigns):
    # every role reads the aggregated numbers; message texts in them need conversations.read_all.
    "reputation.read": frozenset({Role.ADMIN, Role.PR, Role.MARKETING, Role.VIEWER}),
    # Re-running crisis detection and pickup matching (queued after every ingest, so whoever ingests).
    "reputation.refresh": frozenset({Role.ADMIN, Role.PR, Role.MARKETING}),
    # Confirming or dismissing crises, registering PR content, editing the media list.
    "reputation.work": frozenset({Role.ADMIN, Role.PR}),
    # The media list names people (journalists, influencers) and holds PR's notes on them.
    "media_list.read": frozenset({Role.ADMIN, Role.PR}),
    # Handoffs of single conversations between the teams (the exchange's handoffs section); the note and
    # the conversation are message content, so viewers do not see them.
    "handoffs.read": frozenset({Role.ADMIN, Role.PR, Role.MARKETING}),
    "handoffs.work": frozenset({Role.ADMIN, Role.PR, Role.MARKETING}),
    # Running the signal job (queued after every ingest of reactions, so whoever ingests; and on demand).
    # Reading signals, campaigns' return, loops and target markets is marketing_desk.read (aggregates);
    # editing campaigns, loops and audiences, and pausing loops, is marketing.work.
    "signals.refresh": frozenset({Role.ADMIN, Role.PR, Role.MARKETING}),
    # Text understanding (peyvand.services.text_*): the settings page with the label counts and the learned
    # models' quality; labelling messages (the labelling page shows message texts) and importing labelled
    # CSV files; training the models and re-running understanding over the stored items.
    "text.read": frozenset({Role.ADMIN, Role.PR}),
    "text.label": frozenset({Role.ADMIN, Role.PR}),
    "text.train": frozenset({Role.ADMIN, Role.PR}),
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
