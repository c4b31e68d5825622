"""The dashboard paints its figures before the trend; the trend screen opens with the
dashboard's trend (while the data is unchanged) and with the walks of its range, then reads the
rest: every range then shows what it showed when every walk was read first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

import tracker.ui.screens.trend as trend_screen
from tracker.db.opening import open_store
from tracker.domain.chart_data import ChartSource, build_chart_data, range_start
from tracker.domain.current_trend import current_trend
from tracker.domain.wording import LOADING_TREND, trend_summary
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.trend import TrendScreen
from tracker.ui.widgets.trend_chart import TrendChart

from ..conftest import FIXED_NOW, plain_walk
from .conftest import make_app, settle


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """Two years and a half of one to three walks a day, so the ranges differ."""
    path = tmp_path / "long.db"
    store = open_store(path)
    start = FIXED_NOW - timedelta(days=900)
    store.add_walks(
        [
            plain_walk(start + timedelta(days=d, hours=k), 150.0 + (d * 7 + k * 13) % 120)
            for d in range(900)
            for k in range(1 + d % 3)
        ]
    )
    store.close()
    return path


def counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real: Callable[..., Any] = trend_screen.current_trend

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(trend_screen, "current_trend", counted)
    return calls


async def test_the_dashboard_paints_its_figures_first_then_the_trend(diary: Path) -> None:
    app = make_app(diary)
    painted: list[tuple[bool, str]] = []
    real_show = DashboardScreen.show

    def show(self: DashboardScreen, s: Any, ask: bool = False, pending: bool = False) -> None:
        real_show(self, s, ask, pending)
        card = str(self.query_one("#card-trend", Static).render())
        painted.append((pending, card))

    DashboardScreen.show = show  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
    finally:
        DashboardScreen.show = real_show  # type: ignore[method-assign]
    assert [pending for pending, _ in painted] == [True, False]
    assert painted[0][1] == LOADING_TREND
    store = open_store(diary)
    expected = trend_summary(current_trend(store, FIXED_NOW.date()), "m")
    store.close()
    assert expected in painted[1][1]


async def test_a_checked_diary_is_painted_from_a_look_before_the_store_opens(
    diary: Path,
) -> None:
    store = open_store(diary)
    store.walk_points()  # as a session leaves it: every walk's values checked
    store.close()
    app = make_app(diary)
    painted: list[tuple[Any, bool, bool]] = []
    real_show = DashboardScreen.show

    def show(self: DashboardScreen, s: Any, ask: bool = False, pending: bool = False) -> None:
        real_show(self, s, ask, pending)
        painted.append((s, pending, self.tracker.store is None))

    DashboardScreen.show = show  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            latest = str(app.screen.query_one("#card-latest", Static).render())
    finally:
        DashboardScreen.show = real_show  # type: ignore[method-assign]
    assert [(pending, before) for _, pending, before in painted] == [
        (True, True),  # the look, before the store was open
        (True, False),
        (False, False),
    ]
    look, first, _ = (s for s, _, _ in painted)
    # the look's figures are the store's (neither counts the walks: the dashboard shows none)
    assert replace(look, latest=None) == replace(first, latest=None)
    assert look.walk_count is None
    assert look.median_7d_m == first.median_7d_m and look.walks_this_week == first.walks_this_week
    assert look.latest.walked_at == first.latest.walked_at
    assert f"{first.latest.walked_at:%a %d %b %H:%M}" in latest


async def test_the_trend_screen_opens_with_the_dashboards_trend(
    diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(monkeypatch)
    app = make_app(diary)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert calls == []  # the dashboard's trend, not a second run of the detector
        status = str(app.screen.query_one("#trend-status", Static).render())
        store = open_store(diary)
        expected = current_trend(store, FIXED_NOW.date())
        store.close()
        assert isinstance(app.screen, TrendScreen) and app.screen.cache is not None
        assert app.screen.cache[0] == expected
        assert status.startswith("Everyday walks, 3 months")
        # another method is the detector's own run; a change of data drops the kept trend,
        # and a trend read from the data before the change is not kept
        await pilot.press("m")
        await settle(pilot)
        assert len(calls) == 1
        today = FIXED_NOW.date()
        assert app.kept_trend(today, "walk") == expected
        assert app.kept_trend(today, "6mwt") is None
        assert app.kept_trend(today + timedelta(days=1), None) is None
        before = app.data_generation
        app.data_changed()
        assert app.kept_trend(today, None) is None
        app.keep_trend(before, today, expected)
        assert app.kept_trend(today, None) is None


async def test_every_range_shows_what_every_walk_read_first_would(diary: Path) -> None:
    app = make_app(diary)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrendScreen)
        assert screen.covered is None  # the rest was read after the first range
        store = open_store(diary)
        today = FIXED_NOW.date()
        result = current_trend(store, today)
        whole = ChartSource(store.walk_points(None, today, method="walk"), {}).prepare()
        store.close()
        chart = screen.query_one(TrendChart)
        for key, name in (("1", "4w"), ("2", "3m"), ("3", "1y"), ("4", "all")):
            await pilot.press(key)
            await settle(pilot)
            columns = screen.query_one("#trend-chart").size.width or 100
            start = range_start(name, today, whole.points)
            expected = build_chart_data(
                whole, None, start, today, "m", result, max_points=2 * columns
            )
            assert chart.data is not None
            assert chart.data.pain_free == expected.pain_free
            assert chart.data.weekly_median == expected.weekly_median
            assert chart.data.walks == expected.walks


async def test_a_range_not_read_yet_waits_for_its_walks(diary: Path) -> None:
    """Until the rest is read, a longer range says it is loading instead of drawing part."""
    app = make_app(diary)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrendScreen) and screen.cache is not None
        result, source, unit = screen.cache
        today = FIXED_NOW.date()
        since = trend_screen.covered_from("3m", today)
        part = ChartSource([p for p in source.points if p.walked_at.date() >= since], {})
        screen._loaded(result, part.prepare(), unit, since)
        screen.action_range("all")
        assert str(screen.query_one("#trend-status", Static).render()) == LOADING_TREND
        screen.action_range("4w")
        status = str(screen.query_one("#trend-status", Static).render())
        assert status.startswith("Everyday walks, 4 weeks")
