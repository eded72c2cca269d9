"""inbox: the outbound integration's signing secret encrypted at rest

Revision ID: 0210_inbox_sealed_secrets
Revises: 0200_inbox
Create Date: 2026-11-26 10:20:00.000000

The secret column becomes Text (a sealed value is longer than the plain one) and every plain value is
sealed (`peyvand.storage.migrations.sealing_v1`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from peyvand.storage.migrations.sealing_v1 import open_sealed_values, seal_plain_values

revision = "0210_inbox_sealed_secrets"
down_revision = "0200_inbox"
branch_labels = None
depends_on = None

COLUMNS = (("outbound_integrations", "secret"),)


def upgrade() -> None:
    with op.batch_alter_table("outbound_integrations", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.VARCHAR(length=128), type_=sa.Text(), existing_nullable=False
        )
    seal_plain_values(COLUMNS)


def downgrade() -> None:
    open_sealed_values(COLUMNS)
    with op.batch_alter_table("outbound_integrations", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.Text(), type_=sa.VARCHAR(length=128), existing_nullable=False
        )
