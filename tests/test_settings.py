"""The settings rules: one set, and the command line and the backup import refuse the same
values with the same words (the settings screen is tested in tests/ui/)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.domain.settings import (
    PATIENT_TEXT_MAX_CHARS,
    SETTINGS_FIELDS,
    parse_setting,
    settings_errors,
)
from tracker.domain.validation import ValidationError
from tracker.interchange.backup import backup_document


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("unit", "km", "km"),
        ("unit", " Miles ", "mi"),
        ("weekly_goal_sessions", 1, 1),
        ("weekly_goal_sessions", "14", 14),
        ("session_goal_minutes", 5, 5),
        ("session_goal_minutes", 240, 240),
        ("paper_size", "letter", "Letter"),
        ("paper_size", "A4", "A4"),
        ("patient_name", "  Ada Lovelace ", "Ada Lovelace"),
        ("patient_id", "x" * PATIENT_TEXT_MAX_CHARS, "x" * PATIENT_TEXT_MAX_CHARS),
        ("diabetes", True, True),
        ("walk_test_course_m", 30.5, 30.5),
    ],
)
def test_allowed_values_are_stored_in_their_canonical_form(
    key: str, value: object, stored: object
) -> None:
    assert parse_setting(key, value) == stored


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("unit", "furlong", "unknown unit 'furlong'; use m, km, yd or mi"),
        ("weekly_goal_sessions", 0, "a whole number from 1 to 14"),
        ("weekly_goal_sessions", 15, "a whole number from 1 to 14"),
        ("weekly_goal_sessions", True, "a whole number from 1 to 14"),
        ("weekly_goal_sessions", "3.5", "a whole number from 1 to 14"),
        ("session_goal_minutes", 4, "a whole number from 5 to 240"),
        ("session_goal_minutes", 241, "a whole number from 5 to 240"),
        ("paper_size", "A5", "A4 or Letter"),
        ("patient_name", "x" * (PATIENT_TEXT_MAX_CHARS + 1), "101 characters; at most 100"),
        ("patient_id", "a\x00b", "must not contain NUL characters (found at character 2)"),
        ("diabetes", "yes", "true or false"),
        ("colour", "red", "unknown setting 'colour'"),
    ],
)
def test_refused_values_name_what_is_allowed(key: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_setting(key, value)
    assert (caught.value.field, caught.value.message) == (key, message)


def test_every_problem_is_reported_and_nothing_half_applied() -> None:
    values, errors = settings_errors({"unit": "km", "weekly_goal_sessions": 99, "paper_size": "B5"})
    assert values == {"unit": "km"}
    assert [e.field for e in errors] == ["weekly_goal_sessions", "paper_size"]


@given(st.integers(min_value=-100, max_value=400))
def test_the_goal_range_is_one_rule(sessions: int) -> None:
    _, errors = settings_errors({"weekly_goal_sessions": sessions})
    assert (not errors) == (1 <= sessions <= 14)


CASES = [
    ("--weekly-goal", "weekly_goal_sessions", "15", 15),
    ("--session-minutes", "session_goal_minutes", "241", 241),
    ("--paper", "paper_size", "A5", "A5"),
    ("--name", "patient_name", "n" * 150, "n" * 150),
    ("--unit", "unit", "furlong", "furlong"),
]


@pytest.mark.parametrize(("flag", "key", "typed", "in_backup"), CASES)
def test_the_command_line_and_the_import_refuse_the_same_value_alike(
    tmp_path: Path, flag: str, key: str, typed: str, in_backup: object
) -> None:
    db = tmp_path / "d.db"
    open_store(db).close()
    result = CliRunner().invoke(app, ["--db", str(db), "settings", flag, typed])
    assert result.exit_code == 2
    _, (expected,) = settings_errors({key: in_backup})
    assert f"{flag}: {expected.message}" in result.stderr

    backup = tmp_path / "b.json"
    backup.write_text(
        json.dumps({"format": "tracker-backup", "schema_version": 1, "settings": {key: in_backup}})
    )
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(backup)])
    assert result.exit_code == 2
    assert f"settings: {key}: {expected.message}" in result.stderr
    store = open_store(db)
    assert store.settings().weekly_goal_sessions == 3  # nothing was changed
    store.close()


def test_the_backup_keeps_every_setting(tmp_path: Path) -> None:
    store = open_store(tmp_path / "d.db")
    doc = backup_document(store, datetime(2026, 11, 24))
    assert tuple(doc["settings"]) == SETTINGS_FIELDS
    store.close()


@given(st.text(max_size=8))
def test_any_typed_goal_is_stored_or_refused_with_a_message(text: str) -> None:
    values, errors = settings_errors({"weekly_goal_sessions": text})
    assert bool(values) != bool(errors)


def test_a_guided_test_setting_is_refused_under_its_own_name() -> None:
    _, (error,) = settings_errors({"walk_test_course_m": 500})
    assert error.field == "walk_test_course_m"
