"""cohort cache: a therapist's last computed line for each patient

The cohort view computes every patient's dashboard summary (the trend detector most of it);
most patients have not logged since the therapist last looked. Each line is kept with the day
it was computed for and a fingerprint of the patient's rows, and reused while both still hold
(tracker/db/programme.py). The cache is derived data owned by the therapist: on a clinic's
server, row-level security lets a therapist read and write only its own rows, for the
patients of its programme; patients have no access to the table at all. A diary file gets the
table too (one schema for both backends) and never uses it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

THERAPIST_OWN = "therapist_role = current_user AND patient_id = ANY (tracker_visible())"
"""The same policy `tracker clinic init` installs on a new clinic (tracker/db/clinic.py)."""


def _is_clinic(bind: sa.Connection) -> bool:
    """A clinic's server: the walks' row-level security is forced and the policies' function
    exists (a single-user PostgreSQL diary has neither)."""
    return bool(
        bind.execute(
            sa.text(
                "SELECT coalesce(bool_and(relforcerowsecurity), false)"
                " AND to_regprocedure('tracker_visible()') IS NOT NULL FROM pg_class"
                " WHERE relname = 'walk' AND relnamespace = 'public'::regnamespace"
            )
        ).scalar()
    )


def upgrade() -> None:
    op.create_table(
        "cohort_line",
        sa.Column("therapist_role", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("line", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("therapist_role", "patient_id"),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _is_clinic(bind):
        return
    # an existing clinic: the table is bound like the diary's tables, and every therapist
    # already registered may keep its own lines (new ones are granted by add-therapist)
    op.execute("ALTER TABLE cohort_line ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE cohort_line FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY therapist ON cohort_line USING ({THERAPIST_OWN}) WITH CHECK "
        f"({THERAPIST_OWN})"
    )
    op.execute("REVOKE ALL ON cohort_line FROM PUBLIC")
    quote = bind.dialect.identifier_preparer.quote
    for (role,) in bind.execute(sa.text("SELECT role_name FROM therapist ORDER BY id")):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON cohort_line TO {quote(role)}")


def downgrade() -> None:
    op.drop_table("cohort_line")
