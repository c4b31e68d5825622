"""The imported-walks screen (p): keys typed at full speed, checked in the database; and what
it looks like at 80x24."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tracker.db.models import DeviceDraft
from tracker.db.opening import open_store
from tracker.ui.screens.drafts import DraftsScreen

from .conftest import make_app, settle


def draft(day: int, metres: float, device: str) -> DeviceDraft:
    at = datetime(2026, 11, day, 9, 0)
    return DeviceDraft(
        started_at=at,
        started_utc=at.replace(hour=8),
        device=device,
        file_format="fit",
        file_name=f"walk-{day}.fit",
        distance_m=metres,
        duration_min=25.0,
        notes=f"Recorded by {device} (FIT file); no lap was pressed, so the pain-free distance "
        "was typed afterwards.",
    )


@pytest.fixture
def drafts_db(db_path: Path) -> Path:
    store = open_store(db_path)
    store.import_device_activities(
        [], [draft(20, 1200.0, "Forerunner 55"), draft(21, 950.0, "Pixel [b]Watch[/b]")]
    )
    store.close()
    return db_path


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


WALKS = "SELECT walked_at, pain_free_m, max_m, total_m, no_pain, source FROM walk ORDER BY id"


async def test_p_then_the_pain_free_distance_and_enter_completes_the_first_draft(
    drafts_db: Path,
) -> None:
    app = make_app(drafts_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "1", "8", "0", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        assert app.screen.query_one(DataTable).row_count == 1
    assert rows(drafts_db, WALKS) == [
        ("2026-11-20 09:00:00.000000", 180.0, 1200.0, 1200.0, 0, "import")
    ]
    assert rows(drafts_db, "SELECT status FROM walk_draft ORDER BY id") == [
        ("completed",),
        ("pending",),
    ]


async def test_down_chooses_the_next_draft_and_tab_types_its_maximum(drafts_db: Path) -> None:
    app = make_app(drafts_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "down", "2", "0", "0", "tab", "6", "0", "0", "enter")
        await settle(pilot)
    assert rows(drafts_db, WALKS) == [
        ("2026-11-21 09:00:00.000000", 200.0, 600.0, 950.0, 0, "import")
    ]


async def test_no_pain_stores_the_whole_walk_as_a_lower_bound(drafts_db: Path) -> None:
    app = make_app(drafts_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "tab", "tab", "space", "ctrl+s")
        await settle(pilot)
    assert rows(drafts_db, WALKS) == [
        ("2026-11-20 09:00:00.000000", 1200.0, None, 1200.0, 1, "import")
    ]


async def test_a_pain_free_distance_above_the_walk_is_refused_beside_the_field(
    drafts_db: Path,
) -> None:
    app = make_app(drafts_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "5", "0", "0", "0", "enter")
        await settle(pilot)
        message = str(app.screen.query_one("#err-pain_free", Static).render())
        assert "above the maximum" in message
    assert rows(drafts_db, WALKS) == []


async def test_ctrl_d_asks_then_discards(drafts_db: Path) -> None:
    app = make_app(drafts_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "ctrl+d")
        await settle(pilot)
        await pilot.press("enter")  # the question starts on "No"
        await settle(pilot)
        assert rows(drafts_db, "SELECT count(*) FROM walk_draft WHERE status='pending'") == [(2,)]
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("down", "enter")  # Tab cannot reach "Yes"; the arrow keys do
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
    assert rows(drafts_db, "SELECT status FROM walk_draft ORDER BY id") == [
        ("discarded",),
        ("pending",),
    ]
    assert rows(drafts_db, WALKS) == []


async def test_with_nothing_waiting_the_screen_says_how_drafts_come(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        text = str(app.screen.query_one("#draft-detail", Static).render())
        assert "tracker import FILE" in text


def test_drafts_screen_snapshot(snap_compare: Any, drafts_db: Path) -> None:
    async def open_and_type(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("p", "1", "5", "0", "0", "enter")
        await settle(pilot)

    assert snap_compare(make_app(drafts_db), terminal_size=(80, 24), run_before=open_and_type)


async def burst(app: Any, db: Path, keys: tuple[tuple[str, str], ...]) -> None:
    """Keys as a terminal delivers them: all at once, none waiting for the one before."""
    from textual import events

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, char in keys:
            app.post_message(events.Key(key, char))
        await settle(pilot)


BURST = (("p", "p"), ("1", "1"), ("8", "8"), ("0", "0"), ("enter", "\r"))


async def test_a_burst_reaching_the_screen_before_its_field_has_focus_is_not_lost(
    drafts_db: Path,
) -> None:
    """With `p` handled as soon as it arrives (a priority binding), the digits after it reach
    the new screen before its field has focus; the screen hands them to the field."""
    from textual.binding import Binding

    from tracker.ui.app import TrackerApp

    from .conftest import fixed_now

    class PriorityApp(TrackerApp):
        BINDINGS = [Binding("p", "drafts", "Imported walks", show=False, priority=True)]  # noqa: RUF012

    await burst(PriorityApp(db=str(drafts_db), now=fixed_now), drafts_db, BURST)
    assert rows(drafts_db, WALKS) == [
        ("2026-11-20 09:00:00.000000", 180.0, 1200.0, 1200.0, 0, "import")
    ]


async def test_keys_typed_in_one_burst_after_p_are_not_lost(drafts_db: Path) -> None:
    await burst(make_app(drafts_db), drafts_db, BURST)
    assert rows(drafts_db, WALKS) == [
        ("2026-11-20 09:00:00.000000", 180.0, 1200.0, 1200.0, 0, "import")
    ]
