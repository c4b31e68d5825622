from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.walks import WALK_COLUMNS
from tracker.interchange.backup import backup_json
from tracker.interchange.importer import ImportFailed, import_file

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


# --- what cannot be read unambiguously is refused, naming line and column (point 4) --------
def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def _refused(tmp_path: Path, now: datetime, text: str) -> list[str]:
    db = tmp_path / "t.db"
    store = open_store(db)
    with pytest.raises(ImportFailed) as info:
        import_file(store, _csv(tmp_path, text), now)
    store.close()
    assert table(db) == []
    return info.value.errors


HEAD = "date,time,pain_free_m,max_m,notes\r\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # the quote swallows the next row into one notes cell
            '2026-10-01,09:00,100,200,"said hi\r\n2026-10-02,09:00,110,210,fine\r\n',
            "line 2, column notes: a quote opens this cell and is never closed",
        ),
        (
            '2026-10-01,09:00,100,200,"said hi\r\n2026-10-02,09:00,110,210,"ok"\r\n',
            "line 2, column notes: text follows the closing quote of this cell (a quote left open",
        ),
        (
            '2026-10-01,09:00,100,200,"note\r\n2026-10-02,09:00,110,210,"\r\n',
            "line 2, column notes: this cell runs over lines that look like rows",
        ),
        ('2026-10-01,09:00,"100"m,200,x\r\n', "line 2, column pain_free_m: text follows"),
        ('2026-10-01,09:00,100,200,5" of snow\r\n', "line 2, column notes: a quote inside"),
        ('"2026-10-01\r\n",09:00,100,200,x\r\n', "line 2, column date: a line break"),
        ("2026-10-01,09:00,100,200," + "n" * 10_001 + "\r\n", "line 2, column notes: a cell over"),
        (
            '2026-10-01,09:00,100,200,"' + "n" * 140_000 + '"\r\n',
            "line 2, column notes: a cell over 10,000 characters",
        ),
        ("2026-10-01,09:00,100,200," + "n" * 140_000 + "\r\n", "line 2, column notes: a cell"),
    ],
)
def test_csv_that_cannot_be_read_unambiguously_is_refused_naming_line_and_column(
    tmp_path: Path, now: datetime, body: str, expected: str
) -> None:
    errors = _refused(tmp_path, now, HEAD + "2026-09-30,09:00,90,190,first\r\n" + body)
    assert any(e.replace("line 3", "line 2").startswith(expected) for e in errors), errors


def test_a_duplicated_column_name_is_refused(tmp_path: Path, now: datetime) -> None:
    errors = _refused(
        tmp_path, now, "date,time,pain_free_m,max_m,notes,notes\r\n2026-10-01,09:00,1,2,a,b\r\n"
    )
    assert errors == ["line 1: column 'notes' appears more than once (columns 5, 6)"]


def test_notes_over_several_lines_still_import(tmp_path: Path, now: datetime) -> None:
    store = open_store(tmp_path / "t.db")
    text = HEAD + '2026-10-01,09:00,100,200,"first line\r\nsecond, with a comma"\r\n'
    result = import_file(store, _csv(tmp_path, text), now)
    assert result.walks_added == 1
    assert store.walks()[0].notes == "first line\r\nsecond, with a comma"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested far deeper than 20 levels"),
        ('{"format": "tracker-backup", "x": ' + "[" * 25 + "]" * 25 + "}", "nested deeper"),
    ],
)
def test_json_depth_is_limited(tmp_path: Path, now: datetime, document: str, expected: str) -> None:
    path = tmp_path / "deep.json"
    path.write_text(document if document.startswith("{") else '{"a": ' + document + "}")
    with pytest.raises(ImportFailed) as info:
        import_file(open_store(tmp_path / "t.db"), path, now)
    assert expected in info.value.errors[0]


