from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.db.opening import open_store
from tracker.domain.walks import WalkInput
from tracker.ui.app import TrackerApp

from ..conftest import FIXED_NOW


def fixed_now() -> datetime:
    return FIXED_NOW


def make_app(db: Path) -> TrackerApp:
    return TrackerApp(db=str(db), now=fixed_now)


def existing(db: Path) -> Path:
    """An empty diary that exists already (a new one would announce its tmp path in a toast)."""
    open_store(db).close()
    return db


async def settle(pilot: object) -> None:
    """Let workers finish and the screen repaint."""
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


def fill_demo(db: Path, *, days: int = 120) -> None:
    """A fixed data set: steady around 300 m, then a slow decline; some walks without pain."""
    store = open_store(db)
    rows = []
    end = FIXED_NOW.date() - timedelta(days=1)
    for d in range(days):
        day = end - timedelta(days=days - 1 - d)
        if d % 7 in (2, 5):
            continue
        decline = 1.0 if d < 60 else math.exp(math.log(0.92) / 30.44 * (d - 60))
        pf = round(300 * decline * math.exp(0.12 * math.sin(d * 2.1)), 1)
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=9, minutes=d % 50)
        no_pain = d % 11 == 0
        rows.append(
            WalkInput(
                at,
                pf,
                None if no_pain else round(pf * 1.7, 1),
                None,
                no_pain,
                "calf",
                "left",
                None if no_pain else 5,
                3.0,
                "walk",
                "Grüße" if d == 100 else "",
                "typed",
            )
        )
    store.add_walks(rows)
    for d in range(60):
        store.set_cigarettes(end - timedelta(days=d), 8 + d % 3)
    store.add_smoking_status("current", date(1985, 1, 1), cigarettes_per_day=15)
    store.close()


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    fill_demo(path)
    return path
