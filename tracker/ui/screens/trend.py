"""The trend chart (t): ranges 1-4, method m, maximum on/off x; the detector's status above."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tracker.domain.chart_data import (
    RANGE_LABELS,
    RANGES,
    ChartData,
    ChartSource,
    build_chart_data,
    marker_label,
    range_start,
)
from tracker.domain.clinical import Method
from tracker.domain.current_trend import current_trend
from tracker.domain.weekly import monday_of
from tracker.domain.wording import (
    LOADING_TREND,
    method_plural,
    no_method_walks_in_range,
    no_method_walks_yet,
    trend_summary,
)
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.trend_chart import MARKER_CHAR, TrendChart

if TYPE_CHECKING:
    from tracker.domain.chart_data import YAxis
    from tracker.domain.trend import TrendResult

RANGE_KEYS = (("1", "4w"), ("2", "3m"), ("3", "1y"), ("4", "all"))


def covered_from(range_key: str, today: date) -> date | None:
    """The first day a range's chart reads walks from: the Monday of its first week (its
    weekly medians need the whole week); None for every walk."""
    if RANGES[range_key] is None:
        return None
    return monday_of(range_start(range_key, today, ()))


def legend(data: ChartData, y: YAxis | None, show_max: bool, range_key: str) -> str:
    """What each mark means (only the marks drawn), then the keys, the current range bold."""

    marks = ["[cyan]●[/] pain-free"]
    if data.no_pain:
        marks.append("[green]▲[/] no pain (at least)")
    if show_max:
        marks.append("[orange1]+[/] maximum")
    if len(data.weekly_median) > 1:
        marks.append("[blue]⠒[/] weekly median")
    mark = marker_label(data.marker, data.unit)
    if y is None:
        marks.append(f"[red]{MARKER_CHAR}[/] {mark}")
    elif y.marker_shown:
        pass  # the marker's own y label names it
    elif data.marker > y.high:
        marks.append(f"{mark} mark: above the walks shown")
    else:
        marks.append(f"{mark} mark: below the walks shown")
    if data.decline_weeks:
        marks.append("[red]▀[/] decline")
    if data.status_changes:
        marks.append("[yellow]▼[/] smoking status")
    if any(m.change_point for m in data.events):
        marks.append("┃ procedure")
    if any(not m.change_point for m in data.events):
        marks.append("[grey50]│[/] event")
    keys = [
        f"[b]\\[{k}] {RANGE_LABELS[r]}[/b]" if r == range_key else f"\\[{k}] {RANGE_LABELS[r]}"
        for k, r in RANGE_KEYS
    ]
    keys.append("\\[x] maximum: " + ("on" if show_max else "off"))
    keys.append("\\[m] method")
    return "  ".join(marks) + "\n" + "  ".join(keys)


class TrendScreen(TrackerScreen):
    HELP_TITLE = "Trend chart (t)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("1", "range('4w')", "4 weeks", show=False),
        Binding("2", "range('3m')", "3 months", show=False),
        Binding("3", "range('1y')", "1 year", show=False),
        Binding("4", "range('all')", "All", show=False),
        Binding("m", "next_method", "Method", show=False),
        Binding("x", "toggle_max", "Maximum on/off", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.range_key = "3m"
        self.method: str | None = None
        self.show_max = True
        self.cache: tuple[TrendResult, ChartSource, str] | None = None
        self.covered: date | None = None
        """The first day the cached walks cover (None: all of them)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(LOADING_TREND, id="trend-status")
        yield TrendChart(id="trend")
        yield Static("", classes="help-line", id="legend")
        yield Footer(show_command_palette=False)

    def action_range(self, key: str) -> None:
        self.range_key = key
        self.draw()

    def action_toggle_max(self) -> None:
        self.show_max = not self.show_max
        self.draw()

    def action_next_method(self) -> None:
        order = [m.value for m in Method]
        current = self.method or order[0]
        self.method = order[(order.index(current) + 1) % len(order)]
        self.reload()

    @work(thread=True, exclusive=True, group="trend")
    def reload(self) -> None:
        """Read once per change of data; switching ranges then works from memory. The range on
        screen is read first and drawn, then every walk for the other ranges (a long diary's
        ten years of walks cost seconds). The trend is the dashboard's when it is current."""

        store = self.store
        if store is None:
            return
        today = self.tracker.now().date()
        result = self.tracker.kept_trend(today, self.method) or current_trend(
            store, today, self.method
        )
        changes = [(s.since, s.status) for s in store.smoking_history()]
        cigarettes = store.cigarettes(None, today)
        events = store.events(until=today)
        unit = store.settings().unit
        worker = get_current_worker()
        first = covered_from(self.range_key, today)
        for since in (first, None) if first is not None else (None,):
            source = ChartSource(
                store.walk_points(since, today, method=result.method),
                cigarettes,
                changes,
                result.method,
                events,
            ).prepare()
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._loaded, result, source, unit, since)

    def _loaded(
        self, result: TrendResult, source: ChartSource, unit: str, since: date | None
    ) -> None:
        self.method = result.method
        self.cache = (result, source, unit)
        self.covered = since
        self.tracker.settle_memory()
        self.draw()

    def draw(self) -> None:
        if self.cache is None:
            return
        result, source, unit = self.cache
        today = self.tracker.now().date()
        if self.covered is not None:
            needed = covered_from(self.range_key, today)
            if needed is None or needed < self.covered:
                # the walks of this range are still being read; drawn when they arrive
                self.query_one("#trend-status", Static).update(LOADING_TREND)
                return
        start = range_start(self.range_key, today, source.points)
        columns = self.query_one("#trend-chart").size.width or 100
        data = build_chart_data(source, None, start, today, unit, result, max_points=2 * columns)
        plural = method_plural(result.method)
        thinned = f" (medians of {data.bucket_days} days)" if data.bucket_days > 1 else ""
        self.query_one("#trend-status", Static).update(
            f"[b]{plural.capitalize()}, {RANGE_LABELS[self.range_key]}{thinned}[/b] – "
            f"{escape(trend_summary(result, unit))}"
        )
        empty = None
        if not source.points:
            empty = no_method_walks_yet(plural)
        elif data.walks == 0:
            empty = no_method_walks_in_range(plural, RANGE_LABELS[self.range_key])
        chart = self.query_one(TrendChart)
        chart.show(data, show_max=self.show_max, empty=escape(empty) if empty else None)
        self.query_one("#legend", Static).update(
            legend(data, chart.y if empty is None else None, self.show_max, self.range_key)
        )
