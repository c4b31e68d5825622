from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

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


def key_event(key: str) -> events.Key:
    """The Key event a terminal sends for `key` (named as Pilot.press names keys)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def type_at_once(pilot: object, *keys: str) -> None:
    """Queue every key before the app reads any of them: what a fast typist on a slow machine
    does (Pilot.press waits until the app is idle after each key, which hid lost keys)."""
    app = pilot.app  # type: ignore[attr-defined]
    goal = app.typeahead.taken + len(keys)
    for key in keys:
        app.post_message(key_event(key))
    held = app.typeahead
    while (held.taken < goal or held.pending or held.busy) and app.return_code is None:
        await pilot.pause()  # type: ignore[attr-defined]
    await settle(pilot)


def screen_text(app: TrackerApp) -> list[str]:
    """The lines on the terminal as plain text (what a patient reads)."""
    from textual.strip import Strip

    update = app.screen._compositor.render_update(full=True)
    lines = []
    for line in update.strips:  # type: ignore[attr-defined]
        strips = [line] if isinstance(line, Strip) else list(line)
        lines.append("".join(seg.text for strip in strips for seg in strip).rstrip())
    return lines


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


def fill_sudden_drop(db: Path, *, until: date | None = None) -> None:
    """Daily walks around 250 m, then 40 % shorter over the last 10 days before the Sunday
    that ends the last complete week: the detector's sudden fall."""
    end = until or date(2026, 11, 22)
    store = open_store(db)
    rows = []
    for d in range(120):
        day = end - timedelta(days=d)
        pf = 250 * math.exp(0.1 * math.sin(d * 2.3)) * (0.6 if d < 10 else 1.0)
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
        rows.append(
            WalkInput(
                at,
                round(pf, 1),
                round(pf * 1.6, 1),
                None,
                False,
                "calf",
                "left",
                5,
                3.0,
                "walk",
                "",
                "typed",
            )
        )
    store.add_walks(rows)
    store.close()


@pytest.fixture
def drop_db(tmp_path: Path) -> Path:
    path = tmp_path / "drop.db"
    fill_sudden_drop(path)
    return path
