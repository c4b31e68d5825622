from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.export.backup import backup_json
from tracker.export.importer import ImportFailed, import_file
from tracker.store import Store, open_store

HEADER = (
    "date,time,pain_free_m,max_m,total_m,no_pain,location,side,pain,rest_min,method,notes,source"
)


def table(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM walk ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_bad_row_in_the_middle_imports_nothing_and_names_every_bad_line(
    tmp_path: Path, now: datetime
) -> None:
    db = tmp_path / "t.db"
    open_store(db).close()
    lines = [HEADER]
    for i in range(1, 21):
        lines.append(f"2026-10-{i:02d},09:00,{100 + i},{300 + i},,false,calf,left,4,2,walk,,typed")
    lines[10] = "2026-10-10,09:00,-3,300,,false,calf,left,4,2,walk,,typed"
    lines[15] = "2026-10-15,25:00,100,300,,false,knee,left,4,2,walk,,typed"
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_file(open_store(db), path, now)
    errors = info.value.errors
    assert any(e.startswith("line 11: pain_free_m") for e in errors)
    assert any(e.startswith("line 16: time") for e in errors)
    assert any(e.startswith("line 16: location") for e in errors)
    assert table(db) == []


def test_json_backup_round_trip_reproduces_the_whole_database(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(backup_json(full_store, now))
    fresh = open_store(tmp_path / "fresh.db")
    import_file(fresh, path, now)
    original = json.loads(backup_json(full_store, now))
    copy = json.loads(backup_json(fresh, now))
    assert copy == original
    assert any(w["deleted_at"] for w in copy["walks"])
    assert copy["settings"]["patient_name"] == "Jürgen Müller"
    import_file(fresh, path, now)  # twice: nothing doubles
    assert json.loads(backup_json(fresh, now)) == original


def test_json_backup_keeps_the_answers_to_the_apps_questions(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(backup_json(full_store, now))
    (answer,) = json.loads(path.read_text())["prompt_answers"]
    assert answer["question"] == "sudden_drop_emergency_signs" and answer["answer"] == "no"
    fresh = open_store(tmp_path / "fresh.db")
    import_file(fresh, path, now)
    import_file(fresh, path, now)
    (row,) = fresh.prompt_answers()
    assert (row.asked_on.isoformat(), row.trigger) == ("2026-11-24", "sudden-drop:walk:2026-11-22")


def test_not_an_export_is_refused(tmp_path: Path, now: datetime) -> None:
    store = open_store(tmp_path / "t.db")
    for name, content in (
        ("a.csv", b"name,amount\nmilk,2\n"),
        ("b.json", b'{"hello": 1}'),
        ("c.json", b"{not json"),
        ("d.bin", bytes(range(256))),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportFailed) as info:
            import_file(store, path, now)
        assert info.value.errors and all(info.value.errors)


bad_cell = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["-1", "0", "nan", "inf", "1e9", "60001", "abc", "", "25:61", "2999-01-01"]),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(bad_cell, bad_cell, bad_cell), min_size=1, max_size=4))
def test_generated_bad_rows_never_crash_and_never_half_import(
    tmp_path: Path, now: datetime, rows: list[tuple[str, str, str]]
) -> None:
    db = tmp_path / "h.db"
    store = open_store(db)
    before = table(db)
    lines = ["date,time,pain_free_m,max_m", "2026-10-01,09:00,100,200"]
    lines += [
        f"2026-10-02,{t.replace(',', ' ').replace(chr(10), ' ')},"
        f"{p.replace(',', ' ').replace(chr(10), ' ')},"
        f"{m.replace(',', ' ').replace(chr(10), ' ')}"
        for t, p, m in rows
    ]
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        result = import_file(store, path, now)
    except ImportFailed as exc:
        assert exc.errors
        assert table(db) == before
    else:
        assert len(table(db)) == len(before) + result.walks_added
    store.close()
