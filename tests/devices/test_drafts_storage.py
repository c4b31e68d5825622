"""The drafts table: migration 0008 on a file with data, the JSON backup round trip."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config

import tracker.db.opening as store_mod
from tracker.db.opening import open_store
from tracker.interchange.backup import backup_json
from tracker.interchange.devices.detect import detect
from tracker.interchange.devices.importer import import_device_file
from tracker.interchange.importer import import_file

from ..conftest import FIXED_NOW
from .builders import START, fit_bytes, one_lap, pressed


def make_0007_database(path: Path) -> None:
    engine = store_mod.make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    engine.dispose()
    conn = sqlite3.connect(path)
    for i in range(30):
        conn.execute(
            "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
            " created_at, updated_at) VALUES (?, ?, ?, 0, 'walk', ?, 'typed', ?, ?)",
            (
                f"2026-10-{i % 28 + 1:02d} 09:{i:02d}:00.000000",
                100.0 + i,
                250.0 + i,
                f"Weg {i}",
                "2026-10-01 00:00:00",
                "2026-10-01 00:00:00",
            ),
        )
    conn.commit()
    conn.close()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_upgrading_a_0007_database_with_walks_keeps_them_and_adds_the_drafts_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    make_0007_database(path)
    before = rows(path, "SELECT * FROM walk ORDER BY id")
    store = open_store(path)
    assert store.backup_path is not None
    assert rows(store.backup_path, "SELECT * FROM walk ORDER BY id") == before
    fit = tmp_path / "w.fit"
    fit.write_bytes(fit_bytes(one_lap()))
    import_device_file(store, fit, detect(fit), now=FIXED_NOW)
    store.close()
    assert rows(path, "SELECT * FROM walk ORDER BY id") == before
    assert rows(path, "SELECT version_num FROM alembic_version") == [("0008",)]
    assert rows(path, "SELECT status, device FROM walk_draft") == [("pending", "Forerunner 55")]
    indexes = {r[1] for r in rows(path, "PRAGMA index_list(walk_draft)")}
    assert {"ix_walk_draft_started_utc", "ix_walk_draft_status"} <= indexes


def test_the_drafts_migration_downgrades_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_store(path).close()
    engine = store_mod.make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    engine.dispose()
    tables = {r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "walk_draft" not in tables and "walk" in tables


def test_the_json_backup_round_trips_every_draft(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.db")
    for i, walk in enumerate(
        (one_lap(), pressed((180, 150), (140, 120)), one_lap(), one_lap(device="Ed\u00e9"))
    ):
        fit = tmp_path / f"{i}.fit"
        shifted = type(walk)(walk.laps, start=START + timedelta(hours=i), device=walk.device)
        fit.write_bytes(fit_bytes(shifted))
        import_device_file(store, fit, detect(fit), now=FIXED_NOW)
    store.discard_draft(3)
    original = json.loads(backup_json(store, FIXED_NOW))
    assert [d["status"] for d in original["drafts"]] == [
        "pending",
        "completed",
        "discarded",
        "pending",
    ]
    backup = tmp_path / "backup.json"
    backup.write_bytes(backup_json(store, FIXED_NOW))
    fresh = open_store(tmp_path / "b.db")
    import_file(fresh, backup, FIXED_NOW)
    copy = json.loads(backup_json(fresh, FIXED_NOW))
    assert copy["drafts"] == original["drafts"]
    assert copy["walks"] == original["walks"]
    import_file(fresh, backup, FIXED_NOW)  # twice: nothing more
    assert len(fresh.drafts(status=None)) == 4
    fit = tmp_path / "0.fit"
    assert import_device_file(fresh, fit, detect(fit), now=FIXED_NOW).duplicates == 1
    store.close()
    fresh.close()


def test_a_bad_draft_in_a_backup_is_named_and_nothing_is_imported(tmp_path: Path) -> None:
    import pytest

    from tracker.interchange.importer import ImportFailed

    store = open_store(tmp_path / "a.db")
    doc = json.loads(backup_json(store, FIXED_NOW))
    doc["walks"] = [
        {"date": "2026-11-01", "time": "09:00", "pain_free_m": 100, "max_m": 200, "no_pain": False}
    ]
    doc["drafts"] = [
        {
            "started_at": "2026-11-01T09:00:00",
            "started_utc": "2026-11-01T08:00:00Z",
            "device": "W",
            "file_format": "fit",
            "status": "maybe",
        },
    ]
    path = tmp_path / "b.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportFailed) as exc:
        import_file(store, path, FIXED_NOW)
    assert any("drafts[0]" in e and "status" in e for e in exc.value.errors)
    assert store.count_walks() == 0
    store.close()
