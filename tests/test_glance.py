"""The first look at a diary file through plain sqlite3 (`db.glance`) gives the store's own first
figures, changes nothing on disk, and is refused wherever opening has to decide first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tracker.db import glance
from tracker.db.models import Settings
from tracker.db.opening import SCHEMA_REVISION, open_store
from tracker.domain.dashboard import first_look

from .conftest import FIXED_NOW, plain_walk
from .test_partial_reads import generated_walks

WALK_FIELDS = [name.strip() for name in glance.WALK_COLUMNS.split(",")]


def ready(path: Path) -> Path:
    """A diary as a session leaves it: checked, every walk's values checked, closed."""
    store = open_store(path)
    store.walk_points()  # the first walk read checks (and records) the walks' values
    store.close()
    return path


@pytest.fixture
def diary(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "tracker.db"
    store = open_store(path)
    store.add_walks(generated_walks(5)[-400:])
    walks = store.walks(newest_first=True, limit=3)
    assert walks[0].id is not None
    store.set_deleted(walks[0].id, True)  # the newest walk deleted: the latest is the next
    store.set_cigarettes(FIXED_NOW.date(), 4)
    store.add_smoking_status(
        "current", FIXED_NOW.date() - timedelta(days=400), cigarettes_per_day=10
    )
    store.add_symptom("rest_pain_night", FIXED_NOW.date() - timedelta(days=3), "left foot")
    store.update_settings(unit="km", weekly_goal_sessions=5, theme="nord")
    store.close()
    yield ready(path)


def test_the_constants_are_the_schemas() -> None:
    assert glance.SCHEMA_REVISION == SCHEMA_REVISION
    defaults = Settings()
    assert (
        defaults.unit,
        defaults.weekly_goal_sessions,
    ) == (glance.DEFAULT_UNIT, glance.DEFAULT_WEEKLY_GOAL)


def test_a_look_gives_the_stores_first_figures(diary: Path) -> None:
    before = sorted(p.name for p in diary.parent.iterdir())
    seen = glance.look(str(diary))
    assert seen is not None
    try:
        looked = first_look(seen, FIXED_NOW, count=False)
        assert seen.settings().theme == "nord"
    finally:
        seen.close()
    assert sorted(p.name for p in diary.parent.iterdir()) == before  # nothing created
    store = open_store(diary)
    try:
        stored = first_look(store, FIXED_NOW)
    finally:
        store.close()
    assert looked.walk_count is None and stored.walk_count
    assert replace(looked, latest=None) == replace(stored, walk_count=None, latest=None)
    assert looked.latest is not None and stored.latest is not None
    for name in WALK_FIELDS:  # the row, column by column
        assert getattr(looked.latest, name) == getattr(stored.latest, name), name
    assert looked.red_flags and looked.latest is not None and looked.unit == "km"
    assert looked.first_run is stored.first_run is False


def test_a_new_diary_has_no_settings_row_and_gets_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    store = open_store(path)
    store.add_walk(plain_walk(FIXED_NOW - timedelta(hours=2), 180.0))
    store.close()
    seen = glance.look(ready(path))
    assert seen is not None
    try:
        settings = seen.settings()
        looked = first_look(seen, FIXED_NOW, count=False)
    finally:
        seen.close()
    assert (settings.unit, settings.weekly_goal_sessions, settings.theme) == ("m", 3, None)
    assert looked.median_7d_m == 180.0 and looked.walks_this_week == 1


def test_no_look_where_opening_must_decide(diary: Path, tmp_path: Path) -> None:
    assert glance.look("sqlite:///" + str(diary)) is None  # URLs are opening's
    assert glance.look(str(tmp_path / "missing.db")) is None
    wal = diary.with_name(diary.name + "-wal")
    wal.write_bytes(b"")  # an empty -wal (a killed session) holds nothing: looked at
    assert glance.look(diary) is not None
    wal.write_bytes(b"x" * 32)  # one holding changes is opening's to replay
    assert glance.look(diary) is None
    wal.unlink()
    assert glance.look(diary) is not None


def test_no_look_at_a_file_changed_outside_tracker(diary: Path) -> None:
    conn = sqlite3.connect(diary)
    conn.execute("UPDATE walk SET notes = 'changed' WHERE id = 1")
    conn.commit()
    conn.close()
    assert glance.look(diary) is None  # its integrity check is due again
    ready(diary)
    assert glance.look(diary) is not None


def test_walks_logged_since_the_check_are_read_and_checked_by_the_look(
    diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(diary)
    store.add_walk(plain_walk(FIXED_NOW - timedelta(hours=1), 150.0))  # as `tracker log` does
    store.close()
    seen = glance.look(diary)
    assert seen is not None
    looked = first_look(seen, FIXED_NOW, count=False)
    seen.close()
    assert looked.latest is not None and looked.latest.pain_free_m == 150.0
    store = open_store(diary)
    stored = first_look(store, FIXED_NOW)
    store.close()
    assert replace(looked, latest=None) == replace(stored, walk_count=None, latest=None)
    monkeypatch.setattr(glance, "SCHEMA_REVISION", "9999")  # a file of another schema
    assert glance.look(diary) is None
    monkeypatch.undo()
    # a walk whose values cannot be read, written outside tracker: the store leaves it out and
    # the walks are not recorded as checked, so there is no look until they are
    conn = sqlite3.connect(diary)
    conn.execute(
        "INSERT INTO walk (walked_at, pain_free_m, no_pain, method, notes, source, created_at,"
        " updated_at) VALUES (?, 'far', 0, 'walk', '', 'typed', ?, ?)",
        ((FIXED_NOW - timedelta(minutes=30)).isoformat(sep=" "),) * 3,
    )
    conn.commit()
    conn.close()
    ready(diary)
    store = open_store(diary)
    last = store.last_walk()
    store.close()
    assert last is not None and last.pain_free_m == 150.0
    assert glance.look(diary) is None


def test_a_value_that_does_not_read_as_its_type_gives_no_look(diary: Path) -> None:
    conn = sqlite3.connect(diary)
    conn.execute("UPDATE smoking_status SET cigarettes_per_day = 'ten'")
    conn.commit()
    conn.close()
    ready(diary)
    seen = glance.look(diary)
    assert seen is not None
    with pytest.raises(glance.READ_ERRORS):
        first_look(seen, FIXED_NOW, count=False)
    seen.close()
