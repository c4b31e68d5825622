"""The TUI with hostile files and text: clean exits, notices, escaped text, a busy database.

(Issue 15 points 3, 5, 6 and issue 13 point 10, in the app.)
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tracker.db import errors as store_errors
from tracker.db.errors import busy_message
from tracker.db.opening import open_store
from tracker.domain.validation import validate_walk
from tracker.terminal_text import has_unsafe
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.history import HistoryScreen
from tracker.ui.screens.log_walk import LogWalkScreen
from tracker.ui.widgets.paged_table import PagedTable

from ..conftest import FIXED_NOW
from .conftest import make_app, settle

HOSTILE = "look \x1b]0;pwned\x07 \x1b[31mred \u202eevil\rback"


def told(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def add(db: Path, notes: str = "") -> None:
    store = open_store(db)
    draft = {"pain_free": "180", "max": "320", "notes": notes}
    store.add_walk(validate_walk(draft, unit="m", now=FIXED_NOW))
    store.close()


async def test_a_missing_folder_ends_the_app_cleanly_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "no such folder" / "diary.db"
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    said = " ".join(" ".join(capsys.readouterr()).split())
    assert f"Error: The folder {db.parent} does not exist" in said and "Traceback" not in said
    assert not db.parent.exists()


async def test_a_new_diary_is_announced_once(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"Created a new diary at {db}." in told(app)
    again = make_app(db)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not any("Created" in m for m in told(again))


async def test_the_app_starts_on_a_diary_with_unreadable_rows_and_says_so(
    tmp_path: Path,
) -> None:
    db = tmp_path / "diary.db"
    for _ in range(3):
        add(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE walk SET walked_at = 'yesterday' WHERE id = 2")
    conn.execute(
        "INSERT INTO settings (id, unit, weekly_goal_sessions, session_goal_minutes,"
        " patient_name, patient_id, paper_size, theme, diabetes, hormonal_contraception,"
        " pregnancy, obesity, updated_at) VALUES (1, 'furlong', 3, 30, '', '', 'A4',"
        " 'textual-dark', 0, 0, 0, 0, '2026-01-01 00:00:00')"
    )
    conn.commit()
    conn.close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.return_code is None
        warnings = " ".join(m for m in told(app) if "cannot read" in m)
        assert "walk #2" in warnings and "furlong" in warnings
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.total == 2


async def test_the_history_shows_stored_control_characters_escaped(tmp_path: Path) -> None:
    db = tmp_path / "diary.db"
    add(db, HOSTILE)
    app = make_app(db)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        row = app.screen.query_one(PagedTable).row(0)
        assert row is not None
        notes = row[1][-1]
        assert not has_unsafe(notes) and "\\x1b]0;pwned\\x07" in notes and "\\u202e" in notes
        lines = [app.screen.query_one(PagedTable).render_line(y).text for y in range(3)]
        assert not any(has_unsafe(line) for line in lines)


async def test_editing_a_walk_shows_its_notes_escaped_and_keeps_them_if_untouched(
    tmp_path: Path,
) -> None:
    db = tmp_path / "diary.db"
    add(db, HOSTILE)
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogWalkScreen)
        assert not has_unsafe(app.screen.query_one("#notes", Input).value)
        app.screen.query_one("#max", Input).value = "330"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not any(has_unsafe(m) for m in told(app))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT max_m, notes FROM walk").fetchone() == (330.0, HOSTILE)
    conn.close()


@contextmanager
def writes_held(db: Path) -> Iterator[None]:
    """Another program holding the database's write lock until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield
    finally:
        holder.kill()
        holder.wait(timeout=10)


HOLD = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


async def test_a_busy_database_keeps_the_form_says_so_and_saves_on_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_errors, "BUSY_TIMEOUT_S", 1.5)
    db = tmp_path / "diary.db"
    open_store(db).close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        with writes_held(db):
            await pilot.press("1", "8", "0", "tab", "3", "2", "0", "enter")
            await pilot.pause(0.8)
            status = app.screen.query_one(".help-line", Static)
            assert "Waiting for the database" in str(status.render())
            await settle(pilot)
            assert isinstance(app.screen, LogWalkScreen)
            assert app.screen.query_one("#pain_free", Input).value == "180"
            assert app.screen.query_one("#max", Input).value == "320"
            assert busy_message(db) in told(app)
            assert "Press Enter to try again" in str(status.render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT pain_free_m, max_m FROM walk").fetchall() == [(180.0, 320.0)]
    conn.close()


async def test_a_busy_database_elsewhere_in_the_app_is_told_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_errors, "BUSY_TIMEOUT_S", 0.3)
    db = tmp_path / "diary.db"
    add(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        with writes_held(db):
            await pilot.press("d")
            await settle(pilot)
        assert busy_message(db) in told(app)
        assert app.return_code is None and isinstance(app.screen, HistoryScreen)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT deleted_at FROM walk").fetchone() == (None,)
    conn.close()


async def test_a_damaged_diary_ends_the_app_cleanly_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "diary.db"
    for _ in range(50):
        add(db, "x" * 300)
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_walk_walked_at'")
    page = root.fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(page - 1) * 4096 + 8 : page * 4096] = b"\xff" * (4096 - 8)
    db.write_bytes(bytes(data))
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    said = " ".join(" ".join(capsys.readouterr()).split())
    assert "is damaged" in said and "tracker recover" in said and "Traceback" not in said
