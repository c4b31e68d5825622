"""The numbers a trend chart draws, prepared once for the terminal chart and the PDF chart:
points, the weekly median (from the shared weekly aggregate), the 200 m marker, cigarettes and
smoking-status changes, and the axes (round ticks in the preferred unit, month names)."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.domain.clinical import PAIN_FREE_MARKER_M
from tracker.domain.stats import median
from tracker.domain.treatment import ChartMarker, chart_markers
from tracker.domain.units import Unit, to_unit
from tracker.domain.weekly import WeekStats, weekly_stats

if TYPE_CHECKING:
    from tracker.domain.events import StoredEvent
    from tracker.domain.trend import TrendResult
    from tracker.domain.walks import WalkPoint

RANGES: dict[str, int | None] = {"4w": 28, "3m": 91, "1y": 365, "all": None}
RANGE_LABELS = {"4w": "4 weeks", "3m": "3 months", "1y": "1 year", "all": "all"}


@dataclass(frozen=True)
class ChartData:
    """Distances already in the display unit; x values are dates."""

    unit: str
    start: date
    end: date
    pain_free: tuple[tuple[date, float], ...]
    maximum: tuple[tuple[date, float], ...]
    no_pain: tuple[tuple[date, float], ...]
    weekly_median: tuple[tuple[date, float], ...]
    marker: float
    cigarettes: tuple[tuple[date, int], ...]
    decline_weeks: tuple[date, ...]
    """Sundays ending weeks the detector flagged as a decline."""
    bucket_days: int = 1
    """1: every walk is drawn; more: points are medians of runs of this many days."""
    status_changes: tuple[tuple[date, str], ...] = ()
    """Smoking status recorded from this day on (within the range)."""
    walks: int = 0
    """Walks of the method in the range (with and without pain)."""
    events: tuple[ChartMarker, ...] = ()
    """Treatment events in the range: a vertical line with a one-word label each."""


MAX_CHART_POINTS = 600
"""More points than this cannot be told apart on a terminal chart (or a PDF figure): longer
ranges are drawn as per-bucket medians of equal-length runs of days."""


MAX_LINE_POINTS = 200
"""The weekly-median line is smooth enough with this many points on any screen."""


def _bucketed(
    rows: Sequence[tuple[date, float]], start: date, bucket_days: int, pick: str
) -> tuple[tuple[date, float], ...]:
    if bucket_days <= 1:
        return tuple(rows)
    groups: dict[int, list[float]] = {}
    for d, v in rows:
        groups.setdefault((d - start).days // bucket_days, []).append(v)
    agg = max if pick == "max" else median
    return tuple(
        (start + timedelta(days=k * bucket_days + bucket_days // 2), agg(vs))
        for k, vs in sorted(groups.items())
    )


@dataclass(frozen=True)
class DaySummary:
    day: date
    pain_free_m: float | None
    """Median of the day's walks with pain."""
    max_m: float | None
    no_pain_m: float | None
    """Longest walk of the day that ended without pain."""


def daily_summary(points: Sequence[WalkPoint]) -> list[DaySummary]:
    """One row per day with walks; computed once when a log is too dense to draw walk by walk."""
    days: dict[date, tuple[list[float], list[float], list[float]]] = {}
    for p in points:
        exact, maxima, censored = days.setdefault(p.walked_at.date(), ([], [], []))
        if p.no_pain:
            censored.append(p.pain_free_m)
        else:
            exact.append(p.pain_free_m)
            if p.max_m:
                maxima.append(p.max_m)
    return [
        DaySummary(
            d,
            median(e) if e else None,
            median(m) if m else None,
            max(c) if c else None,
        )
        for d, (e, m, c) in days.items()
    ]


@dataclass
class ChartSource:
    """One method's walks, sorted, with the per-day summary and the weekly rows made on demand
    (in a worker), so switching ranges only slices."""

    points: Sequence[WalkPoint]
    cigarettes: dict[date, int]
    status_changes: Sequence[tuple[date, str]] = ()
    method: str | None = None
    """None: the method of the first point (all points are of one method)."""
    events: Sequence[StoredEvent] = ()
    _daily: list[DaySummary] | None = None
    _weekly: list[WeekStats] | None = field(default=None, repr=False)

    @property
    def daily(self) -> list[DaySummary]:
        if self._daily is None:
            self._daily = daily_summary(self.points)
        return self._daily

    @property
    def weekly(self) -> list[WeekStats]:
        if self._weekly is None:
            method = self.method or (self.points[0].method if self.points else "walk")
            self._weekly = weekly_stats(self.points, method)
        return self._weekly

    def prepare(self) -> ChartSource:
        if len(self.points) > MAX_CHART_POINTS:
            _ = self.daily
        _ = self.weekly
        return self


