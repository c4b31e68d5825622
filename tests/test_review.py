"""The weekly review on fixed data; expected figures computed independently here."""

from __future__ import annotations

import itertools
import json
import math
import statistics
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.clinical import ADVICE, SYMPTOMS, TIER_LABELS
from tracker.domain.review import (
    WeekError,
    build_review,
    last_complete_week,
    parse_week,
    week_label,
)
from tracker.domain.trend import Status
from tracker.domain.walks import WalkInput
from tracker.domain.wording import review_lines, review_summary


def walk(
    day: date,
    pf: float,
    mx: float | None = None,
    *,
    hour: int = 9,
    minute: int = 0,
    no_pain: bool = False,
    pain: int | None = 5,
    minutes: float | None = None,
    total: float | None = None,
) -> WalkInput:
    return WalkInput(
        datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute),
        pf,
        None if no_pain else (mx or pf * 1.5),
        total,
        no_pain,
        "calf",
        "left",
        None if no_pain else pain,
        None,
        "walk",
        "",
        "typed",
        minutes,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "r.db")


def test_week_parsing_and_the_default_week() -> None:
    assert parse_week("2026-W47") == date(2026, 11, 16)
    assert parse_week("2026-w53") == date(2026, 12, 28)
    assert week_label(date(2027, 1, 3)) == "2026-W53"
    assert last_complete_week(date(2026, 11, 24)) == date(2026, 11, 16)
    assert last_complete_week(date(2026, 11, 23)) == date(2026, 11, 16)
    assert last_complete_week(date(2026, 11, 22)) == date(2026, 11, 9)
    for bad in ("2026-47", "2025-W53", "W47", "2026-W00"):
        with pytest.raises(WeekError):
            parse_week(bad)


def test_figures_against_an_independent_computation(store: Store) -> None:
    monday = date(2026, 11, 9)
    this = [(0, 210, 7, 35, 1200), (2, 190, 3, 40, None), (4, 260, 6, None, 900)]
    last = [(-7, 200, 5, None, None), (-5, 220, 5, None, None), (-3, 180, 2, None, None)]
    earlier = [(-28 + i * 3, 230 + (i % 3) * 10, 5, None, None) for i in range(7)]
    rows = [
        walk(monday + timedelta(days=d), pf, pain=p, minutes=m, total=t)
        for d, pf, p, m, t in this + last + earlier
    ]
    rows.append(walk(monday + timedelta(days=5), 400, no_pain=True))
    store.add_walks(rows)
    store.set_cigarettes(monday + timedelta(days=1), 6)
    store.set_cigarettes(monday + timedelta(days=2), 4)
    store.set_cigarettes(monday - timedelta(days=3), 9)
    r = build_review(store, monday, date(2026, 11, 24))
    w = r.this_week
    assert w.walks == 4 and w.walks_with_pain == 3
    assert w.moderate_pain_walks == 2  # pain 7 and 6 reach moderate (>= 4); 3 does not
    assert w.minutes == 75 and w.distance_m == 2100
    assert w.median_pf_m == statistics.median([210, 190, 260])
    # the best pain-free distance is a walk that ended in pain; the 400 m walk without pain
    # is only a lower bound and is kept apart
    assert w.best_pf_m == 260 and w.longest_no_pain_m == 400
    assert r.last_week.median_pf_m == statistics.median([200, 220, 180])
    before = statistics.median([pf for _, pf, *_ in earlier if True])
    assert r.previous_4_weeks_median_pf_m == before
    change = r.change_vs_last_week
    assert change is not None
    assert change.pct == pytest.approx((210 / 200 - 1) * 100)
    assert change.metres == pytest.approx(10)
    assert w.cigarettes == 10 and r.last_week.cigarettes == 9
    assert r.goal_met


def test_a_week_without_walks_still_shows_smoking_and_symptoms(store: Store) -> None:
    monday = date(2026, 11, 16)
    store.add_walks([walk(monday - timedelta(days=7), 200)])
    store.set_cigarettes(monday + timedelta(days=2), 3)
    store.add_symptom("rest_pain_night", monday + timedelta(days=3))
    store.add_symptom("recent_surgery", monday + timedelta(days=1))
    store.add_smoking_status("former", date(2026, 6, 1))
    r = build_review(store, monday, date(2026, 11, 24))
    assert r.this_week.walks == 0 and r.this_week.median_pf_m is None
    assert r.change_vs_last_week is None
    text = "\n".join(review_lines(r, "m"))
    assert "No walks recorded in 2026-W47" in text
    assert "Cigarettes: 3 this week" in text
    assert (
        "days since quitting" in text
        and r.days_since_quitting == (date(2026, 11, 22) - date(2026, 6, 1)).days
    )
    assert [s.key for s in r.symptoms] == ["rest_pain_night", "recent_surgery"]  # red flag first
    # foot pain at rest needs a doctor within days: its own advice, never "next visit"
    assert "foot pain at rest or night, eased by hanging the leg down – See a doctor soon" in text
    assert "To bring up at your next doctor visit" not in text
    assert r.bring_up == ()


