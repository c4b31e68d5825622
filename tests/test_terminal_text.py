"""Stored text reaches the terminal escaped, never raw; the stored text itself is kept (point 5)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.terminal_text import has_unsafe, printable, printable_json

HOSTILE = (
    "title \x1b]0;pwned\x07 clip \x1b]52;c;aGk=\x07 red \x1b[31mred\x1b[0m "
    "csi \x9b2J back\x08\x08 cr\rover del\x7f bidi \u202eevil\u202c iso \u2066x\u2069 ls\u2028"
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31m", "\\x1b[31m"),
        ("\x07", "\\x07"),
        ("a\rb", "a\\rb"),
        ("\x08", "\\x08"),
        ("\x7f", "\\x7f"),
        ("\x9b", "\\x9b"),
        ("\u202e", "\\u202e"),
        ("\u2067", "\\u2067"),
        ("\u2028", "\\u2028"),
        ("\ud800", "\\ud800"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("Grüße – schöner Weg 🚶", "Grüße – schöner Weg 🚶"),
    ],
)
def test_control_characters_are_shown_escaped(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_one_line_escapes_newlines_so_a_note_cannot_fake_a_record() -> None:
    assert printable("ok\n#99 2026-01-01: pain-free 900 m", one_line=True) == (
        "ok\\n#99 2026-01-01: pain-free 900 m"
    )


@given(st.text())
def test_nothing_unsafe_survives_and_the_escape_is_visible(text: str) -> None:
    out = printable(text)
    assert not has_unsafe(out)
    assert len(out) >= len(text)
    if has_unsafe(text):
        assert "\\" in out


@given(st.text())
def test_json_escaping_keeps_the_data(text: str) -> None:
    out = printable_json(json.dumps({"notes": text}, ensure_ascii=False))
    assert not has_unsafe(out)
    assert json.loads(out) == {"notes": text}


def test_every_text_command_prints_stored_text_escaped(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    outputs = []
    for argv in (
        ["log", "--pain-free", "180", "--max", "320", "--notes", HOSTILE],
        ["log", "--pain-free", "190", "--max", "330", "--notes", HOSTILE, "--json"],
        ["list"],
        ["list", "--json"],
        ["edit", "1", "--max", "330"],
        ["delete", "1"],
        ["undelete", "1"],
        ["symptom", "recent_surgery", "--notes", HOSTILE],
        ["symptoms"],
        ["symptoms", "--json"],
        ["settings", "--name", HOSTILE[:100], "--patient-id", "\x1b]0;x\x07"],
        ["settings"],
    ):
        result = runner.invoke(app, ["--db", db, *argv])
        assert result.exit_code == 0, (argv, result.output)
        outputs.append(result.stdout + result.stderr)
    for out in outputs:
        assert not has_unsafe(out), out
    assert "\\x1b]0;pwned\\x07" in outputs[2] and "\\u202eevil" in outputs[2]
    assert json.loads(outputs[3])[0]["notes"] == HOSTILE  # --json keeps the data exactly
    assert all(len(line) < 400 for line in outputs[2].splitlines())


def test_the_database_and_the_exports_keep_what_was_typed(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    runner = CliRunner()
    runner.invoke(
        app, ["--db", str(db), "log", "--pain-free", "180", "--max", "320", "--notes", HOSTILE]
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT notes FROM walk").fetchone() == (HOSTILE,)
    conn.close()
    out = tmp_path / "w.csv"
    assert (
        runner.invoke(
            app, ["--db", str(db), "export", "--format", "csv", "--out", str(out)]
        ).exit_code
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    assert rows[0]["notes"] == HOSTILE
    backup = tmp_path / "b.json"
    runner.invoke(app, ["--db", str(db), "export", "--format", "json", "--out", str(backup)])
    assert json.loads(backup.read_text())["walks"][0]["notes"] == HOSTILE
    again = tmp_path / "again.db"
    assert runner.invoke(app, ["--db", str(again), "import", str(out)]).exit_code == 0
    conn = sqlite3.connect(again)
    assert conn.execute("SELECT notes FROM walk").fetchone() == (HOSTILE,)
    conn.close()


def test_text_that_cannot_be_stored_is_refused_naming_the_field(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    for notes in ("bad \ud800 byte", "nul \x00 here"):
        result = CliRunner().invoke(
            app, ["--db", db, "log", "--pain-free", "180", "--max", "320", "--notes", notes]
        )
        assert result.exit_code == 2 and "--notes" in result.stderr, result.output
        assert not has_unsafe(result.stderr)
    result = CliRunner().invoke(app, ["--db", db, "settings", "--name", "\udcff"])
    assert result.exit_code == 2 and "--name" in result.stderr


def test_what_the_command_line_library_echoes_back_is_escaped_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "t.db"), "\x1b]0;pwned\x07"])
    assert result.exit_code == 2 and not has_unsafe(result.output)
    result = CliRunner().invoke(app, ["list", "--\x1b[31mred"])
    assert result.exit_code == 2 and not has_unsafe(result.output)


def test_the_doctor_report_never_carries_stored_control_characters(tmp_path: Path) -> None:
    from pypdf import PdfReader

    db = str(tmp_path / "t.db")
    runner = CliRunner()
    runner.invoke(
        app, ["--db", db, "log", "--pain-free", "180", "--max", "320", "--notes", HOSTILE]
    )
    runner.invoke(app, ["--db", db, "settings", "--name", "Ann \x1b[31mB"])
    out = tmp_path / "r.pdf"
    result = runner.invoke(app, ["--db", db, "export", "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not has_unsafe(result.stdout + result.stderr)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Ann" in text and "pwned" in text  # the report drops what it cannot draw
    assert not has_unsafe(text)
