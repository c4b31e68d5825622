"""Pain-free and maximum distance over time, drawn with plotext; cigarettes in a strip below."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.containers import Vertical
from textual_plotext import PlotextPlot

from tracker.chart_data import ChartData


def _x(start: date, day: date) -> float:
    return float((day - start).days)


def _ticks(data: ChartData, count: int = 5) -> tuple[list[float], list[str]]:
    span = max((data.end - data.start).days, 1)
    step = max(span // (count - 1), 1)
    days = [data.start + timedelta(days=i) for i in range(0, span + 1, step)]
    fmt = "%d %b" if span <= 120 else "%b %y"
    return [_x(data.start, d) for d in days], [d.strftime(fmt) for d in days]


class TrendChart(Vertical):
    """Two plots sharing the x axis: distances above, cigarettes a day beneath."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: ChartData | None = None

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="trend-chart")
        yield PlotextPlot(id="smoke-strip")

    def show(self, data: ChartData) -> None:
        self.data = data
        self._draw_distances(data)
        self._draw_smoking(data)

    def _draw_distances(self, data: ChartData) -> None:
        plot = self.query_one("#trend-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        s = data.start
        ticks, labels = _ticks(data)
        values = [v for _, v in (*data.pain_free, *data.maximum, *data.no_pain)]
        top = max([*values, data.marker * 1.2]) * 1.05
        if data.decline_weeks:
            xs: list[float] = []
            for week_end in data.decline_weeks:
                xs.extend(_x(s, week_end - timedelta(days=k)) for k in range(7))
            xs = [x for x in xs if x >= 0]
            if xs:
                plt.scatter(xs, [top * 0.98] * len(xs), marker="▀", color="red")
        for series, marker, color in (
            (data.maximum, "+", "orange"),
            (data.pain_free, "•", "cyan"),
            (data.no_pain, "^", "green"),
        ):
            if series:
                plt.scatter(
                    [_x(s, d) for d, _ in series],
                    [v for _, v in series],
                    marker=marker,
                    color=color,
                )
        if len(data.weekly_median) > 1:
            plt.plot(
                [_x(s, d) for d, _ in data.weekly_median],
                [v for _, v in data.weekly_median],
                color="cyan",
                marker="braille",
            )
        plt.hline(data.marker, "red")
        plt.xticks(ticks, labels)
        plt.xlim(0, max((data.end - s).days, 1))
        plt.ylim(0, top)
        plt.ylabel(data.unit)
        plot.refresh()

    def _draw_smoking(self, data: ChartData) -> None:
        plot = self.query_one("#smoke-strip", PlotextPlot)
        plot.display = bool(data.cigarettes)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if data.cigarettes:
            plt.bar(
                [_x(data.start, d) for d, _ in data.cigarettes],
                [n for _, n in data.cigarettes],
                color="magenta",
                width=0.5,
            )
            plt.xlim(0, max((data.end - data.start).days, 1))
            plt.xticks([], [])
            plt.ylabel("cig/day")
        plot.refresh()
