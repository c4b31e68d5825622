"""walk drafts: activities imported from a watch or phone

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "walk_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_utc", sa.DateTime(), nullable=False),
        sa.Column("device", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("file_format", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("duration_min", sa.Float(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("walk_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("walk_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_walk_draft_started_at"), ["started_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_walk_draft_started_utc"), ["started_utc"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_walk_draft_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("walk_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_walk_draft_status"))
        batch_op.drop_index(batch_op.f("ix_walk_draft_started_utc"))
        batch_op.drop_index(batch_op.f("ix_walk_draft_started_at"))
    op.drop_table("walk_draft")
