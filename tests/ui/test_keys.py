"""Keys are never lost or sent to the wrong screen (issue 13, points 1-3).

`type_at_once` queues every key before the app reads the first, which is what happens when a
person types faster than a slow machine builds the next screen.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from tracker.db.opening import open_store
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.help import HelpScreen
from tracker.ui.screens.history import HistoryScreen
from tracker.ui.screens.log_walk import HINT, LogWalkScreen
from tracker.ui.widgets.confirm_modal import ChoiceModal
from tracker.ui.widgets.form_fields import FormCheckbox

from .conftest import make_app, settle, type_at_once

TYPICAL_WALK = ("l", "1", "8", "0", "tab", "3", "2", "0", "enter")


def walks(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT pain_free_m, max_m, no_pain FROM walk WHERE deleted_at IS NULL ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def last_walk(db: Path) -> tuple[object, ...]:
    return walks(db)[-1]


# --- point 1: keys land in the form, in order, however fast ------------------------------
async def test_pilot_keys_without_pause_log_180_320_on_a_loaded_diary(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*TYPICAL_WALK)
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert last_walk(demo_db) == (180.0, 320.0, 0)


async def test_keys_queued_before_the_form_exists_all_land_in_order(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, *TYPICAL_WALK)
        assert isinstance(app.screen, DashboardScreen)
    assert last_walk(demo_db) == (180.0, 320.0, 0)


async def test_keys_wait_for_a_form_that_is_slow_to_load(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine that needs half a second for the form's defaults loses no key."""
    real = LogWalkScreen._fill

    def slow_fill(self: LogWalkScreen, unit: str, last: object) -> None:
        time.sleep(0.5)
        real(self, unit, last)  # type: ignore[arg-type]

    monkeypatch.setattr(LogWalkScreen, "_fill", slow_fill)
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, *TYPICAL_WALK)
    assert last_walk(demo_db) == (180.0, 320.0, 0)
    assert app.typeahead.held_max >= 8


async def test_keys_typed_while_the_diary_opens_are_kept(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, *TYPICAL_WALK)  # no settle first: the store is not open
        await settle(pilot)
    assert last_walk(demo_db) == (180.0, 320.0, 0)


