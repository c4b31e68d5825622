"""`tracker log`'s fast path (cli/fast_log.py, db/plain_log.py) against the full command: the
same output, exit code and stored row for the same input on the same diary, the same option
table as typer's, and every unusual diary left to the full command with nothing written."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app, fast_log
from tracker.cli.log_options import LOG_OPTIONS
from tracker.db import diary_file, plain_log
from tracker.db.models import OWNER_COLUMN, Settings, Walk
from tracker.db.opening import open_store
from tracker.db.rows import find_bad_rows
from tracker.db.target import resolve_target
from tracker.db.walk_table import AUDIT_COLUMNS, WALK_TABLE_COLUMNS, walk_columns

from .conftest import FIXED_NOW, plain_walk

Result = tuple[int, str, str]
_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
_JSON_STAMPS = re.compile(r'"(created_at|updated_at)": "[^"]*"')
DUPLICATE_AT = FIXED_NOW.replace(hour=17, minute=0)
"""A stored walk of the base diary (250 m, maximum 500 m) that inputs may repeat."""


# --- one schema, one option table ----------------------------------------------------------
def test_the_fast_path_writes_the_models_columns() -> None:
    table = Walk.__table__  # type: ignore[attr-defined]
    assert tuple(c.name for c in table.columns if c.name != OWNER_COLUMN) == WALK_TABLE_COLUMNS
    walk = plain_walk(FIXED_NOW, 200.0)
    assert {"id", *walk_columns(walk), *AUDIT_COLUMNS} == set(WALK_TABLE_COLUMNS)


def test_a_diary_without_settings_uses_the_models_default_unit() -> None:
    assert Settings(id=1).unit == plain_log.DEFAULT_UNIT


def test_typer_declares_log_with_the_tables_options() -> None:
    log = typer.main.get_command(app).commands["log"]  # type: ignore[attr-defined]
    declared = [(p.opts[0], p.is_flag, p.help) for p in log.params if p.param_type_name == "option"]
    assert declared == [(o.flag, o.is_flag, o.help) for o in LOG_OPTIONS]


# --- the same result both ways ----------------------------------------------------------
def _base(folder: Path, unit: str) -> Path:
    """A diary the fast path takes: checked, recorded clean, every walk checked."""
    db = folder / "tracker.db"
    store = open_store(db)
    store.close()
    store = open_store(db)  # the first open of a diary with a schema: the full check
    if unit != "m":
        store.update_settings(unit=unit)
    for day in range(12):
        at = FIXED_NOW.replace(hour=9, minute=0) - timedelta(days=day + 1)
        store.add_walk(plain_walk(at, 240.0 + day))
    store.add_walk(plain_walk(DUPLICATE_AT, 250.0))
    store.walks()  # the walk table's check: every walk recorded as checked
    store.close()
    assert_plain(db)
    return db


def assert_plain(db: Path) -> None:
    """The fast path takes this diary (opened and closed again, nothing written)."""
    diary = plain_log.open_plain(db)
    assert diary is not None
    diary.close()


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_NOW", FIXED_NOW.isoformat())
        return {u: _base(tmp_path_factory.mktemp(f"base-{u}"), u) for u in ("m", "yd")}


def _twin(base: Path) -> Path:
    """A copy of the diary and its check record (same size and times: still recorded)."""
    folder = Path(tempfile.mkdtemp(dir=base.parent.parent))
    target = folder / base.name
    shutil.copy2(base, target)
    shutil.copy2(diary_file.check_record(base), diary_file.check_record(target))
    return target


def full(args: list[str]) -> Result:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def fast(args: list[str]) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = fast_log.run(args)
    return code, out.getvalue(), err.getvalue()


def rows(db: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        names = ", ".join(f"typeof({c}) AS type_{c}" for c in WALK_TABLE_COLUMNS)
        return [dict(r) for r in conn.execute(f"SELECT *, {names} FROM walk ORDER BY id")]
    finally:
        conn.close()


def _stamps_apart(row: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}


def _check_stamps(row: dict[str, object], start: datetime, end: datetime) -> list[datetime]:
    stamps = []
    for key in ("created_at", "updated_at"):
        text = row[key]
        assert isinstance(text, str) and _STAMP.fullmatch(text), text
        moment = datetime.fromisoformat(text)
        assert start <= moment <= end
        stamps.append(moment)
    return stamps


def _utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


DISTANCES = (
    [
        ("180", "320"),
        ("250", "500"),
        ("0.2km", "0.5km"),
        ("300yd", "1mi"),
        ("2500", "3000"),
        ("25", "40"),
        ("0.1mi", "300yd"),
    ],
    [("0", "100"), ("abc", "300"), ("", "300"), ("1e400", "2"), ("400", "320"), ("200", "x")],
)
"""Pain-free and maximum distances: accepted pairs (some far from the diary's usual 250 m),
and pairs the full command refuses."""
CHOICES: dict[str, tuple[list[str], list[str]]] = {
    "--total": (["3000", "4km"], ["50", ""]),
    "--date": (
        [FIXED_NOW.date().isoformat(), "2026-11-20", "2025-01-31"],
        ["2026-02-30", "2030-01-01"],
    ),
    "--time": (["17:00", "09:15", "00:00"], ["25:00", "7:5"]),
    "--location": (["calf", "thigh", "buttock", "foot"], ["knee"]),
    "--side": (["left", "right", "both"], ["up"]),
    "--pain": (["0", "6", "10"], ["11", "x"]),
    "--rest": (["3", "0.5"], ["999999", "-1"]),
    "--minutes": (["30", "45.5"], ["0", "x"]),
    "--method": (["walk", "6mwt", "treadmill"], ["run"]),
}
NOTES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
FLAGS = ("--allow-duplicate", "--json")


@st.composite
def log_args(draw: st.DrawFn) -> list[str]:
    """Mostly walks the full command accepts (one in four may hold a value it refuses), each
    option given or not, as `--flag value` or `--flag=value`."""
    wrong = draw(st.integers(0, 3)) == 0

    def pick(choices: tuple[list[Any], list[Any]]) -> Any:
        good, bad = choices
        return draw(st.sampled_from(good + bad if wrong else good))

    def option(flag: str, value: str) -> list[str]:
        return [f"{flag}={value}"] if draw(st.booleans()) else [flag, value]

    pain_free, maximum = pick(DISTANCES)
    args = option("--pain-free", pain_free)
    if draw(st.integers(0, 3)) == 0:
        args.append("--no-pain")
        if wrong and draw(st.booleans()):
            args += option("--max", maximum)
    else:
        args += option("--max", maximum)
    for flag, choices in CHOICES.items():
        if draw(st.integers(0, 2)) == 0:
            args += option(flag, pick(choices))
    if draw(st.booleans()):
        args += ["--notes", draw(NOTES.filter(lambda s: not s.startswith("-")))]
    for flag in FLAGS:
        if draw(st.integers(0, 3)) == 0:
            args.append(flag)
    return args


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=log_args(), unit=st.sampled_from(["m", "yd"]), db_first=st.booleans())
def test_both_paths_print_and_store_the_same(
    bases: dict[str, Path], args: list[str], unit: str, db_first: bool
) -> None:
    fast_db, full_db = _twin(bases[unit]), _twin(bases[unit])

    def command(db: Path) -> list[str]:
        return ["--db", str(db), "log", *args] if db_first else ["log", *args, "--db", str(db)]

    start = _utc()
    full_code, full_out, full_err = full(command(full_db))
    code, out, err = fast(command(fast_db))
    end = _utc()
    event("left to the full command" if code is None else "fast path")
    if code is None:  # left to the full command: only what it refuses
        assert full_code != 0, (full_out, full_err)
        assert rows(fast_db) == rows(bases[unit])
        code, out, err = full(command(fast_db))
    else:
        assert "--json" in args or f"#{len(rows(bases[unit])) + 1}" in out
    assert (code, _JSON_STAMPS.sub("", out), err) == (
        full_code,
        _JSON_STAMPS.sub("", full_out.replace(str(full_db), str(fast_db))),
        full_err.replace(str(full_db), str(fast_db)),
    )
    ours, theirs = rows(fast_db), rows(full_db)
    assert [_stamps_apart(r) for r in ours] == [_stamps_apart(r) for r in theirs]
    if len(ours) > len(rows(bases[unit])):
        created, updated = _check_stamps(ours[-1], start, end)
        assert created == updated  # one moment of creation
        full_created, full_updated = _check_stamps(theirs[-1], start, end)
        assert full_created <= full_updated
        raw = sqlite3.connect(fast_db)
        try:
            assert find_bad_rows(raw, exact=True) == []
        finally:
            raw.close()
    assert diary_file.walks_checked_upto(fast_db) == diary_file.walks_checked_upto(full_db)
    assert diary_file.clean_since_check(fast_db) == diary_file.clean_since_check(full_db)


def test_a_plain_log_takes_the_fast_path_and_the_next_one_too(bases: dict[str, Path]) -> None:
    db = _twin(bases["m"])
    for metres in ("260", "270"):
        code, out, err = fast(["--db", str(db), "log", "--pain-free", metres, "--max", "400"])
        assert (code, err) == (0, "") and f"pain-free {metres} m" in out
    assert [r["pain_free_m"] for r in rows(db)[-2:]] == [260.0, 270.0]
    assert diary_file.walks_checked_upto(db) == len(rows(db))


def test_doubts_are_warned_about_as_by_the_full_command(bases: dict[str, Path]) -> None:
    args = ["log", "--pain-free", "2500", "--max", "3000"]
    fast_db, full_db = _twin(bases["m"]), _twin(bases["m"])
    code, out, err = fast(["--db", str(fast_db), *args])
    assert code == 0 and err.count("Warning: ") == 2 and "tracker edit 14 --max" in err
    assert (code, out, err) == full(["--db", str(full_db), *args])


def test_the_command_imports_no_cli_library_nor_the_orm(bases: dict[str, Path]) -> None:
    db = _twin(bases["m"])
    heavy = ("typer", "click", "rich", "sqlalchemy", "sqlmodel", "pydantic", "alembic")
    code = (
        "import sys\n"
        f"sys.argv = ['tracker', '--db', {str(db)!r}, 'log', '--pain-free', '255', '--no-pain']\n"
        "from tracker.launch import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "TRACKER_NOW": FIXED_NOW.isoformat()}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    new_id = len(rows(bases["m"])) + 1
    saved, imported = out.stdout.splitlines()
    assert saved.startswith(f"Saved walk #{new_id}: ") and imported == "[]"
    assert len(rows(db)) == new_id


# --- everything unusual goes to the full command --------------------------------------------
def _leftover_wal(db: Path) -> None:
    Path(f"{db}-wal").write_bytes(b"")


def _stale_record(db: Path) -> None:
    record = json.loads(diary_file.check_record(db).read_text())
    record["checked_at"] -= diary_file.CHECK_EVERY_S + 1
    diary_file.check_record(db).write_text(json.dumps(record))


def _unclean_record(db: Path) -> None:
    record = json.loads(diary_file.check_record(db).read_text())
    del record["clean"]
    diary_file.check_record(db).write_text(json.dumps(record))


def _walk_added_unchecked(db: Path) -> None:
    """Another session's walk, not yet checked (the record is kept as that session would)."""
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO walk (walked_at, pain_free_m, no_pain, method, notes, source,"
        " created_at, updated_at) VALUES ('2026-11-01 10:00:00.000000', 100, 0, 'walk',"
        " '', 'typed', '2026-11-01 10:00:00.000000', '2026-11-01 10:00:00.000000')"
    )
    conn.commit()
    conn.close()
    diary_file.keep_check_record(db)


def _touched_outside(db: Path) -> None:
    later = db.stat().st_mtime + 120
    os.utime(db, (later, later))


def _newer_schema(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9001'")
    conn.commit()
    conn.close()
    diary_file.keep_check_record(db)


def _unfinished_copy(db: Path) -> None:
    (db.parent / f".{db.name}.tracker-0123456789ab.part").write_bytes(b"x")


def _no_record(db: Path) -> None:
    diary_file.check_record(db).unlink()


def _read_only(db: Path) -> None:
    db.chmod(0o400)


def _unreadable_row_elsewhere(db: Path) -> None:
    """A row opening names (its value is not a number): the session that found it says so."""
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO cigarette_day (day, count, updated_at)"
        " VALUES ('2026-11-01', 'many', '2026-11-01 10:00:00.000000')"
    )
    conn.commit()
    conn.close()
    store = open_store(db)  # the full check runs (the file changed outside tracker)
    assert store.unreadable_warning() is not None
    store.close()


UNUSUAL: dict[str, Callable[[Path], None]] = {
    "a -wal beside it": _leftover_wal,
    "a check over a day old": _stale_record,
    "a session that knew of unreadable rows": _unclean_record,
    "a walk not checked yet": _walk_added_unchecked,
    "a change made outside tracker": _touched_outside,
    "a newer schema": _newer_schema,
    "an unfinished copy beside it": _unfinished_copy,
    "no check record": _no_record,
    "an unreadable row in another table": _unreadable_row_elsewhere,
}


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_an_unusual_diary_is_left_to_the_full_command(bases: dict[str, Path], name: str) -> None:
    db = _twin(bases["m"])
    assert_plain(db)  # the twin itself is taken
    UNUSUAL[name](db)
    before = db.read_bytes()
    assert plain_log.open_plain(db) is None
    assert fast(["--db", str(db), "log", "--pain-free", "255", "--no-pain"]) == (None, "", "")
    assert db.read_bytes() == before


def test_the_unreadable_row_is_then_named_by_the_full_command(bases: dict[str, Path]) -> None:
    db = _twin(bases["m"])
    _unreadable_row_elsewhere(db)
    code, _out, err = full(["--db", str(db), "log", "--pain-free", "255", "--no-pain"])
    assert code == 0 and "cigarette_day 2026-11-01" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_diary_is_left_to_the_full_command(bases: dict[str, Path]) -> None:
    db = _twin(bases["m"])
    _read_only(db)
    assert fast(["--db", str(db), "log", "--pain-free", "255", "--no-pain"]) == (None, "", "")


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--help"],
        ["--help"],
        ["--version", "log"],
        ["log", "--pain-free"],
        ["log", "--pain-free", "--max", "3"],
        ["log", "--pain-free", "-3"],
        ["log", "--unknown", "3"],
        ["log", "--json=yes"],
        ["log", "--pain-free", "200", "extra"],
        ["log", "--", "--pain-free", "200"],
        ["edit", "1", "--max", "3"],
        ["--db"],
        ["log", "--pain-free", "300", "--db", "sqlite:///x.db"],
        ["log", "--pain-free", "300", "--db", "postgresql://u@h/db"],
        ["log", "--pain-free", "300", "--db", "/nonexistent/folder/x.db"],
    ],
)
def test_what_the_table_does_not_cover_is_left_to_typer(args: list[str]) -> None:
    assert fast(args) == (None, "", "")


