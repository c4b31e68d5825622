"""Issue 13's rules on the screens added beside it: treatment events (v), the calf-pain check
(c) and the guided walking tests (g).

Keys are queued with `type_at_once` (all of them before the app reads the first), so a key typed
right after the one that opens a screen must wait for that screen and land in its first field.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.walk_test import SixMinuteWalk, Stopwatch, TreadmillSession
from tracker.ui.app import TrackerApp
from tracker.ui.screens.calf_check import CalfCheckScreen
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.event_form import EventFormScreen
from tracker.ui.screens.events import EventsScreen
from tracker.ui.screens.walk_test import ChooseTestScreen, SetupScreen
from tracker.ui.screens.walk_test_result import ResultScreen
from tracker.ui.screens.walk_test_run import (
    RunScreen,
    SixMinuteScreen,
    StopwatchScreen,
    TreadmillScreen,
)
from tracker.ui.widgets.advice_modal import AdviceModal
from tracker.ui.widgets.confirm_modal import ChoiceModal

from .conftest import fixed_now, settle, type_at_once
from .test_walk_test import FakeClock as Clock

# ecq1 yes, ecq2 no, ecq3 yes, ecq4 no, ecq5 within 10 min, ecq6 calf + Next,
# emergency "none of these", swelling no, warm/red no.
POSITIVE_KEYS = ("1", "2", "1", "2", "2", "1", "8", "1", "2", "2")


def make_app(db: Path, clock: Clock | None = None) -> TrackerApp:
    return TrackerApp(db=str(db), now=fixed_now, monotonic=clock or Clock())


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def events(db: Path) -> list[tuple[object, ...]]:
    return rows(
        db,
        "SELECT kind, category, name, dose, description, deleted_at IS NOT NULL"
        " FROM treatment_event ORDER BY id",
    )


def checks(db: Path) -> list[tuple[object, ...]]:
    return rows(db, "SELECT pattern, acknowledged_at IS NOT NULL FROM calf_check ORDER BY id")


def walks(db: Path) -> list[tuple[object, ...]]:
    return rows(db, "SELECT pain_free_m, max_m, method FROM walk ORDER BY id")


def question(app: TrackerApp) -> str:
    assert isinstance(app.screen, ChoiceModal), app.screen
    return app.screen.question


def focused_id(app: TrackerApp) -> str | None:
    return app.focused.id if app.focused is not None else None


# --- keys typed right after the key that opens a screen land in its first field ------------
async def test_an_event_typed_right_after_v_and_a_is_saved_as_typed(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(
            pilot, "v", "a", "m", "tab", "tab", "s", "tab", *"atorvastatin", "tab", *"40 mg"
        )
        assert isinstance(app.screen, EventFormScreen)
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, EventsScreen)
    assert events(db_path) == [("medication-start", "statin", "atorvastatin", "40 mg", "", 0)]


async def test_enter_saves_the_event_form_from_a_choice(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "v", "a", "m", "tab", "tab", "c", "enter")
        assert isinstance(app.screen, EventsScreen)
    assert events(db_path) == [("medication-start", "cilostazol", "", "", "", 0)]


async def test_d_right_after_v_deletes_the_newest_event_once_the_list_is_shown(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a machine that needs half a second to list the events, d still waits for them."""
    from datetime import date

    from tracker.domain.events import EventInput

    store = open_store(db_path)
    store.add_event(EventInput("other", date(2026, 10, 1), description="older"))
    store.add_event(EventInput("other", date(2026, 11, 1), description="newest"))
    store.close()
    real = Store.events

    def slow_events(self: Store, *args: Any, **kwargs: Any) -> list[Any]:
        time.sleep(0.5)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "events", slow_events)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "v", "d")
    assert [(e[4], e[5]) for e in events(db_path)] == [("older", 0), ("newest", 1)]


async def test_a_calf_check_typed_right_after_c_is_scored_and_stored(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "c", *POSITIVE_KEYS)
        screen = app.screen
        assert isinstance(screen, CalfCheckScreen) and screen.saved is not None
    assert checks(db_path) == [("claudication", 0)]


@pytest.mark.parametrize(
    ("choice", "typed", "screen", "setting"),
    [
        ("1", "25", SixMinuteScreen, ("walk_test_course_m", 25.0)),
        ("2", "4.5", TreadmillScreen, ("treadmill_speed_kmh", 4.5)),
        ("3", "800", StopwatchScreen, ("stopwatch_route_m", 800.0)),
    ],
)
async def test_a_digit_after_g_picks_the_test_and_the_next_keys_fill_its_first_field(
    db_path: Path, choice: str, typed: str, screen: type[RunScreen], setting: tuple[str, float]
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "g", choice, *typed, "enter", "space")
        run = app.screen
        assert type(run) is screen
        assert isinstance(run, RunScreen) and run.session.started
        session = run.session
        if isinstance(session, SixMinuteWalk):
            assert session.course_m == 25.0
        elif isinstance(session, TreadmillSession):
            assert session.speed_kmh == 4.5
        else:
            assert isinstance(session, Stopwatch) and session.route_m == 800.0
    key, value = setting
    assert getattr(open_store(db_path).settings(), key) == value


