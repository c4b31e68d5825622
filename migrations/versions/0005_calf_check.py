"""calf-pain check

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calf_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("answers", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("context", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("ecq_positive", sa.Boolean(), nullable=False),
        sa.Column("ecq_grade", sa.Integer(), nullable=True),
        sa.Column("ecq_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("pattern", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("tier", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
        sa.Column("advice", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calf_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calf_check_checked_at"), ["checked_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calf_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calf_check_checked_at"))
    op.drop_table("calf_check")
