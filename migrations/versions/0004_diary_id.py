"""diary id: a `-wal` beside the file is replayed only when it keeps this id

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    diary = op.create_table(
        "diary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diary_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(diary, [{"id": 1, "diary_id": str(uuid.uuid4()), "created_at": now}])


def downgrade() -> None:
    op.drop_table("diary")
