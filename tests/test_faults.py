"""Nothing reported saved is lost, nothing bad gets in: crash, concurrency and bad-input tests.

Bounded in count and time; none is timed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta
    from tracker.db.opening import open_store
    from tracker.domain.walks import WalkInput

    store = open_store(sys.argv[1])
    tag = sys.argv[2]
    start = datetime(2026, 1, 1, 8, 0)
    for i in range(int(sys.argv[3])):
        walk = WalkInput(start + timedelta(minutes=i), 100.0 + i % 300, 500.0, None, False,
                         None, None, None, None, "walk", f"{tag}-{i}", "typed")
        row = store.add_walk(walk)
        print(row.id, flush=True)
    """
)


def writer(db: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_a_writer_killed_mid_logging_loses_nothing_it_reported(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    open_store(db).close()
    proc = writer(db, "k", 1000)
    assert proc.stdout is not None
    reported: list[int] = []
    deadline = time.monotonic() + 60
    while len(reported) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        reported.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert len(reported) >= 150, proc.stderr.read() if proc.stderr else ""
    assert integrity(db) == "ok"
    conn = sqlite3.connect(db)
    present = {r[0] for r in conn.execute("SELECT id FROM walk")}
    conn.close()
    assert set(reported) <= present
    assert len(present) < 1000  # it really was killed mid-way


def test_two_processes_logging_at_once_lose_nothing_and_never_see_locked(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    open_store(db).close()
    procs = [writer(db, tag, 500) for tag in ("a", "b")]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower()
        assert len(out.split()) == 500
    conn = sqlite3.connect(db)
    notes = [r[0] for r in conn.execute("SELECT notes FROM walk")]
    conn.close()
    assert len(notes) == 1000 and len(set(notes)) == 1000
    assert integrity(db) == "ok"


def _corrupt(path: Path) -> None:
    store = open_store(path)
    for i in range(300):
        store.add_symptom("recent_surgery", store_date(), "x" * 300 + str(i))
    store.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset : offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))


def store_date():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 11, 1)


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7 definitely not a database\n" * 64)


def _newer(path: Path) -> None:
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Anna')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_corrupt, "damaged"),
        (_not_sqlite, "not a tracker database"),
        (_newer, "newer version"),
        (_foreign, "not a tracker database"),
    ],
)
def test_unusable_databases_get_a_message_exit_2_and_stay_byte_identical(
    tmp_path: Path, make: object, words: str
) -> None:
    path = tmp_path / "bad.db"
    make(path)  # type: ignore[operator]
    before = path.read_bytes()
    for args in (["log", "--pain-free", "100", "--max", "200"], ["list"], ["trend"]):
        result = CliRunner().invoke(app, ["--db", str(path), *args])
        assert result.exit_code == 2, result.output
        assert words in result.stderr
        assert "Traceback" not in result.output
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("bad.db-*")) or path.read_bytes() == before


def test_a_place_that_cannot_hold_a_database_gets_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = CliRunner().invoke(app, ["--db", str(blocker / "tracker.db"), "list"])
    assert result.exit_code == 2 and "Cannot create the database" in result.stderr
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = CliRunner().invoke(app, ["--db", str(locked / "t.db"), "list"])
        assert result.exit_code == 2 and "Cannot create" in result.stderr


def test_database_side_files_backups_and_exports_are_private(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    runner = CliRunner()
    runner.invoke(app, ["--db", str(db), "log", "--pain-free", "100", "--max", "200"])
    store = open_store(db)  # keeps the WAL open so -wal and -shm exist
    store.walks()
    for path in [db, *tmp_path.glob("p.db-*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for fmt in ("csv", "json", "fhir", "pdf"):
        out = tmp_path / f"e.{fmt}"
        assert (
            runner.invoke(
                app, ["--db", str(db), "export", "--format", fmt, "--out", str(out)]
            ).exit_code
            == 0
        )
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    store.close()


BAD_VALUES: dict[str, st.SearchStrategy[str]] = {
    "--pain-free": st.sampled_from(
        [
            "-5",
            "0",
            "0.3",
            "nan",
            "inf",
            "-inf",
            "1e5",
            "abc",
            "12 furlongs",
            "1,5km",
            "51km",
            "40mi",
            "",
            "5 5",
        ]
    ),
    "--max": st.sampled_from(["-1", "0", "NaN", "Infinity", "x", "99km", "3 parsecs", "--"]),
    "--total": st.sampled_from(["-2", "nan", "60km", "10"]),
    "--date": st.sampled_from(
        [
            "2027-01-01",
            "2030-12-31",
            "24.11.2026",
            "2026-13-01",
            "yesterday",
            "1899-12-31",
            "2026-02-30",
        ]
    ),
    "--time": st.sampled_from(["25:00", "12:60", "noon", "7pm", "-1:00", "23:59"]),
    "--pain": st.sampled_from(["11", "-1", "2.5", "nan", "ten", "100"]),
    "--rest": st.sampled_from(["-1", "inf", "nan", "5000", "soon"]),
    "--minutes": st.sampled_from(["0", "-5", "601", "nan", "long"]),
    "--location": st.text(min_size=1, max_size=6).filter(
        lambda t: (
            t.strip() != ""
            and t.strip().lower() not in ("calf", "thigh", "buttock", "foot")
            and "\x00" not in t
            and not t.startswith("-")
        )
    ),
    "--side": st.sampled_from(["middle", "l", "r", "up", "0"]),
    "--method": st.sampled_from(["bike", "swim", "6-minute", "tread"]),
}


@settings(
    max_examples=700, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(sorted(BAD_VALUES)).flatmap(
        lambda flag: st.tuples(st.just(flag), BAD_VALUES[flag])
    )
)
def test_generated_bad_cli_input_is_rejected_naming_the_field(
    tmp_path: Path, case: tuple[str, str]
) -> None:
    flag, value = case
    db = tmp_path / "h.db"
    if not db.exists():
        open_store(db).close()
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT count(*) FROM walk").fetchone()
    conn.close()
    args = {"--pain-free": "150", "--max": "300"}
    args[flag] = value
    argv = ["--db", str(db), "log", *[x for kv in args.items() for x in kv]]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, (argv, result.output)
    named = flag in result.stderr or flag.lstrip("-").replace("-", " ") in result.stderr
    assert named or (flag in ("--pain-free", "--max") and "--" in result.stderr), result.stderr
    assert "Traceback" not in result.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM walk").fetchone() == before
    conn.close()
