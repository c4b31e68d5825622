from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from pathlib import Path

from tracker.db.opening import open_store
from tracker.domain.chart_data import MAX_CHART_POINTS, ChartSource, build_chart_data
from tracker.domain.walks import EXERCISE_COLUMNS as _EXERCISE
from tracker.domain.walks import POINT_COLUMNS as _POINT_COLUMNS
from tracker.domain.walks import WalkInput, WalkPoint


def points(n_days: int, per_day: int) -> list[WalkPoint]:
    start = datetime(2020, 1, 1, 8)
    return [
        WalkPoint(
            start + timedelta(days=d, minutes=k), 200.0 + k, 300.0 + k, k % 5 == 4, "walk", None
        )
        for d in range(n_days)
        for k in range(per_day)
    ]


def test_every_walk_is_drawn_while_it_fits() -> None:
    pts = points(60, 1)
    data = build_chart_data(pts, {}, date(2020, 1, 1), date(2020, 2, 29), "m")
    assert data.bucket_days == 1
    assert len(data.pain_free) + len(data.no_pain) == 60
    assert data.marker == 200.0


def test_dense_ranges_are_thinned_to_what_a_screen_can_show() -> None:
    pts = points(3000, 10)
    source = ChartSource(pts, {}).prepare()
    data = build_chart_data(source, None, date(2020, 1, 1), date(2028, 3, 18), "km")
    assert data.bucket_days > 1
    assert 0 < len(data.pain_free) <= MAX_CHART_POINTS
    assert len(data.weekly_median) <= 200
    # per day: walks with pain at 200-203 and 205-208 m (median 204), without pain at 204
    # and 209 m; in km, bucket medians of daily medians, and the day's longest lower bound
    assert {v for _, v in data.pain_free} == {0.204}
    assert {v for _, v in data.no_pain} == {0.209}


def test_a_narrow_chart_gets_about_the_points_it_can_show() -> None:
    pts = points(400, 1)  # one walk a day, 200 m
    source = ChartSource(pts, {date(2020, 1, 1) + timedelta(days=d): d % 7 for d in range(400)})
    wide = build_chart_data(source, None, date(2020, 1, 1), date(2021, 2, 3), "m")
    assert wide.bucket_days == 1 and len(wide.pain_free) == 400
    narrow = build_chart_data(source, None, date(2020, 1, 1), date(2021, 2, 3), "m", max_points=100)
    assert narrow.bucket_days == 4
    for series in (narrow.pain_free, narrow.maximum, narrow.cigarettes, narrow.weekly_median):
        assert 0 < len(series) <= 100
    assert {v for _, v in narrow.pain_free} == {200.0}
    # cigarettes: the median of each 4-day run of d % 7
    expected = [round(statistics.median(d % 7 for d in range(k, k + 4))) for k in range(0, 400, 4)]
    assert [n for _, n in narrow.cigarettes] == expected


def test_the_fast_sqlite_read_equals_the_portable_one(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    base = datetime(2026, 1, 1, 7, 30)
    store.add_walks(
        [
            WalkInput(
                base + timedelta(days=i, hours=i % 5),
                100.0 + i,
                None if i % 4 == 0 else 300.0 + i,
                400.0 + i if i % 3 else None,
                i % 4 == 0,
                None,
                None,
                None if i % 4 == 0 else i % 8,
                2.0 if i % 2 else None,
                ("walk", "treadmill")[i % 2],
                "",
                "typed",
                30.0 if i % 5 else None,
            )
            for i in range(120)
        ]
    )
    deleted = store.walks()[3].id
    assert deleted is not None
    store.set_deleted(deleted, True)
    for since, until, method in (
        (None, None, None),
        (date(2026, 2, 1), date(2026, 3, 1), None),
        (None, date(2026, 2, 10), "treadmill"),
        (date(2026, 3, 5), None, "walk"),
    ):
        fast = store.walk_points(since, until, method=method)
        assert fast == store._walk_points_core(since, until, method)
        assert fast
        full = store.walk_points(since, until, method=method, exercise=True)
        assert full == store._walk_points_core(since, until, method, (*_POINT_COLUMNS, *_EXERCISE))
        assert [p[:6] for p in full] == [p[:6] for p in fast]
        assert any(p.pain is not None for p in full)
