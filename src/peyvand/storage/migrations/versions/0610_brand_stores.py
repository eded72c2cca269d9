"""brand: the brand file's stores (key and names), shown by name on the marketing pages

Revision ID: 0610_brand_stores
Revises: 0600_text
Create Date: 2026-11-26 16:30:00.000000

A brand file's optional `[[stores]]` (`domain.brand.Store`): reactions carry a store's key in their `store`
dimension and the pages show its name in the viewer's script. Kept on the brand row as a JSON list, as the
brand's aliases and domains are; existing workspaces get an empty list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0610_brand_stores"
down_revision = "0600_text"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("brands", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stores",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=False,
                server_default="[]",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("brands", schema=None) as batch_op:
        batch_op.drop_column("stores")
