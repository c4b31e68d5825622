"""The diary file: which file `--db` names, what may lie beside it, who may read it.

Fault tests for issue points 1 (foreign `-wal`), 2 (one resolution of the target, non-regular
files refused), 8 (owner-only whatever the umask) and the missing-folder rule.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.diary_file import side_files_in_use
from tracker.db.errors import (
    DatabaseUnavailable,
    ForeignSideFile,
    NotATrackerDatabase,
    UnsupportedTarget,
)
from tracker.db.opening import open_store
from tracker.db.target import resolve_target

from .conftest import plain_walk

START = datetime(2026, 1, 1, 8, 0)


def fill(db: Path, n: int, tag: str) -> None:
    store = open_store(db)
    store.add_walks(
        [plain_walk(START + timedelta(hours=i), 100.0 + i, f"{tag}{i}") for i in range(n)]
    )
    store.close()


def before_diary_id() -> str:
    """The revision the diary-id migration follows (re-chained when branches merge)."""
    from importlib.resources import files

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    down = ScriptDirectory.from_config(cfg).get_revision("0004").down_revision
    assert isinstance(down, str)
    return down


def as_before_diary_id(db: Path) -> None:
    """Turn a diary into one written before the diary id existed (Alembic's own downgrade,
    so later migrations' tables go too)."""
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config

    from tracker.db.opening import make_engine

    engine = make_engine(f"sqlite:///{db}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before_diary_id())
    engine.dispose()


def count(db: Path) -> int:
    """Walks in the file itself, without replaying anything beside it."""
    conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM walk").fetchone()[0])
    finally:
        conn.close()


KEEP_WAL = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1])
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    if sys.argv[2] == "vacuum":
        conn.execute("VACUUM")  # every page of the database goes into the WAL
    elif sys.argv[2] == "drop":
        conn.execute("DELETE FROM walk WHERE id > 50"); conn.commit()
    else:
        conn.execute(
            "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
            " created_at, updated_at) VALUES ('2026-11-20 08:00:00', 150, 300, 0, 'walk',"
            " 'written just before the crash', 'typed', '2026-11-20 08:00:00',"
            " '2026-11-20 08:00:00')"
        )
        conn.commit()
    print("ready", flush=True)
    time.sleep(60)
    """
)


def killed_with_wal(db: Path, how: str) -> Path:
    """Run a writer that leaves its `-wal` behind, kill it, return the `-wal`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", KEEP_WAL, str(db), how], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    wal = Path(f"{db}-wal")
    copy = db.with_name(db.name + ".wal-copy")
    shutil.copyfile(wal, copy)
    proc.kill()
    proc.wait(timeout=10)
    return copy


