"""Pain-free and maximum distance over time, drawn with plotext; cigarettes in a strip below.

Drawing order is the point: the 200 m marker (dotted) and the weekly-median line (thin braille)
go first, then the walks, so no walk is hidden under a line. Both plots use the same y-label
width and x range, so a cigarette bar sits under the walks of its day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tracker.domain.chart_data import ChartData, YAxis, marker_label, x_ticks, y_axis

POINT_SERIES: tuple[tuple[str, str, str], ...] = (
    ("maximum", "+", "orange"),
    ("no_pain", "▲", "green"),
    ("pain_free", "●", "cyan"),
)
"""(ChartData field, marker, colour) in drawing order: pain-free walks end on top."""
MARKER_CHAR = "┄"
EVENT_LINE = ("│", "gray")
PROCEDURE_LINE = ("┃", "default")
"""A treatment event is a thin grey line; a procedure (a new level) a heavy one."""
EVENT_LABEL_ROWS = 2
"""Labels sit in the top rows, each right of its line (left when it would run off the chart);
one that fits in neither row is left out (its line stays)."""
MEDIAN_COLOR = "blue+"
BLOCKS = " ▁▂▃▄▅▆▇█"
STRIP_ROWS = 3
"""Top row: smoking-status changes; two rows of bars (16 levels: tells 2 from 20)."""


def _x(start: date, day: date) -> float:
    return float((day - start).days)


def cell(value: float, low: float, high: float, cells: int) -> int:
    """plotext's own mapping from a value to a cell (plotext._utility.get_matrix_data)."""
    return math.floor(round(0.5 + (cells - 1) * (value - low) / (high - low), 8))


