"""The app in a real terminal (tmux), typed into one key at a time, 20 ms apart, as a person
types: the walk saved is the walk typed. Skipped where tmux is not installed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import FIXED_NOW

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

KEYS = ("l", "1", "8", "0", "Tab", "3", "2", "0", "Enter")
WAIT_S = 60.0


def newest(db: Path) -> tuple[object, ...] | None:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT pain_free_m, max_m FROM walk ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "app", "-p")

    def type(self, *keys: str) -> None:
        for key in keys:  # one key per call: a string of several can arrive as a paste
            self.tmux("send-keys", "-t", "app", key)
            time.sleep(0.02)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal(f"tracker-test-{os.getpid()}")
    yield term
    term.tmux("kill-server")


def start(term: Terminal, db: Path, size: tuple[int, int]) -> None:
    command = (
        f"env TRACKER_NOW={FIXED_NOW.isoformat()} {sys.executable} -m tracker --db {db}; sleep 60"
    )
    term.tmux("new-session", "-d", "-s", "app", "-x", str(size[0]), "-y", str(size[1]), command)


def until(check: object) -> bool:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40)])
def test_a_walk_typed_key_by_key_in_tmux_is_saved_as_typed(
    terminal: Terminal, demo_db: Path, size: tuple[int, int]
) -> None:
    start(terminal, demo_db, size)
    assert until(lambda: "Latest walk" in terminal.screen())
    terminal.type(*KEYS)
    assert until(lambda: newest(demo_db) == (180.0, 320.0)), terminal.screen()
    assert until(lambda: "Saved walk" in terminal.screen() or "Latest walk" in terminal.screen())
    terminal.type("q")
    assert until(lambda: "tracker — walking diary" not in terminal.screen())


def test_keys_typed_while_the_app_starts_are_kept(terminal: Terminal, demo_db: Path) -> None:
    start(terminal, demo_db, (80, 24))
    terminal.type(*KEYS)  # before the first frame, even before Python has loaded the app
    assert until(lambda: newest(demo_db) == (180.0, 320.0)), terminal.screen()