# --- point 1: a -wal that does not belong is never replayed ---------------------------------
def test_a_wal_from_another_diary_is_refused_naming_it_and_nothing_changes(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine.db", tmp_path / "other.db"
    fill(mine, 500, "mine")
    fill(other, 50, "other")
    foreign = killed_with_wal(other, "vacuum")
    shutil.copyfile(foreign, f"{mine}-wal")
    before = mine.read_bytes()
    for argv in (
        ["list"],
        ["log", "--pain-free", "100", "--max", "200"],
        ["export", "--format", "json", "--out", str(tmp_path / "x.json")],
    ):
        result = CliRunner().invoke(app, ["--db", str(mine), *argv])
        assert result.exit_code == 2, result.output
        assert f"{mine}-wal" in result.stderr and "does not belong" in result.stderr
        assert "diary id differs" in result.stderr
    assert mine.read_bytes() == before and count(mine) == 500
    assert Path(f"{mine}-wal").read_bytes() == foreign.read_bytes()
    Path(f"{mine}-wal").unlink()
    assert len(open_store(mine).walks()) == 500


def test_a_wal_that_would_lose_walks_of_an_old_diary_without_id_is_refused(
    tmp_path: Path,
) -> None:
    """Diaries from before migration 0004 have no id: the check is that no walk is lost."""
    mine = tmp_path / "mine.db"
    fill(mine, 500, "mine")
    conn = sqlite3.connect(mine)
    conn.execute("DROP TABLE diary")
    conn.commit()
    conn.close()
    twin = tmp_path / "twin.db"
    shutil.copyfile(mine, twin)
    wal = killed_with_wal(twin, "drop")  # the twin's WAL deletes 450 walks
    shutil.copyfile(wal, f"{mine}-wal")
    with pytest.raises(ForeignSideFile, match="lose or change 450 of its 500 walks"):
        open_store(mine)
    assert count(mine) == 500


def test_a_wal_left_by_a_crash_is_replayed_after_a_recovery_copy(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    fill(db, 20, "w")
    killed_with_wal(db, "insert").unlink()
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0 and count(db) == 20
    saved_db, saved_wal = db.read_bytes(), wal.read_bytes()
    result = CliRunner().invoke(app, ["--db", str(db), "list"])
    assert result.exit_code == 0, result.output
    assert "written just before the crash" in result.stdout
    copies = sorted(tmp_path.glob("diary.recovery-*"))
    assert [p.suffix for p in copies] == [".db", ".db-wal"]
    assert copies[0].read_bytes() == saved_db and copies[1].read_bytes() == saved_wal
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in copies)
    assert str(copies[0]) in result.stderr
    assert len(open_store(copies[0]).walks()) == 21  # the copy replays to the same diary


def test_a_live_wal_of_a_running_program_is_not_copied_again(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    fill(db, 3, "w")
    holder = subprocess.Popen(
        [sys.executable, "-c", KEEP_WAL, str(db), "insert"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert side_files_in_use(db)
        store = open_store(db)
        assert len(store.walks()) == 4
        store.close()
        assert not list(tmp_path.glob("*.recovery-*"))
    finally:
        holder.kill()
        holder.wait(timeout=10)


# --- point 2: one resolution of the target ------------------------------------------------
def test_a_percent_encoded_url_inspects_backs_up_and_opens_one_and_the_same_file(
    tmp_path: Path,
) -> None:
    real = tmp_path / "other app.db"
    conn = sqlite3.connect(real)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = real.read_bytes()
    url = "sqlite:///" + str(tmp_path).replace(" ", "%20") + "/other%20app.db"
    with pytest.raises(NotATrackerDatabase, match=r"other app\.db"):
        open_store(url)
    assert real.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other app.db"]
    fresh = "sqlite:///" + str(tmp_path) + "/new%20diary.db"
    open_store(fresh).close()
    made = tmp_path / "new diary.db"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert resolve_target(fresh).path == made.resolve()


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("sqlite:", "not a database URL"),
        ("sqlite://", "names no file"),
        ("sqlite:///:memory:", "names no file"),
        ("sqlite:///x.db?mode=ro", "Options after '?'"),
        ("file:///x", "file:// is not supported"),
        ("mysql://u@h/db", "mysql:// is not supported"),
        ("http://example.invalid/", "http:// is not supported"),
        ("postgres://u@h/db", "postgresql://"),
        ("postgresql://u@h/db", "needs its driver"),
        ("a\x00b", "NUL"),
        ("\ud800.db", "cannot be used as a file name"),
        ("\udcff.db", "cannot be used as a file name"),  # found by the property test
    ],
)
def test_targets_that_cannot_hold_a_diary_get_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsupportedTarget, match=words.replace("?", r"\?")):
        resolve_target(target)
    result = CliRunner().invoke(app, ["--db", target, "list"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_folders_fifos_and_devices_are_refused_before_sqlite_touches_them(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    cases = [(tmp_path, "is a folder"), (fifo, "named pipe"), (Path("/dev/null"), "a device")]
    for target, words in cases:
        result = CliRunner().invoke(app, ["--db", str(target), "list"])
        assert result.exit_code == 2 and words in result.stderr, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_side_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    fill(db, 1, "w")
    os.mkfifo(f"{db}-wal")  # SQLite would block reading it
    result = CliRunner().invoke(app, ["--db", str(db), "list"])
    assert result.exit_code == 2 and f"{db}-wal is a named pipe" in result.stderr


def test_a_symlinked_diary_keeps_its_side_files_and_backups_beside_the_real_file(
    tmp_path: Path,
) -> None:
    real_dir = tmp_path / "synced"
    real_dir.mkdir()
    link = tmp_path / "diary.db"
    link.symlink_to(real_dir / "diary.db")  # dangling until the diary is created
    store = open_store(link)
    store.walks()
    assert stat.S_IMODE((real_dir / "diary.db").stat().st_mode) == 0o600
    assert link.is_symlink() and store.path == (real_dir / "diary.db").resolve()
    assert {p.name for p in real_dir.iterdir()} >= {"diary.db-wal", "diary.db-shm"}
    store.close()


# --- point 8: owner-only whatever the umask -----------------------------------------------
@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_files_and_folders_are_owner_only_under_umask_000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg" / "share"))
    result = CliRunner().invoke(app, ["log", "--pain-free", "100", "--max", "200"])
    assert result.exit_code == 0, result.output
    made = tmp_path / "xdg" / "share" / "tracker"
    for folder in (tmp_path / "xdg", tmp_path / "xdg" / "share", made):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    store = open_store()  # keeps -wal and -shm while open
    store.walks()
    files = list(made.iterdir())
    assert {p.name for p in files} >= {"tracker.db", "tracker.db-wal", "tracker.db-shm"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    store.close()
    out = tmp_path / "e.json"
    assert CliRunner().invoke(app, ["export", "--format", "json", "--out", str(out)]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_recovery_copy_and_a_schema_backup_are_owner_only_under_umask_000(
    tmp_path: Path, open_umask: None
) -> None:
    db = tmp_path / "diary.db"
    fill(db, 2, "w")
    as_before_diary_id(db)
    killed_with_wal(db, "insert").unlink()
    open_store(db).close()
    made = [*tmp_path.glob("diary.recovery-*"), *tmp_path.glob("diary.backup-*")]
    assert len(made) == 3
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in made)


# --- issue 13, point 10: an explicit path into a missing folder is an error ----------------
def test_a_db_in_a_missing_folder_is_an_error_naming_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no such folder" / "diary.db"
    result = CliRunner().invoke(
        app, ["--db", str(missing), "log", "--pain-free", "1", "--max", "2"]
    )
    assert result.exit_code == 2 and str(missing) in result.stderr
    monkeypatch.setenv("TRACKER_DB", str(missing))
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 2 and str(missing) in result.stderr
    assert not missing.parent.exists()
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        open_store(missing)


def test_a_new_diary_at_an_explicit_path_is_announced_once(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    first = CliRunner().invoke(app, ["--db", str(db), "list"])
    assert first.exit_code == 0 and f"Created a new diary at {db}" in first.stderr
    again = CliRunner().invoke(app, ["--db", str(db), "list"])
    assert again.exit_code == 0 and "Created" not in again.stderr


def test_the_default_location_is_still_created_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh home" / "share"))
    result = CliRunner().invoke(app, ["log", "--pain-free", "180", "--max", "320"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fresh home" / "share" / "tracker" / "tracker.db").is_file()


def test_every_diary_gets_its_own_id_and_an_upgraded_one_keeps_its_walks(tmp_path: Path) -> None:
    """Migration 0004: the id that proves a -wal belongs."""
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    fill(first, 3, "a")
    fill(second, 3, "b")

    def ids(db: Path) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(db)
        try:
            return conn.execute("SELECT id, diary_id FROM diary").fetchall()
        finally:
            conn.close()

    (one, a), (_, b) = ids(first)[0], ids(second)[0]
    assert one == 1 and a != b and len(str(a)) == 36
    as_before_diary_id(first)
    store = open_store(first)
    assert len(store.walks()) == 3 and store.backup_path is not None
    store.close()
    assert len(ids(first)) == 1 and ids(first)[0][1] != a
