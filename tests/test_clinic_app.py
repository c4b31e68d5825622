"""The therapist's look at a patient's dashboard: only the reading screens in the footer, and
what the dashboard says to the patient worded for the therapist."""

from __future__ import annotations

from typing import Any

from tests.conftest import FIXED_NOW
from tests.test_cohort import programme as programme
from tracker.domain.wording import PATIENT_HAS_NO_WALKS
from tracker.ui.navigation import SCREENS


async def _open(app: Any, pilot: Any, name: str) -> Any:
    from textual.widgets import DataTable

    from tracker.ui.clinic import CohortScreen
    from tracker.ui.screens.dashboard import DashboardScreen

    for _ in range(200):
        await pilot.pause(0.05)
        if isinstance(app.screen, CohortScreen) and app.screen.lines:
            break
    screen = app.screen
    assert isinstance(screen, CohortScreen)
    row = [line.name for line in screen.lines].index(name)
    screen.query_one("#cohort", DataTable).move_cursor(row=row)
    await pilot.press("enter")
    for _ in range(100):
        await pilot.pause(0.05)
        shown = isinstance(app.screen, DashboardScreen) and app.screen.query("#card-trend")
        if shown and app.screen.footer_actions:
            break
    assert isinstance(app.screen, DashboardScreen) and app.sub_title == f"{name} (read-only)"
    await pilot.pause(0.3)
    return app.screen


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_the_patients_dashboard_offers_only_reading_keys_and_speaks_to_the_therapist(
    programme: dict[str, str],
) -> None:
    from tracker.ui.clinic import READING_SCREENS, ClinicApp

    app = ClinicApp(db=programme["thea"], now=lambda: FIXED_NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await _open(app, pilot, "flagged")
        shown = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        offered = {a.removeprefix("go('").removesuffix("')") for a in shown if a.startswith("go")}
        assert offered and offered <= READING_SCREENS
        assert "trend" in offered
        writing = {p.action for p in SCREENS} - READING_SCREENS
        assert not offered & writing and "log_walk" in writing
        banner = _text(screen, "#banner")
        assert "The patient reported a red flag" in banner and "Consider contacting" in banner
        assert "cold, pale" in banner
        await pilot.press("l")  # a writing key still answers with the read-only notice
        await pilot.pause(0.2)
        assert not any(s.__class__.__name__ == "LogWalkScreen" for s in app.screen_stack)
        await pilot.press("escape")
        await pilot.pause(0.2)
        screen = await _open(app, pilot, "never")
        assert _text(screen, "#welcome") == PATIENT_HAS_NO_WALKS