def _backup_with(walk_fields: str) -> str:
    walk = (
        '{"date": "2026-10-01", "time": "09:00", "pain_free_m": 100, "max_m": 200, '
        '"no_pain": false, "method": "walk", "notes": "", ' + walk_fields + "}"
    )
    return '{"format": "tracker-backup", "schema_version": 1, "walks": [' + walk + "]}"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ('"pain": ' + "9" * 309, "walks[0]: pain: '999999999999'… (309 characters)"),
        ('"pain": ' + "9" * 4301, "walks[0]: pain: '999999999999'… (4301 characters)"),
        ('"rest_min": 1e999', "walks[0]: rest_min: must be a finite number"),
        ('"total_m": ' + "9" * 99, "walks[0]: total_m:"),
        ('"max_m": 200, "notes": "bad \\ud800 text"', "walks[0]: notes: must not contain bytes"),
        ('"duration_min": ' + str(2**63), "walks[0]: duration_min:"),
    ],
)
def test_absurd_json_values_are_field_errors(
    tmp_path: Path, now: datetime, field: str, expected: str
) -> None:
    path = tmp_path / "b.json"
    path.write_text(_backup_with(field))
    db = tmp_path / "t.db"
    with pytest.raises(ImportFailed) as info:
        import_file(open_store(db), path, now)
    assert any(e.startswith(expected) for e in info.value.errors), info.value.errors
    assert table(db) == []


def test_a_file_that_is_not_a_regular_file_is_refused_before_reading(
    tmp_path: Path, now: datetime
) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would block forever
    with pytest.raises(ImportFailed, match="Nothing was imported") as info:
        import_file(open_store(tmp_path / "t.db"), fifo, now)
    assert "not a regular file" in info.value.errors[0]


csv_chars = st.sampled_from([*'",\r\n ab1.-:', "2026-10-01", "09:00", "100", "\x1b", "é"])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(csv_chars, max_size=60),
    st.sampled_from(["", "9" * 309, "9" * 4301, "x" * 131_073, "\x00"]),
)
def test_generated_malformed_csv_never_crashes_and_never_half_imports(
    tmp_path: Path, now: datetime, pieces: list[str], big: str
) -> None:
    db = tmp_path / "fuzz.db"
    store = open_store(db)
    before = table(db)
    text = "date,time,pain_free_m,max_m,notes\r\n2026-10-01,09:00,100,200,ok\r\n"
    text += "".join(pieces) + big
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        result = import_file(store, path, now)
    except ImportFailed as exc:
        assert exc.errors and all(isinstance(e, str) for e in exc.errors)
        assert table(db) == before
    else:
        assert len(table(db)) == len(before) + result.walks_added
    store.close()


json_value = st.one_of(
    st.sampled_from(
        [
            "9" * 309,
            "9" * 4301,
            "-" + "9" * 400,
            str(2**63),
            "1e999",
            "-1e999",
            "0.1e-400",
            '"\\ud800"',
            '"\\udfff x"',
            '"\\u0000"',
            '"\\u001b[31m"',
            "null",
            "true",
            "[]",
            "{}",
            '"2026-02-30"',
            '"25:61"',
            '"x"',
            "[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]",
        ]
    ),
    st.integers().map(str),
    st.floats(allow_nan=False).map(repr).filter(lambda s: "inf" not in s),
)
json_field = st.sampled_from([*WALK_COLUMNS, "created_at", "deleted_at"])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(json_field, json_value, max_size=5),
    st.sampled_from(["walks", "cigarettes", "symptoms", "smoking_status", "settings"]),
)
def test_generated_json_fields_never_crash_and_never_half_import(
    tmp_path: Path, now: datetime, fields: dict[str, str], where: str
) -> None:
    db = tmp_path / "fuzz.db"
    store = open_store(db)
    before = table(db)
    record = "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}"
    unit, name = fields.get("notes", '"m"'), fields.get("date", '"x"')
    day, count = fields.get("date", '"2026-10-01"'), fields.get("pain", "3")
    sections = {
        "settings": '"settings": {"unit": ' + unit + ', "patient_name": ' + name + "}",
        "cigarettes": '"cigarettes": [{"date": ' + day + ', "count": ' + count + "}]",
    }
    section = sections.get(where, f'"{where}": [{record}]')
    path = tmp_path / "fuzz.json"
    path.write_text(
        '{"format": "tracker-backup", "schema_version": 1, ' + section + "}", encoding="utf-8"
    )
    try:
        import_file(store, path, now)
    except ImportFailed as exc:
        assert exc.errors and all(isinstance(e, str) for e in exc.errors)
        assert table(db) == before
    store.close()
