"""`tracker event ...` through the CLI runner, checked against the rows in the database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def rows(db: Path) -> list[tuple[object, ...]]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id, kind, occurred_on, procedure_type, side, category, name, dose,"
            " description, notes, deleted_at IS NOT NULL FROM treatment_event ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_add_each_kind_and_list_them_oldest_first(db_path: Path) -> None:
    commands = [
        ["procedure", "--date", "2026-09-03", "--type", "angioplasty", "--side", "left"],
        [
            "medication-start",
            "--date",
            "2026-09-01",
            "--category",
            "cilostazol",
            "--dose",
            "100 mg",
        ],
        ["medication-stop", "--date", "2026-10-01", "--category", "cilostazol"],
        ["programme-start", "--date", "2026-10-05", "--notes", "Tue and Thu"],
        ["programme-end", "--date", "2026-11-20"],
        ["other", "--date", "2026-10-12", "--text", "hospital stay", "--notes", "3 nights"],
    ]
    outputs = []
    for args in commands:
        code, out, err = run(db_path, "event", "add", *args)
        assert code == 0, err
        outputs.append(out.strip())
    assert outputs[0] == "Saved event #1: 2026-09-03: angioplasty, left leg"
    assert outputs[1] == "Saved event #2: 2026-09-01: started cilostazol, 100 mg"
    assert [r[1] for r in rows(db_path)] == [
        "procedure",
        "medication-start",
        "medication-stop",
        "programme-start",
        "programme-end",
        "other",
    ]
    assert rows(db_path)[0][3:5] == ("angioplasty", "left")
    assert rows(db_path)[5][8:10] == ("hospital stay", "3 nights")

    code, out, _ = run(db_path, "event", "list")
    assert code == 0
    assert out.splitlines() == [
        "#2     2026-09-01: started cilostazol, 100 mg",
        "#1     2026-09-03: angioplasty, left leg",
        "#3     2026-10-01: stopped cilostazol",
        '#4     2026-10-05: started a supervised exercise programme – "Tue and Thu"',
        '#6     2026-10-12: hospital stay – "3 nights"',
        "#5     2026-11-20: ended the supervised exercise programme",
    ]


def test_list_json_has_the_documented_keys(db_path: Path) -> None:
    run(db_path, "event", "add", "procedure", "--date", "2026-09-03", "--type", "stent")
    run(db_path, "event", "add", "other", "--date", "2026-09-04", "--notes", "fell, bruised knee")
    run(db_path, "event", "delete", "2")
    code, out, _ = run(db_path, "event", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert [e["id"] for e in data] == [1]
    assert list(data[0]) == [
        "id",
        "date",
        "kind",
        "type",
        "side",
        "category",
        "name",
        "dose",
        "description",
        "notes",
        "created_at",
        "updated_at",
        "deleted",
    ]
    assert data[0]["type"] == "stent" and data[0]["side"] is None and data[0]["deleted"] is False
    code, out, _ = run(db_path, "event", "list", "--json", "--deleted")
    assert [(e["id"], e["deleted"]) for e in json.loads(out)] == [(1, False), (2, True)]
    code, out, _ = run(db_path, "event", "add", "programme-start", "--date", "2026-10-01", "--json")
    assert json.loads(out)["kind"] == "programme-start" and json.loads(out)["id"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["surgery", "--date", "2026-09-03"], "KIND: 'surgery' is not one of procedure, "),
        (["procedure", "--type", "stent"], "--date: is required"),
        (["procedure", "--date", "2026-12-01", "--type", "stent"], "--date: 2026-12-01 is in"),
        (["procedure", "--date", "2026-09-03"], "--type: is required for procedure"),
        (["procedure", "--date", "2026-09-03", "--type", "stent", "--side", "up"], "--side:"),
        (
            ["medication-start", "--date", "2026-09-03", "--category", "statin", "--side", "left"],
            "--side: only for procedure, not medication-start",
        ),
        (["medication-start", "--date", "2026-09-03"], "--category: is required"),
        (["medication-start", "--date", "2026-09-03", "--category", "other"], "--name:"),
        (["other", "--date", "2026-09-03"], "--text: is required for other"),
    ],
)
def test_bad_input_exits_2_with_the_option_and_writes_nothing(
    db_path: Path, args: list[str], message: str
) -> None:
    code, out, err = run(db_path, "event", "add", *args)
    assert code == 2
    assert message in err and "Traceback" not in err + out
    assert rows(db_path) == []


def test_a_stop_before_its_start_is_refused_and_nothing_is_written(db_path: Path) -> None:
    run(
        db_path,
        "event",
        "add",
        "medication-start",
        "--date",
        "2026-09-01",
        "--category",
        "cilostazol",
    )
    run(db_path, "event", "add", "programme-start", "--date", "2026-10-05")
    before = rows(db_path)
    code, _, err = run(
        db_path,
        "event",
        "add",
        "medication-stop",
        "--date",
        "2026-08-15",
        "--category",
        "cilostazol",
    )
    assert code == 2
    assert "--date: 2026-08-15 is before cilostazol was started on 2026-09-01" in err
    code, _, err = run(db_path, "event", "add", "programme-end", "--date", "2026-10-04")
    assert code == 2 and "exercise programme was started on 2026-10-05" in err
    assert rows(db_path) == before


def test_edit_changes_fields_and_keeps_the_rules(db_path: Path) -> None:
    run(db_path, "event", "add", "medication-start", "--date", "2026-09-01", "--category", "statin")
    run(db_path, "event", "add", "medication-stop", "--date", "2026-10-01", "--category", "statin")
    code, out, _ = run(db_path, "event", "edit", "1", "--name", "atorvastatin", "--dose", "40 mg")
    assert code == 0
    assert out.strip() == "Updated event #1: 2026-09-01: started atorvastatin (statin), 40 mg"
    code, _, err = run(db_path, "event", "edit", "1", "--date", "2026-10-02")
    assert code == 2 and "stopped on 2026-10-01" in err
    code, _, _ = run(db_path, "event", "edit", "1", "--dose", "")
    assert code == 0 and rows(db_path)[0][7] == ""
    code, _, err = run(db_path, "event", "edit", "1")
    assert code == 2 and "nothing to change" in err
    code, _, err = run(db_path, "event", "edit", "9", "--notes", "x")
    assert code == 2 and "No event with id 9" in err


def test_edit_to_another_kind_drops_the_fields_it_does_not_take(db_path: Path) -> None:
    run(
        db_path,
        "event",
        "add",
        "procedure",
        "--date",
        "2026-09-03",
        "--type",
        "bypass",
        "--side",
        "right",
    )
    code, _, err = run(db_path, "event", "edit", "1", "--kind", "other", "--text", "hospital stay")
    assert code == 0, err
    assert rows(db_path)[0][1:5] == ("other", "2026-09-03", None, None)
    code, _, err = run(db_path, "event", "edit", "1", "--kind", "operation")
    assert code == 2 and "'operation' is not one of" in err


def test_delete_and_undelete_keep_the_row(db_path: Path) -> None:
    run(db_path, "event", "add", "procedure", "--date", "2026-09-03", "--type", "stent")
    code, out, _ = run(db_path, "event", "delete", "1")
    assert code == 0 and "tracker event undelete 1" in out
    assert rows(db_path)[0][-1] == 1
    code, out, _ = run(db_path, "event", "list")
    assert "No events in that period" in out
    code, _, err = run(db_path, "event", "delete", "1")
    assert code == 2 and "already deleted" in err
    code, out, _ = run(db_path, "event", "undelete", "1")
    assert code == 0 and out.strip() == "Restored event #1: 2026-09-03: stent"
    assert rows(db_path)[0][-1] == 0


def test_list_filters_by_dates(db_path: Path) -> None:
    for day in ("2026-08-01", "2026-09-01", "2026-10-01"):
        run(db_path, "event", "add", "other", "--date", day, "--text", f"check-up {day}")
    code, out, _ = run(db_path, "event", "list", "--since", "2026-08-15", "--until", "2026-09-30")
    assert code == 0 and out.strip() == "#2     2026-09-01: check-up 2026-09-01"
    code, _, err = run(db_path, "event", "list", "--since", "2026-10-01", "--until", "2026-09-01")
    assert code == 2 and "is after --until" in err