def build_chart_data(
    source: ChartSource | Sequence[WalkPoint],
    cigarettes: dict[date, int] | None,
    start: date,
    end: date,
    unit: str,
    trend: TrendResult | None = None,
    *,
    max_points: int = MAX_CHART_POINTS,
) -> ChartData:
    """Chart numbers for [start, end]; points must be sorted by time (as the store returns
    them). Ranges with more than `max_points` walks are drawn from the per-day summary, in
    runs of days if need be (a terminal chart asks for about two points per column: more
    cannot be told apart, and each costs drawing time)."""
    if not isinstance(source, ChartSource):
        source = ChartSource(source, cigarettes or {})
    cigarettes = cigarettes if cigarettes is not None else source.cigarettes

    def u(m: float) -> float:
        return round(to_unit(m, unit), 3)

    points = source.points
    lo = bisect_left(points, datetime.combine(start, datetime.min.time()), key=_time)
    hi = bisect_right(points, datetime.combine(end, datetime.max.time()), key=_time)
    span = (end - start).days + 1
    if hi - lo <= max_points:
        inside = points[lo:hi]
        exact = [(p.walked_at.date(), p.pain_free_m) for p in inside if not p.no_pain]
        maxima = [(p.walked_at.date(), p.max_m) for p in inside if not p.no_pain and p.max_m]
        censored = [(p.walked_at.date(), p.pain_free_m) for p in inside if p.no_pain]
        bucket = 1
    else:
        days = [d for d in source.daily if start <= d.day <= end]
        exact = [(d.day, d.pain_free_m) for d in days if d.pain_free_m is not None]
        maxima = [(d.day, d.max_m) for d in days if d.max_m is not None]
        censored = [(d.day, d.no_pain_m) for d in days if d.no_pain_m is not None]
        bucket = max(1, -(-span // max_points))
    weekly = [
        (w.week_start + timedelta(days=3), w.median_pf_m)
        for w in source.weekly
        if w.median_pf_m is not None and start <= w.week_start + timedelta(days=3) <= end
    ]
    line_points = min(MAX_LINE_POINTS, max_points)
    if len(weekly) > line_points:
        weekly = list(_bucketed(weekly, start, -(-span // line_points), "median"))

    def scaled(rows: Sequence[tuple[date, float]]) -> tuple[tuple[date, float], ...]:
        return tuple((d, u(v)) for d, v in rows)

    cigs = sorted((d, n) for d, n in cigarettes.items() if start <= d <= end)
    return ChartData(
        unit=unit,
        start=start,
        end=end,
        pain_free=scaled(_bucketed(exact, start, bucket, "median")),
        maximum=scaled(_bucketed(maxima, start, bucket, "median")),
        no_pain=scaled(_bucketed(censored, start, bucket, "max")),
        weekly_median=scaled(weekly),
        marker=u(PAIN_FREE_MARKER_M),
        cigarettes=tuple(
            (d, round(v))
            for d, v in _bucketed([(d, float(n)) for d, n in cigs], start, bucket, "median")
        ),
        decline_weeks=tuple(d for d in (trend.decline_weeks if trend else ()) if d >= start),
        bucket_days=bucket,
        status_changes=tuple((d, st) for d, st in source.status_changes if start <= d <= end),
        walks=hi - lo,
        events=_markers(source.events, start, end),
    )


def _markers(events: Sequence[StoredEvent], start: date, end: date) -> tuple[ChartMarker, ...]:
    return chart_markers(events, start, end) if events else ()


def _time(p: WalkPoint) -> datetime:
    return p.walked_at


def range_start(range_key: str, today: date, points: Sequence[WalkPoint]) -> date:
    """First day of a range; 'all' starts at the first walk."""
    days = RANGES[range_key]
    if days is None:
        return points[0].walked_at.date() if points else today - timedelta(days=27)
    return today - timedelta(days=days - 1)


# --- axes ------------------------------------------------------------------------------------
TICK_STEPS: dict[str, tuple[float, ...]] = {
    Unit.M: (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000),
    Unit.KM: (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10),
    Unit.YD: (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000),
    Unit.MI: (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5),
}
"""Round tick steps per unit, finest first (50 or 100 m, 0.1 km, 100 yd, 0.1 mi)."""

MAX_UNUSED_HEIGHT = 0.15
"""Ticks sit on whole rows; the range above the data this stretching adds stays below this
share of the chart, or a coarser step is taken."""
MARKER_REACH = 1.5
"""The 200 m marker joins the y range when it lies within this factor of the data."""


def axis_number(value: float, unit: str, step: float | None = None) -> str:
    """A tick or marker value without the unit: whole metres and yards; km and miles with as
    many decimals as the step (or the value) needs."""
    if unit in (Unit.M, Unit.YD):
        return f"{value:.0f}"
    decimals = 2 if step is not None and round(step * 100) % 10 else 1
    if step is None:
        decimals = 2 if round(value * 100) % 10 else 1
    return f"{value:.{decimals}f}"


def marker_label(marker: float, unit: str) -> str:
    """The 200 m marker in the preferred unit: "200 m", "0.2 km", "219 yd", "0.12 mi"."""
    return f"{axis_number(marker, unit)} {unit}"


@dataclass(frozen=True)
class YAxis:
    low: float
    high: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]
    step: float
    marker_shown: bool
    """False when the marker lies far outside the walks shown (the legend then says where)."""


def y_axis(values: Sequence[float], marker: float, unit: str, rows: int = 11) -> YAxis:
    """A y range spanning the shown values (and the marker when it is near them), with round
    ticks in the preferred unit on a chart `rows` cells high: at least two rows per tick, and
    every tick exactly on a row (the range is stretched above to a whole number of rows)."""
    lo = min(values) if values else marker
    hi = max(values) if values else marker
    marker_shown = lo / MARKER_REACH <= marker <= hi * MARKER_REACH
    if marker_shown:
        lo, hi = min(lo, marker), max(hi, marker)
    rows = max(rows, 3)
    steps = TICK_STEPS.get(unit, TICK_STEPS[Unit.M])
    layouts = []
    for step in steps:
        low = math.floor(lo / step + 1e-9) * step
        n = max(1, math.ceil((hi - low) / step - 1e-9))
        if n > (rows - 1) // 2 and step != steps[-1]:
            continue  # fewer than two rows per tick
        per_step = max(1, (rows - 1) // n)
        high = low + (rows - 1) * step / per_step
        layouts.append((step, low, high, (high - low - n * step) / (high - low)))
    # the finest step whose stretch to whole rows wastes little height, else the least waste
    good = [x for x in layouts if x[3] <= MAX_UNUSED_HEIGHT]
    step, low, high, _ = good[0] if good else min(layouts, key=lambda x: x[3])
    ticks = tuple(round(low + k * step, 6) for k in range(int((high - low) / step + 1e-9) + 1))
    return YAxis(
        low=low,
        high=high,
        ticks=ticks,
        labels=tuple(axis_number(t, unit, step) for t in ticks),
        step=step,
        marker_shown=marker_shown,
    )


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def x_ticks(start: date, end: date, max_ticks: int) -> list[tuple[date, str]]:
    """Dates to label: Mondays ("16 Nov") on ranges up to 4 months, else the first of months
    with the year ("Mar 2026"); at most `max_ticks`, evenly spaced."""
    max_ticks = max(max_ticks, 2)
    span = (end - start).days
    if span <= 124:
        mondays = [
            start + timedelta(days=k)
            for k in range(span + 1)
            if (start + timedelta(days=k)).weekday() == 0
        ]
        every = max(1, -(-len(mondays) // max_ticks))
        return [(d, f"{d.day} {d:%b}") for d in mondays[::every]]
    months: list[date] = []
    d = date(start.year, start.month, 1)
    while d <= end:
        if d >= start:
            months.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    for step in MONTH_STEPS:
        chosen = [m for m in months if (m.year * 12 + m.month - 1) % step == 0]
        if len(chosen) <= max_ticks:
            break
    return [(m, f"{m:%b %Y}") for m in chosen]
