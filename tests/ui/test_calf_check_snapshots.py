"""The calf-pain check as the user sees it, at 80x24 (look at the SVGs after an update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from .conftest import existing, make_app, settle
from .test_calf_check import POSITIVE_KEYS


def test_calf_check_site_question(snap_compare: Any, db_path: Path) -> None:
    async def up_to_the_sites(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("c", "1", "2", "1", "2", "2", "1", "3")  # calf and buttock ticked
        await settle(pilot)

    assert snap_compare(
        make_app(existing(db_path)), terminal_size=(80, 24), run_before=up_to_the_sites
    )


def test_calf_check_result(snap_compare: Any, db_path: Path) -> None:
    async def answer_everything(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("c", *POSITIVE_KEYS)
        await settle(pilot)

    assert snap_compare(
        make_app(existing(db_path)), terminal_size=(80, 24), run_before=answer_everything
    )


def test_calf_check_emergency_advice(snap_compare: Any, db_path: Path) -> None:
    async def report_numbness(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("c", "2", "4", "9")
        await settle(pilot)

    assert snap_compare(
        make_app(existing(db_path)), terminal_size=(80, 24), run_before=report_numbness
    )


def test_dashboard_with_the_latest_check(snap_compare: Any, demo_db: Path) -> None:
    async def check_then_back(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("c", *POSITIVE_KEYS)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=check_then_back)