class TrendChart(Vertical):
    """Two plots sharing the x axis: distances above, cigarettes a day beneath."""

    DEFAULT_CSS = """
    TrendChart { height: 1fr; }
    TrendChart #chart-empty { height: 1fr; padding: 1 2; content-align: center middle; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: ChartData | None = None
        self.show_max = True
        self.y: YAxis | None = None
        self.label_width = 0
        self.empty: str | None = None
        self._drawn_for: tuple[int, int] | None = None
        self.event_labels: list[str] = []
        """The event labels the last drawing found room for."""
        """The chart's size when its axes were computed; another size means a redraw."""

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="trend-chart")
        yield PlotextPlot(id="smoke-strip")
        yield Static("", id="chart-empty")

    def on_mount(self) -> None:
        self.query_one("#chart-empty").display = False

    def show(self, data: ChartData, *, show_max: bool = True, empty: str | None = None) -> None:
        """Draw `data`; with `empty`, say that instead of drawing empty axes."""
        self.data = data
        self.show_max = show_max
        self.empty = empty
        chart = self.query_one("#trend-chart", PlotextPlot)
        strip = self.query_one("#smoke-strip", PlotextPlot)
        note = self.query_one("#chart-empty", Static)
        note.display = empty is not None
        chart.display = empty is None
        if empty is not None:
            strip.display = False
            note.update(empty)
            return
        self._draw_distances(data)
        self._draw_smoking(data)
        self.call_after_refresh(self._check_size)

    def on_resize(self, _: events.Resize) -> None:
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        """Axes are laid out for the plot's size (ticks on whole rows, strip columns under the
        walks): when the layout has changed it since, draw again."""
        plot = self.query_one("#trend-chart", PlotextPlot)
        if self.data is not None and self.empty is None and self._drawn_for != tuple(plot.size):
            self._draw_distances(self.data)
            self._draw_smoking(self.data)

    def _canvas_width(self, plot: PlotextPlot) -> int:
        return max(plot.size.width - self.label_width - 1, 2)

    def _draw_distances(self, data: ChartData) -> None:
        plot = self.query_one("#trend-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        s = data.start
        span = max((data.end - s).days, 1)
        shown = [n for n, _, _ in POINT_SERIES if n != "maximum" or self.show_max]
        values = [v for n in shown for _, v in getattr(data, n)]
        self._drawn_for = (plot.size.width, plot.size.height)
        rows = max(plot.size.height - 4, 3)  # title, frame (2) and the x labels take 4 rows
        y = y_axis(values, data.marker, data.unit, rows)
        ticks, labels = list(y.ticks), list(y.labels)
        if y.marker_shown:
            marker_row = cell(data.marker, y.low, y.high, rows)
            keep = [cell(t, y.low, y.high, rows) != marker_row for t in ticks]
            ticks = [t for t, k in zip(ticks, keep, strict=True) if k] + [data.marker]
            labels = [t for t, k in zip(labels, keep, strict=True) if k] + [
                marker_label(data.marker, data.unit)
            ]
        self.y = y
        self.label_width = max(len(t) for t in labels)
        width = self._canvas_width(plot)
        plt.xaxes(True, True)
        plt.yaxes(True, False)
        if data.decline_weeks:
            xs: list[float] = []
            for week_end in data.decline_weeks:
                xs.extend(_x(s, week_end - timedelta(days=k)) for k in range(7))
            xs = [x for x in xs if x >= 0]
            if xs:
                plt.scatter(xs, [y.high] * len(xs), marker="▀", color="red")
        if y.marker_shown:
            plt.scatter(
                [k * span / (width - 1) for k in range(width)],
                [data.marker] * width,
                marker=MARKER_CHAR,
                color="red",
            )
        self.event_labels = self._draw_events(data, y, rows, width)
        if len(data.weekly_median) > 1:
            plt.plot(
                [_x(s, d) for d, _ in data.weekly_median],
                [v for _, v in data.weekly_median],
                color=MEDIAN_COLOR,
                marker="braille",
            )
        for name, marker, color in POINT_SERIES:
            series: Sequence[tuple[date, float]] = getattr(data, name)
            if series and name in shown:
                plt.scatter(
                    [_x(s, d) for d, _ in series],
                    [v for _, v in series],
                    marker=marker,
                    color=color,
                )
        tick_days = x_ticks(s, data.end, max(2, width // 11))
        plt.xticks([_x(s, d) for d, _ in tick_days], [t for _, t in tick_days])
        plt.xlim(0, span)
        plt.ylim(y.low, y.high)
        plt.yticks(ticks, [t.rjust(self.label_width) for t in labels])
        what = "pain-free and maximum distance" if self.show_max else "pain-free distance"
        plt.title(f"{what}, {data.unit}")
        plot.refresh()

    def _draw_events(self, data: ChartData, y: YAxis, rows: int, width: int) -> list[str]:
        """Vertical lines before the walks (a walk is never hidden under one), labels on top."""
        plt = self.query_one("#trend-chart", PlotextPlot).plt
        span = max((data.end - data.start).days, 1)
        row_values = [y.low + k * (y.high - y.low) / (rows - 1) for k in range(rows)]
        taken: list[list[tuple[int, int]]] = [[] for _ in range(EVENT_LABEL_ROWS)]
        placed: list[str] = []
        for m in data.events:
            x = _x(data.start, m.day)
            char, color = PROCEDURE_LINE if m.change_point else EVENT_LINE
            plt.scatter([x] * rows, row_values, marker=char, color=color)
            col = cell(x, 0, span, width)
            first = col + 1 if col + 1 + len(m.label) <= width else col - len(m.label)
            if first < 0:
                continue
            cells = (first - 1, first + len(m.label))  # a blank cell either side
            for row, used in enumerate(taken):
                if all(cells[1] < a or cells[0] > b for a, b in used):
                    used.append(cells)
                    plt.text(
                        m.label,
                        first * span / (width - 1),
                        row_values[rows - 1 - row],
                        color=color,
                        background="default",
                        style="bold" if m.change_point else None,
                        alignment="left",
                    )
                    placed.append(m.label)
                    break
        return placed

    def strip_cells(self, data: ChartData, width: int) -> dict[int, float]:
        """Mean cigarettes a day per strip column: a day fills the columns up to the next
        day's (no gaps between logged days); days sharing a column are averaged."""
        span = max((data.end - data.start).days, 1)
        step = data.bucket_days
        groups: dict[int, list[int]] = {}
        for d, n in data.cigarettes:
            x = _x(data.start, d)
            first = cell(x, 0, span, width)
            last = max(first, cell(min(x + step, span), 0, span, width) - 1)
            for c in range(first, min(last, width - 1) + 1):
                groups.setdefault(c, []).append(n)
        return {c: sum(ns) / len(ns) for c, ns in groups.items()}

    def _draw_smoking(self, data: ChartData) -> None:
        plot = self.query_one("#smoke-strip", PlotextPlot)
        plot.display = bool(data.cigarettes or data.status_changes)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if not plot.display:
            plot.refresh()
            return
        span = max((data.end - data.start).days, 1)
        width = self._canvas_width(plot)
        per_cell = self.strip_cells(data, width)
        top = max(per_cell.values(), default=0.0)
        rows: tuple[list[float], list[float], list[str]] = ([], [], [])
        xs, ys, marks = rows
        for c, v in sorted(per_cell.items()):
            level = 0 if v <= 0 else max(1, round(v / top * 16))
            x = c * span / (width - 1)
            if level == 0:
                xs.append(x)
                ys.append(0)
                marks.append("·")
                continue
            xs.append(x)
            ys.append(0)
            marks.append(BLOCKS[min(level, 8)])
            if level > 8:
                xs.append(x)
                ys.append(1.5)
                marks.append(BLOCKS[level - 8])
        if xs:
            plt.scatter(xs, ys, marker=marks, color="magenta")  # type: ignore[arg-type]  # plotext takes a marker per point
        for d, status in data.status_changes:
            x = _x(data.start, d)
            plt.scatter([x], [3], marker="▼", color="yellow")
            plt.text(status, x + span / (width - 1), 3, color="yellow", alignment="left")
        plt.xaxes(False, False)
        plt.yaxes(True, False)
        plt.xlim(0, span)
        plt.ylim(0, 3)
        plt.xticks([], [])
        w = self.label_width
        top_text = f"{top:.0f}" if top == int(top) else f"{top:.1f}"
        plt.yticks([1.5, 3], [top_text.rjust(w)[-w:], "cig/d".rjust(w)[-max(w, 1) :]])
        plot.refresh()
