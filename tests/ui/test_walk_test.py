"""The guided walking tests driven by key presses, with a fake monotonic clock.

Keys are pressed without pauses; time passes only when the test moves the fake clock, so the
figures expected below are computed here by hand, independently of tracker.domain.walk_test.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from textual.widgets import Digits, Input, Static

from tracker.db.opening import open_store
from tracker.ui.app import TrackerApp
from tracker.ui.commands import TrackerCommands
from tracker.ui.navigation import COMMANDS, SCREENS
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.walk_test import SetupScreen
from tracker.ui.screens.walk_test_result import ResultScreen
from tracker.ui.screens.walk_test_run import RunScreen, SixMinuteScreen
from tracker.ui.widgets.confirm_modal import ChoiceModal
from tracker.ui.widgets.paged_table import PagedTable

from .conftest import fixed_now, settle

T0 = 7000.0


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t

    def at(self, seconds: float) -> None:
        self.t = T0 + seconds


def make_app(db: Path, clock: FakeClock) -> TrackerApp:
    return TrackerApp(db=str(db), now=fixed_now, monotonic=clock)


def walks(db: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT pain_free_m, max_m, total_m, no_pain, method, source, duration_min, notes,"
            " walked_at FROM walk ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return [dict(r) for r in rows]


async def tick(pilot: object) -> None:
    """What the 5-per-second repaint does, now (the fake clock has moved)."""
    app = pilot.app  # type: ignore[attr-defined]
    screen = app.screen
    if isinstance(screen, RunScreen):
        screen.tick()
    await pilot.pause()  # type: ignore[attr-defined]


async def press_at(pilot: object, clock: FakeClock, seconds: float, *keys: str) -> None:
    clock.at(seconds)
    await pilot.press(*keys)  # type: ignore[attr-defined]


CHOOSE = {"6mwt": (), "treadmill": ("down",), "stopwatch": ("down", "down")}


async def begin(pilot: object, clock: FakeClock, test: str = "6mwt") -> None:
    """Once the diary is open: g, the test, Enter (its remembered settings), Space at 0 s."""
    await settle(pilot)
    clock.at(0.0)
    await pilot.press("g", *CHOOSE[test], "enter", "enter", "space")  # type: ignore[attr-defined]


LAPS = (28.0, 57.0, 87.0, 118.0, 150.0, 182.0, 262.0, 296.0, 330.0)
PAIN_AT = 170.0
REST = (200.0, 240.0)


async def walk_a_whole_test(pilot: object, clock: FakeClock) -> None:
    """g, Enter (6-minute walk test), Enter (course 30 m), Space: go. Then laps, pain, a rest."""
    await begin(pilot, clock)
    for t in LAPS[:6]:
        await press_at(pilot, clock, t, "space")
        if t == 150.0:
            await press_at(pilot, clock, PAIN_AT, "p")
    await press_at(pilot, clock, REST[0], "r")
    await press_at(pilot, clock, REST[1], "r")
    for t in LAPS[6:]:
        await press_at(pilot, clock, t, "space")
    await press_at(pilot, clock, 360.3, "space")  # too late: not a lap, and the time is up
    await tick(pilot)


async def test_a_whole_six_minute_test_stores_the_distances_computed_by_hand(
    db_path: Path,
) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await walk_a_whole_test(pilot, clock)
        assert isinstance(app.screen, ResultScreen)
        assert app.focused is not None and app.focused.id == "partial"
        await pilot.press("1", "2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("h")  # the history lists it with its method and notes
        await settle(pilot)
        row = app.screen.query_one(PagedTable).row(0)
        assert row is not None and row[1][6] == "6-min test"
        assert row[1][7].startswith("6-minute walk test, timed in the app")
    six_minute = 9 * 30 + 12
    pain = 5 * 30 + 30 * (PAIN_AT - 150) / (182 - 150)  # lap 6 ran 150-182 s
    [row] = walks(db_path)
    assert row["method"] == "6mwt" and row["source"] == "timer"
    assert row["duration_min"] == 6.0
    assert row["total_m"] == six_minute and row["max_m"] == six_minute
    assert row["pain_free_m"] == round(pain) and row["no_pain"] == 0
    notes = str(row["notes"])
    assert "9 laps of 30 m + 12 m = 282 m" in notes
    assert "pain began at 2:50" in notes and "estimated from the lap times" in notes
    assert "1 rest, 0:40 in all" in notes
    assert row["walked_at"].startswith("2026-11-24 18:30")  # type: ignore[union-attr]


async def test_the_pain_estimate_follows_the_partial_lap_until_edited(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        await press_at(pilot, clock, 100.0, "space")
        await press_at(pilot, clock, 200.0, "space")
        await press_at(pilot, clock, 280.0, "p")  # half-way through the last 160 s
        clock.at(360.0)
        await tick(pilot)
        await pilot.press("2", "0")
        assert app.screen.query_one("#pain_free", Input).value == "70"  # 60 + 20 / 2
        await pilot.press("tab", "tab", "6", "5", "enter")
        await settle(pilot)
    [row] = walks(db_path)
    assert row["pain_free_m"] == 65.0 and row["total_m"] == 80.0
    assert "Figures edited before saving." in str(row["notes"])


async def test_no_pain_mark_stores_a_walk_that_ended_without_pain(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        for t in range(30, 360, 30):
            await press_at(pilot, clock, float(t), "space")
        clock.at(361.0)
        await tick(pilot)
        await pilot.press("0", "enter")
        await settle(pilot)
    [row] = walks(db_path)
    assert row["no_pain"] == 1 and row["max_m"] is None
    assert row["pain_free_m"] == 11 * 30 and row["method"] == "6mwt"


async def test_a_graded_treadmill_session(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock, "treadmill")
        clock.at(130.0)
        await tick(pilot)
        assert "Raise the grade to 2 % now" in str(
            app.screen.query_one("#test-announce", Static).render()
        )
        await press_at(pilot, clock, 250.0, "p")
        await press_at(pilot, clock, 610.0, "s")
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("enter")
        await settle(pilot)
    speed = 3.2 * 1000 / 3600
    [row] = walks(db_path)
    assert row["method"] == "treadmill" and row["source"] == "timer"
    assert row["pain_free_m"] == round(speed * 250) and row["max_m"] == round(speed * 610)
    assert row["duration_min"] == round(610 / 60, 2)
    notes = str(row["notes"])
    assert "graded protocol, 3.2 km/h, 0 % grade rising 2 % every 2 minutes" in notes
    assert "stopped at 10:10 (10 % grade" in notes


async def test_stopwatch_asks_for_the_distances_and_keeps_the_time(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock, "stopwatch")
        await press_at(pilot, clock, 300.0, "p")
        await press_at(pilot, clock, 540.0, "s")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "pain_free"
        await pilot.press("2", "5", "0", "tab", "4", "0", "0", "tab", "tab", "tab", "tab")
        await pilot.press(*"quiet, sunny", "enter")  # letters in a field are text, never keys
        await settle(pilot)
    [row] = walks(db_path)
    assert (row["pain_free_m"], row["max_m"], row["method"]) == (250.0, 400.0, "walk")
    assert row["duration_min"] == 9.0 and row["source"] == "timer"
    assert "distances typed after the walk" in str(row["notes"])
    assert str(row["notes"]).endswith(" quiet, sunny")


async def test_an_early_stop_is_saved_only_as_an_incomplete_walk(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        for t in (40.0, 80.0, 120.0):
            await press_at(pilot, clock, t, "space")
        await press_at(pilot, clock, 150.0, "escape")
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("down", "enter")  # "Stop now and review (incomplete)"
        await settle(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "not a 6-minute distance" in str(
            app.screen.query_one("#result-title", Static).render()
        )
        await pilot.press("1", "0", "enter")
        await settle(pilot)
    [row] = walks(db_path)
    assert row["method"] == "walk", "a test under 6 minutes is never a 6-minute distance"
    assert str(row["notes"]).startswith("Incomplete 6-minute walk test, stopped at 2:30")
    assert row["duration_min"] == 2.5 and row["total_m"] == 100.0


async def test_discarding_asks_and_stores_nothing(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        await press_at(pilot, clock, 40.0, "space")
        await pilot.press("escape", "enter")  # the default answer keeps the test going
        assert isinstance(app.screen, SixMinuteScreen)
        assert app.screen.walk.lap_times == [40.0]
        await press_at(pilot, clock, 80.0, "space")
        await pilot.press("escape", "down", "down", "enter")  # discard
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert walks(db_path) == []


async def test_quitting_during_a_test_asks_first(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        for key in ("q", "ctrl+q"):
            await pilot.press(key)
            assert isinstance(app.screen, ChoiceModal), key
            await pilot.press("enter")  # keep going
            assert isinstance(app.screen, SixMinuteScreen) and app.is_running
        await press_at(pilot, clock, 300.0, "space")
        await tick(pilot)
        assert app.screen.walk.lap_times == [300.0]
        await pilot.press("q", "down", "enter")
        await pilot.pause()
        assert not app.is_running
    assert walks(db_path) == []


async def test_the_result_screen_asks_before_discarding(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock, "treadmill")
        await press_at(pilot, clock, 100.0, "s")
        await settle(pilot)
        await pilot.press("escape", "enter")  # keep it
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert walks(db_path) == []


KILLED_RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tracker.ui.app import TrackerApp

    db, marker = sys.argv[1], Path(sys.argv[2])

    async def auto_pilot(pilot):
        app = pilot.app
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if app.store is not None:
                break
        await pilot.press("g", "enter", "enter", "space", "space", "p", "space", "r")
        marker.write_text(type(app.screen).__name__)
        while True:
            await pilot.pause(0.1)

    TrackerApp(db=db).run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
    """
)


