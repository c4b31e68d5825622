"""patients: every row of a diary belongs to a patient

A file holds one patient: it becomes patient 1, named by the settings' name and identifier,
and every existing row is assigned to it. On a clinic's server the same tables hold many
patients, kept apart by row-level security (tracker/db/clinic.py). Settings and cigarette
days were keyed per database (settings id 1, one row per day); they are now keyed per patient.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "walk",
    "smoking_status",
    "cigarette_day",
    "symptom",
    "settings",
    "treatment_event",
    "calf_check",
    "walk_draft",
    "prompt_answer",
)
KEYED_PER_PATIENT = {"settings": ["id"], "cigarette_day": ["day"]}
"""Tables whose key was unique per database and is now unique per patient."""


def _pk_name(table: str) -> str:
    return f"{table}_pkey"


def _owner_column() -> sa.Column[int]:
    return sa.Column("owner_id", sa.Integer(), nullable=False, server_default=sa.text("1"))


def _rebuild_sqlite(table: str, key: list[str] | None, owner: bool) -> None:
    """SQLite alters a table by copying it: the same columns, with or without `owner_id`
    (and its foreign key and index), keyed by `key` (None: as it was)."""
    bind = op.get_bind()
    old = sa.Table(table, sa.MetaData(), autoload_with=bind)
    keep = [c for c in old.columns if c.name != "owner_id"]
    key = key or [c.name for c in old.primary_key.columns]
    meta = sa.MetaData()
    sa.Table("patient", meta, sa.Column("id", sa.Integer(), primary_key=True))
    columns = [
        sa.Column(
            c.name,
            c.type,
            nullable=c.nullable and c.name not in key,
            server_default=c.server_default,
            primary_key=c.name in key,
        )
        for c in keep
    ]
    if owner:
        owner_id = _owner_column()
        owner_id.primary_key = "owner_id" in key
        columns.append(owner_id)
    extra: list[sa.SchemaItem] = []
    if owner:
        extra.append(
            sa.ForeignKeyConstraint(
                ["owner_id"], ["patient.id"], name=f"fk_{table}_owner_id_patient"
            )
        )
    new = sa.Table(table, meta, *columns, *extra)
    indexes = [
        (i.name, [c.name for c in i.columns], bool(i.unique))
        for i in old.indexes
        if "owner_id" not in [c.name for c in i.columns]
    ]
    names = ", ".join(f'"{c.name}"' for c in keep)
    op.execute(f'ALTER TABLE "{table}" RENAME TO "_old_{table}"')
    for name, _, _ in indexes:
        op.execute(f'DROP INDEX IF EXISTS "{name}"')
    new.create(bind)
    op.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "_old_{table}"')
    op.execute(f'DROP TABLE "_old_{table}"')
    for name, cols, unique in indexes:
        op.create_index(name, table, cols, unique=unique)
    if owner:
        op.create_index(f"ix_{table}_owner_id", table, ["owner_id"])


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    patient = op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("identifier", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("role_name", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=True),
        sa.Column("programme", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("role_name"),
    )
    op.create_table(
        "therapist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_name", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("programme", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("role_name"),
    )
    named = bind.execute(
        sa.text("SELECT patient_name, patient_id FROM settings WHERE id = 1")
    ).first()
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        patient,
        [
            {
                "id": 1,
                "display_name": (named[0] if named else "") or "",
                "identifier": (named[1] if named else "") or "",
                "role_name": None,
                "programme": "",
                "created_at": now,
            }
        ],
    )
    if not sqlite:  # the explicit id 1 did not advance the sequence
        op.execute("SELECT setval(pg_get_serial_sequence('patient', 'id'), 1)")
    for table in TABLES:
        key = ["owner_id", *KEYED_PER_PATIENT[table]] if table in KEYED_PER_PATIENT else None
        if sqlite:
            _rebuild_sqlite(table, key, owner=True)
            continue
        op.add_column(table, _owner_column())
        op.create_foreign_key(
            f"fk_{table}_owner_id_patient", table, "patient", ["owner_id"], ["id"]
        )
        op.create_index(f"ix_{table}_owner_id", table, ["owner_id"])
        if key is not None:
            op.drop_constraint(_pk_name(table), table, type_="primary")
            op.create_primary_key(_pk_name(table), table, key)
    # the reads of one patient's walks in date order (the cohort view reads every patient's)
    op.create_index("ix_walk_owner_walked_at", "walk", ["owner_id", "walked_at"])


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.drop_index("ix_walk_owner_walked_at", table_name="walk")
    for table in reversed(TABLES):
        key = KEYED_PER_PATIENT.get(table)
        if sqlite:
            _rebuild_sqlite(table, key, owner=False)
            continue
        if key is not None:
            op.drop_constraint(_pk_name(table), table, type_="primary")
            op.create_primary_key(_pk_name(table), table, key)
        op.drop_index(f"ix_{table}_owner_id", table_name=table)
        op.drop_constraint(f"fk_{table}_owner_id_patient", table, type_="foreignkey")
        op.drop_column(table, "owner_id")
    op.drop_table("therapist")
    op.drop_table("patient")
