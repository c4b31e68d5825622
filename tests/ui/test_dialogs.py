"""Questions whose answer matters are safe to answer, and asked once per episode (point 5)."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, SelectionList

from tracker.domain.prompts import SUDDEN_DROP_QUESTION
from tracker.ui.app import TrackerApp
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.log_walk import LogWalkScreen
from tracker.ui.widgets.advice_modal import AdviceModal
from tracker.ui.widgets.confirm_modal import ChoiceModal

from ..conftest import FIXED_NOW
from .conftest import fill_sudden_drop, make_app, settle, type_at_once


def answers(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT asked_on, question, answer, trigger FROM prompt_answer ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def labels(app: TrackerApp) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button)]


async def test_sudden_drop_question_opens_on_no_and_tab_cannot_flip_it(drop_db: Path) -> None:
    app = make_app(drop_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        assert labels(app) == ["No, none of these", "Yes, I have one of these"]
        assert app.focused is not None and app.focused.id == "answer-no"
        await type_at_once(pilot, "tab", "tab", "shift+tab", "tab")
        assert app.focused.id == "answer-no"
        await type_at_once(pilot, "escape", "q")
        assert isinstance(app.screen, ChoiceModal)  # it must be answered
        await type_at_once(pilot, "enter")
        assert isinstance(app.screen, AdviceModal)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "next few days" in text
    assert answers(drop_db) == [
        ("2026-11-24", SUDDEN_DROP_QUESTION, "no", "sudden-drop:walk:2026-11-22")
    ]


async def test_the_same_episode_is_not_asked_again_after_a_restart(drop_db: Path) -> None:
    app = make_app(drop_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # "Yes, I have one of these"
        await settle(pilot)
        assert isinstance(app.screen, AdviceModal)
        assert "emergency number" in " ".join(str(w.render()) for w in app.screen.query("Static"))
    assert [a[2] for a in answers(drop_db)] == ["yes"]
    again = make_app(drop_db)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, ChoiceModal | AdviceModal)
    assert len(answers(drop_db)) == 1


async def test_new_walks_that_trip_the_alarm_again_ask_again(drop_db: Path) -> None:
    app = make_app(drop_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    later = FIXED_NOW + timedelta(days=7)
    fill_sudden_drop(drop_db, until=later.date() - timedelta(days=2))
    app = TrackerApp(db=str(drop_db), now=lambda: later)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
    assert [a[3] for a in answers(drop_db)] == ["sudden-drop:walk:2026-11-22"]


async def test_keys_typed_before_a_question_appears_do_not_answer_it(drop_db: Path) -> None:
    """Enter and Tab typed while the dashboard loads are not taken as an answer."""
    app = make_app(drop_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, "tab", "enter", "enter")
        assert isinstance(app.screen, ChoiceModal)
    assert answers(drop_db) == []


async def test_red_flag_advice_opens_on_its_only_answer_and_ignores_typed_ahead_keys(
    db_path: Path,
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        app.screen.query_one(SelectionList).select("leg_cold_pale")
        await type_at_once(pilot, "enter", "enter", "tab", "enter")
        assert isinstance(app.screen, AdviceModal)  # the first Enter recorded, the rest
        assert app.typeahead.dropped == 3  # were typed before the advice appeared
        assert app.focused is not None and app.focused.id == "ack"
        await type_at_once(pilot, "enter")
        assert not isinstance(app.screen, AdviceModal)


async def test_a_question_due_at_opening_waits_until_the_form_typed_into_is_closed(
    drop_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys typed into the log form before the dashboard's data arrived stay in the form; the
    question comes when the user is back on the dashboard (it used to pop over the form)."""
    import tracker.domain.dashboard

    real = tracker.domain.dashboard.summarise

    def slow_summarise(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(tracker.domain.dashboard, "summarise", slow_summarise)
    app = make_app(drop_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_at_once(pilot, "l", "1", "8", "0", "tab", "3", "2", "0")
        assert isinstance(app.screen, LogWalkScreen)
        assert app.screen.query_one("#pain_free", Input).value == "180"
        await type_at_once(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)  # asked on the dashboard, after the save
        assert isinstance(app.screen_stack[-2], DashboardScreen)
    conn = sqlite3.connect(drop_db)
    try:
        newest = conn.execute("SELECT pain_free_m, max_m FROM walk ORDER BY id DESC").fetchone()
    finally:
        conn.close()
    assert newest == (180.0, 320.0)
