"""security: when each user last signed in, and whether they must choose their own password

Revision ID: 0720_security_sign_in_state
Revises: 0710_security_session_version
Create Date: 2026-11-26 13:00:00.000000

`last_sign_in_at` is shown on the members page; `must_change_password` is set on an account an admin made
with a one-time password, and the web app sends its user to their account page until they change it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0720_security_sign_in_state"
down_revision = "0710_security_session_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("last_sign_in_at")
