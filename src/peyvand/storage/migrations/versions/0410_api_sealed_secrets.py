"""api: webhook endpoints' secrets encrypted at rest

Revision ID: 0410_api_sealed_secrets
Revises: 0400_api
Create Date: 2026-11-26 10:20:00.000000

The secret and verify token columns become Text (a sealed value is longer than the plain one) and every
plain value is sealed (`peyvand.storage.migrations.sealing_v1`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from peyvand.storage.migrations.sealing_v1 import open_sealed_values, seal_plain_values

revision = "0410_api_sealed_secrets"
down_revision = "0400_api"
branch_labels = None
depends_on = None

COLUMNS = (("webhook_endpoints", "secret"), ("webhook_endpoints", "verify_token"))


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.VARCHAR(length=256), type_=sa.Text(), existing_nullable=False
        )
        batch_op.alter_column(
            "verify_token", existing_type=sa.VARCHAR(length=256), type_=sa.Text(), existing_nullable=True
        )
    seal_plain_values(COLUMNS)


def downgrade() -> None:
    open_sealed_values(COLUMNS)
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.alter_column(
            "verify_token", existing_type=sa.Text(), type_=sa.VARCHAR(length=256), existing_nullable=True
        )
        batch_op.alter_column(
            "secret", existing_type=sa.Text(), type_=sa.VARCHAR(length=256), existing_nullable=False
        )