def test_the_last_db_wins_as_in_typer(tmp_path: Path) -> None:
    parsed = fast_log.parse(["--db", "a.db", "log", "--db", "b.db", "--max=3", "--max", "4"])
    assert parsed is not None and parsed.db == "b.db" and parsed.values == {"--max": "4"}
    parsed = fast_log.parse(["--db=a.db", "log", "--no-pain", "--notes="])
    assert parsed is not None and parsed.db == "a.db"
    assert parsed.values == {"--no-pain": True, "--notes": ""}


@pytest.fixture
def linked(tmp_path: Path) -> Iterator[Path]:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    yield tmp_path


@pytest.mark.parametrize("given_db", ["link/x.db", "real/../real/x.db", "~/x.db", "", None])
def test_the_file_is_the_one_the_full_command_opens(
    linked: Path, monkeypatch: pytest.MonkeyPatch, given_db: str | None
) -> None:
    monkeypatch.chdir(linked)
    monkeypatch.setenv("HOME", str(linked))
    monkeypatch.setenv("TRACKER_DB", str(linked / "env.db"))
    assert fast_log.diary_path(given_db) == resolve_target(given_db).path


def test_another_writers_walk_is_not_counted_as_checked(bases: dict[str, Path]) -> None:
    db = _twin(bases["m"])
    before = diary_file.walks_checked_upto(db)
    diary = plain_log.open_plain(db)
    assert diary is not None and before is not None
    other = sqlite3.connect(db)
    other.execute(
        "INSERT INTO walk (walked_at, pain_free_m, no_pain, method, notes, source,"
        " created_at, updated_at) SELECT walked_at, pain_free_m, no_pain, method, notes,"
        " source, created_at, updated_at FROM walk WHERE id = 1"
    )
    other.commit()
    other.close()
    try:
        logged = diary.add_walk(plain_walk(FIXED_NOW.replace(hour=8), 200.0))
    finally:
        diary.close()
    assert logged.id == before + 2
    assert diary_file.walks_checked_upto(db) == before  # the other walk is checked on reading


