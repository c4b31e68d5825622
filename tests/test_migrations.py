from __future__ import annotations

import shutil
import sqlite3
from importlib.resources import files
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import tracker.db.opening as store_mod
from tracker.db.errors import MigrationFailed
from tracker.db.opening import KNOWN_REVISIONS, SCHEMA_REVISION, open_store
from tracker.db.repository import Store
from tracker.domain.validation import validate_walk

from .conftest import FIXED_NOW


def script_dir(location: str | None = None) -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", location or str(files("tracker.migrations")))
    return ScriptDirectory.from_config(cfg)


def test_schema_constant_matches_alembic_head() -> None:
    scripts = script_dir()
    assert scripts.get_current_head() == SCHEMA_REVISION
    assert {r.revision for r in scripts.walk_revisions()} == set(KNOWN_REVISIONS)


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


EXTRA_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("walk") as batch:
        batch.add_column(sa.Column("weather", sa.String(20), nullable=True))
    {tail}


def downgrade():
    pass
"""


def _with_extra_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str = "pass"
) -> None:
    """A copy of the real migrations plus a 9001 that rebuilds the walk table (SQLite batch)."""
    location = tmp_path / "migrations"
    shutil.copytree(str(files("tracker.migrations")), location)
    (location / "versions" / "9001_extra.py").write_text(
        EXTRA_REVISION.format(tail=tail, head=SCHEMA_REVISION)
    )
    real = store_mod.run_migrations

    def run(engine: object, script_location: str | None = None) -> None:
        real(engine, str(location))  # type: ignore[arg-type]

    monkeypatch.setattr(store_mod, "run_migrations", run)
    monkeypatch.setattr(store_mod, "SCHEMA_REVISION", "9001")
    monkeypatch.setattr(store_mod, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "9001"))


def _fill(path: Path, n: int) -> list[tuple[object, ...]]:
    store = open_store(path)
    for i in range(n):
        draft = {"pain_free": str(100 + i), "max": str(300 + i), "notes": f"Weg {i} – Grüße"}
        store.add_walk(validate_walk(draft, unit="m", now=FIXED_NOW))
    store.add_symptom("leg_swelling_one_side", FIXED_NOW.date())
    store.close()
    return _rows(path)


def _rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT id, walked_at, pain_free_m, max_m, notes FROM walk ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_upgrade_with_data_keeps_every_row_and_makes_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tracker.db"
    rows = _fill(path, 50)
    _with_extra_revision(tmp_path, monkeypatch)
    store = open_store(path)
    assert store.backup_path is not None and store.backup_path.exists()
    assert store.backup_path.stat().st_mode & 0o777 == 0o600
    store.close()
    assert _rows(path) == rows
    conn = sqlite3.connect(path)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(walk)")]
    assert "weather" in cols
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9001",)
    conn.close()
    assert _rows(store.backup_path) == rows


def test_failed_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tracker.db"
    rows = _fill(path, 20)
    _with_extra_revision(tmp_path, monkeypatch, tail='raise RuntimeError("disk on fire")')
    with pytest.raises(MigrationFailed, match="left as it was") as info:
        open_store(path)
    assert "backup" in str(info.value)
    conn = sqlite3.connect(path)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(walk)")]
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    conn.close()
    assert "weather" not in cols and version == (SCHEMA_REVISION,)
    assert _rows(path) == rows
    backups = list(tmp_path.glob("tracker.backup-*.db"))
    assert len(backups) == 1 and _rows(backups[0]) == rows


def _database_at(path: Path, revision: str, *, walks: int) -> None:
    """A file at an old schema revision holding `walks` walks, written with plain SQL."""
    from alembic import command

    engine = store_mod.make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()
    conn = sqlite3.connect(path)
    for i in range(walks):
        conn.execute(
            "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
            " created_at, updated_at) VALUES (?, ?, ?, 0, 'walk', ?, 'typed', ?, ?)",
            (
                f"2026-10-{i + 1:02d} 09:00:00.000000",
                100.0 + i,
                300.0 + i,
                f"Weg {i}",
                "2026-10-01 00:00:00",
                "2026-10-01 00:00:00",
            ),
        )
    conn.commit()
    conn.close()


def test_a_version_0001_database_with_data_upgrades_to_head(tmp_path: Path) -> None:
    """The real upgrade path: a file written by the first release, opened by this one."""
    path = tmp_path / "old.db"
    _database_at(path, "0001", walks=30)
    rows = _rows(path)
    store = open_store(path)
    assert store.backup_path is not None and _rows(store.backup_path) == rows
    walks = store.walks()
    assert len(walks) == 30 and walks[0].duration_min is None
    store.close()
    assert _rows(path) == rows


def test_a_version_0002_database_with_data_gains_the_calf_check_table(tmp_path: Path) -> None:
    """Migration 0005 on a file with walks and symptoms: every row stays, checks can be saved."""
    from datetime import datetime

    from tracker.domain.calf_check import CheckContext, evaluate, parse_pairs
    from tracker.domain.calf_checks import check_record, check_row

    path = tmp_path / "v2.db"
    _database_at(path, "0002", walks=25)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO symptom (key, reported_on, notes, created_at) VALUES "
        "('leg_swelling_one_side', '2026-10-20', 'Wade', '2026-10-20 00:00:00')"
    )
    conn.commit()
    conn.close()
    rows = _rows(path)
    store = open_store(path)
    assert store.backup_path is not None and _rows(store.backup_path) == rows
    assert len(store.symptoms()) == 1 and store.calf_checks() == []
    result = evaluate(parse_pairs(["ecq1=no", "emergency=none", "swelling=yes"]), CheckContext())
    saved = store.add_calf_check(check_row(result, datetime(2026, 10, 21, 8, 0)))
    assert check_record(store.calf_checks()[0]) == check_record(saved)
    store.close()
    assert _rows(path) == rows
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_REVISION,)
    conn.close()


def test_a_version_0002_database_with_data_gains_the_prompt_answer_table(tmp_path: Path) -> None:
    """Upgrading a diary full of walks to the head adds the answers table and keeps every row."""
    path = tmp_path / "v2.db"
    _database_at(path, "0002", walks=0)
    conn = sqlite3.connect(path)
    for i in range(40):
        conn.execute(
            "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
            " created_at, updated_at, duration_min)"
            " VALUES (?, ?, ?, 0, 'walk', ?, 'typed', ?, ?, ?)",
            (
                f"2026-10-{i % 28 + 1:02d} 09:{i:02d}:00.000000",
                100.0 + i,
                300.0 + i,
                f"Weg {i}",
                "2026-10-01 00:00:00",
                "2026-10-01 00:00:00",
                30.0,
            ),
        )
    conn.execute(
        "INSERT INTO symptom (key, reported_on, notes, created_at) VALUES (?, ?, ?, ?)",
        ("rest_pain_night", "2026-10-03", "", "2026-10-03 00:00:00"),
    )
    conn.commit()
    conn.close()
    rows = _rows(path)
    store = open_store(path)
    assert store.backup_path is not None and _rows(store.backup_path) == rows
    assert store.prompt_answers() == []
    store.add_prompt_answer("q", "t", "no", FIXED_NOW.date())
    assert store.prompt_answer("q", "t") is not None
    assert len(store.walks()) == 40 and len(store.symptoms()) == 1
    store.close()
    assert _rows(path) == rows
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_REVISION,)
    conn.close()
