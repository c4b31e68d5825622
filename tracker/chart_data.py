"""The numbers a trend chart draws, prepared once for the terminal chart and the PDF chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.clinical import PAIN_FREE_MARKER_M
from tracker.store import Store, WalkPoint
from tracker.trend import TrendResult, weekly_medians
from tracker.units import to_unit

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


def build_chart_data(
    points: Sequence[WalkPoint],
    cigarettes: dict[date, int],
    start: date,
    end: date,
    unit: str,
    trend: TrendResult | None = None,
) -> ChartData:
    def u(m: float) -> float:
        return round(to_unit(m, unit), 3)

    inside = [p for p in points if start <= p.walked_at.date() <= end]
    weeks = weekly_medians(inside, start, end)
    return ChartData(
        unit=unit,
        start=start,
        end=end,
        pain_free=tuple((p.walked_at.date(), u(p.pain_free_m)) for p in inside if not p.no_pain),
        maximum=tuple(
            (p.walked_at.date(), u(p.max_m)) for p in inside if not p.no_pain and p.max_m
        ),
        no_pain=tuple((p.walked_at.date(), u(p.pain_free_m)) for p in inside if p.no_pain),
        weekly_median=tuple(
            (w.week_start + timedelta(days=3), u(w.median_m))
            for w in weeks
            if w.median_m is not None
        ),
        marker=u(PAIN_FREE_MARKER_M),
        cigarettes=tuple(sorted((d, n) for d, n in cigarettes.items() if start <= d <= end)),
        decline_weeks=tuple(d for d in (trend.decline_weeks if trend else ()) if d >= start),
    )


def load_chart_data(store: Store, range_key: str, today: date, method: str | None) -> ChartData:
    """Read the walks of one method for a range (columns only, no ORM objects)."""
    from tracker.analysis import current_trend

    days = RANGES[range_key]
    unit = store.settings().unit
    trend = current_trend(store, today, method)
    if days is None:
        points = store.walk_points(None, today, method=trend.method)
        start = points[0].walked_at.date() if points else today - timedelta(days=27)
    else:
        start = today - timedelta(days=days - 1)
        points = store.walk_points(start, today, method=trend.method)
    return build_chart_data(points, store.cigarettes(start, today), start, today, unit, trend)
