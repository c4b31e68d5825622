"""Reads what the trend needs from the store, so CLI, TUI, review and exports ask one place."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from tracker.domain.clinical import (
    CUSUM_SIGMA_DAYS,
    STATUS_HISTORY_WEEKS,
    TREND_WINDOW_DAYS,
    Method,
)
from tracker.domain.diary import Diary
from tracker.domain.treatment import trend_walks
from tracker.domain.trend import TrendResult, analyse

HISTORY_DAYS = 7 * STATUS_HISTORY_WEEKS + CUSUM_SIGMA_DAYS + 14
"""Enough walks for the weekly status history plus the CUSUM's 26-week noise window."""


def main_method(diary: Diary, as_of: date) -> str:
    """The method with most walks in the last 12 weeks (everyday walks when there are none)."""
    points = diary.walk_points(as_of - timedelta(days=TREND_WINDOW_DAYS), as_of)
    counts = Counter(p.method for p in points)
    return counts.most_common(1)[0][0] if counts else Method.WALK.value


def methods_in_use(diary: Diary, as_of: date) -> dict[str, int]:
    points = diary.walk_points(as_of - timedelta(days=TREND_WINDOW_DAYS), as_of)
    return dict(Counter(p.method for p in points).most_common())


def current_trend(diary: Diary, as_of: date, method: str | None = None) -> TrendResult:
    method = method or main_method(diary, as_of)
    walks = diary.walk_points(as_of - timedelta(days=HISTORY_DAYS), as_of, method=method)
    cigarettes = diary.cigarettes(as_of - timedelta(days=2 * TREND_WINDOW_DAYS + 7), as_of)
    walks, change_point = trend_walks(walks, diary.events(until=as_of), as_of, HISTORY_DAYS)
    result = analyse(
        walks, as_of, method=method, cigarettes=cigarettes, smoking=diary.smoking_history()
    )
    return result if change_point is None else replace(result, change_point=change_point)
