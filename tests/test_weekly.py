"""The one weekly aggregate, against a plain recomputation on random diaries."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.walks import WalkPoint
from tracker.domain.weekly import monday_of, weekly_cigarettes, weekly_exercise, weekly_stats

START = datetime(2026, 1, 1, 8)

walk_points = st.lists(
    st.tuples(
        st.integers(0, 120),  # day
        st.floats(10, 3000),
        st.booleans(),  # no pain
        st.sampled_from(["walk", "treadmill"]),
        st.none() | st.integers(0, 10),
        st.none() | st.floats(5, 90),
    ).map(
        lambda t: WalkPoint(
            START + timedelta(days=t[0], minutes=t[0] % 7),
            t[1],
            None if t[2] else t[1] * 1.5,
            t[2],
            t[3],
            None,
            None if t[2] else t[4],
            t[5],
            None,
        )
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(walk_points)
def test_weekly_rows_equal_a_plain_recomputation(points: list[WalkPoint]) -> None:
    for method in ("walk", "treadmill"):
        mine = [p for p in points if p.method == method]
        rows = weekly_stats(points, method)
        if not mine:
            assert rows == []
            continue
        first = monday_of(min(p.walked_at.date() for p in mine))
        last = monday_of(max(p.walked_at.date() for p in mine))
        assert [r.week_start for r in rows] == [
            first + timedelta(days=7 * k) for k in range((last - first).days // 7 + 1)
        ]
        for r in rows:
            week = [p for p in mine if r.week_start <= p.walked_at.date() <= r.week_end]
            exact = [p.pain_free_m for p in week if not p.no_pain]
            lower = [p.pain_free_m for p in week if p.no_pain]
            assert (r.walks, r.with_pain, r.without_pain) == (len(week), len(exact), len(lower))
            assert r.median_pf_m == (statistics.median(exact) if exact else None)
            assert r.best_pf_m == (max(exact) if exact else None)
            assert r.longest_no_pain_m == (max(lower) if lower else None)


@settings(max_examples=100, deadline=None)
@given(walk_points)
def test_exercise_rows_count_every_method(points: list[WalkPoint]) -> None:
    first, last = date(2026, 1, 5), date(2026, 3, 1)
    rows = weekly_exercise(points, first, last)
    assert len(rows) == 8 and rows[0].week_start == first
    for r in rows:
        week = [
            p
            for p in points
            if r.week_start <= p.walked_at.date() <= r.week_start + timedelta(days=6)
        ]
        minutes = [p.duration_min for p in week if p.duration_min is not None]
        assert r.sessions == len(week)
        assert r.moderate_pain == sum(1 for p in week if (p.pain or 0) >= 4)
        assert r.timed_sessions == len(minutes)
        assert r.minutes == (sum(minutes) if minutes else None)


def test_a_range_with_empty_weeks_lists_them() -> None:
    p = WalkPoint(datetime(2026, 3, 4, 9), 200.0, 300.0, False, "walk", None)
    rows = weekly_stats([p], "walk", first=date(2026, 2, 20), last=date(2026, 3, 20))
    assert [r.week_start for r in rows] == [
        date(2026, 2, 16),
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert [r.walks for r in rows] == [0, 0, 1, 0, 0]


@given(
    st.dictionaries(
        st.integers(0, 90).map(lambda d: date(2026, 1, 1) + timedelta(days=d)),
        st.integers(0, 60),
        max_size=50,
    ),
    st.integers(0, 40),
    st.integers(0, 50),
)
def test_weekly_cigarettes_against_a_plain_sum(counts: dict[date, int], a: int, n: int) -> None:
    first = date(2026, 1, 1) + timedelta(days=a)
    last = first + timedelta(days=n)
    rows = weekly_cigarettes(counts, first, last)
    assert [r.week_start for r in rows] == [
        monday_of(first) + timedelta(days=7 * k) for k in range(len(rows))
    ]
    assert rows[-1].week_start == monday_of(last)
    for r in rows:
        days = [
            c
            for d, c in counts.items()
            if first <= d <= last and r.week_start <= d <= r.week_start + timedelta(days=6)
        ]
        assert r.logged_days == len(days)
        assert r.cigarettes == (sum(days) if days else None)
