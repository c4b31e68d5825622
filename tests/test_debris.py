"""No debris: a crash while an export or the pre-update copy is written leaves nothing a user
would take for their data, and the next run removes the app's own leftovers by name.

Fault tests kill a real `tracker` child process with SIGKILL while it writes; each waits for
the child to say it is writing (bounded), so none depends on timing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db import diary_file
from tracker.db.errors import BackupFailed
from tracker.db.opening import SCHEMA_REVISION, open_store
from tracker.db.partial_files import LEFTOVER_AGE_S, is_partial, partial_name, remove_leftovers

from .conftest import FIXED_NOW, plain_walk
from .test_migrations import _database_at

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 60.0
"""Longest wait for a child to reach the point where it is killed (it takes well under 5 s)."""

SLOW_EXPORT = textwrap.dedent(
    """
    import sys, time
    from tracker.interchange import export_file

    real = export_file._write_all

    def slowly(fd, data):
        chunks = iter([data] if isinstance(data, bytes) else data)
        real(fd, [next(chunks)])
        print("writing", flush=True)
        time.sleep(120)
        real(fd, chunks)

    export_file._write_all = slowly
    from tracker.cli import app
    app(sys.argv[1:])
    """
)

SLOW_BACKUP = textwrap.dedent(
    """
    import sys, time
    from tracker.db import diary_file

    def slowly(remaining, total):
        print("copying", remaining, total, flush=True)
        time.sleep(120)

    diary_file.BACKUP_STEP_PAGES = 1
    diary_file._on_copy_step = slowly
    from tracker.cli import app
    app(sys.argv[1:])
    """
)


def child(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_NOW": FIXED_NOW.isoformat()}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(proc: subprocess.Popen[str], word: str) -> None:
    """Block until the child prints `word` (it then sleeps), or fail after `WAIT_S`."""
    assert proc.stdout is not None
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(word):
            return
        if not line and proc.poll() is not None:
            pytest.fail(f"the child ended first: {proc.stderr.read() if proc.stderr else ''}")
    proc.kill()
    pytest.fail(f"the child never printed {word!r}")


def kill(proc: subprocess.Popen[str], sig: int = signal.SIGKILL) -> int:
    proc.send_signal(sig)
    return proc.wait(timeout=WAIT_S)


def partials(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if is_partial(p.name))


def age(paths: list[Path], seconds: float = LEFTOVER_AGE_S + 5) -> None:
    then = time.time() - seconds
    for p in paths:
        os.utime(p, (then, then))


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    db = tmp_path / "tracker.db"
    store = open_store(db)
    store.add_walks([plain_walk(FIXED_NOW.replace(day=d, hour=9), 100.0 + d) for d in range(1, 20)])
    store.close()
    return db


def test_a_killed_export_leaves_only_a_hidden_partial_that_the_next_run_removes(
    diary: Path, tmp_path: Path
) -> None:
    out = tmp_path / "walks.csv"
    proc = child(SLOW_EXPORT, "export", "--db", str(diary), "--format", "csv", "--out", str(out))
    wait_for(proc, "writing")
    assert kill(proc) == -signal.SIGKILL
    left = partials(tmp_path)
    assert len(left) == 1 and left[0].name.startswith(".walks.csv.") and not out.exists()
    assert left[0].stat().st_size > 0  # it was killed mid-write: this is the debris
    # A fresh partial may belong to a run still writing: kept.
    result = CliRunner().invoke(
        app, ["export", "--db", str(diary), "--format", "json", "--out", str(tmp_path / "b.json")]
    )
    assert result.exit_code == 0, result.output
    assert partials(tmp_path) == left
    age(left)
    result = CliRunner().invoke(
        app, ["export", "--db", str(diary), "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert partials(tmp_path) == [] and out.read_bytes().startswith(b"date,")


def test_sigterm_during_an_export_removes_the_partial_at_once(diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "fhir.json"
    proc = child(SLOW_EXPORT, "export", "--db", str(diary), "--format", "fhir", "--out", str(out))
    wait_for(proc, "writing")
    assert kill(proc, signal.SIGTERM) != 0
    assert partials(tmp_path) == [] and not out.exists()


def test_a_kill_during_the_copy_before_an_update_leaves_no_backup_and_the_next_open_cleans(
    tmp_path: Path,
) -> None:
    db = tmp_path / "tracker.db"
    _database_at(db, "0007", walks=30)
    proc = child(SLOW_BACKUP, "list", "--db", str(db))
    wait_for(proc, "copying")
    assert kill(proc) == -signal.SIGKILL
    assert list(tmp_path.glob("tracker.backup-*")) == []  # nothing named like a good copy
    left = partials(tmp_path)
    assert left and all(p.name.startswith(".tracker.backup-") for p in left)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0007",)
    age(left)
    store = open_store(db)
    try:
        assert any("unfinished file" in n for n in store.notices), store.notices
        assert store.backup_path is not None and diary_file.looks_whole(store.backup_path)
        assert partials(tmp_path) == []
        assert [p.name for p in tmp_path.glob("tracker.backup-*")] == [store.backup_path.name]
        assert len(store.walks()) == 30
    finally:
        store.close()


def test_a_copy_that_fails_stops_the_update_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    _database_at(db, "0007", walks=5)

    def full_disk(remaining: int, total: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(diary_file, "BACKUP_STEP_PAGES", 1)
    monkeypatch.setattr(diary_file, "_on_copy_step", full_disk)
    with pytest.raises(BackupFailed) as info:
        open_store(db)
    assert "No space left on device" in str(info.value)
    assert "the update was not run" in str(info.value)
    assert partials(tmp_path) == [] and list(tmp_path.glob("tracker.backup-*")) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0007",)
    result = CliRunner().invoke(app, ["list", "--db", str(db)])
    assert result.exit_code == 2 and "the update was not run" in result.output
    monkeypatch.undo()
    store = open_store(db)
    assert store.backup_path is not None and len(store.walks()) == 5
    store.close()


def test_a_copy_that_fails_the_integrity_check_is_never_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    _database_at(db, "0007", walks=5)
    monkeypatch.setattr(diary_file, "integrity_problems", lambda conn, path: ("page 3: bad",))
    with pytest.raises(BackupFailed, match="fails SQLite's check: page 3: bad"):
        diary_file.backup_sqlite_file(db)
    assert partials(tmp_path) == [] and list(tmp_path.glob("tracker.backup-*")) == []


def _copies(db: Path, n: int, *, whole: bool, start: float) -> list[Path]:
    made = []
    for i in range(n):
        copy = db.with_name(f"tracker.backup-2026010{i}T00000{int(whole)}.db")
        if whole:
            copy.write_bytes(db.read_bytes())
        else:
            copy.write_bytes(bytes(db.stat().st_size))  # a full-size, empty file
        os.utime(copy, (start + i, start + i))
        made.append(copy)
    return made


def test_backups_are_kept_to_the_newest_five_sound_ones(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    old = _copies(db, 7, whole=True, start=1_000_000.0)
    empty = _copies(db, 2, whole=False, start=2_000_000.0)
    new = diary_file.backup_sqlite_file(db)
    kept = diary_file.backups_of(db)
    assert diary_file.MAX_BACKUPS == 5
    assert [p for p in kept if diary_file.looks_whole(p)] == [new, *reversed(old[-4:])]
    assert all(p.exists() for p in empty)  # not counted, not removed: the user may look


def test_the_only_sound_backup_is_never_removed(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    open_store(db).close()
    [good] = _copies(db, 1, whole=True, start=1_000_000.0)
    _copies(db, 8, whole=False, start=2_000_000.0)
    assert diary_file.prune_backups(db) == []
    assert good.exists()


def test_leftovers_are_removed_by_name_and_age_only(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    ours = partial_name(target)
    ours.write_bytes(b"x")
    journal = Path(f"{partial_name(tmp_path / 'd.db')}-journal")
    journal.write_bytes(b"x")
    young = partial_name(target)
    young.write_bytes(b"x")
    theirs = [tmp_path / ".report.pdf.tmp", tmp_path / "report.pdf.tracker-0123456789ab.part"]
    for p in theirs:
        p.write_bytes(b"x")
    folder = tmp_path / f".x{partial_name(target).name}"
    folder.mkdir()
    age([ours, journal, *theirs, folder])
    assert sorted(remove_leftovers(tmp_path)) == sorted([ours, journal])
    assert young.exists() and folder.exists() and all(p.exists() for p in theirs)
    assert SCHEMA_REVISION  # the module under test is importable next to the schema
