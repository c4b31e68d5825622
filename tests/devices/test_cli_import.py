"""`tracker import FILE...` with device files, the duplicate rule, and the drafts commands."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.interchange.devices.progress import terminal_progress
from tracker.terminal_text import printable

from .builders import (
    START,
    HcSession,
    apple_export,
    apple_workout,
    apple_zip,
    fit_bytes,
    gpx_text,
    health_connect_zip,
    one_lap,
    pressed,
    tcx_text,
)

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def table(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of recordings: a walk with a press, one without, every other format too."""
    d = tmp_path / "watch"
    d.mkdir()
    day = timedelta(days=1)
    (d / "a.fit").write_bytes(fit_bytes(pressed((180, 150), (140, 120))))
    (d / "b.fit").write_bytes(fit_bytes(one_lap(start=START + day)))
    (d / "c.tcx").write_text(tcx_text(one_lap(start=START - day, device="Edge")))
    (d / "d.gpx").write_text(gpx_text(start=START - 2 * day, marks_s=(300,)))
    apple_zip(d / "export.zip", apple_export(apple_workout(start=START - 3 * day)))
    health_connect_zip(d / "hc.zip", [HcSession(start=START - 4 * day, laps_min=[10, 25])])
    return d


def test_importing_a_folder_twice_adds_nothing_the_second_time(
    tmp_path: Path, folder: Path
) -> None:
    db = tmp_path / "t.db"
    files = sorted(str(p) for p in folder.iterdir())
    code, out, _ = run(db, "import", *files)
    assert code == 0, out
    assert table(db, "SELECT count(*) FROM walk") == [(3,)]
    assert table(db, "SELECT count(*) FROM walk_draft WHERE status = 'pending'") == [(3,)]
    assert "3 imported walks wait for the pain-free distance" in out
    code, out, _ = run(db, "import", *files)
    assert code == 0
    assert out.count("imported nothing new; skipped: 1 already imported") == 6
    assert table(db, "SELECT count(*) FROM walk") == [(3,)]
    assert table(db, "SELECT count(*) FROM walk_draft") == [(6,)]


