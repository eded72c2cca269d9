"""reputation: crises and content pickups

Revision ID: 0300_reputation
Revises: 0001
Create Date: 2026-11-26 07:04:18.554510
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0300_reputation"
down_revision = "0001"
branch_labels = ("reputation",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_crises_decided_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_crises_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crises")),
        sa.UniqueConstraint("workspace_id", "start", name=op.f("uq_crises_workspace_id_start")),
    )
    with op.batch_alter_table("crises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crises_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_crises_workspace_id_crises_status"), ["workspace_id", "status"], unique=False
        )

    op.create_table(
        "content_pickups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["content.id"],
            name=op.f("fk_content_pickups_content_id_content"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_content_pickups_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_content_pickups_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_pickups")),
        sa.UniqueConstraint("content_id", "item_id", name=op.f("uq_content_pickups_content_id_item_id")),
    )
    with op.batch_alter_table("content_pickups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_pickups_content_id"), ["content_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_pickups_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_pickups_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_pickups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_pickups_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_content_pickups_item_id"))
        batch_op.drop_index(batch_op.f("ix_content_pickups_content_id"))

    op.drop_table("content_pickups")
    with op.batch_alter_table("crises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crises_workspace_id_crises_status"))
        batch_op.drop_index(batch_op.f("ix_crises_workspace_id"))

    op.drop_table("crises")
