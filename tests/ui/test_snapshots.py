"""What the user sees, as SVG snapshots at 80x24 on a fixed data set and a fixed clock.

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`,
then look at the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from .conftest import existing, make_app, settle


def test_dashboard(snap_compare: Any, demo_db: Path) -> None:
    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=settle)


def test_first_run_dashboard(snap_compare: Any, db_path: Path) -> None:
    assert snap_compare(make_app(existing(db_path)), terminal_size=(80, 24), run_before=settle)


def test_log_form_with_an_error(snap_compare: Any, demo_db: Path) -> None:
    async def type_a_bad_walk(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("4", "0", "0", "tab", "3", "0", "0", "tab")
        await pilot.pause()

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=type_a_bad_walk)


def test_history(snap_compare: Any, demo_db: Path) -> None:
    async def open_history(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=open_history)


def test_trend_chart(snap_compare: Any, demo_db: Path) -> None:
    async def open_trend(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=open_trend)


def test_trend_chart_with_treatment_events(snap_compare: Any, tmp_path: Path) -> None:
    """A heavy line for the procedure, thin ones for a medicine, a programme, a hospital stay;
    each with its one-word label (two labels two days apart take two rows)."""
    from .test_trend_chart import add_events, issue_diary

    db = tmp_path / "events.db"
    issue_diary(db)
    add_events(db)

    async def open_trend(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=open_trend)


@pytest.mark.parametrize(
    ("size", "theme"),
    [((80, 24), "textual-light"), ((120, 40), "textual-dark"), ((120, 40), "textual-light")],
)
def test_trend_chart_sizes_and_themes(
    snap_compare: Any, demo_db: Path, size: tuple[int, int], theme: str
) -> None:
    async def open_trend(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.theme = theme
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=size, run_before=open_trend)


def test_red_flag_advice(snap_compare: Any, db_path: Path) -> None:
    async def report_swelling(pilot: Pilot[None]) -> None:
        from textual.widgets import SelectionList

        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        pilot.app.screen.query_one(SelectionList).select("leg_swelling_one_side")
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = make_app(existing(db_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=report_swelling)


def test_weekly_review(snap_compare: Any, demo_db: Path) -> None:
    async def open_review(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)

    assert snap_compare(make_app(demo_db), terminal_size=(80, 24), run_before=open_review)


async def _focus_the_first_field(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("l", "1", "8", "0")
    await settle(pilot)


async def _tick_no_pain(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("l", "5", "0", "0", "tab", "tab", "space")
    await settle(pilot)


def _themed(app: Any, theme: str) -> Any:
    original = app._database_ready

    def ready(_: str) -> None:
        original(theme)

    app._database_ready = ready
    return app


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_focused_field_and_unticked_box(snap_compare: Any, db_path: Path, theme: str) -> None:
    """The focused row has a bar and a reversed label; the box reads [ ]."""
    app = _themed(make_app(db_path), theme)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_focus_the_first_field)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_ticked_box_in_focus(snap_compare: Any, db_path: Path, theme: str) -> None:
    """The ticked box reads [x]."""
    app = _themed(make_app(db_path), theme)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_tick_no_pain)


def test_symptoms_at_60_columns(snap_compare: Any, db_path: Path) -> None:
    async def open_symptoms(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("y", "down", "space")
        await settle(pilot)

    assert snap_compare(make_app(db_path), terminal_size=(60, 20), run_before=open_symptoms)


def test_sudden_drop_question(snap_compare: Any, drop_db: Path) -> None:
    assert snap_compare(make_app(drop_db), terminal_size=(80, 24), run_before=settle)


def test_keys(snap_compare: Any, db_path: Path) -> None:
    async def open_keys(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(existing(db_path)), terminal_size=(80, 24), run_before=open_keys)