def test_same_device_within_a_minute_is_the_same_activity(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first, near, other = tmp_path / "1.fit", tmp_path / "2.fit", tmp_path / "3.fit"
    first.write_bytes(fit_bytes(one_lap()))
    near.write_bytes(fit_bytes(one_lap(start=START + timedelta(seconds=50))))
    other.write_bytes(fit_bytes(one_lap(start=START + timedelta(seconds=50), device="Venu")))
    run(db, "import", str(first))
    code, out, _ = run(db, "import", str(near), str(other))
    assert code == 0
    assert "2.fit (FIT activity): imported nothing new; skipped: 1 already imported" in out
    assert "3.fit (FIT activity): imported 1 draft" in out
    late = tmp_path / "4.fit"
    late.write_bytes(fit_bytes(one_lap(start=START + timedelta(seconds=61))))
    assert "imported 1 draft" in run(db, "import", str(late))[1]


def test_a_discarded_draft_stays_discarded_when_its_file_comes_again(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    path = tmp_path / "w.fit"
    path.write_bytes(fit_bytes(one_lap()))
    run(db, "import", str(path))
    ((draft_id,),) = table(db, "SELECT id FROM walk_draft")
    code, out, _ = run(db, "import", "--discard", str(draft_id))
    assert code == 0 and "Discarded draft" in out
    assert "already imported" in run(db, "import", str(path))[1]
    assert run(db, "import", "--pending")[1].startswith("No imported walks")


def test_pending_lists_drafts_and_complete_makes_the_walk(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    path = tmp_path / "w.fit"
    path.write_bytes(fit_bytes(one_lap(1200, 1500)))
    run(db, "import", str(path))
    code, out, _ = run(db, "import", "--pending")
    assert code == 0
    assert "#1     2026-11-20 09:00  1200 m in 25 min  Forerunner 55  (w.fit)" in out
    payload = json.loads(run(db, "import", "--pending", "--json")[1])
    assert payload[0]["id"] == 1 and payload[0]["distance_m"] == 1200.0
    assert table(db, "SELECT count(*) FROM walk") == [(0,)]
    code, out, _ = run(db, "import", "--complete", "1", "--pain-free", "0.2km")
    assert code == 0 and "Saved walk #1" in out
    assert table(db, "SELECT pain_free_m, max_m, total_m, no_pain, source FROM walk") == [
        (200.0, 1200.0, 1200.0, 0, "import")
    ]
    assert table(db, "SELECT status, walk_id FROM walk_draft") == [("completed", 1)]
    code, _, err = run(db, "import", "--complete", "1", "--pain-free", "200")
    assert code == 2 and "No draft with id 1" in err


def test_complete_checks_like_tracker_log(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    path = tmp_path / "w.fit"
    path.write_bytes(fit_bytes(one_lap(1200, 1500)))
    run(db, "import", str(path))
    code, _, err = run(db, "import", "--complete", "1", "--pain-free", "1500")
    assert code == 2 and "--pain-free (pain-free distance)" in err and "above the maximum" in err
    code, _, err = run(db, "import", "--complete", "1")
    assert code == 2 and "--pain-free (pain-free distance): is required" in err
    assert table(db, "SELECT count(*) FROM walk") == [(0,)]
    code, _, _ = run(db, "import", "--complete", "1", "--no-pain")
    assert code == 0
    assert table(db, "SELECT pain_free_m, max_m, no_pain FROM walk") == [(1200.0, None, 1)]


def test_the_modes_do_not_mix(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run(db, "import")[0] == 2
    assert run(db, "import", "--pending", "--discard", "1")[0] == 2
    code, _, err = run(db, "import", "--pending", "--pain-free", "100")
    assert code == 2 and "go with --complete" in err


def test_csv_and_json_still_import_alongside_device_files(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    csv = tmp_path / "walks.csv"
    csv.write_text("date,time,pain_free_m,max_m\n2026-11-01,09:00,150,300\n")
    fit = tmp_path / "w.fit"
    fit.write_bytes(fit_bytes(pressed((180, 150), (140, 120))))
    code, out, _ = run(db, "import", str(csv), str(fit))
    assert code == 0
    assert f"Imported 1 walk from {csv} (csv)." in out
    assert table(db, "SELECT count(*) FROM walk") == [(2,)]


def test_device_names_are_printed_escaped(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    fit = tmp_path / "w.fit"
    fit.write_bytes(fit_bytes(one_lap(device="Watch\x1b[2J\u202e")))
    run(db, "import", str(fit))
    out = run(db, "import", "--pending")[1]
    assert "\x1b" not in out and "\u202e" not in out
    assert "Watch\\x1b[2J\\u202e" in out
    assert printable("a\tb\x07") == "a\tb\\x07"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_after_a_second() -> None:
    now = [0.0]
    screen = FakeTerminal()
    with terminal_progress("Reading export.zip", stream=screen, clock=lambda: now[0]) as report:
        report(10, 100)
        assert screen.getvalue() == ""  # quick files show nothing
        now[0] = 1.5
        report(50, 100)
    assert "Reading export.zip" in screen.getvalue()


def test_progress_is_quiet_when_not_a_terminal() -> None:
    out = io.StringIO()
    now = [0.0]
    with terminal_progress("Reading", stream=out, clock=lambda: now[0]) as report:
        now[0] = 5.0
        report(50, 100)
    assert out.getvalue() == ""


def test_the_store_ledger_keeps_completed_and_discarded_rows(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    for name, start in (("x.fit", START), ("y.fit", START + timedelta(hours=3))):
        (tmp_path / name).write_bytes(fit_bytes(one_lap(start=start)))
        run(db, "import", str(tmp_path / name))
    store = open_store(db)
    try:
        store.discard_draft(1)
        assert [d.id for d in store.drafts()] == [2]
        assert [d.status for d in store.drafts(status=None)] == ["discarded", "pending"]
    finally:
        store.close()
