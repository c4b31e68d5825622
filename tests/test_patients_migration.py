"""Migration 0009: every row belongs to a patient; a one-person diary becomes patient 1.

Run on SQLite and on PostgreSQL (`backend_url`): one Alembic history for both."""

from __future__ import annotations

from datetime import date, datetime
from importlib.resources import files

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text

from tracker.db.models import PATIENT_TABLES
from tracker.db.opening import SCHEMA_REVISION, make_engine, open_store
from tracker.db.target import resolve_target

FILLED = {
    "walk": 40,
    "smoking_status": 1,
    "cigarette_day": 2,
    "symptom": 1,
    "settings": 1,
    "treatment_event": 1,
    "calf_check": 0,
    "walk_draft": 0,
    "prompt_answer": 0,
}


def _engine(url: str) -> Engine:
    return make_engine(resolve_target(url).url)


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _diary_at_0008(url: str) -> None:
    """A one-person diary as the release before patients wrote it, with data in every kind."""
    engine = _engine(url)
    _migrate(engine, "0008")
    stamp = datetime(2026, 10, 1)
    with engine.begin() as conn:
        for i in range(FILLED["walk"]):
            conn.execute(
                text(
                    "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes,"
                    " source, created_at, updated_at) VALUES (:at, :pf, :mx, false, 'walk',"
                    " :notes, 'typed', :stamp, :stamp)"
                ),
                {
                    "at": datetime(2026, 10, 1 + i % 28, 9, i),
                    "pf": 100.0 + i,
                    "mx": 300.0 + i,
                    "notes": f"Weg {i}",
                    "stamp": stamp,
                },
            )
        conn.execute(
            text(
                "INSERT INTO settings (id, unit, weekly_goal_sessions, session_goal_minutes,"
                " patient_name, patient_id, paper_size, theme, diabetes, hormonal_contraception,"
                " pregnancy, obesity, walk_test_course_m, walk_test_round_trip,"
                " treadmill_speed_kmh, treadmill_protocol, treadmill_grade_pct, stopwatch_mode,"
                " updated_at) VALUES (1, 'm', 4, 30, 'Anna Test', 'MRN-42', 'A4',"
                " 'textual-dark', false, false, false, false, 30, false, 3.2, 'graded', 10,"
                " 'ask', :stamp)"
            ),
            {"stamp": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO smoking_status (status, since, cigarettes_per_day, created_at)"
                " VALUES ('current', :since, 5, :stamp)"
            ),
            {"since": date(2026, 1, 1), "stamp": stamp},
        )
        for day in (date(2026, 10, 2), date(2026, 10, 3)):
            conn.execute(
                text("INSERT INTO cigarette_day (day, count, updated_at) VALUES (:d, 3, :s)"),
                {"d": day, "s": stamp},
            )
        conn.execute(
            text(
                "INSERT INTO symptom (key, reported_on, notes, created_at)"
                " VALUES ('leg_cold_pale', :d, 'left foot', :s)"
            ),
            {"d": date(2026, 10, 4), "s": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO treatment_event (kind, occurred_on, name, dose, description, notes,"
                " created_at, updated_at) VALUES ('programme-start', :d, '', '', '', '', :s, :s)"
            ),
            {"d": date(2026, 9, 1), "s": stamp},
        )
    engine.dispose()


def _counts(engine: Engine, where: str = "") -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t} {where}")).scalar_one())
            for t in PATIENT_TABLES
        }


def test_a_one_person_diary_upgrades_with_every_row_assigned_to_its_patient(
    backend_url: str,
) -> None:
    _diary_at_0008(backend_url)
    store = open_store(backend_url)
    try:
        walks_seen = [(w.pain_free_m, w.notes) for w in store.walks()]
        assert store.settings().patient_name == "Anna Test"
    finally:
        store.close()
    assert sorted(walks_seen) == [(100.0 + i, f"Weg {i}") for i in range(FILLED["walk"])]
    engine = _engine(backend_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            patients = conn.execute(
                text("SELECT id, display_name, identifier, role_name FROM patient")
            ).all()
        assert version == SCHEMA_REVISION
        assert [tuple(p) for p in patients] == [(1, "Anna Test", "MRN-42", None)]
        assert _counts(engine) == FILLED
        assert _counts(engine, "WHERE owner_id = 1") == FILLED
    finally:
        engine.dispose()


def test_settings_and_cigarette_days_are_keyed_per_patient(backend_url: str) -> None:
    """A second patient gets a settings row and a day's count of their own (the old keys, id 1
    and the day, were unique per database)."""
    open_store(backend_url).close()
    engine = _engine(backend_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO patient (id, display_name, identifier, programme,"
                    " created_at) VALUES (2, 'Ben', '', '', :t)"
                ),
                {"t": datetime(2026, 1, 1)},
            )
            for owner in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO cigarette_day (owner_id, day, count, updated_at)"
                        " VALUES (:o, :d, 1, :t)"
                    ),
                    {"o": owner, "d": date(2026, 10, 2), "t": datetime(2026, 1, 1)},
                )
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO cigarette_day (owner_id, day, count, updated_at)"
                    " VALUES (2, :d, 1, :t)"
                ),
                {"d": date(2026, 10, 2), "t": datetime(2026, 1, 1)},
            )
        with pytest.raises(Exception, match=r"(?i)foreign key"), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO cigarette_day (owner_id, day, count, updated_at)"
                    " VALUES (7, :d, 1, :t)"
                ),
                {"d": date(2026, 10, 2), "t": datetime(2026, 1, 1)},
            )
    finally:
        engine.dispose()


def test_the_patients_migration_downgrades_with_every_row(backend_url: str) -> None:
    _diary_at_0008(backend_url)
    engine = _engine(backend_url)
    try:
        before = _counts(engine)
        _migrate(engine, "head")
        _migrate(engine, "0008", down=True)
        assert _counts(engine) == before
        with engine.connect() as conn:
            left = conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one()
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert (left, rev) == (1, "0008")
        assert "patient" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
