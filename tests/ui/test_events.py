"""The treatment events screen (v) driven by keys typed at full speed, checked in the database."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tracker.db.opening import open_store
from tracker.domain.events import EventInput
from tracker.ui.commands import TrackerCommands
from tracker.ui.screens.event_form import EventFormScreen
from tracker.ui.screens.events import EventsScreen

from .conftest import make_app, settle


def events(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT kind, occurred_on, procedure_type, side, category, name, dose, description,"
            " notes, deleted_at IS NOT NULL FROM treatment_event ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture
def event_db(demo_db: Path) -> Path:
    store = open_store(demo_db)
    for e in (
        EventInput("medication-start", date(2026, 8, 3), category="cilostazol", dose="100 mg"),
        EventInput("procedure", date(2026, 9, 3), procedure_type="angioplasty", side="left"),
        EventInput("programme-start", date(2026, 10, 7), notes="Tue & Thu, [St Mary's]"),
        EventInput("other", date(2026, 10, 20), description="hospital stay", notes="3 nights"),
    ):
        store.add_event(e)
    store.close()
    return demo_db


def error_text(app: Any, field: str) -> str:
    return str(app.screen.query_one(f"#err-{field}", Static).render())


async def test_a_procedure_is_recorded_from_the_dashboard_without_pauses(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        date_keys = list("2026-09-03")
        await pilot.press("v", "a", "tab", *date_keys, "tab", "s", "tab", "l", "l", "tab")
        await pilot.press(*"groin", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
    assert events(db_path) == [
        ("procedure", "2026-09-03", "stent", "left", None, "", "", "", "groin", 0)
    ]


async def test_a_medicine_start_with_name_and_dose(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "a", "m", "tab", "tab", "s", "tab", *"atorvastatin", "tab")
        await pilot.press(*"40 mg", "ctrl+s")
        await settle(pilot)
    assert events(db_path) == [
        ("medication-start", "2026-11-24", None, None, "statin", "atorvastatin", "40 mg", "", "", 0)
    ]


async def test_a_missing_field_shows_beside_it_and_nothing_is_saved(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "a", "o", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert "is required for other" in error_text(app, "description")
        assert app.screen.focused is not None and app.screen.focused.id == "description"
        await pilot.press(*"hospital stay", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
    assert [e[7] for e in events(db_path)] == ["hospital stay"]


async def test_hidden_fields_of_another_kind_are_not_saved(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "a", "tab", "tab", "b", "tab", "r")  # a bypass, right side ...
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "o")  # ... then "other"
        await settle(pilot)
        assert not app.screen.query_one("#row-type").display
        await pilot.press("tab", "tab", *"fall at home", "enter")
        await settle(pilot)
    assert events(db_path) == [
        ("other", "2026-11-24", None, None, None, "", "", "fall at home", "", 0)
    ]


async def test_a_stop_before_its_start_is_refused_beside_the_date(event_db: Path) -> None:
    before = events(event_db)
    app = make_app(event_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "a", "m", "m", "tab", *"2026-08-01", "tab", "c", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert "before cilostazol was started on 2026-08-03" in error_text(app, "date")
        await pilot.press("escape")
        await settle(pilot)
    assert events(event_db) == before


async def test_edit_delete_and_undo(event_db: Path) -> None:
    app = make_app(event_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[:2] == ["2026-10-20", "other event"]
        await pilot.press("down", "enter")  # the programme start, newest but one
        await settle(pilot)
        assert isinstance(app.screen, EventFormScreen)
        await pilot.press("tab", *"2026-10-06", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert events(event_db)[2][1] == "2026-10-06"
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 3
        assert events(event_db)[2][-1] == 1
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 4
    assert [e[-1] for e in events(event_db)] == [0, 0, 0, 0]


async def test_the_events_screen_is_in_the_command_palette(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hits = {str(h.text): h async for h in TrackerCommands(app.screen).discover()}
        assert "Treatment events" in hits
        app.call_later(hits["Treatment events"].command)
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert "No events yet" in str(app.screen.query_one("#events-empty", Static).render())


def test_events_screen_snapshot(snap_compare: Any, event_db: Path) -> None:
    async def open_events(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(make_app(event_db), terminal_size=(80, 24), run_before=open_events)


def test_event_form_snapshot(snap_compare: Any, event_db: Path) -> None:
    async def open_form(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("v", "a", "m", "tab", "tab", "o", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(event_db), terminal_size=(80, 24), run_before=open_form)
