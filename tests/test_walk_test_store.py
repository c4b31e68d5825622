"""What the guided tests remember (settings, migration 0007, the JSON backup), and that a saved
test feeds the history, the trend per method, the weekly review and the doctor report."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from pypdf import PdfReader

import tracker.db.opening as store_mod
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.current_trend import current_trend
from tracker.domain.report import build_report
from tracker.domain.review import build_review
from tracker.domain.validation import validate_walk
from tracker.domain.walk_test import TEST_SETTINGS
from tracker.interchange.backup import backup_document, backup_json
from tracker.interchange.importer import import_file
from tracker.interchange.pdf import report_pdf

from .conftest import FIXED_NOW

REMEMBERED = {
    "walk_test_course_m": 25.0,
    "walk_test_round_trip": True,
    "treadmill_speed_kmh": 2.5,
    "treadmill_protocol": "constant",
    "treadmill_grade_pct": 12.0,
    "stopwatch_mode": "route",
    "stopwatch_route_m": 850.0,
    "stopwatch_speed_kmh": 3.6,
}


def test_a_0002_database_with_data_upgrades_and_gets_the_test_defaults(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = store_mod.make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO settings (id, unit, weekly_goal_sessions, session_goal_minutes,"
        " patient_name, patient_id, paper_size, theme, diabetes, hormonal_contraception,"
        " pregnancy, obesity, updated_at) VALUES (1, 'km', 4, 45, 'Jürgen', 'A-17', 'Letter',"
        " 'textual-light', 1, 0, 0, 1, '2026-10-01 00:00:00')"
    )
    for i in range(20):
        conn.execute(
            "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
            " created_at, updated_at, duration_min) VALUES (?, ?, ?, 0, '6mwt', ?, 'timer',"
            " '2026-10-01 00:00:00', '2026-10-01 00:00:00', 6.0)",
            (f"2026-10-{i + 1:02d} 09:00:00.000000", 100.0 + i, 300.0 + i, f"Test {i}"),
        )
    conn.commit()
    before = conn.execute("SELECT * FROM walk ORDER BY id").fetchall()
    conn.close()

    store = open_store(path)
    try:
        s = store.settings()
        assert (s.unit, s.weekly_goal_sessions, s.patient_name, s.theme) == (
            "km",
            4,
            "Jürgen",
            "textual-light",
        )
        assert (s.diabetes, s.obesity) == (True, True)
        assert s.walk_test_course_m == 30.0 and s.walk_test_round_trip is False
        assert (s.treadmill_speed_kmh, s.treadmill_protocol, s.treadmill_grade_pct) == (
            3.2,
            "graded",
            10.0,
        )
        assert (s.stopwatch_mode, s.stopwatch_route_m, s.stopwatch_speed_kmh) == ("ask", None, None)
        store.update_settings(**REMEMBERED)
        assert all(getattr(store.settings(), k) == v for k, v in REMEMBERED.items())
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT * FROM walk ORDER BY id").fetchall() == before
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
        store_mod.SCHEMA_REVISION,
    )
    conn.close()


def test_the_json_backup_keeps_what_the_tests_remember(store: Store, tmp_path: Path) -> None:
    store.update_settings(**REMEMBERED)
    doc = backup_document(store, FIXED_NOW)
    assert {k: doc["settings"][k] for k in TEST_SETTINGS} == REMEMBERED
    path = tmp_path / "backup.json"
    path.write_bytes(backup_json(store, FIXED_NOW))
    fresh = open_store(tmp_path / "fresh.db")
    try:
        import_file(fresh, path, FIXED_NOW)
        assert all(getattr(fresh.settings(), k) == v for k, v in REMEMBERED.items())
    finally:
        fresh.close()


def test_a_backup_with_a_bad_course_length_imports_nothing(store: Store, tmp_path: Path) -> None:
    import pytest

    from tracker.interchange.importer import ImportFailed

    doc = json.loads(backup_json(store, FIXED_NOW))
    doc["settings"]["walk_test_course_m"] = 500
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, FIXED_NOW)
    assert any("walk_test_course_m" in e for e in info.value.errors)
    assert store.settings().walk_test_course_m == 30.0


def _save_like_the_result_screen(store: Store) -> None:
    """A complete 6-minute test as the result screen saves it (tests/ui checks that path)."""
    notes = "6-minute walk test, timed in the app: 9 laps of 30 m + 12 m = 282 m; ..."
    draft = {
        "date": "2026-11-24",
        "time": "09:00",
        "pain_free": "169m",
        "max": "282m",
        "total": "282m",
        "minutes": "6",
        "method": "6mwt",
        "source": "timer",
        "notes": notes,
    }
    store.add_walk(validate_walk(draft, unit="m", now=FIXED_NOW))
    typed = {"date": "2026-11-23", "pain_free": "200", "max": "400"}
    store.add_walk(validate_walk(typed, unit="m", now=FIXED_NOW))


def test_a_saved_test_feeds_trend_review_and_report(store: Store) -> None:
    _save_like_the_result_screen(store)
    trend = current_trend(store, date(2026, 11, 30), method="6mwt")
    assert trend.method == "6mwt" and trend.n_exact == 1
    assert current_trend(store, date(2026, 11, 30), method="walk").n_exact == 1
    review = build_review(store, date(2026, 11, 23), FIXED_NOW.date())
    assert review.this_week.walks == 2 and review.this_week.minutes == 6.0
    report = build_report(store, date(2026, 9, 1), FIXED_NOW.date(), FIXED_NOW)
    assert {m.method: m.walks for m in report.methods} == {"6mwt": 1, "walk": 1}
    assert report.guided_tests.startswith(
        "Measured with the app's guided tests: 1 6-minute walk test (laps counted)."
    )
    assert any(w.source == "timer" and w.method == "6mwt" for w in report.appendix)
    first_page = PdfReader(io.BytesIO(report_pdf(report))).pages[0].extract_text()
    assert "Measured with the app's guided tests" in " ".join(first_page.split())


def test_a_report_without_guided_tests_says_nothing_about_them(store: Store) -> None:
    typed = {"date": "2026-11-23", "pain_free": "200", "max": "400"}
    store.add_walk(validate_walk(typed, unit="m", now=FIXED_NOW))
    report = build_report(store, date(2026, 9, 1), FIXED_NOW.date(), datetime(2026, 11, 24))
    assert report.guided_tests == ""
