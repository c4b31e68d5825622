"""The calf-pain check in the app, driven by keys typed without pauses, checked against the DB."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from textual.widgets import SelectionList, Static

from tracker.db.opening import open_store
from tracker.ui.screens.calf_check import CalfCheckScreen
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.symptoms import SymptomsScreen
from tracker.ui.widgets.advice_modal import AdviceModal

from .conftest import make_app, settle

# ecq1 yes, ecq2 no, ecq3 yes, ecq4 no, ecq5 within 10 min, ecq6 calf + Next,
# emergency "none of these", swelling no, warm/red no.
POSITIVE_KEYS = ("1", "2", "1", "2", "2", "1", "8", "1", "2", "2")


def checks(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT pattern, tier, ecq_positive, ecq_grade, ecq_kind, acknowledged_at IS NOT NULL"
            " FROM calf_check ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def text_of(screen: object) -> str:
    return " ".join(str(w.render()) for w in screen.query(Static))  # type: ignore[attr-defined]


async def test_a_typical_check_typed_at_full_speed_is_scored_and_stored(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", *POSITIVE_KEYS)
        await settle(pilot)
        assert isinstance(app.screen, CalfCheckScreen)
        shown = text_of(app.screen)
        assert (
            "Your answers fit the pattern of walking-related pain from narrowed arteries" in shown
        )
        assert "positive, grade 1" in shown and "No urgent sign" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        card = str(app.screen.query_one("#card-check", Static).render())
        assert "Tue 24 Nov 2026" in card and "narrowed arteries" in card
    assert checks(db_path) == [("claudication", None, 1, 1, "definite", 0)]


async def test_an_emergency_sign_shows_the_advice_dialog_and_the_banner(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # no pain on walking; tick "leg or foot suddenly cold, pale or mottled" (3); Next (9)
        await pilot.press("c", "2", "3", "9")
        await settle(pilot)
        assert isinstance(app.screen, AdviceModal)
        advice = text_of(app.screen)
        assert "Seek urgent care now" in advice and "Call the emergency number now" in advice
        assert "suddenly cold, pale or mottled" in advice
        await pilot.press("escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, AdviceModal)  # must be acknowledged
        assert checks(db_path) == [("emergency", "emergency", 0, None, None, 0)]
        await pilot.click("#ack")
        await settle(pilot)
        assert isinstance(app.screen, CalfCheckScreen)
        await pilot.press("escape")
        await settle(pilot)
        banner = app.screen.query_one("#banner", Static)
        assert banner.has_class("visible") and banner.has_class("emergency")
        assert "calf-pain check: signs that need urgent care" in str(banner.render())
    assert checks(db_path) == [("emergency", "emergency", 0, None, None, 1)]


async def test_a_clot_pattern_names_the_recorded_flight_and_risk_factors(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_symptom("recent_long_travel", date(2026, 11, 20), "Flug")
    store.update_settings(diabetes=True, obesity=True)
    store.close()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "2", "1", "1")  # no walking pain, no emergency sign, swollen
        await settle(pilot)
        assert isinstance(app.screen, AdviceModal)
        advice = text_of(app.screen)
        assert "See a doctor today" in advice and "clot in a deep vein" in advice
        assert "long journey recently (flight, car, train)" in advice
        assert "diabetes, obesity" in advice
    assert checks(db_path) == [("clot", "same_day", 0, None, None, 0)]


async def test_backspace_goes_back_one_question_and_none_clears_ticks(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "1", "backspace", "2")  # changed mind: no pain on walking
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalfCheckScreen)
        assert screen.answers == {"ecq1": "no"}
        await pilot.press("3", "1")  # ticked a sign, then slipped onto "none": ticks cleared
        await pilot.pause()
        assert screen.question is not None and screen.question.key == "emergency"
        assert screen.ticked == []
        await pilot.press("1")  # now "none of these" answers the question
        await pilot.pause()
        assert screen.question is not None and screen.question.key == "swelling"
    assert checks(db_path) == []  # left before the end: nothing stored


async def test_unsure_leg_pain_in_symptoms_opens_the_check(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, SymptomsScreen)
        app.screen.query_one(SelectionList).select("unsure_leg_pain")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CalfCheckScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SymptomsScreen)  # back where the user was
    assert open_store(db_path).symptoms() == []  # not a symptom of its own


async def test_first_run_offers_the_check_and_the_palette_finds_it(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        welcome = str(app.screen.query_one("#welcome", Static).render())
        assert "calf-pain check" in welcome and "Press c" in welcome
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"calf-pain", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CalfCheckScreen)


async def test_the_result_view_lists_every_earlier_check(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", *POSITIVE_KEYS, "2", *POSITIVE_KEYS, "3")
        await settle(pilot)
        shown = str(app.screen.query_one("#check-result", Static).render())
        assert shown.startswith("All checks, newest first:")
        assert shown.count("2026-11-24 18:30: fits the pattern of walking-related pain") == 2
    assert len(checks(db_path)) == 2
