"""Opening costs the same however long the diary: the full integrity check runs only where it
matters (a leftover -wal, a migration, a day since the last one, a change made outside
tracker), every open checks the header and the schema revision."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db import diary_file
from tracker.db.errors import DamagedDatabase, NotATrackerDatabase
from tracker.db.opening import open_store

from .conftest import plain_walk
from .test_migrations import _database_at


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full integrity check run on a diary (not on backup copies), in order."""
    ran: list[Path] = []
    real = diary_file.integrity_problems

    def counting(conn: sqlite3.Connection, path: Path) -> tuple[str, ...]:
        if ".part" not in path.name:
            ran.append(path)
        return real(conn, path)

    monkeypatch.setattr(diary_file, "integrity_problems", counting)
    return ran


def log(db: Path, metres: int) -> None:
    result = CliRunner().invoke(
        app, ["--db", str(db), "log", "--pain-free", str(metres), "--max", "400"]
    )
    assert result.exit_code == 0, result.output


def test_a_day_of_commands_runs_the_full_check_once(tmp_path: Path, checks: list[Path]) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()  # new: nothing to check yet
    log(db, 100)  # first open of a diary with a schema: checked, recorded
    assert checks == [db]
    for metres in (110, 120, 130):
        log(db, metres)  # each changes the file, inside a tracker session
    result = CliRunner().invoke(app, ["--db", str(db), "list"])
    assert result.exit_code == 0 and "130" in result.output
    assert checks == [db]


def test_the_check_is_due_again_after_a_day(
    tmp_path: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    log(db, 100)
    record = json.loads(diary_file.check_record(db).read_text())
    later = record["checked_at"] + diary_file.CHECK_EVERY_S + 1
    monkeypatch.setattr(time, "time", lambda: later)
    log(db, 110)
    assert checks == [db, db]


def test_a_change_made_outside_tracker_makes_the_check_due(
    tmp_path: Path, checks: list[Path]
) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    log(db, 100)
    later = db.stat().st_mtime + 120  # a sync tool touched it, not tracker
    os.utime(db, (later, later))
    log(db, 110)
    assert checks == [db, db]


def test_a_copy_without_its_record_is_checked(tmp_path: Path, checks: list[Path]) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    log(db, 100)
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)
    open_store(copy).close()
    assert checks == [db, copy]


def test_a_migration_is_preceded_by_the_full_check(tmp_path: Path, checks: list[Path]) -> None:
    db = tmp_path / "tracker.db"
    _database_at(db, "0007", walks=3)
    diary_file.note_checked(db)  # even a fresh record does not spare it
    open_store(db).close()
    assert checks[0] == db


def test_a_leftover_wal_is_followed_by_the_full_check(tmp_path: Path, checks: list[Path]) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    log(db, 100)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE walk SET notes = 'from the wal'")
    conn.commit()
    wal = Path(f"{db}-wal")
    saved = wal.read_bytes()
    conn.close()  # a clean close checkpoints and removes the -wal: put it back as a crash would
    wal.write_bytes(saved)
    store = open_store(db)
    assert checks[-1] == db and len(checks) == 2
    assert store.walks()[0].notes == "from the wal"
    store.close()


def test_damage_is_still_found_when_the_check_is_due(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    log(db, 100)
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_walk_walked_at'")
    page = root.fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(page - 1) * size + 8 : page * size] = b"\x00\x13" * ((size - 8) // 2)
    db.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase):
        open_store(db)


def test_every_open_checks_the_header(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    log(db, 100)
    data = bytearray(db.read_bytes())
    data[:16] = b"Not an SQLite db"
    db.write_bytes(bytes(data))
    diary_file.note_checked(db)  # a record that matches the file: the header is checked anyway
    with pytest.raises(NotATrackerDatabase):
        open_store(db)


@pytest.fixture
def value_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rowid each cheap check of the walk table's values started after."""
    import tracker.db.repository as repository

    seen: list[int] = []
    real = repository.find_bad_rows

    def spying(conn: sqlite3.Connection, **kwargs: object) -> object:
        if kwargs.get("only") == ("walk",):
            seen.append(int(kwargs.get("after_rowid", 0)))  # type: ignore[call-overload]
        return real(conn, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "find_bad_rows", spying)
    return seen


def read_walks(db: Path) -> int:
    store = open_store(db)
    try:
        return len(store.walks())
    finally:
        store.close()


def add(db: Path, *metres: float) -> None:
    """Walks written by a tracker session that reads none (so it checks none)."""
    store = open_store(db)
    try:
        for i, m in enumerate(metres):
            store.add_walk(plain_walk(datetime(2026, 10, 1 + i, 9, 0), m))
    finally:
        store.close()


def test_walk_values_are_checked_once_then_only_the_new_ones(
    tmp_path: Path, value_checks: list[int]
) -> None:
    db = tmp_path / "tracker.db"
    add(db, 100, 110, 120)
    assert read_walks(db) == 3
    assert read_walks(db) == 3
    add(db, 130)
    assert read_walks(db) == 4
    assert read_walks(db) == 4
    assert value_checks == [0, 3, 3, 4]


def test_a_bad_value_written_outside_tracker_is_still_found(
    tmp_path: Path, value_checks: list[int]
) -> None:
    db = tmp_path / "tracker.db"
    add(db, 100, 110)
    assert read_walks(db) == 2
    conn = sqlite3.connect(db)
    conn.execute("UPDATE walk SET pain_free_m = 'far' WHERE id = 1")
    conn.commit()
    conn.close()
    store = open_store(db)
    try:
        warnings: list[str] = []
        store.on_warning = warnings.append
        assert len(store.walks()) == 1
        assert any("1" in w for w in warnings), warnings
    finally:
        store.close()
    assert value_checks == [0, 0]
