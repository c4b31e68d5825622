"""Treatment events where the walks are read: the weekly review and the dashboard."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.dashboard import summarise
from tracker.domain.events import EventInput
from tracker.domain.review import build_review
from tracker.domain.walks import WalkInput
from tracker.domain.wording import review_lines, since_lines

from .conftest import FIXED_NOW

TODAY = FIXED_NOW.date()


def walk(day: date, pf: float, method: str = "walk", hour: int = 9) -> WalkInput:
    at = datetime.combine(day, datetime.min.time()).replace(hour=hour)
    return WalkInput(at, pf, pf * 1.6, None, False, "calf", "left", 5, 3.0, method, "", "typed")


@pytest.fixture
def diary(tmp_path: Path) -> Store:
    """Walks at ~150 m until an angioplasty on 3 Sep, ~420 m after; a programme from 7 Oct."""
    store = open_store(tmp_path / "d.db")
    rows = []
    day = date(2026, 7, 1)
    while day < TODAY:
        if day != date(2026, 9, 3) and day.weekday() != 6:
            level = 150 if day < date(2026, 9, 3) else 420
            rows.append(walk(day, level + (day.day % 5 - 2) * 4))
            # the treadmill test before the walk: the walks are the method in use
            rows.append(walk(day, 900, method="treadmill", hour=8))
        day += timedelta(days=1)
    store.add_walks(rows)
    store.add_event(EventInput("procedure", date(2026, 9, 3), procedure_type="angioplasty"))
    store.add_event(EventInput("programme-start", date(2026, 10, 7)))
    store.add_event(
        EventInput("medication-start", date(2026, 11, 4), category="statin", name="atorvastatin")
    )
    return store


def test_the_review_lists_the_weeks_events_and_the_programme_week(diary: Store) -> None:
    review = build_review(diary, date(2026, 11, 2), TODAY)
    assert [(e.day, e.kind) for e in review.events] == [(date(2026, 11, 4), "medication-start")]
    assert review.programme is not None and review.programme.week == 5
    lines = review_lines(review, "m")
    assert "Exercise programme: week 5 of 12 (started Wed 07 Oct 2026)." in lines
    at = lines.index("Treatment events this week:")
    assert lines[at + 1] == "  - Wed 04 Nov: started atorvastatin (statin)"

    quiet = build_review(diary, date(2026, 8, 3), TODAY)
    assert quiet.events == () and quiet.programme is None
    assert not any("Treatment events" in x or "programme" in x for x in review_lines(quiet, "m"))


def test_the_review_json_carries_events_and_programme(diary: Store) -> None:
    path = diary.path
    assert path is not None
    diary.close()
    result = CliRunner().invoke(app, ["--db", str(path), "review", "--week", "2026-W41"])
    assert result.exit_code == 0
    assert "Exercise programme: week 1 of 12" in result.stdout
    result = CliRunner().invoke(app, ["--db", str(path), "review", "--week", "2026-W41", "--json"])
    data = json.loads(result.stdout)
    assert data["programme"] == {
        "start": "2026-10-07",
        "week": 1,
        "planned_weeks": 12,
        "ended_on": None,
    }
    assert data["events"] == [
        {
            "id": 2,
            "day": "2026-10-07",
            "kind": "programme-start",
            "description": "started a supervised exercise programme",
        }
    ]


def test_the_dashboard_says_since_the_procedure_per_method(diary: Store) -> None:
    summary = summarise(diary, FIXED_NOW)
    assert summary.trend is not None and summary.trend.method == "walk"
    lines = since_lines(summary.since, summary.unit, summary.today)
    after = [w.pain_free_m for w in diary.walks(date(2026, 9, 4), TODAY, method="walk")]
    assert lines[0] == (
        f"Since your angioplasty on 3 Sep: median pain-free 420 m ({len(after)} walks; "
        "150 m in the 4 weeks before)."
    )
    assert lines[1].startswith("Since starting atorvastatin (statin) on 4 Nov the median")


def test_no_events_no_since_line(tmp_path: Path) -> None:
    store = open_store(tmp_path / "e.db")
    store.add_walks([walk(TODAY - timedelta(days=d), 200) for d in range(1, 30)])
    assert summarise(store, FIXED_NOW).since == ()