async def test_enter_typed_while_the_app_starts_still_saves(db_path: Path) -> None:
    """Before the terminal leaves line mode, Enter becomes a newline (ctrl+j)."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, *TYPICAL_WALK[:-1], "ctrl+j")
    assert walks(db_path) == [(180.0, 320.0, 0)]


async def test_a_key_after_saving_goes_to_the_next_screen(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, *TYPICAL_WALK, "h")
        assert isinstance(app.screen, HistoryScreen)
    assert last_walk(demo_db) == (180.0, 320.0, 0)


async def test_enter_on_a_history_row_then_typing_edits_its_first_field(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "h", "enter", "9", "9", "enter")
        assert isinstance(app.screen, HistoryScreen)
    store = open_store(demo_db)
    newest = store.walks(newest_first=True, limit=1)[0]
    assert newest.pain_free_m == 99.0


@pytest.mark.parametrize(
    ("keys", "check"),
    [
        (("o", "tab", "5", "enter"), lambda s: s.settings().weekly_goal_sessions == 5),
        (("s", "plus", "plus", "plus", "minus"), lambda s: list(s.cigarettes().values()) == [2]),
        (
            ("y", "space", "enter"),
            lambda s: [r.key for r in s.symptoms()] == ["leg_sudden_severe_pain"],
        ),
    ],
    ids=["settings", "smoking", "symptoms"],
)
async def test_keys_right_after_opening_a_screen_reach_its_first_field(
    db_path: Path, keys: tuple[str, ...], check: object
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, *keys)
    store = open_store(db_path)
    assert check(store)  # type: ignore[operator]


async def test_the_palette_takes_keys_typed_right_after_ctrl_p(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "ctrl+p", *"keys")
        await settle(pilot)
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).value == "keys"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


# --- point 2: nothing is thrown away without asking, nothing quits by accident ----------
async def test_escape_on_the_dashboard_does_nothing(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "escape", "escape", "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert app.return_code is None
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "Esc  back (on the dashboard it does nothing)" in text
        assert "Quit" not in [line.split()[-1] for line in text.splitlines() if "Esc" in line]


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_quitting_with_a_typed_walk_asks_first_and_keeps_it_by_default(
    db_path: Path, quit_key: str
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # tab, tab: the focus is on the "No pain came" box, where q is not text
        await type_at_once(pilot, "l", "1", "8", "0", "tab", "tab", quit_key)
        assert isinstance(app.screen, ChoiceModal)
        assert app.screen.question == "Discard this walk?"
        assert app.focused is not None and app.focused.id == "answer-keep"
        await pilot.press("enter")  # the default answer keeps it
        await settle(pilot)
        assert isinstance(app.screen, LogWalkScreen)
        assert app.screen.query_one("#pain_free", Input).value == "180"
        assert app.return_code is None
        await pilot.press(quit_key)
        await settle(pilot)
        await pilot.press("down", "enter")  # "Yes, discard it"
        await settle(pilot)
        assert app.return_code == 0
    assert walks(db_path) == []


async def test_quitting_an_empty_form_does_not_ask(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "tab", "tab", "q")
        assert app.return_code == 0


async def test_escape_in_a_filled_form_asks_and_escape_again_keeps_the_walk(
    db_path: Path,
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "2", "0", "0", "escape")
        assert isinstance(app.screen, ChoiceModal)
        await pilot.press("escape")  # Esc on the question keeps the walk too
        await settle(pilot)
        assert isinstance(app.screen, LogWalkScreen)
        # keys typed before the question appeared never answer it
        await type_at_once(pilot, "escape", "down", "enter")
        assert isinstance(app.screen, ChoiceModal)
        assert app.focused is not None and app.focused.id == "answer-keep"
        await type_at_once(pilot, "down", "enter")
        assert isinstance(app.screen, DashboardScreen)
        await type_at_once(pilot, "l", "escape")  # empty form: straight back
        assert isinstance(app.screen, DashboardScreen)
    assert walks(db_path) == []


async def test_every_screen_goes_back_with_escape(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in "htwsyvceog":
            await type_at_once(pilot, key)
            assert not isinstance(app.screen, DashboardScreen), key
            await type_at_once(pilot, "escape")
            assert isinstance(app.screen, DashboardScreen), key


async def test_letters_typed_into_a_text_field_are_text(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "1", "8", "0", "tab", "3", "2", "0")
        app.screen.query_one("#notes", Input).focus()
        await type_at_once(pilot, *"qhtswyeol?", "enter")
        assert isinstance(app.screen, DashboardScreen)
    (walk,) = open_store(db_path).walks()
    assert walk.notes == "qhtswyeol?"


# --- point 3: Enter saves from every field; Space ticks -----------------------------------
async def test_a_walk_without_pain_saves_with_enter_on_the_box(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "5", "0", "0", "tab", "tab", "space")
        box = app.screen.query_one("#no_pain", FormCheckbox)
        assert box.has_focus and box.value is True
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, DashboardScreen)
    assert walks(db_path) == [(500.0, None, 1)]


async def test_enter_on_a_list_saves_and_space_opens_it(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "1", "8", "0", "tab", "3", "2", "0")
        location = app.screen.query_one("#location", Select)
        location.focus()
        await type_at_once(pilot, "space")
        assert location.expanded
        await type_at_once(pilot, "down", "enter")  # Enter in the open list picks
        assert not location.expanded and location.value == "calf"
        assert isinstance(app.screen, LogWalkScreen)
        await type_at_once(pilot, "enter")  # Enter on the closed list saves
        assert isinstance(app.screen, DashboardScreen)
    (walk,) = open_store(db_path).walks()
    assert (walk.pain_free_m, walk.max_m, walk.location) == (180.0, 320.0, "calf")


async def test_enter_does_not_tick_and_the_hint_says_what_keys_do(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "tab", "tab")
        box = app.screen.query_one("#no_pain", FormCheckbox)
        await type_at_once(pilot, "enter")
        assert box.value is False  # Enter tried to save (nothing typed), it did not tick
        assert "Enter saves" in HINT and "Space ticks a box" in HINT
        hint = " ".join(str(w.render()) for w in app.screen.query(".help-line"))
        assert hint == HINT


async def test_enter_saves_from_the_unit_list_in_settings(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "o", "space", "down", "enter", "enter")
    assert open_store(db_path).settings().unit == "km"
