"""The one selection of red flags: which, in which order, with which advice and context; and
every surface (dashboard, weekly review, doctor report) showing exactly that selection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.db.repository import Store
from tracker.domain.clinical import ADVICE, SYMPTOMS, TIER_LABELS, Tier
from tracker.domain.dashboard import summarise
from tracker.domain.red_flags import (
    by_urgency,
    recent_context_keys,
    red_flags,
    reported_symptoms,
    urgency,
)
from tracker.domain.report import build_report
from tracker.domain.review import build_review

TODAY = date(2026, 11, 24)


@dataclass(frozen=True)
class Report:
    key: str
    reported_on: date
    notes: str = ""
    id: int | None = None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class Check:
    id: int
    day: date
    tier: Tier
    description: str = "calf-pain check: fits the pattern of a clot in a deep vein of the leg"
    advice: str = ADVICE[Tier.SAME_DAY]
    notes: str = ""
    acknowledged: bool = False


def test_most_urgent_first_then_newest_first() -> None:
    reports = [
        Report("relief_over_10_min", TODAY - timedelta(days=1), id=1),
        Report("leg_swelling_one_side", TODAY - timedelta(days=5), id=2),
        Report("leg_cold_pale", TODAY - timedelta(days=9), id=3),
        Report("leg_warm_red", TODAY - timedelta(days=2), id=4),
    ]
    flags = red_flags(
        reports,
        [Check(9, TODAY - timedelta(days=3), Tier.SAME_DAY)],
        TODAY - timedelta(days=14),
        TODAY,
    )
    assert [f.id for f in flags] == [3, 4, 9, 2, 1]


def test_context_keys_and_reports_outside_the_period_are_not_flags() -> None:
    reports = [
        Report("recent_long_travel", TODAY - timedelta(days=2)),
        Report("leg_cold_pale", TODAY - timedelta(days=15)),
        Report("skin_black", TODAY - timedelta(days=14)),
        Report("no_such_key", TODAY),
    ]
    flags = red_flags(reports, [], TODAY - timedelta(days=14), TODAY)
    assert [f.key for f in flags] == ["skin_black"]


def test_a_swelling_names_the_immobility_of_the_14_days_before_it() -> None:
    swelling = TODAY - timedelta(days=1)
    reports = [
        Report("recent_long_travel", swelling - timedelta(days=3), notes="flight to Lima"),
        Report("recent_surgery", swelling - timedelta(days=20)),
        Report("recent_bed_rest", swelling + timedelta(days=1)),
        Report("leg_swelling_one_side", swelling),
        Report("wound_not_healing", swelling),
    ]
    by_key = {f.key: f for f in red_flags(reports, [], TODAY - timedelta(days=14), TODAY)}
    flag = by_key["leg_swelling_one_side"]
    assert [(c.description, c.notes) for c in flag.context] == [
        (SYMPTOMS["recent_long_travel"].description, "flight to Lima")
    ]
    assert flag.shown_advice.startswith(f"{TIER_LABELS[Tier.SAME_DAY]}: {ADVICE[Tier.SAME_DAY]}")
    assert SYMPTOMS["recent_long_travel"].description in flag.shown_advice
    assert SYMPTOMS["recent_surgery"].description not in flag.shown_advice
    assert flag.advice == ADVICE[Tier.SAME_DAY]
    assert by_key["wound_not_healing"].context == ()  # only same-day advice names context


def test_context_keys_counted_once_and_only_inside_the_window() -> None:
    reports = [
        Report("recent_bed_rest", TODAY - timedelta(days=20)),
        Report("recent_long_travel", TODAY - timedelta(days=3)),
        Report("recent_long_travel", TODAY - timedelta(days=2)),
        Report("leg_warm_red", TODAY),
    ]
    assert recent_context_keys(reports, TODAY) == ["recent_long_travel"]


def test_the_symptom_picker_lists_the_most_urgent_first() -> None:
    ranks = [urgency(s.tier) for s in by_urgency(SYMPTOMS.values())]
    assert ranks == sorted(ranks) and len(ranks) == len(SYMPTOMS)


keys = st.sampled_from(sorted(SYMPTOMS))
days = st.integers(min_value=0, max_value=30).map(lambda d: TODAY - timedelta(days=d))


@given(st.lists(st.tuples(keys, days), max_size=25))
def test_the_review_lists_the_same_flags_in_the_same_order(pairs: list[tuple[str, date]]) -> None:
    reports = [Report(k, d, id=i) for i, (k, d) in enumerate(pairs)]
    first = TODAY - timedelta(days=13)
    everything = reported_symptoms(reports, first, TODAY)
    flags = red_flags(reports, [], first, TODAY)
    assert [f.id for f in everything if f.red_flag] == [f.id for f in flags]
    order = [(urgency(f.tier), -f.reported_on.toordinal()) for f in everything]
    assert order == sorted(order)


@pytest.fixture
def reported(store: Store) -> Store:
    for key, days_ago in (
        ("recent_long_travel", 4),
        ("leg_swelling_one_side", 2),
        ("relief_over_10_min", 1),
        ("leg_cold_pale", 3),
        ("wound_not_healing", 2),
    ):
        store.add_symptom(key, TODAY - timedelta(days=days_ago))
    return store


def test_dashboard_review_and_report_show_one_selection(reported: Store) -> None:
    now = datetime.combine(TODAY, datetime.min.time())
    expected = red_flags(reported.symptoms(), [], TODAY - timedelta(days=14), TODAY)
    assert [f.key for f in expected] == [
        "leg_cold_pale",
        "leg_swelling_one_side",
        "wound_not_healing",
        "relief_over_10_min",
    ]
    assert summarise(reported, now).red_flags == expected

    report = build_report(reported, TODAY - timedelta(days=14), TODAY, now)
    assert report.red_flags == tuple(f for f in expected if f.urgent)
    assert report.red_flags[1].context  # the swelling names the journey, in the PDF too

    monday = TODAY - timedelta(days=TODAY.weekday())
    review = build_review(reported, monday, TODAY)
    in_week = [f for f in expected if f.reported_on >= monday]
    assert [(s.key, s.day) for s in review.symptoms if s.red_flag] == [
        (f.key, f.reported_on) for f in in_week
    ]
    assert [s.advice for s in review.symptoms if s.red_flag] == [f.shown_advice for f in in_week]
