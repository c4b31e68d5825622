"""The trend chart (t), ranges 1-4, with the detector's status sentence above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from tracker.chart_data import RANGE_LABELS, ChartSource
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.trend_chart import TrendChart

if TYPE_CHECKING:
    from tracker.trend import TrendResult


class TrendScreen(TrackerScreen):
    BINDINGS = [
        Binding("escape", "app.dashboard", "Back"),
        Binding("1", "range('4w')", "4 weeks", show=False),
        Binding("2", "range('3m')", "3 months", show=False),
        Binding("3", "range('1y')", "1 year", show=False),
        Binding("4", "range('all')", "All", show=False),
        Binding("m", "next_method", "Method", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.range_key = "3m"
        self.method: str | None = None
        self.cache: tuple[TrendResult, ChartSource, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the trend…", id="trend-status")
        yield TrendChart(id="trend")
        yield Static(
            "• pain-free + maximum ^ no pain (at least) ⠤ weekly median ─ 200 m ▀ decline\n"
            "1 4 weeks · 2 3 months · 3 1 year · 4 all · m next method",
            classes="help-line",
            id="legend",
        )
        yield Footer(show_command_palette=False)

    def action_range(self, key: str) -> None:
        self.range_key = key
        self.draw()

    def action_next_method(self) -> None:
        from tracker.clinical import Method

        order = [m.value for m in Method]
        current = self.method or order[0]
        self.method = order[(order.index(current) + 1) % len(order)]
        self.reload()

    @work(thread=True, exclusive=True, group="trend")
    def reload(self) -> None:
        """Read once per change of data; switching ranges then works from memory."""
        from tracker.analysis import current_trend

        store = self.store
        if store is None:
            return
        today = self.tracker.now().date()
        result = current_trend(store, today, self.method)
        source = ChartSource(
            store.walk_points(None, today, method=result.method), store.cigarettes(None, today)
        ).prepare()
        unit = store.settings().unit
        self.app.call_from_thread(self._loaded, result, source, unit)

    def _loaded(self, result: TrendResult, source: ChartSource, unit: str) -> None:
        self.method = result.method
        self.cache = (result, source, unit)
        self.tracker.settle_memory()
        self.draw()

    def draw(self) -> None:
        from rich.markup import escape

        from tracker.chart_data import build_chart_data, range_start
        from tracker.clinical import METHOD_LABELS
        from tracker.wording import trend_summary

        if self.cache is None:
            return
        result, source, unit = self.cache
        today = self.tracker.now().date()
        start = range_start(self.range_key, today, source.points)
        columns = self.query_one("#trend-chart").size.width or 100
        data = build_chart_data(source, None, start, today, unit, result, max_points=2 * columns)
        label = METHOD_LABELS.get(result.method, result.method)
        thinned = f" (medians of {data.bucket_days} days)" if data.bucket_days > 1 else ""
        self.query_one("#trend-status", Static).update(
            f"[b]{label}s, {RANGE_LABELS[self.range_key]}{thinned}[/b] – "
            f"{escape(trend_summary(result, unit))}"
        )
        self.query_one(TrendChart).show(data)
