"""Migration 0006 (treatment events) on a database written before it, holding data."""

from __future__ import annotations

import sqlite3
from datetime import date
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config

import tracker.db.opening as store_mod
from tracker.db.opening import open_store
from tracker.domain.events import EventInput

TABLES = ("walk", "smoking_status", "cigarette_day", "symptom", "settings")


def columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in TABLES}
    finally:
        conn.close()


def dump(path: Path, like: Path | None = None) -> dict[str, list[tuple[object, ...]]]:
    """Every row of TABLES; with `like`, only the columns that file has (later migrations may
    add columns with defaults)."""
    cols = columns(like or path)
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT {', '.join(cols[t])} FROM {t} ORDER BY 1").fetchall()
            for t in TABLES
        }
    finally:
        conn.close()


def make_0002_database(path: Path) -> None:
    """A file as the release before events wrote it: schema 0002 and a diary in it."""
    engine = store_mod.make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    for i in range(40):
        conn.execute(
            "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
            " created_at, updated_at, duration_min, deleted_at)"
            " VALUES (?, ?, ?, 0, 'walk', ?, 'typed', ?, ?, ?, ?)",
            (
                f"2026-10-{i % 28 + 1:02d} {8 + i % 10:02d}:00:00.000000",
                100.0 + i,
                300.0 + i,
                f"Weg {i} – Grüße",
                "2026-10-01 00:00:00",
                "2026-10-02 00:00:00",
                30.0 if i % 2 else None,
                "2026-10-03 00:00:00" if i == 7 else None,
            ),
        )
    conn.execute(
        "INSERT INTO smoking_status (status, since, cigarettes_per_day, created_at)"
        " VALUES ('former', '2026-01-05', 20, '2026-01-05 00:00:00')"
    )
    conn.execute(
        "INSERT INTO cigarette_day (day, count, updated_at)"
        " VALUES ('2026-01-04', 12, '2026-01-04 00:00:00')"
    )
    conn.execute(
        "INSERT INTO symptom (key, reported_on, notes, created_at)"
        " VALUES ('leg_swelling_one_side', '2026-10-20', 'links', '2026-10-20 00:00:00')"
    )
    conn.execute(
        "INSERT INTO settings (id, unit, weekly_goal_sessions, session_goal_minutes, patient_name,"
        " patient_id, paper_size, theme, diabetes, hormonal_contraception, pregnancy, obesity,"
        " updated_at) VALUES (1, 'km', 4, 40, 'Jürgen', 'A-1', 'A4', 'nord', 1, 0, 0, 0,"
        " '2026-10-01 00:00:00')"
    )
    conn.commit()
    conn.close()


def test_upgrading_a_0002_database_with_data_keeps_every_row_and_adds_events(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    make_0002_database(path)
    old = tmp_path / "copy.db"
    old.write_bytes(path.read_bytes())
    before = dump(path)
    assert len(before["walk"]) == 40

    store = open_store(path)
    assert store.backup_path is not None and dump(store.backup_path) == before
    assert len(store.walks()) == 39 and len(store.walks(include_deleted=True)) == 40
    assert store.settings().unit == "km"
    row = store.add_event(EventInput("procedure", date(2026, 10, 15), procedure_type="stent"))
    assert store.events()[0].id == row.id
    store.close()

    assert dump(path, like=old) == before
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        columns = [r[1] for r in conn.execute("PRAGMA table_info(treatment_event)")]
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(treatment_event)")}
    finally:
        conn.close()
    assert version == (store_mod.SCHEMA_REVISION,)
    assert columns == [
        "id",
        "kind",
        "occurred_on",
        "procedure_type",
        "side",
        "category",
        "name",
        "dose",
        "description",
        "notes",
        "created_at",
        "updated_at",
        "deleted_at",
    ]
    assert {"ix_treatment_event_kind", "ix_treatment_event_occurred_on"} <= indexes


def test_the_events_migration_downgrades_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_store(path).close()
    engine = store_mod.make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert "treatment_event" not in tables and "walk" in tables
