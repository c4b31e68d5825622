"""Doubtful readings are asked about, exact duplicates refused by `tracker log` (point 9)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.repository import Store
from tracker.domain.plausibility import (
    check_walk,
    cigarette_doubt,
    distance_doubts,
    duplicate_of,
    usual_distance,
    with_reading,
)
from tracker.domain.validation import validate_walk
from tracker.domain.walks import WalkInput

from .conftest import FIXED_NOW

runner = CliRunner()


@dataclass
class Stored:
    pain_free_m: float
    max_m: float | None
    id: int | None = 1
    walked_at: datetime = FIXED_NOW
    method: str = "walk"
    no_pain: bool = False


def history(pf: float = 300, mx: float = 500, n: int = 10) -> list[Stored]:
    return [Stored(pf, mx, id=i) for i in range(n)]


def walk(pf: str, mx: str | None = None, unit: str = "m", **extra: object) -> WalkInput:
    draft: dict[str, object] = {"pain_free": pf, **extra}
    if mx is not None:
        draft["max"] = mx
    return validate_walk(draft, unit=unit, now=FIXED_NOW)


def test_the_usual_distance_needs_three_walks_and_reads_the_newest_ten() -> None:
    assert usual_distance(history(n=2), "pain_free_m") is None
    rows = [*history(300, 500, 10), *history(5000, 9000, 5)]
    assert usual_distance(rows, "pain_free_m") == (300, 10)


@pytest.mark.parametrize(
    ("typed", "doubt"),
    [("1201", True), ("1200", False), ("75", False), ("74", True), ("300", False)],
)
def test_more_than_4x_or_less_than_a_quarter_of_the_usual_is_asked(typed: str, doubt: bool) -> None:
    w = walk(typed, "2000")
    fields = [d.field for d in distance_doubts(w, {"pain_free": typed}, "m", history())]
    assert ("pain_free" in fields) is doubt


def test_the_question_offers_the_reading_in_other_units() -> None:
    w = walk("20", "30", unit="km")
    (pf, mx) = distance_doubts(w, {"pain_free": "20", "max": "30"}, "km", history())
    assert pf.typed.text == "20 km" and pf.longer
    assert [a.text for a in pf.alternatives] == ["20 m", "20 yd"]
    assert [a.text for a in mx.alternatives] == ["30 m", "30 yd"]
    fixed = with_reading(w, "pain_free", pf.alternatives[0])
    assert fixed.pain_free_m == 20 and fixed.max_m == 30_000


def test_a_walk_without_pain_is_compared_with_the_usual_pain_free_distance() -> None:
    w = walk("5000", no_pain=True)
    (d,) = distance_doubts(w, {"pain_free": "5000"}, "m", history(300, None))
    assert d.field == "pain_free" and d.usual_m == 300


@given(
    usual=st.floats(min_value=20, max_value=5000),
    ratio=st.floats(min_value=0.01, max_value=100).filter(lambda r: abs(r - 4) > 1e-6),
)
def test_doubt_exactly_when_outside_a_quarter_to_four_times(usual: float, ratio: float) -> None:
    metres = min(max(usual * ratio, 1.0), 40_000.0)
    w = walk(f"{metres}m", f"{max(metres, usual)}m")
    doubts = distance_doubts(w, {"pain_free": f"{metres}m"}, "m", history(usual, usual))
    outside = metres > usual * 4 or metres < usual / 4
    assert any(d.field == "pain_free" for d in doubts) is outside


def test_a_duplicate_is_the_same_time_method_and_distances() -> None:
    w = walk("180", "320")
    same = Stored(180.0, 320.0, id=7)
    assert duplicate_of(w, [same]) == 7
    assert duplicate_of(w, [Stored(180.0, 321.0)]) is None
    assert duplicate_of(w, [Stored(180.0, 320.0, method="treadmill")]) is None
    assert (
        duplicate_of(w, [Stored(180.0, 320.0, walked_at=FIXED_NOW - timedelta(minutes=1))]) is None
    )


def test_check_walk_reads_the_diary_and_skips_the_walk_being_edited(store: Store) -> None:
    for i in range(10):
        store.add_walk(walk("300", "500", time=f"0{i}:00"))
    row = store.add_walk(walk("180", "320"))
    assert row.id is not None
    again = check_walk(store, walk("180", "320"), {}, "m")
    assert again.duplicate_id == row.id and [d.field for d in again.doubts] == []
    assert check_walk(store, walk("180", "320"), {}, "m", editing=row.id).duplicate_id is None
    store.set_deleted(row.id, True)
    assert check_walk(store, walk("180", "320"), {}, "m").duplicate_id is None
    far = check_walk(store, walk("20", "30", unit="km"), {"pain_free": "20"}, "km")
    assert [d.field for d in far.doubts] == ["pain_free", "max"]


def test_a_count_over_20_above_the_usual_is_asked() -> None:
    day = date(2026, 11, 24)
    counts = {day - timedelta(days=d): 10 for d in range(1, 15)}
    counts[day - timedelta(days=40)] = 60  # too old to count
    assert cigarette_doubt(30, counts, day) is None
    doubt = cigarette_doubt(31, counts, day)
    assert doubt is not None and (doubt.usual, doubt.days) == (10, 14)
    assert cigarette_doubt(60, {}, day) is None


# --- the command line ---------------------------------------------------------------------
def rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, pain_free_m, max_m FROM walk ORDER BY id").fetchall()
    finally:
        conn.close()


def log(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "log", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_refuses_an_exact_duplicate_naming_it_unless_allowed(db_path: Path) -> None:
    assert log(db_path, "--pain-free", "180", "--max", "320")[0] == 0
    code, _, err = log(db_path, "--pain-free", "180", "--max", "320")
    assert code == 2 and "walk #1" in err and "--allow-duplicate" in err
    assert len(rows(db_path)) == 1
    code, out, _ = log(db_path, "--pain-free", "180", "--max", "320", "--allow-duplicate")
    assert code == 0 and "Saved walk #2" in out
    assert log(db_path, "--pain-free", "180", "--max", "330")[0] == 0


def test_cli_saves_a_doubtful_distance_and_warns_with_other_readings(db_path: Path) -> None:
    for i in range(10):
        assert log(db_path, "--pain-free", "300", "--max", "500", "--time", f"0{i}:00")[0] == 0
    code, out, err = log(db_path, "--pain-free", "20km", "--max", "30km")
    assert code == 0 and "Saved walk #11" in out
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2
    assert "Did you mean 20 km, 20 m or 20 yd?" in warnings[0]
    assert "tracker edit 11 --pain-free" in warnings[0]
    assert rows(db_path)[-1] == (11, 20_000.0, 30_000.0)


def test_cli_smoke_warns_about_a_count_far_above_usual(db_path: Path) -> None:
    for d in range(1, 8):
        day = (FIXED_NOW.date() - timedelta(days=d)).isoformat()
        assert (
            runner.invoke(app, ["--db", str(db_path), "smoke", "5", "--date", day]).exit_code == 0
        )
    result = runner.invoke(app, ["--db", str(db_path), "smoke", "50"])
    assert result.exit_code == 0 and "Cigarettes on 2026-11-24: 50." in result.stdout
    assert "Warning: 50 cigarettes is more than 20 above your usual 5 a day" in result.stderr
    quiet = runner.invoke(app, ["--db", str(db_path), "smoke", "7"])
    assert "Warning" not in quiet.stderr
