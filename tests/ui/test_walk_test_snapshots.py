"""What the guided walking test looks like at 80x24: running, and its result before saving.

Update after an intended change with
`pytest tests/ui/test_walk_test_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from .conftest import existing, fixed_now
from .test_walk_test import FakeClock, begin, press_at, tick


def _app(db: Path, clock: FakeClock) -> Any:
    from tracker.ui.app import TrackerApp

    return TrackerApp(db=str(existing(db)), now=fixed_now, monotonic=clock)


async def _walk_until(pilot: Pilot[None], clock: FakeClock, end: float) -> None:
    await begin(pilot, clock)
    for t in (41.0, 83.0, 124.0, 168.0):
        await press_at(pilot, clock, t, "space")
    await press_at(pilot, clock, 190.0, "p")
    await press_at(pilot, clock, 214.0, "space")
    await press_at(pilot, clock, 230.0, "r")
    clock.at(end)
    await tick(pilot)


def test_six_minute_walk_test_running(snap_compare: Any, db_path: Path) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[None]) -> None:
        await _walk_until(pilot, clock, 245.4)

    assert snap_compare(_app(db_path, clock), terminal_size=(80, 24), run_before=run_before)


def test_six_minute_walk_test_result(snap_compare: Any, db_path: Path) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[None]) -> None:
        await _walk_until(pilot, clock, 361.0)
        await pilot.press("1", "8")
        await pilot.pause()

    assert snap_compare(_app(db_path, clock), terminal_size=(80, 24), run_before=run_before)


def test_stopping_a_six_minute_walk_test_asks_with_keep_going_in_focus(
    snap_compare: Any, db_path: Path
) -> None:
    clock = FakeClock()

    async def run_before(pilot: Pilot[None]) -> None:
        await _walk_until(pilot, clock, 245.4)
        await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(_app(db_path, clock), terminal_size=(80, 24), run_before=run_before)
