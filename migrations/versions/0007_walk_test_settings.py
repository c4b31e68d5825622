"""walk test settings: what the guided walking tests remember

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Server defaults fill the existing settings row; the model supplies them for new rows.
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("walk_test_course_m", sa.Float(), nullable=False, server_default="30.0")
        )
        batch_op.add_column(
            sa.Column(
                "walk_test_round_trip", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column("treadmill_speed_kmh", sa.Float(), nullable=False, server_default="3.2")
        )
        batch_op.add_column(
            sa.Column(
                "treadmill_protocol",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="graded",
            )
        )
        batch_op.add_column(
            sa.Column("treadmill_grade_pct", sa.Float(), nullable=False, server_default="10.0")
        )
        batch_op.add_column(
            sa.Column(
                "stopwatch_mode",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="ask",
            )
        )
        batch_op.add_column(sa.Column("stopwatch_route_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("stopwatch_speed_kmh", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("settings", schema=None) as batch_op:
        for name in (
            "stopwatch_speed_kmh",
            "stopwatch_route_m",
            "stopwatch_mode",
            "treadmill_grade_pct",
            "treadmill_protocol",
            "treadmill_speed_kmh",
            "walk_test_round_trip",
            "walk_test_course_m",
        ):
            batch_op.drop_column(name)
