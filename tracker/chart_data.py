"""The numbers a trend chart draws, prepared once for the terminal chart and the PDF chart."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.clinical import PAIN_FREE_MARKER_M
from tracker.stats import median
from tracker.units import to_unit

if TYPE_CHECKING:
    from tracker.store import WalkPoint
    from tracker.trend import TrendResult

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
    """One method's walks, sorted, with the per-day summary made on demand (in a worker)."""

    points: Sequence[WalkPoint]
    cigarettes: dict[date, int]
    _daily: list[DaySummary] | None = None

    @property
    def daily(self) -> list[DaySummary]:
        if self._daily is None:
            self._daily = daily_summary(self.points)
        return self._daily

    def prepare(self) -> ChartSource:
        if len(self.points) > MAX_CHART_POINTS:
            _ = self.daily
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
    weekly: list[tuple[date, float]] = []
    monday = start - timedelta(days=start.weekday())
    i = 0
    while monday <= end:
        sunday = monday + timedelta(days=6)
        values = []
        while i < len(exact) and exact[i][0] <= sunday:
            if exact[i][0] >= monday:
                values.append(exact[i][1])
            i += 1
        if values:
            weekly.append((monday + timedelta(days=3), median(values)))
        monday += timedelta(days=7)
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
    )


def _time(p: WalkPoint) -> datetime:
    return p.walked_at


def range_start(range_key: str, today: date, points: Sequence[WalkPoint]) -> date:
    """First day of a range; 'all' starts at the first walk."""
    days = RANGES[range_key]
    if days is None:
        return points[0].walked_at.date() if points else today - timedelta(days=27)
    return today - timedelta(days=days - 1)