def test_a_week_across_the_year_boundary(store: Store) -> None:
    monday = parse_week("2026-W53")
    days = [date(2026, 12, 28), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 3)]
    store.add_walks([walk(d, 200 + i * 10) for i, d in enumerate(days)])
    store.add_walks([walk(date(2027, 1, 4), 999)])  # Monday of 2027-W01: not in this week
    r = build_review(store, monday, date(2027, 1, 10))
    assert (r.start, r.end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert r.this_week.walks == 4
    assert r.this_week.median_pf_m == statistics.median([200, 210, 220, 230])


def test_daylight_saving_change_days_count_in_their_own_week(store: Store) -> None:
    # Europe: clocks go forward on 2026-03-29 (02:00-03:00 does not exist) and back on
    # 2026-10-25 (02:00-03:00 happens twice). Walks are stored in local wall-clock time.
    spring = [walk(date(2026, 3, 29), 180, hour=2, minute=30), walk(date(2026, 3, 29), 190, hour=3)]
    autumn = [
        walk(date(2026, 10, 25), 200, hour=2, minute=30),
        walk(date(2026, 10, 25), 210, hour=2, minute=30),
    ]
    store.add_walks(spring + autumn + [walk(date(2026, 3, 30), 500), walk(date(2026, 10, 26), 500)])
    r1 = build_review(store, parse_week("2026-W13"), date(2026, 11, 24))
    r2 = build_review(store, parse_week("2026-W43"), date(2026, 11, 24))
    assert r1.this_week.walks == 2 and r1.this_week.median_pf_m == 185
    assert r2.this_week.walks == 2 and r2.this_week.median_pf_m == 205


def test_unusual_change_is_judged_against_the_persons_own_scatter(store: Store) -> None:
    monday = date(2026, 11, 16)
    steady = [
        walk(monday - timedelta(days=7 * k + d), 300 + (k % 2) * 6)
        for k in range(1, 13)
        for d in (0, 2, 4)
    ]
    store.add_walks(steady)
    store.add_walks([walk(monday + timedelta(days=d), 200) for d in (0, 2, 4)])
    r = build_review(store, monday, date(2026, 11, 24))
    assert r.change_vs_last_week is not None and r.change_vs_last_week.unusual is True
    usual = r.usual_weekly_scatter_pct
    assert usual is not None and r.change_vs_last_week.usual_pct == usual
    assert abs(r.change_vs_last_week.pct) > usual
    assert (
        f"a change of {r.change_vs_last_week.pct:+.0f} % is larger than your usual ups and "
        f"downs of ±{usual:.0f} %"
    ) in review_summary(r, "m")[1]


def test_cli_review_text_json_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "c.db")
    for d in ("2026-11-16", "2026-11-18"):
        runner.invoke(
            app,
            [
                "--db",
                db,
                "log",
                "--pain-free",
                "200",
                "--max",
                "300",
                "--date",
                d,
                "--minutes",
                "40",
            ],
        )
    out = runner.invoke(app, ["--db", db, "review"])
    assert out.exit_code == 0 and "Week 2026-W47" in out.stdout and "Walks: 2 of 3" in out.stdout
    data = json.loads(runner.invoke(app, ["--db", db, "review", "--json"]).stdout)
    for key in (
        "schema",
        "week",
        "start",
        "end",
        "goal_sessions",
        "goal_met",
        "this_week",
        "last_week",
        "previous_4_weeks_median_pf_m",
        "change_vs_last_week",
        "change_vs_previous_4_weeks",
        "usual_weekly_scatter_pct",
        "trend",
        "smoking_status",
        "days_since_quitting",
        "symptoms",
        "bring_up",
        "unit",
    ):
        assert key in data
    assert data["this_week"]["minutes"] == 80
    bad = runner.invoke(app, ["--db", db, "review", "--week", "47"])
    assert bad.exit_code == 2 and "--week" in bad.stderr
    future = runner.invoke(app, ["--db", db, "review", "--week", "2027-W10"])
    assert future.exit_code == 2