async def test_keys_typed_right_after_stopping_a_test_land_in_its_result(db_path: Path) -> None:
    store = open_store(db_path)
    store.update_settings(treadmill_speed_kmh=3.6, treadmill_protocol="constant")  # 1 m/s
    store.close()
    app = make_app(db_path, clock := Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.at(0.0)
        await type_at_once(pilot, "g", "2", "enter", "space")
        clock.at(60.0)
        await type_at_once(pilot, "p")
        clock.at(300.0)
        await type_at_once(pilot, "s", "7", "0", "enter")
        assert isinstance(app.screen, DashboardScreen)
    assert walks(db_path) == [(70.0, 300.0, "treadmill")]


# --- Esc is Back everywhere; typed input is not thrown away without asking ------------------
async def test_escape_in_a_filled_event_form_asks_and_keeps_it_by_default(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "v", "a", "o", "tab", "tab", *"fall", "escape")
        assert question(app) == "Discard this event?"
        assert focused_id(app) == "answer-keep"
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, EventFormScreen)
        assert app.screen.query_one("#description", Input).value == "fall"
        await type_at_once(pilot, "ctrl+q")
        assert question(app) == "Discard this event?"
        await type_at_once(pilot, "escape")  # Esc on the question keeps it too
        assert isinstance(app.screen, EventFormScreen) and app.return_code is None
        await type_at_once(pilot, "escape")
        await type_at_once(pilot, "down", "enter")
        assert isinstance(app.screen, EventsScreen)
        await type_at_once(pilot, "a", "escape")  # nothing typed: straight back
        assert isinstance(app.screen, EventsScreen)
    assert events(db_path) == []


async def test_escape_in_a_check_being_answered_asks_and_keeps_the_answers(
    db_path: Path,
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "c", "escape")  # nothing answered yet: straight back
        assert isinstance(app.screen, DashboardScreen)
        await type_at_once(pilot, "c", "1", "2", "escape")
        assert question(app) == "Discard this check? Your answers so far are not saved."
        assert focused_id(app) == "answer-keep"
        await type_at_once(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, CalfCheckScreen)
        assert screen.answers == {"ecq1": "yes", "ecq2": "no"}
        await type_at_once(pilot, "h")  # another screen's key asks the same
        assert question(app).startswith("Discard this check?")
        await type_at_once(pilot, "down", "enter")
        assert type(app.screen).__name__ == "HistoryScreen"
    assert checks(db_path) == []


async def test_the_red_flag_advice_of_a_check_ignores_keys_typed_before_it(
    db_path: Path,
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # no pain on walking; tick "leg or foot suddenly cold, pale or mottled"; Next; then
        # Enter and Esc meant for the questions
        await type_at_once(pilot, "c", "2", "3", "9", "enter", "escape", "tab", "enter")
        assert isinstance(app.screen, AdviceModal)
        assert focused_id(app) == "ack"
        assert app.typeahead.dropped == 4
        assert checks(db_path) == [("emergency", 0)]
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, CalfCheckScreen)
    assert checks(db_path) == [("emergency", 1)]


async def test_a_running_test_asks_before_quitting_and_other_keys_do_not_stop_it(
    db_path: Path,
) -> None:
    app = make_app(db_path, clock := Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.at(0.0)
        await type_at_once(pilot, "g", "1", "enter", "space")
        run = app.screen
        assert isinstance(run, SixMinuteScreen) and run.session.started
        await type_at_once(pilot, "h", "l")
        assert app.screen is run
        assert [n.message for n in app._notifications] == [
            "The 6-minute walk test is running: stop it first with Esc (the clock keeps "
            "going while you decide)."
        ]
        for quit_key in ("q", "ctrl+q"):
            await type_at_once(pilot, quit_key)
            assert question(app) == "Quit tracker? The test under way is not saved."
            assert [str(b.label) for b in app.screen.query(Button)] == [
                "Keep going",
                "Discard the test and quit",
            ]
            assert focused_id(app) == "answer-keep"
            await type_at_once(pilot, "tab")  # Tab cannot move to "discard"
            assert focused_id(app) == "answer-keep"
            await type_at_once(pilot, "enter")
            assert app.screen is run and app.return_code is None
        await type_at_once(pilot, "escape")
        assert question(app).startswith("Stop the 6-minute walk test early?")
        assert focused_id(app) == "answer-keep"
        await type_at_once(pilot, "escape")  # Esc keeps the test going
        assert app.screen is run and run.running
        await type_at_once(pilot, "q")
        await type_at_once(pilot, "down", "enter")
        assert app.return_code == 0
    assert walks(db_path) == []


async def test_the_result_of_a_test_asks_before_it_is_discarded_or_the_app_quits(
    db_path: Path,
) -> None:
    app = make_app(db_path, clock := Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.at(0.0)
        await type_at_once(pilot, "g", "2", "enter", "space")
        clock.at(100.0)
        await type_at_once(pilot, "s")
        assert isinstance(app.screen, ResultScreen)
        await type_at_once(pilot, "escape")
        assert question(app) == "Discard this test? Its figures are not saved anywhere."
        assert focused_id(app) == "answer-keep"
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, ResultScreen)
        await type_at_once(pilot, "ctrl+q")  # q would be text: the focus is in a field
        assert question(app) == "Quit tracker? This test's result is not saved yet."
        await type_at_once(pilot, "escape")
        assert isinstance(app.screen, ResultScreen) and app.return_code is None
        await type_at_once(pilot, "escape")
        await type_at_once(pilot, "down", "enter")
        assert isinstance(app.screen, DashboardScreen)
        assert [n.message for n in app._notifications] == ["Test discarded; nothing was saved."]
    assert walks(db_path) == []


async def test_changed_test_settings_are_not_thrown_away_without_asking(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "g", "1", "escape")  # nothing changed: straight back
        assert isinstance(app.screen, ChooseTestScreen)
        await type_at_once(pilot, "1", *"40", "escape")
        assert question(app).startswith("Discard the settings you changed?")
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#course", Input).value == "40"
