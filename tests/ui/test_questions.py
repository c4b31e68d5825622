"""The app asks before saving a doubtful reading or a duplicate (point 9), and the smoking
screen's keys and buttons (point 11)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from textual.widgets import Button, Input, Static

from tracker.db.opening import open_store
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.log_walk import LogWalkScreen
from tracker.ui.widgets.confirm_modal import ChoiceModal

from ..conftest import FIXED_NOW
from .conftest import make_app, screen_text, settle, type_at_once


def walks(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT pain_free_m, max_m FROM walk ORDER BY id").fetchall()
    finally:
        conn.close()


def answer_labels(app: object) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button)]  # type: ignore[attr-defined]


async def test_a_far_off_distance_asks_did_you_mean_with_other_units(demo_db: Path) -> None:
    before = len(walks(demo_db))
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "2", "0", "k", "m", "tab", "3", "0", "k", "m", "enter")
        assert isinstance(app.screen, ChoiceModal)
        assert "Did you mean 20 km, 20 m or 20 yd?" in app.screen.question
        assert answer_labels(app) == [
            "Go back and change it",
            "20 km is right",
            "I meant 20 m",
            "I meant 20 yd",
        ]
        assert app.focused is not None and app.focused.id == "answer-back"
        await type_at_once(pilot, "enter")  # the default changes nothing
        assert isinstance(app.screen, LogWalkScreen)
        assert app.focused is app.screen.query_one("#pain_free", Input)
        assert len(walks(demo_db)) == before
        await type_at_once(pilot, "enter")
        await type_at_once(pilot, "down", "down", "enter")  # "I meant 20 m"
        assert app.screen_stack[-2].query_one("#pain_free", Input).value == "20m"
        assert isinstance(app.screen, ChoiceModal)  # the maximum, 30 km, next
        assert "Did you mean 30 km, 30 m or 30 yd?" in app.screen.question
        await type_at_once(pilot, "down", "down", "enter")
        assert isinstance(app.screen, DashboardScreen)
    assert walks(demo_db)[-1] == (20.0, 30.0)


async def test_confirming_the_typed_reading_saves_it(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "2", "0", "k", "m", "tab", "2", "1", "k", "m", "enter")
        assert isinstance(app.screen, ChoiceModal)
        await type_at_once(pilot, "down", "enter")  # "20 km is right"
        assert isinstance(app.screen, ChoiceModal)  # then the maximum is asked about
        assert "21 km" in app.screen.question
        await type_at_once(pilot, "down", "enter")
        assert isinstance(app.screen, DashboardScreen)
    assert walks(demo_db)[-1] == (20_000.0, 21_000.0)


async def test_a_duplicate_walk_is_asked_about_and_kept_out_by_default(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        walk = ("l", "1", "8", "0", "tab", "3", "2", "0", "enter")
        await type_at_once(pilot, *walk)
        await type_at_once(pilot, *walk)
        assert isinstance(app.screen, ChoiceModal)
        assert "already in your diary as walk #1" in app.screen.question
        await type_at_once(pilot, "enter")  # "No, go back"
        assert isinstance(app.screen, LogWalkScreen)
        assert walks(db_path) == [(180.0, 320.0)]
        await type_at_once(pilot, "enter")
        await type_at_once(pilot, "down", "enter")  # "Yes, save it again"
        assert isinstance(app.screen, DashboardScreen)
    assert walks(db_path) == [(180.0, 320.0), (180.0, 320.0)]


async def test_a_second_enter_while_saving_does_not_save_twice(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "1", "8", "0", "tab", "3", "2", "0", "enter", "enter")
    assert walks(db_path) == [(180.0, 320.0)]


# --- point 11: the smoking screen ------------------------------------------------------------
async def test_plus_and_minus_buttons_and_keys_outside_text_fields(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "s", "enter", "enter", "plus")  # focus starts on +
        await pilot.click("#minus")
        await settle(pilot)
        assert "2" in str(app.screen.query_one("#today-count", Static).render())
        app.screen.query_one("#status").focus()
        await type_at_once(pilot, "plus", "equals_sign")
        since = app.screen.query_one("#since", Input)
        since.focus()
        await type_at_once(pilot, "plus", "minus")  # in a text field they are text
        assert since.value == "+-"
        counts = open_store(db_path).cigarettes()
    assert counts == {FIXED_NOW.date(): 4}


async def test_enter_in_the_last_field_saves_the_status(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "s")
        app.screen.query_one("#status").focus()
        await type_at_once(pilot, "space", "down", "down", "down", "enter")  # current
        await type_at_once(pilot, "tab", *"2001-02-03", "tab", "1", "5", "enter")
        assert "Smoking status saved" in next(n.message for n in app._notifications)
    (span,) = open_store(db_path).smoking_history()
    assert (span.status, span.since, span.cigarettes_per_day) == ("current", date(2001, 2, 3), 15)


async def test_a_typical_count_far_above_the_logged_days_is_asked(db_path: Path) -> None:
    store = open_store(db_path)
    for d in range(1, 8):
        store.set_cigarettes(FIXED_NOW.date() - timedelta(days=d), 5)
    store.close()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "s")
        app.screen.query_one("#status").focus()
        await type_at_once(pilot, "space", "down", "down", "down", "enter")
        app.screen.query_one("#per_day").focus()
        await type_at_once(pilot, "4", "0", "enter")
        assert isinstance(app.screen, ChoiceModal)
        assert "Did you mean 40 a day?" in app.screen.question
        await type_at_once(pilot, "down", "enter")
    assert open_store(db_path).smoking_history()[0].cigarettes_per_day == 40


async def test_pack_years_appear_only_once_a_status_is_known(db_path: Path) -> None:
    store = open_store(db_path)
    store.set_cigarettes(FIXED_NOW.date() - timedelta(days=1), 20)
    store.close()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not any("pack-years" in line.lower() for line in screen_text(app))
        await type_at_once(pilot, "s")
        summary = str(app.screen.query_one("#smoking-summary", Static).render())
        assert "not recorded yet" in summary and "Pack-years" not in summary
        open_store(db_path).add_smoking_status("current", date(2000, 1, 1), cigarettes_per_day=20)
        app.data_changed()
        await settle(pilot)
        assert "Pack-years" in str(app.screen.query_one("#smoking-summary", Static).render())
