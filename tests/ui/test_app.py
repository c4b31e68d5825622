"""The TUI driven by real key presses, checked against the database."""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest
from textual.widgets import Input, SelectionList, Static

from tracker.db.opening import open_store
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.history import HistoryScreen
from tracker.ui.screens.log_walk import LogWalkScreen
from tracker.ui.widgets.advice_modal import AdviceModal
from tracker.ui.widgets.paged_table import PagedTable

from .conftest import make_app, settle


def walks(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT pain_free_m, max_m, no_pain, deleted_at IS NOT NULL FROM walk ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


async def test_logging_a_typical_walk_takes_eight_keys(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        keys = ["1", "8", "0", "tab", "3", "2", "0", "enter"]
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert len(keys) < 10
    assert walks(db_path) == [(180.0, 320.0, 0, 0)]


async def test_walk_without_pain_is_one_toggle(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("5", "0", "0", "tab", "tab", "space", "ctrl+s")
        await settle(pilot)
    assert walks(db_path) == [(500.0, None, 1, 0)]


async def test_validation_shows_beside_the_field_and_refuses_to_save(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("4", "0", "0", "tab", "3", "0", "0")
        await pilot.pause()
        error = app.screen.query_one("#err-pain_free", Static)
        assert "above the maximum" in str(error.render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogWalkScreen)
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab")
        await pilot.press("escape")
        await settle(pilot)
    assert walks(db_path) == []


async def test_typing_letters_in_a_field_does_not_trigger_app_keys(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("0", ".", "2", "k", "m", "tab", "0", ".", "3", "k", "m")
        app.screen.query_one("#notes", Input).focus()
        await pilot.press(*"qhtsy walk", "enter")
        await settle(pilot)
    store = open_store(db_path)
    (walk,) = store.walks()
    assert walk.pain_free_m == pytest.approx(200) and walk.notes == "qhtsy walk"


async def test_edit_delete_and_undo_in_history(demo_db: Path) -> None:
    before = len(walks(demo_db))
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(PagedTable)
        assert table.total > 0
        newest = table.cursor_key
        assert newest is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogWalkScreen)
        max_input = app.screen.query_one("#max", Input)
        max_input.value = "999"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert open_store(demo_db).get_walk(newest).max_m == 999
        await pilot.press("d")
        await settle(pilot)
        assert walks(demo_db)[newest - 1][3] == 1
        await pilot.press("u")
        await settle(pilot)
        assert walks(demo_db)[newest - 1][3] == 0
    assert len(walks(demo_db)) == before


async def test_history_filters_by_date(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("f", *"2026-11-01", "tab", *"2026-11-07", "enter")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        rows = [table.row(i) for i in range(table.total)]
        dates = {row[1][0] for row in rows if row}
        assert len(dates) == len(rows) > 0
        assert all("2026-11-01" <= d <= "2026-11-07" for d in dates)


async def test_red_flag_modal_must_be_acknowledged(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        selection = app.screen.query_one(SelectionList)
        selection.select("leg_swelling_one_side")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AdviceModal)
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "clot in a deep vein" in text and "today" in text
        await pilot.press("escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, AdviceModal)  # escape and q do not dismiss it
        await pilot.click("#ack")
        await settle(pilot)
        assert not isinstance(app.screen, AdviceModal)
    (report,) = open_store(db_path).symptoms()
    assert report.key == "leg_swelling_one_side" and report.acknowledged_at is not None


async def test_dashboard_banner_shows_recent_red_flags(demo_db: Path) -> None:
    store = open_store(demo_db)
    from datetime import date

    store.add_symptom("rest_pain_night", date(2026, 11, 20))
    store.close()
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        banner = app.screen.query_one("#banner", Static)
        assert banner.has_class("visible")
        assert "foot pain at rest" in str(banner.render())


async def test_first_run_shows_a_welcome(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Welcome to tracker" in str(app.screen.query_one("#welcome", Static).render())


async def test_trend_ranges_and_redraw_after_a_new_walk(demo_db: Path) -> None:
    from tracker.ui.widgets.trend_chart import TrendChart

    app = make_app(demo_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        assert chart.data is not None
        spans = {}
        for key in "1234":
            await pilot.press(key)
            await settle(pilot)
            spans[key] = (chart.data.end - chart.data.start).days
        assert spans["1"] == 27 and spans["2"] == 90 and spans["3"] == 364
        assert spans["4"] >= 119
        assert chart.data.decline_weeks
        count = len(chart.data.pain_free)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("1", "5", "0", "tab", "2", "5", "0", "enter")
        await settle(pilot)
        assert app.screen.query_one(TrendChart) is chart  # back on the same trend screen
        assert len(chart.data.pain_free) == count + 1


async def test_settings_and_smoking_are_stored(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#weekly_goal", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape", "s")
        await settle(pilot)
        await pilot.press("plus", "plus", "plus", "minus")
        await settle(pilot)
    store = open_store(db_path)
    assert store.settings().weekly_goal_sessions == 5
    assert store.cigarettes() == {app.now().date(): 2}


async def test_help_and_command_palette_list_the_actions(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        from tracker.ui.commands import TrackerCommands
        from tracker.ui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        titles = [str(h.display) async for h in TrackerCommands(app.screen).discover()]
        for title in ("Log a walk", "History", "Trend chart", "Smoking", "Symptoms", "Settings"):
            assert title in titles
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keys" not in system and "Screenshot" not in system  # ours replace them


async def test_a_bad_database_ends_the_app_with_code_2(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"not a database at all" * 100)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert path.read_bytes() == b"not a database at all" * 100


async def test_history_loads_further_pages_while_scrolling(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from tracker.domain.walks import WalkInput

    db = tmp_path / "many.db"
    store = open_store(db)
    start = datetime(2024, 1, 1, 9)
    store.add_walks(
        [
            WalkInput(
                start + timedelta(days=i),
                200 + i % 50,
                400,
                None,
                False,
                None,
                None,
                None,
                None,
                "walk",
                "",
                "typed",
            )
            for i in range(700)
        ]
    )
    store.close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.total == 700
        assert table.loaded_rows < 700  # only the pages near the view
        seen: dict[int, int] = {}
        for _ in range(40):
            await pilot.press("pagedown")
            await settle(pilot)
            row = table.row(table.cursor_row)
            assert row is not None
            seen[table.cursor_row] = row[0]
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 699
        oldest = table.row(699)
        assert oldest is not None and oldest[1][0] == "2024-01-01"
        await pilot.press("home")
        await settle(pilot)
        newest = table.row(0)
        assert newest is not None and newest[1][0] == (start + timedelta(days=699)).strftime(
            "%Y-%m-%d"
        )
        # rows are newest first, one walk each, none repeated across pages
        assert len(set(seen.values())) == len(seen)
        order = sorted(seen)
        assert all(seen[a] > seen[b] for a, b in pairwise(order))


async def test_export_from_the_app_writes_the_file(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#out", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert out.exists() and out.read_bytes().startswith(b"%PDF")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "--force" in str(app.screen.query_one("#err-out", Static).render())


async def test_review_moves_between_weeks(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        text = str(app.screen.query_one("#review-text", Static).render())
        assert "2026-W47" in text
        await pilot.press("left")
        await settle(pilot)
        assert "2026-W46" in str(app.screen.query_one("#review-text", Static).render())
        await pilot.press("right", "right")
        await settle(pilot)
        assert "2026-W48" in str(app.screen.query_one("#review-text", Static).render())
        await pilot.press("right")
        await settle(pilot)
        assert "2026-W48" in str(app.screen.query_one("#review-text", Static).render())
