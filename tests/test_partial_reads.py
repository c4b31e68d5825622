"""What the dashboard and the trend screen read less of (a range's walks, the figures before
the trend) gives the figures computed from the whole diary: on a generated diary with several
walks a day, two methods, walks without pain or maximum, deleted walks and walks far older
than every window."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.chart_data import ChartSource, build_chart_data, range_start
from tracker.domain.current_trend import current_trend
from tracker.domain.dashboard import first_look, summarise, with_trend
from tracker.domain.stats import median
from tracker.domain.walks import WalkInput, WalkPoint
from tracker.domain.weekly import monday_of
from tracker.ui.screens.trend import covered_from

from .conftest import FIXED_NOW

TODAY = FIXED_NOW.date()
DAYS = 900


def generated_walks(seed: int) -> list[WalkInput]:
    rng = random.Random(seed)
    walks = []
    for d in range(DAYS):
        day = TODAY - timedelta(days=DAYS - 1 - d)
        for k in range(rng.choice((0, 1, 1, 2, 3, 6))):
            no_pain = rng.random() < 0.15
            pf = round(rng.uniform(80, 400), 1)
            walks.append(
                WalkInput(
                    walked_at=datetime.combine(day, datetime.min.time())
                    + timedelta(hours=7 + 2 * k, minutes=rng.randrange(60)),
                    pain_free_m=pf,
                    max_m=None if no_pain or rng.random() < 0.1 else round(pf * 1.5, 1),
                    total_m=None,
                    no_pain=no_pain,
                    location=None,
                    side=None,
                    pain=None if no_pain else rng.randrange(2, 9),
                    rest_min=None,
                    duration_min=rng.choice((None, 30.0)),
                    method="treadmill" if rng.random() < 0.2 else "walk",
                    notes="",
                    source="typed",
                )
            )
    return walks


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("partial") / "tracker.db"
    store = open_store(path)
    store.add_walks(generated_walks(17))
    rng = random.Random(3)
    ids = [w.id for w in store.walks()]
    for walk_id in rng.sample(ids, len(ids) // 12):  # deleted walks, old and recent
        assert walk_id is not None
        store.set_deleted(walk_id, True)
    for d in range(0, DAYS, 3):
        store.set_cigarettes(TODAY - timedelta(days=d), d % 11)
    yield store
    store.close()


def every_point(store: Store) -> list[WalkPoint]:
    """The diary's walks from the ORM read of every row, deleted ones dropped here."""
    return [
        WalkPoint(w.walked_at, w.pain_free_m, w.max_m, w.no_pain, w.method, w.rest_min)
        for w in store.walks(include_deleted=True)
        if w.deleted_at is None
    ]


@pytest.mark.parametrize("method", [None, "walk", "treadmill"])
@pytest.mark.parametrize("back", [None, 6, 90, 400])
def test_a_ranged_read_holds_exactly_the_walks_of_its_range(
    diary: Store, method: str | None, back: int | None
) -> None:
    since = None if back is None else TODAY - timedelta(days=back)
    expected = [
        p
        for p in every_point(diary)
        if (since is None or p.walked_at.date() >= since) and (method is None or p.method == method)
    ]
    got = diary.walk_points(since, TODAY, method=method)
    assert sorted(got) == sorted(expected)
    assert [p.walked_at for p in got] == sorted(p.walked_at for p in got)


def test_the_first_look_has_the_figures_of_the_whole_diary(diary: Store) -> None:
    now = FIXED_NOW
    first = first_look(diary, now)
    points = every_point(diary)
    with_pain = [p for p in points if not p.no_pain]

    def median_since(days: int) -> float:
        start = TODAY - timedelta(days=days - 1)
        return median([p.pain_free_m for p in with_pain if p.walked_at.date() >= start])

    assert first.walk_count == len(points)
    assert first.latest is not None
    assert first.latest.walked_at == max(p.walked_at for p in points)
    assert first.median_7d_m == median_since(7)
    assert first.median_28d_m == median_since(28)
    monday = monday_of(TODAY)
    assert first.walks_this_week == sum(1 for p in points if p.walked_at.date() >= monday)
    assert first.smoking.cigarettes_today == 0  # day 0: 0 % 11
    assert first.trend is None
    # the trend added afterwards is the detector's on the whole diary, and the two steps
    # together are the one-step summary
    full = with_trend(diary, first)
    assert full == summarise(diary, now)
    assert full.trend == current_trend(diary, TODAY)


@pytest.mark.parametrize("range_key", ["4w", "3m", "1y"])
@pytest.mark.parametrize("max_points", [40, 200, 2000])
@pytest.mark.parametrize("method", ["walk", "treadmill"])
def test_a_range_drawn_from_its_own_walks_equals_the_range_of_every_walk(
    diary: Store, range_key: str, max_points: int, method: str
) -> None:
    trend = current_trend(diary, TODAY, method)
    cigarettes = diary.cigarettes(None, TODAY)
    since = covered_from(range_key, TODAY)
    assert since is not None
    partial = ChartSource(diary.walk_points(since, TODAY, method=method), cigarettes).prepare()
    whole = ChartSource(diary.walk_points(None, TODAY, method=method), cigarettes).prepare()
    assert len(partial.points) < len(whole.points)  # older walks exist and were not read
    start = range_start(range_key, TODAY, whole.points)
    assert start >= since
    drawn = build_chart_data(partial, None, start, TODAY, "m", trend, max_points=max_points)
    expected = build_chart_data(whole, None, start, TODAY, "m", trend, max_points=max_points)
    assert drawn == expected
    assert drawn.walks > 0 and drawn.weekly_median


def test_the_all_range_needs_every_walk() -> None:
    assert covered_from("all", TODAY) is None
    # the other ranges start on the Monday of their first day's week
    for key, days in (("4w", 28), ("3m", 91), ("1y", 365)):
        first = covered_from(key, TODAY)
        assert first == monday_of(TODAY - timedelta(days=days - 1))
        assert first is not None and first.weekday() == 0


def test_today_walks_count_before_the_window_starts() -> None:
    """The covered days never start after the range (a Monday on or before its first day)."""
    for offset in range(7):
        today = date(2026, 11, 23) + timedelta(days=offset)
        for key in ("4w", "3m", "1y"):
            first = covered_from(key, today)
            assert first is not None
            assert first <= range_start(key, today, ())