SWINGS = [0.0, 0.1, -0.05, 0.12, 0.02, -0.08, 0.06, -0.1, 0.03, 0.09, -0.04, 0.0]
"""ln(weekly median / 300 m) of the 12 weeks before the reviewed one, oldest first; the last
is last week (300 m)."""


@pytest.mark.parametrize("this_week_m", [240.0, 200.0, 330.0, 150.0, 310.0, 390.0, 420.0])
def test_within_your_usual_only_inside_the_stated_scatter(store: Store, this_week_m: float) -> None:
    monday = date(2026, 11, 16)
    store.add_walks(
        [
            walk(monday - timedelta(days=7 * (12 - k) - d), round(300 * math.exp(z), 3))
            for k, z in enumerate(SWINGS)
            for d in (0, 2, 4)
        ]
    )
    store.add_walks([walk(monday + timedelta(days=d), this_week_m) for d in (0, 2, 4)])
    r = build_review(store, monday, date(2026, 11, 24))
    change = r.change_vs_last_week
    usual = r.usual_weekly_scatter_pct
    assert change is not None and usual is not None
    pct = (this_week_m / 300 - 1) * 100
    assert change.pct == pytest.approx(pct)
    # the stated figure is twice the robust SD of the changes in ln(weekly median)
    changes = [b - a for a, b in itertools.pairwise(SWINGS)]
    sigma = 1.4826 * statistics.median(abs(c - statistics.median(changes)) for c in changes)
    assert usual == pytest.approx((math.exp(2 * sigma) - 1) * 100, rel=1e-4)
    sentence = review_summary(r, "m")[1]
    if abs(pct) > usual:
        assert change.unusual is True
        assert f"is larger than your usual ups and downs of ±{usual:.0f} %" in sentence
        assert "within" not in sentence
    else:
        assert change.unusual is False
        assert f"is within your usual ups and downs of ±{usual:.0f} %" in sentence
    assert f"a change of {pct:+.0f} %" in sentence


def test_no_change_reads_about_the_same(store: Store) -> None:
    monday = date(2026, 11, 16)
    store.add_walks([walk(monday - timedelta(days=7 - d), 250) for d in (0, 2, 4)])
    store.add_walks([walk(monday + timedelta(days=d), 250.4) for d in (0, 2, 4)])
    r = build_review(store, monday, date(2026, 11, 24))
    text = "\n".join(review_lines(r, "m"))
    assert "about the same as last week (250 m)" in text
    assert "0 m shorter" not in text and "0 m longer" not in text and "+0 %" not in text


@pytest.mark.parametrize(
    ("key", "tier_label"),
    [
        ("leg_swelling_one_side", "See a doctor today"),
        ("leg_cold_pale", "Seek urgent care now"),
        ("wound_not_healing", "See a doctor soon"),
    ],
)
def test_an_urgent_symptom_keeps_its_own_advice(store: Store, key: str, tier_label: str) -> None:
    monday = date(2026, 11, 16)
    store.add_walks([walk(monday + timedelta(days=d), 200) for d in (0, 2)])
    store.add_symptom("recent_long_travel", monday - timedelta(days=3), "Flug")
    store.add_symptom(key, monday + timedelta(days=2))
    store.add_symptom("relief_only_sitting", monday + timedelta(days=3))
    r = build_review(store, monday, date(2026, 11, 24))
    text = "\n".join(review_lines(r, "m"))
    bring_up = next(line for line in text.splitlines() if line.startswith("To bring up"))
    description = SYMPTOMS[key].description
    assert description not in bring_up and "eases only by sitting" in bring_up
    line = next(x for x in text.splitlines() if description in x)
    assert f"{tier_label}: {ADVICE[SYMPTOMS[key].tier]}" in line
    if key == "leg_swelling_one_side":  # the flight 5 days before is named, as when recorded
        assert "long journey recently" in line
    # one urgency per thing: the line carries exactly one tier label
    assert sum(label in line for label in TIER_LABELS.values()) == 1


def test_a_sudden_drop_is_not_left_for_the_next_visit(store: Store) -> None:
    monday = date(2026, 11, 16)
    base = [
        walk(monday - timedelta(days=d), 300 * (1 + 0.05 * ((d * 7) % 3 - 1)))
        for d in range(1, 120)
    ]
    store.add_walks(base)
    store.add_walks([walk(monday + timedelta(days=d), 90) for d in range(7)])
    r = build_review(store, monday, date(2026, 11, 23))
    assert r.trend.status is Status.SUDDEN_DROP
    assert not any("falling" in item for item in r.bring_up)
    text = "\n".join(review_lines(r, "m"))
    assert "What to check now and how soon to see a doctor: see the trend" in text
