"""prompt answers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prompt_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("trigger", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prompt_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prompt_answer_asked_on"), ["asked_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_prompt_answer_question"), ["question"], unique=False)
        batch_op.create_index(batch_op.f("ix_prompt_answer_trigger"), ["trigger"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prompt_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prompt_answer_trigger"))
        batch_op.drop_index(batch_op.f("ix_prompt_answer_question"))
        batch_op.drop_index(batch_op.f("ix_prompt_answer_asked_on"))
    op.drop_table("prompt_answer")
