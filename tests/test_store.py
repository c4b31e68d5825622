from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.db.errors import (
    CorruptDatabase,
    DatabaseUnavailable,
    NewerDatabase,
    NotATrackerDatabase,
)
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.db.target import resolve_target
from tracker.domain.validation import validate_walk

NOW = datetime(2026, 11, 24, 18, 30)


def add(store: Store, pf: str = "180", mx: str | None = "300", **extra: object) -> int:
    draft: dict[str, object] = {"pain_free": pf, "max": mx, **extra}
    walk = store.add_walk(validate_walk(draft, unit="m", now=NOW))
    assert walk.id is not None
    return walk.id


def test_new_database_is_private_wal_with_foreign_keys(store: Store, db_path: Path) -> None:
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_walk_round_trip_keeps_the_no_pain_fact(store: Store) -> None:
    wid = add(store, "450", None, no_pain=True, notes="Grüße, schöner Weg")
    walk = store.get_walk(wid)
    assert walk.no_pain and walk.max_m is None and walk.pain_free_m == 450
    assert walk.notes == "Grüße, schöner Weg"
    assert walk.walked_at == NOW


def test_soft_delete_hides_and_undelete_restores(store: Store) -> None:
    wid = add(store)
    store.set_deleted(wid, True)
    assert store.walks() == []
    assert len(store.walks(include_deleted=True)) == 1
    store.set_deleted(wid, False)
    assert [w.id for w in store.walks()] == [wid]


def test_walks_filter_by_date_and_method(store: Store) -> None:
    add(store, date="2026-11-01")
    add(store, date="2026-11-10", method="treadmill")
    add(store, date="2026-11-20")
    assert len(store.walks(date(2026, 11, 5), date(2026, 11, 20))) == 2
    assert len(store.walks(method="treadmill")) == 1
    assert [p.method for p in store.walk_points()] == ["walk", "treadmill", "walk"]


def test_settings_persist(store: Store, db_path: Path) -> None:
    store.update_settings(unit="km", weekly_goal_sessions=4)
    store.close()
    again = open_store(db_path)
    assert again.settings().unit == "km" and again.settings().weekly_goal_sessions == 4


def test_not_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"shopping list: milk, eggs\n" * 50)
    before = path.read_bytes()
    with pytest.raises(NotATrackerDatabase, match="not a tracker database"):
        open_store(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotATrackerDatabase):
        open_store(path)
    assert path.read_bytes() == before


def test_corrupt_database_is_refused_untouched(store: Store, db_path: Path) -> None:
    for i in range(200):
        add(store, notes=f"walk {i} " + "x" * 200)
    store.close()
    data = bytearray(db_path.read_bytes())
    for offset in range(4096, len(data), 4096):  # scribble over every page but the header
        data[offset + 8 : offset + 400] = os.urandom(392)
    db_path.write_bytes(bytes(data))
    before = db_path.read_bytes()
    with pytest.raises((CorruptDatabase, NotATrackerDatabase)):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_database_from_a_newer_app_is_refused_untouched(store: Store, db_path: Path) -> None:
    add(store)
    store.close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerDatabase, match="newer version"):
        open_store(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_gives_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(DatabaseUnavailable, match="Cannot create"):
        open_store(folder / "tracker.db")


def test_missing_parent_that_cannot_be_made_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseUnavailable, match="Cannot create"):
        open_store(blocker / "sub" / "tracker.db")


def test_targets_accept_paths_urls_and_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    here = tmp_path.resolve()
    monkeypatch.chdir(here)
    assert resolve_target("sqlite:///x.db").path == here / "x.db"
    assert resolve_target(here / "a.db").path == here / "a.db"
    assert not resolve_target(None).explicit
    monkeypatch.setenv("TRACKER_DB", str(here / "env.db"))
    env = resolve_target(None)
    assert env.path == here / "env.db" and env.explicit


def test_database_url_works_too(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'url.db'}")
    add(store)
    assert len(store.walks()) == 1
    store.close()


AUDIT_COLUMNS = {"id", "created_at", "updated_at", "deleted_at"}


def test_every_column_a_user_enters_is_written_from_the_validated_walk() -> None:
    """`walk_columns` names each column: a new column or field that is not paired fails here
    instead of being left out (or paired by name alone) without a word."""
    from dataclasses import fields

    from tracker.db.models import Walk
    from tracker.db.repository import walk_columns
    from tracker.domain.walks import WalkInput

    walk = validate_walk({"pain_free": "180", "max": "300"}, unit="m", now=NOW)
    columns = {c.name for c in Walk.__table__.columns} - AUDIT_COLUMNS  # type: ignore[attr-defined]
    assert set(walk_columns(walk)) == columns == {f.name for f in fields(WalkInput)}
    assert all(
        type(v) in (str, type(None))
        for k, v in walk_columns(walk).items()
        if k in ("method", "source", "location", "side")
    )


def test_every_column_of_an_event_is_written_from_the_validated_event() -> None:
    from dataclasses import fields

    from tracker.db.models import TreatmentEvent
    from tracker.db.repository import event_columns
    from tracker.domain.events import EventInput, validate_event

    event = validate_event(
        {"kind": "procedure", "date": "2026-09-03", "type": "stent"}, [], today=NOW.date()
    )
    columns = {c.name for c in TreatmentEvent.__table__.columns} - AUDIT_COLUMNS  # type: ignore[attr-defined]
    assert set(event_columns(event)) == columns == {f.name for f in fields(EventInput)}