def test_a_log_through_the_full_command_leaves_the_next_one_to_the_fast_path(
    bases: dict[str, Path],
) -> None:
    db = _twin(bases["m"])
    assert full(["--db", str(db), "log", "--pain-free", "200", "--max", "300"])[0] == 0
    assert diary_file.walks_checked_upto(db) == len(rows(db))
    assert fast(["--db", str(db), "log", "--pain-free", "210", "--max", "300"])[0] == 0


@pytest.mark.parametrize("window", [1, 3, 5, 2000])
def test_the_fast_reads_return_the_stores_walks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """The reads the checks make, whichever index they take (a method in and out of the
    newest walks, deleted walks, walks at the same time)."""
    monkeypatch.setattr(plain_log, "RECENT_WINDOW", window)
    db = tmp_path / "tracker.db"
    store = open_store(db)
    methods = ["walk", "6mwt", "walk", "treadmill", "walk", "walk", "6mwt", "walk"]
    for i, method in enumerate(methods * 3):
        at = FIXED_NOW.replace(hour=9) - timedelta(days=i // 4, minutes=0 if i % 5 else 30)
        walk = plain_walk(at, 200.0 + i)
        row = store.add_walk(dataclasses.replace(walk, method=method))
        if i % 7 == 3:
            store.set_deleted(row.id, True)
    conn = sqlite3.connect(db)
    diary = plain_log.PlainDiary(db, conn, "m", 0)
    try:
        for method in ("walk", "6mwt", "treadmill", "run"):
            for limit in (1, 3, 11):
                ours = diary.walks(method=method, newest_first=True, limit=limit)
                theirs = store.walks(method=method, newest_first=True, limit=limit)
                assert [(w.id, w.walked_at) for w in ours] == [(w.id, w.walked_at) for w in theirs]
            day = (FIXED_NOW - timedelta(days=1)).date()
            ours = diary.walks(day, day, method=method)
            theirs = store.walks(day, day, method=method)
            assert [w.id for w in ours] == [w.id for w in theirs]
    finally:
        conn.close()
        store.close()
