"""security: a session version per user (signing out every device)

Revision ID: 0710_security_session_version
Revises: 0700_security
Create Date: 2026-11-26 12:00:00.000000

Each session cookie carries the version its user had when they signed in; a cookie whose version is no
longer the user's is refused (`peyvand.web.security.current_viewer`). Existing users start at 0, and the
cookies issued before this migration carry no version, so every browser signs in once more.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0710_security_session_version"
down_revision = "0700_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
