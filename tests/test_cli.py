from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def walk_rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM walk ORDER BY id").fetchall()
    finally:
        conn.close()


def test_log_saves_and_prints_the_walk_with_its_id(db_path: Path) -> None:
    code, out, _ = run(
        db_path,
        "log",
        "--pain-free",
        "180",
        "--max",
        "0.32km",
        "--location",
        "calf",
        "--side",
        "left",
        "--pain",
        "6",
        "--rest",
        "3",
    )
    assert code == 0
    assert "Saved walk #1" in out and "pain-free 180 m" in out and "maximum 320 m" in out
    rows = walk_rows(db_path)
    assert len(rows) == 1
    store = open_store(db_path)
    walk = store.get_walk(1)
    assert (walk.pain_free_m, walk.max_m, walk.location, walk.pain) == (180, 320, "calf", 6)


def test_log_without_pain_needs_no_maximum(db_path: Path) -> None:
    code, out, _ = run(db_path, "log", "--pain-free", "300yd", "--no-pain")
    assert code == 0 and "≥ 274 m" in out
    walk = open_store(db_path).get_walk(1)
    assert walk.no_pain and walk.max_m is None


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--pain-free", "-5", "--max", "100"], "--pain-free"),
        (["--pain-free", "400", "--max", "300"], "--pain-free"),
        (["--pain-free", "100", "--max", "60km"], "--max"),
        (["--pain-free", "100", "--max", "NaN"], "--max"),
        (["--pain-free", "100", "--max", "200furlong"], "--max"),
        (["--pain-free", "100", "--max", "200", "--date", "2027-01-01"], "--date"),
        (["--pain-free", "100", "--max", "200", "--pain", "11"], "--pain"),
        (["--pain-free", "100", "--max", "200", "--method", "bike"], "--method"),
        (["--pain-free", "100"], "--max"),
    ],
)
def test_bad_log_input_exits_2_names_the_field_and_changes_nothing(
    db_path: Path, args: list[str], flag: str
) -> None:
    run(db_path, "log", "--pain-free", "100", "--max", "200")
    before = walk_rows(db_path)
    code, out, err = run(db_path, "log", *args)
    assert code == 2
    assert flag in err and "Saved" not in out
    assert walk_rows(db_path) == before


def test_preferred_unit_applies_to_bare_numbers(db_path: Path) -> None:
    assert run(db_path, "settings", "--unit", "km")[0] == 0
    code, out, _ = run(db_path, "log", "--pain-free", "0.2", "--max", "0.35")
    assert code == 0 and "0.20 km" in out
    assert open_store(db_path).get_walk(1).pain_free_m == pytest.approx(200)


def test_list_json_edit_delete_undelete(db_path: Path) -> None:
    run(db_path, "log", "--pain-free", "100", "--max", "200", "--date", "2026-11-20")
    run(db_path, "log", "--pain-free", "150", "--max", "250", "--date", "2026-11-22")
    code, out, _ = run(db_path, "list", "--json", "--since", "2026-11-21")
    assert code == 0
    data = json.loads(out)
    assert [d["pain_free_m"] for d in data] == [150.0]
    assert run(db_path, "edit", "1", "--max", "220", "--notes", "hill")[0] == 0
    assert open_store(db_path).get_walk(1).max_m == 220
    code, _, err = run(db_path, "edit", "1", "--max", "50")
    assert code == 2 and "--pain-free" in err
    assert run(db_path, "delete", "1")[0] == 0
    assert "#1 " not in run(db_path, "list")[1]
    assert len(walk_rows(db_path)) == 2
    assert run(db_path, "undelete", "1")[0] == 0
    assert "#1 " in run(db_path, "list")[1]
    code, _, err = run(db_path, "delete", "99")
    assert code == 2 and "No walk with id 99" in err


def test_symptom_prints_tier_and_verbatim_advice(db_path: Path) -> None:
    run(db_path, "symptom", "recent_long_travel")
    code, out, _ = run(db_path, "symptom", "leg-swelling-one-side", "--notes", "left calf")
    assert code == 0
    assert "See a doctor today" in out
    assert "may point to a clot in a deep vein" in out
    assert "long journey" in out  # immobility context named beside same-day advice
    code, out, _ = run(db_path, "symptom", "leg_cold_pale")
    assert "Call the emergency number now" in out
    code, _, err = run(db_path, "symptom", "headache")
    assert code == 2 and "leg_swelling_one_side" in err


def test_smoking_commands(db_path: Path) -> None:
    code, out, _ = run(
        db_path, "smoking-status", "current", "--since", "2000-01-01", "--per-day", "20"
    )
    assert code == 0 and "Pack-years" in out
    assert run(db_path, "smoke", "12")[0] == 0
    code, out, _ = run(db_path, "smoke", "8")
    assert "8 (was 12)" in out
    for bad in ("500", "ten", "2.5"):
        code, _, err = run(db_path, "smoke", bad)
        assert code == 2 and "cigarette count" in err
    code, _, err = run(db_path, "smoking-status", "sometimes")
    assert code == 2 and "never, former, current" in err


def test_tracker_db_environment_variable(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    result = runner.invoke(app, ["log", "--pain-free", "100", "--max", "200"])
    assert result.exit_code == 0
    assert len(walk_rows(db_path)) == 1


def test_db_option_after_the_command(db_path: Path) -> None:
    result = runner.invoke(app, ["log", "--pain-free", "100", "--max", "200", "--db", str(db_path)])
    assert result.exit_code == 0 and len(walk_rows(db_path)) == 1


def test_not_a_database_exits_2_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10)
    before = path.read_bytes()
    code, _, err = run(path, "log", "--pain-free", "100", "--max", "200")
    assert code == 2 and "not a tracker database" in err
    assert path.read_bytes() == before


def test_log_does_not_import_drawing_libraries(db_path: Path) -> None:
    """Start-up cost: logging must not pay for Textual, plotting, PDF, scipy or Alembic."""
    open_store(db_path).close()  # schema current, so no migration is due
    code = (
        "import sys\n"
        "from tracker.cli import app\n"
        "try:\n"
        f"    app(['--db', {str(db_path)!r}, 'log', '--pain-free', '100', '--max', '200'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'textual', 'plotext', 'textual_plotext', 'matplotlib', 'fpdf', 'scipy',"
        " 'alembic', 'rich'}\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert len(walk_rows(db_path)) == 1


def test_explicit_db_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db, flag_db = tmp_path / "env.db", tmp_path / "flag.db"
    monkeypatch.setenv("TRACKER_DB", str(env_db))
    for i, args in enumerate((["--db", str(flag_db), "log"], ["log", "--db", str(flag_db)])):
        result = runner.invoke(app, [*args, "--pain-free", "100", "--max", str(200 + i)])
        assert result.exit_code == 0
    assert len(walk_rows(flag_db)) == 2
    assert not env_db.exists()


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    import tracker

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert (
        result.stdout.strip() == f"tracker {version('tracker')}" == f"tracker {tracker.__version__}"
    )
    out = subprocess.run(
        [sys.executable, "-m", "tracker", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"tracker {version('tracker')}"
