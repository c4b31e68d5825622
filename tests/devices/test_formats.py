"""Each format, built small by the test, mapped to the walks and drafts the README promises."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker.db.repository import Store
from tracker.interchange.devices.detect import Kind, detect
from tracker.interchange.devices.importer import import_device_file

from ..conftest import FIXED_NOW
from .builders import (
    START,
    HcSession,
    Lap,
    Walk,
    apple_export,
    apple_record,
    apple_workout,
    apple_zip,
    fit_bytes,
    gpx_text,
    health_connect_db,
    health_connect_zip,
    one_lap,
    pressed,
    tcx_text,
)


def walks(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT walked_at, round(pain_free_m, 1), round(max_m, 1), round(total_m, 1),"
            " no_pain, duration_min, method, source FROM walk ORDER BY walked_at"
        ).fetchall()
    finally:
        conn.close()


def drafts(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT started_at, round(distance_m, 1), duration_min, device, status"
            " FROM walk_draft WHERE status = 'pending' ORDER BY started_at"
        ).fetchall()
    finally:
        conn.close()


def run(store: Store, path: Path) -> object:
    return import_device_file(store, path, detect(path), now=FIXED_NOW)


BERLIN_START = "2026-11-20 09:00:00.000000"


# --- FIT -------------------------------------------------------------------------------
def test_fit_with_one_press_is_a_walk_pain_free_at_the_press(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "Morning_Walk.bin"  # the name does not matter: content does
    path.write_bytes(fit_bytes(pressed((180, 150), (140, 120))))
    assert detect(path) is Kind.FIT
    result = run(store, path)
    assert (result.walks, result.drafts) == (1, 0)  # type: ignore[attr-defined]
    assert walks(store.path) == [  # type: ignore[arg-type]
        (BERLIN_START, 180.0, 320.0, 320.0, 0, 4.5, "walk", "import")
    ]
    walk = store.walks()[0]
    assert "Forerunner 55" in walk.notes and "end of the activity" in walk.notes


def test_fit_second_press_is_the_maximum_and_the_way_home_the_total(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "a.fit"
    path.write_bytes(fit_bytes(pressed((180, 150), (140, 120), (400, 300))))
    run(store, path)
    assert walks(store.path)[0][1:4] == (180.0, 320.0, 720.0)  # type: ignore[arg-type]
    assert "end of the second lap" in store.walks()[0].notes


def test_fit_automatic_laps_are_not_presses(store: Store, tmp_path: Path) -> None:
    """A watch set to lap every kilometre: no press, so a draft, not a walk at 1 km."""
    path = tmp_path / "auto.fit"
    laps = [Lap(1000, 700, "distance"), Lap(1000, 700, "distance"), Lap(300, 200, "session_end")]
    path.write_bytes(fit_bytes(Walk(laps)))
    result = run(store, path)
    assert (result.walks, result.drafts) == (0, 1)  # type: ignore[attr-defined]
    assert drafts(store.path) == [  # type: ignore[arg-type]
        (BERLIN_START, 2300.0, 26.7, "Forerunner 55", "pending")
    ]


def test_fit_auto_laps_then_a_press_count_the_distance_before_the_press(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.fit"
    laps = [Lap(1000, 700, "distance"), Lap(250, 150, "manual"), Lap(300, 200, "session_end")]
    path.write_bytes(fit_bytes(Walk(laps)))
    run(store, path)
    assert walks(store.path)[0][1:4] == (1250.0, 1550.0, 1550.0)  # type: ignore[arg-type]


def test_fit_without_laps_is_a_draft_never_a_walk(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "plain.fit"
    path.write_bytes(fit_bytes(one_lap(1200, 1500)))
    run(store, path)
    assert walks(store.path) == []  # type: ignore[arg-type]
    assert store.count_walks() == 0
    assert drafts(store.path) == [  # type: ignore[arg-type]
        (BERLIN_START, 1200.0, 25.0, "Forerunner 55", "pending")
    ]


def test_fit_without_the_watch_local_time_uses_this_computers_zone(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "nolocal.fit"
    path.write_bytes(fit_bytes(one_lap(local_offset_h=None)))
    run(store, path)
    assert drafts(store.path)[0][0] == BERLIN_START  # type: ignore[arg-type]


def test_fit_running_and_cycling_sessions_are_skipped_and_counted(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "multi.fit"
    later = START + timedelta(hours=2)
    path.write_bytes(
        fit_bytes(
            pressed((200, 150), (100, 80)),
            one_lap(5000, 1500, sport="running", start=later),
            one_lap(9000, 1500, sport="cycling", start=later + timedelta(hours=1)),
        )
    )
    result = run(store, path)
    assert result.walks == 1 and dict(result.sports) == {"running": 1, "cycling": 1}  # type: ignore[attr-defined]
    assert store.count_walks() == 1


def test_fit_hiking_is_a_walk(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hike.fit"
    path.write_bytes(fit_bytes(pressed((300, 200), (500, 400), sport="hiking")))
    run(store, path)
    assert walks(store.path)[0][1:4] == (300.0, 800.0, 800.0)  # type: ignore[arg-type]


# --- TCX -------------------------------------------------------------------------------
def test_tcx_other_is_a_walk_and_a_press_gives_the_pain_free_distance(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "walk.xml"
    path.write_text(tcx_text(pressed((210, 170), (150, 120))))
    assert detect(path) is Kind.TCX
    run(store, path)
    assert walks(store.path) == [  # type: ignore[arg-type]
        (BERLIN_START, 210.0, 360.0, 360.0, 0, 4.8, "walk", "import")
    ]


def test_tcx_without_laps_is_a_draft_and_running_and_biking_are_skipped(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.tcx"
    path.write_text(
        tcx_text(
            one_lap(900, 800),
            one_lap(5000, 1500, sport="running", start=START + timedelta(hours=3)),
            one_lap(20000, 2500, sport="cycling", start=START + timedelta(hours=5)),
        )
    )
    result = run(store, path)
    assert (result.walks, result.drafts) == (0, 1)  # type: ignore[attr-defined]
    assert dict(result.sports) == {"running": 1, "cycling": 1}  # type: ignore[attr-defined]
    assert drafts(store.path)[0][1:4] == (900.0, 13.3, "Forerunner 55")  # type: ignore[arg-type]


def test_tcx_distance_laps_are_automatic(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "auto.tcx"
    path.write_text(tcx_text(Walk([Lap(1000, 600, "distance"), Lap(200, 120, "session_end")])))
    result = run(store, path)
    assert (result.walks, result.drafts) == (0, 1)  # type: ignore[attr-defined]


# --- GPX -------------------------------------------------------------------------------
def test_gpx_waypoints_during_the_track_are_the_presses(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "track.gpx"
    path.write_text(gpx_text(1000, 1200, marks_s=(240, 720)))
    assert detect(path) is Kind.GPX
    run(store, path)
    (row,) = walks(store.path)  # type: ignore[arg-type]
    assert row[0] == BERLIN_START
    assert row[1] == pytest.approx(200, rel=0.005)  # 240 s of 1200 s at an even pace
    assert row[2] == pytest.approx(600, rel=0.005)
    assert row[3] == pytest.approx(1000, rel=0.005)
    assert row[5] == 20.0


def test_gpx_without_waypoints_is_a_draft(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "track.gpx"
    path.write_text(gpx_text(1000, 1200, creator="Strava"))
    run(store, path)
    ((started, distance, minutes, device, status),) = drafts(store.path)  # type: ignore[arg-type]
    assert (started, minutes, device, status) == (BERLIN_START, 20.0, "Strava", "pending")
    assert distance == pytest.approx(1000, rel=0.005)


@pytest.mark.parametrize(("kind", "walk"), [("running", False), ("Hiking", True), ("9", False)])
def test_gpx_track_type_decides_whether_it_is_a_walk(
    store: Store, tmp_path: Path, kind: str, walk: bool
) -> None:
    path = tmp_path / "t.gpx"
    path.write_text(gpx_text(kind=kind, marks_s=(300,)))
    result = run(store, path)
    assert (result.walks == 1) is walk  # type: ignore[attr-defined]
    assert sum(result.sports.values()) == (0 if walk else 1)  # type: ignore[attr-defined]


# --- Apple Health ------------------------------------------------------------------------
def apple_sample() -> str:
    return apple_export(
        apple_record(
            "HKQuantityTypeIdentifierStepCount", START - timedelta(days=1), 120, "count", "iPhone"
        ),
        apple_record(
            "HKQuantityTypeIdentifierSixMinuteWalkTestDistance",
            START - timedelta(days=2),
            412.5,
            "m",
            "iPhone von Anna",
        ),
        apple_workout("Walking", marks_min=(5.0,), km=1.2, minutes=25),
        apple_workout("Walking", START + timedelta(days=1), minutes=30, km=1.5, statistics=True),
        apple_workout("Running", START + timedelta(days=2), minutes=20, km=3.0),
        apple_workout("Hiking", START + timedelta(days=3), marks_min=(10, 20), km=3.0),
    )


def check_apple(store: Store) -> None:
    rows = walks(store.path)  # type: ignore[arg-type]
    assert rows == [
        ("2026-11-18 09:00:00.000000", 412.5, None, 412.5, 1, 6.0, "6mwt-estimate", "import"),
        (BERLIN_START, 240.0, 1200.0, 1200.0, 0, 25.0, "walk", "import"),
        ("2026-11-23 09:00:00.000000", 1200.0, 2400.0, 3000.0, 0, 25.0, "walk", "import"),
    ]
    assert drafts(store.path) == [  # type: ignore[arg-type]
        ("2026-11-21 09:00:00.000000", 1500.0, 30.0, "Apple Watch von Anna", "pending")
    ]
    estimate = store.walks(method="6mwt-estimate")[0]
    assert "not a walk test" in estimate.notes


def test_apple_health_xml_maps_workouts_marks_and_six_minute_estimates(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "export.xml"
    path.write_text(apple_sample())
    assert detect(path) is Kind.APPLE_XML
    result = run(store, path)
    assert (result.walks, result.estimates, result.drafts) == (2, 1, 1)  # type: ignore[attr-defined]
    assert dict(result.sports) == {"running": 1}  # type: ignore[attr-defined]
    check_apple(store)


def test_apple_health_zip_gives_the_same_as_its_xml(store: Store, tmp_path: Path) -> None:
    path = apple_zip(tmp_path / "export.zip", apple_sample())
    assert detect(path) is Kind.APPLE_ZIP
    run(store, path)
    check_apple(store)


def test_apple_mark_distance_leaves_out_pauses(store: Store, tmp_path: Path) -> None:
    """30 min, paused from 10 to 20: 20 active minutes; a mark at 25 is 15 active minutes in."""
    path = tmp_path / "export.xml"
    path.write_text(
        apple_export(apple_workout(minutes=30, km=2.0, marks_min=(25,), pauses_min=((10, 20),)))
    )
    run(store, path)
    assert walks(store.path)[0][1:3] == (1500.0, 2000.0)  # type: ignore[arg-type]
    assert "estimated from the time of the marks" in store.walks()[0].notes


# --- Health Connect ----------------------------------------------------------------------
def hc_sessions() -> list[HcSession]:
    return [
        HcSession(laps_min=[10.0, 25.0]),
        HcSession(start=START + timedelta(days=1), metres=1500.0),
        HcSession(start=START + timedelta(days=2), exercise_type=56, metres=4000.0),
        HcSession(start=START + timedelta(days=3), exercise_type=37, laps_min=[5, 15, 25]),
    ]


def check_hc(store: Store) -> None:
    assert walks(store.path) == [  # type: ignore[arg-type]
        (BERLIN_START, 480.0, 1200.0, 1200.0, 0, 25.0, "walk", "import"),
        ("2026-11-23 09:00:00.000000", 240.0, 720.0, 1200.0, 0, 25.0, "walk", "import"),
    ]
    assert drafts(store.path) == [  # type: ignore[arg-type]
        ("2026-11-21 09:00:00.000000", 1500.0, 25.0, "Google Pixel Watch 2", "pending")
    ]


def test_health_connect_zip_maps_sessions_and_laps(store: Store, tmp_path: Path) -> None:
    path = health_connect_zip(tmp_path / "Health Connect.zip", hc_sessions())
    assert detect(path) is Kind.HEALTH_CONNECT_ZIP
    result = run(store, path)
    assert dict(result.sports) == {"running": 1}  # type: ignore[attr-defined]
    check_hc(store)


def test_health_connect_database_alone_imports_too(store: Store, tmp_path: Path) -> None:
    path = health_connect_db(tmp_path / "health_connect_export.db", hc_sessions())
    assert detect(path) is Kind.HEALTH_CONNECT_DB
    run(store, path)
    check_hc(store)


def test_health_connect_without_an_offset_uses_this_computers_zone(
    store: Store, tmp_path: Path
) -> None:
    path = health_connect_db(tmp_path / "hc.db", [HcSession(offset_s=None)])
    run(store, path)
    assert drafts(store.path)[0][0] == BERLIN_START  # type: ignore[arg-type]


def test_the_clock_is_local_and_naive() -> None:
    """The tests' fixed 'now' sits after every built activity, in Berlin time."""
    assert FIXED_NOW.astimezone(UTC) > START
    assert datetime(2026, 11, 20, 9, 0).astimezone(UTC) == START
