"""A damaged diary is read out, never written; rows the app cannot read are named and left out.

Fault tests for issue point 3.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.errors import DamagedDatabase, UnreadableRow
from tracker.db.opening import open_store
from tracker.db.salvage import salvage

from .conftest import plain_walk

START = datetime(2026, 1, 1, 8, 0)


def fill(db: Path, n: int = 2000) -> None:
    store = open_store(db)
    store.add_walks(
        [
            plain_walk(START + timedelta(hours=i), 100.0 + i % 300, f"walk {i} " + "x" * 100)
            for i in range(n)
        ]
    )
    store.add_symptom("recent_surgery", date(2026, 1, 2), "knee")
    store.close()


def pages(db: Path) -> tuple[dict[str, int], int]:
    conn = sqlite3.connect(db)
    try:
        roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master").fetchall())
        return roots, int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def scribble(db: Path, page_numbers: list[int], *, keep_header: int = 0) -> None:
    _, size = pages(db)
    data = bytearray(db.read_bytes())
    for page in page_numbers:
        start = (page - 1) * size + keep_header
        data[start : page * size] = b"\x00\x13" * ((page * size - start) // 2)
    db.write_bytes(bytes(data))


def damaged_index(db: Path) -> None:
    roots, _ = pages(db)
    scribble(db, [roots["ix_walk_walked_at"]], keep_header=8)


def damaged_table(db: Path) -> None:
    scribble(db, [40, 41])  # two leaves of the walk table


def run(db: Path, *argv: str) -> object:
    return CliRunner().invoke(app, ["--db", str(db), *argv])


@pytest.mark.parametrize("damage", [damaged_index, damaged_table])
def test_writes_to_a_damaged_diary_are_refused_and_the_file_stays_as_it_was(
    tmp_path: Path, damage: object
) -> None:
    db = tmp_path / "d.db"
    fill(db)
    damage(db)  # type: ignore[operator]
    before = db.read_bytes()
    for argv in (
        ["log", "--pain-free", "100", "--max", "200"],
        ["import", str(tmp_path / "none.csv")],
        ["smoke", "3"],
        ["list"],
    ):
        result = run(db, *argv)
        assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
        assert "is damaged" in result.stderr and "tracker recover" in result.stderr  # type: ignore[attr-defined]
    with pytest.raises(DamagedDatabase):
        open_store(db)
    assert db.read_bytes() == before


def test_a_json_export_of_a_damaged_diary_has_every_readable_row_and_names_the_rest(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.db"
    fill(db)
    damaged_table(db)
    out = tmp_path / "backup.json"
    result = run(db, "export", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    walks = json.loads(out.read_text())["walks"]
    assert 1900 < len(walks) < 2000
    assert "Could not read (damaged): walk: the rows after #" in result.stderr  # type: ignore[attr-defined]
    assert len({w["notes"] for w in walks}) == len(walks)
    symptoms = json.loads(out.read_text())["symptoms"]
    assert [s["notes"] for s in symptoms] == ["knee"]


def test_index_damage_hides_no_row_from_the_read_out(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    fill(db)
    damaged_index(db)
    new = tmp_path / "new.db"
    result = run(db, "recover", "--out", str(new))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "Every row could be read" in result.stdout  # type: ignore[attr-defined]
    store = open_store(new)
    assert len(store.walks()) == 2000 and [s.notes for s in store.symptoms()] == ["knee"]
    store.close()


def test_recover_copies_every_readable_row_into_a_sound_new_diary(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    fill(db)
    ids_before = {i for (i,) in sqlite3.connect(db).execute("SELECT id FROM walk")}
    damaged_table(db)
    before = db.read_bytes()
    new = tmp_path / "new.db"
    report = salvage(db, new)
    assert db.read_bytes() == before
    store = open_store(new)
    kept = {w.id for w in store.walks()}
    assert kept < ids_before and len(kept) == report.copied["walk"]
    lost = sorted(ids_before - kept)
    assert any(f"after #{lost[0] - 1}" in gap for gap in report.unreadable)
    store.add_walk(plain_walk(START, 100.0))
    store.close()
    assert sqlite3.connect(new).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_recover_never_overwrites(tmp_path: Path) -> None:
    db, new = tmp_path / "d.db", tmp_path / "new.db"
    fill(db, 5)
    new.write_text("mine")
    result = run(db, "recover", "--out", str(new))
    assert result.exit_code == 2 and "exists already" in result.stderr  # type: ignore[attr-defined]
    assert new.read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".new.db")]


# --- rows the app cannot read -------------------------------------------------------------
def hand_edit(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


BAD_VALUES = (
    "UPDATE walk SET walked_at = 'yesterday' WHERE id = 3",
    "UPDATE walk SET pain_free_m = 'far' WHERE id = 5",
    "UPDATE walk SET method = 'bike', notes = x'00ff' WHERE id = 7",
    "UPDATE settings SET unit = 'furlong'",
    "UPDATE symptom SET key = 'made_up'",
)


def with_bad_rows(tmp_path: Path) -> Path:
    db = tmp_path / "hand-edited.db"
    fill(db, 10)
    open_store(db).update_settings(unit="km")
    hand_edit(db, *BAD_VALUES)
    return db


def test_rows_the_app_cannot_read_are_named_by_id_and_left_out(tmp_path: Path) -> None:
    db = with_bad_rows(tmp_path)
    listed = run(db, "list")
    assert listed.exit_code == 0, listed.output  # type: ignore[attr-defined]
    lines = listed.stdout.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 7 and not any(line.startswith(("#3 ", "#5 ", "#7 ")) for line in lines)
    for words in (
        "walk #3: walked_at 'yesterday'",
        "walk #5: pain_free_m 'far'",
        "walk #7: method 'bike'",
        "unit 'furlong'",
        "symptom #1: key 'made_up'",
    ):
        assert words in listed.stderr, words  # type: ignore[attr-defined]
    assert "pain-free 100 m" in lines[0]  # the unknown unit falls back to metres
    log = run(db, "log", "--pain-free", "180", "--max", "320")
    assert log.exit_code == 0 and "pain-free 180 m" in log.stdout  # type: ignore[attr-defined]
    assert "cannot read" in log.stderr  # type: ignore[attr-defined]
    for argv in (["trend"], ["review"], ["symptoms"], ["list", "--json"]):
        result = run(db, *argv)
        assert result.exit_code == 0 and "Traceback" not in result.output, argv  # type: ignore[attr-defined]
    out = tmp_path / "b.json"
    exported = run(db, "export", "--format", "json", "--out", str(out))
    assert exported.exit_code == 0 and "cannot read" in exported.stderr  # type: ignore[attr-defined]
    assert len(json.loads(out.read_text())["walks"]) == 8
    for fmt in ("csv", "fhir", "pdf"):
        path = tmp_path / f"x.{fmt}"
        assert run(db, "export", "--format", fmt, "--out", str(path)).exit_code == 0  # type: ignore[attr-defined]


def test_the_unreadable_rows_stay_in_the_file_unchanged(tmp_path: Path) -> None:
    db = with_bad_rows(tmp_path)
    run(db, "log", "--pain-free", "180", "--max", "320")
    run(db, "settings", "--weekly-goal", "4")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT walked_at FROM walk WHERE id = 3").fetchone() == ("yesterday",)
    assert conn.execute("SELECT unit, weekly_goal_sessions FROM settings").fetchone() == (
        "furlong",
        4,
    )
    conn.close()
    new = tmp_path / "copy.db"
    assert run(db, "recover", "--out", str(new)).exit_code == 0  # type: ignore[attr-defined]
    conn = sqlite3.connect(new)
    assert conn.execute("SELECT pain_free_m FROM walk WHERE id = 5").fetchone() == ("far",)
    conn.close()


def test_an_unreadable_row_cannot_be_edited_or_deleted_but_says_why(tmp_path: Path) -> None:
    db = with_bad_rows(tmp_path)
    for argv in (["edit", "3", "--max", "400"], ["delete", "5"], ["undelete", "7"]):
        result = run(db, *argv)
        assert result.exit_code == 2 and "cannot read" in result.stderr, argv  # type: ignore[attr-defined]
    with pytest.raises(UnreadableRow):
        open_store(db).get_walk(3)


def test_a_malformed_date_missed_on_opening_is_found_when_read(tmp_path: Path) -> None:
    """The check on opening is cheap for dates (right shape and range); a date that still
    cannot be read makes the read find it, warn, and read again without it."""
    db = tmp_path / "d.db"
    fill(db, 10)
    hand_edit(db, "UPDATE walk SET walked_at = '2026-02-30 10:00:00' WHERE id = 4")
    store = open_store(db)
    assert store.warnings == []
    told: list[str] = []
    store.on_warning = told.append
    assert len(store.walks()) == 9
    assert len(told) == 1 and "walk #4: walked_at '2026-02-30 10:00:00'" in told[0]
    assert len(store.walk_points()) == 9 and len(told) == 1
    store.close()
