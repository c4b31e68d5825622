"""The trend chart (t), ranges 1-4, with the detector's status sentence above it."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from tracker.chart_data import RANGE_LABELS, ChartData
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.trend_chart import TrendChart


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
        self.reload()

    def action_next_method(self) -> None:
        from tracker.clinical import Method

        order = [m.value for m in Method]
        current = self.method or order[0]
        self.method = order[(order.index(current) + 1) % len(order)]
        self.reload()

    @work(thread=True, exclusive=True, group="trend")
    def reload(self) -> None:
        from tracker.analysis import current_trend
        from tracker.chart_data import load_chart_data
        from tracker.wording import trend_status_sentence

        store = self.store
        if store is None:
            return
        today = self.tracker.now().date()
        data = load_chart_data(store, self.range_key, today, self.method)
        result = current_trend(store, today, self.method)
        self.method = result.method
        sentence = trend_status_sentence(result, data.unit)
        self.app.call_from_thread(self._show, data, result.method, result.status, sentence)

    def _show(self, data: ChartData, method: str, status: str, sentence: str) -> None:
        from tracker.clinical import METHOD_LABELS

        label = METHOD_LABELS.get(method, method)
        self.query_one("#trend-status", Static).update(
            f"[b]{label}s, {RANGE_LABELS[self.range_key]}[/b] – {status}: {sentence}"
        )
        self.query_one(TrendChart).show(data)
