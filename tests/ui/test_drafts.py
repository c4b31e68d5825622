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

from tracker.models import WalkDraft
from tracker.store import open_store
from tracker.ui.screens.drafts import DraftsScreen

from .conftest import make_app, settle


def draft(day: int, metres: float, device: str) -> WalkDraft:
    at = datetime(2026, 11, day, 9, 0)
    return WalkDraft(
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
        await pilot.press("shift+tab", "enter")
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
