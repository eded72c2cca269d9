"""imports: how many records of a run revised a stored value (a corrected re-export)

Revision ID: 0730_import_revised
Revises: 0720_security_sign_in_state
Create Date: 2026-11-26 20:00:00.000000

A metric record whose id is stored already but whose value differs (a store counter's corrected export)
replaces the stored value and adjusts the rollups; the run counts it as revised, not as a duplicate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0730_import_revised"
down_revision = "0720_security_sign_in_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revised", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_column("revised")