def test_killing_the_app_mid_test_stores_nothing(db_path: Path, tmp_path: Path) -> None:
    marker = tmp_path / "running"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, str(db_path), str(marker)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), proc.stderr.read().decode() if proc.stderr else ""
        assert marker.read_text() == "SixMinuteScreen"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert walks(db_path) == []
    store = open_store(db_path)
    try:
        assert store.walks(include_deleted=True) == []
    finally:
        store.close()


async def test_the_countdown_survives_resizes_and_counts_time_not_frames(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        await press_at(pilot, clock, 50.0, "space")
        clock.at(100.0)
        await tick(pilot)
        digits = app.screen.query_one("#test-clock", Digits)
        assert digits.value == "4:20"
        await pilot.pause(0.7)  # several real repaints, no time on the test's clock
        assert digits.value == "4:20"
        for size in ((60, 20), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.screen.query_one("#test-clock", Digits).value == "4:20"
        clock.at(100.0 + 125.0)  # e.g. ctrl+z, two minutes away, fg: no frames meanwhile
        await tick(pilot)
        assert app.screen.query_one("#test-clock", Digits).value == "2:15"
        assert isinstance(app.screen, SixMinuteScreen)
        assert app.screen.walk.lap_times == [50.0]


async def test_too_many_laps_ask_before_saving(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock)
        for t in range(30, 360, 30):
            await press_at(pilot, clock, float(t), "space")
        clock.at(360.0)
        await tick(pilot)
        await pilot.press("1", "0", "tab", "4", "0", "enter")  # 40 laps: 1210 m
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert "faster than a brisk walk" in app.screen.question
        await pilot.press("enter")  # go back and check
        assert isinstance(app.screen, ResultScreen)
        assert walks(db_path) == []
        await pilot.press("ctrl+s", "down", "enter")  # save as shown
        await settle(pilot)
    [row] = walks(db_path)
    assert row["total_m"] == 40 * 30 + 10


async def test_a_pain_mark_in_the_first_ten_seconds_asks(db_path: Path) -> None:
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock, "treadmill")
        await press_at(pilot, clock, 4.0, "p")
        await press_at(pilot, clock, 300.0, "s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert "4 s after the start" in app.screen.question
        await pilot.press("down", "enter")
        await settle(pilot)
    [row] = walks(db_path)
    assert row["pain_free_m"] == round(3.2 / 3.6 * 4)


async def test_course_length_is_asked_once_and_remembered(db_path: Path) -> None:
    app = make_app(db_path, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", "enter", "2", "5", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SixMinuteScreen)
        assert app.screen.walk.lap_m == 25.0
        await pilot.press("escape")  # not started yet: back to the setup, nothing to lose
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert app.screen.query_one("#course", Input).value == "25"
        await pilot.press("9", "enter")
        await settle(pilot)
        assert "outside 10-100 m" in str(app.screen.query_one("#err-course", Static).render())
        assert isinstance(app.screen, SetupScreen)
    store = open_store(db_path)
    try:
        assert store.settings().walk_test_course_m == 25.0
    finally:
        store.close()


@pytest.mark.parametrize("action", ["walk_test", "six_minute_walk", "treadmill", "stopwatch"])
async def test_the_command_palette_offers_each_test(db_path: Path, action: str) -> None:
    app = make_app(db_path, FakeClock())
    titles = {p.title for p in (*SCREENS, *COMMANDS) if p.action == action}
    assert titles
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {str(h.text): h async for h in TrackerCommands(app.screen).discover()}
        assert titles <= set(commands)
        app.call_later(commands[titles.pop()].command)
        await settle(pilot)
        assert type(app.screen).__name__ in ("ChooseTestScreen", "SetupScreen")


async def test_stopwatch_with_a_remembered_speed_computes_the_distances(db_path: Path) -> None:
    store = open_store(db_path)
    store.update_settings(stopwatch_mode="speed", stopwatch_speed_kmh=3.6)  # 1 m/s
    store.close()
    app = make_app(db_path, clock := FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot, clock, "stopwatch")
        clock.at(60.0)
        await tick(pilot)
        assert "about 60 m" in str(app.screen.query_one("#test-status", Static).render())
        await press_at(pilot, clock, 130.0, "p")
        await press_at(pilot, clock, 455.0, "s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    [row] = walks(db_path)
    assert (row["pain_free_m"], row["max_m"], row["duration_min"]) == (130.0, 455.0, 7.58)
    assert "from a usual speed of 3.6 km/h" in str(row["notes"])
