"""A sudden fall asks the emergency questions first, once per episode, and a "no" names only
what to look out for."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from tracker.db.opening import open_store
from tracker.domain.walks import WalkInput
from tracker.domain.wording import SUDDEN_FALL_IF_NONE
from tracker.ui.widgets.advice_modal import AdviceModal
from tracker.ui.widgets.confirm_modal import ChoiceModal

from ..conftest import FIXED_NOW
from .conftest import make_app, settle


def fill_sudden_fall(db: Path) -> None:
    """Half a year of daily walks around 300 m, then the last 6 days about half as far."""
    store = open_store(db)
    end = FIXED_NOW.date()
    rows = []
    for d in range(200):
        day = end - timedelta(days=d)
        pf = round(300 * (0.5 if d < 6 else 1.0) * math.exp(0.15 * math.sin(d * 2.3)), 1)
        at = datetime.combine(day, datetime.min.time()).replace(hour=9)
        rows.append(
            WalkInput(at, pf, pf * 1.6, None, False, "calf", "left", 5, 3.0, "walk", "", "typed")
        )
    store.add_walks(rows)
    store.close()


def text_of(screen: object) -> str:
    return " ".join(str(s.render()) for s in screen.query(Static))  # type: ignore[attr-defined]


async def test_the_emergency_questions_come_first_and_once_per_episode(tmp_path: Path) -> None:
    db = tmp_path / "fall.db"
    fill_sudden_fall(db)
    app = make_app(db)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceModal)
        shown = text_of(app.screen)
        assert "cold, pale or mottled" in shown and "shorter than usual" in shown
        await pilot.click("#answer-no")
        await settle(pilot)
        assert isinstance(app.screen, AdviceModal)
        advice = text_of(app.screen)
        assert "Look out for" in advice and SUDDEN_FALL_IF_NONE.split(":")[0] in advice
        assert "slow-healing wound or darkening skin may mean" not in advice
        await pilot.click("#ack")
        await settle(pilot)
        app.data_changed()  # the dashboard reloads: the same episode is not asked again
        await settle(pilot)
        assert not isinstance(app.screen, ChoiceModal | AdviceModal)
        card = str(app.screen.query_one("#card-trend", Static).render())
        assert "Sudden fall:" in card and "sudden-drop" not in card
