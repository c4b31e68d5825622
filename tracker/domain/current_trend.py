"""Reads what the trend needs from the store, so CLI, TUI, review and exports ask one place."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from tracker.domain.clinical import (
    METHOD_RECENT_WALKS,
    NOISE_FIRST_DAYS,
    REFERENCE_FIRST_DAYS,
    REFERENCE_LAST_DAYS,
    SEASON_FIT_DAYS,
    SEASON_MIN_DAYS,
    STATUS_HISTORY_WEEKS,
    TREND_WINDOW_DAYS,
    Method,
)
from tracker.domain.diary import Diary
from tracker.domain.treatment import trend_walks
from tracker.domain.trend import Status, TrendResult, analyse, trend_status_on

HISTORY_DAYS = (
    7 * STATUS_HISTORY_WEEKS
    + 7
    + 21
    + max(
        REFERENCE_FIRST_DAYS,
        NOISE_FIRST_DAYS,
        REFERENCE_LAST_DAYS + SEASON_FIT_DAYS + 6,
        SEASON_MIN_DAYS,
    )
)
"""Enough walks for the daily status history (26 weeks), each day's weekly estimates (back to
the last Sunday, and to the start of its 4-week block for the scatter and the seasonal
pattern), their windows, and whether 15 months of walks exist for the seasonal pattern."""


def main_method(diary: Diary, as_of: date) -> str:
    """The method the patient currently uses: the most common among the last 5 walks up to
    as_of (on a tie, the latest walk's); everyday walks when there are none."""
    recent = diary.walks(None, as_of, newest_first=True, limit=METHOD_RECENT_WALKS)
    if not recent:
        return Method.WALK.value
    counts = Counter(w.method for w in recent)
    top = max(counts.values())
    return next(w.method for w in recent if counts[w.method] == top)


def methods_in_use(diary: Diary, as_of: date) -> dict[str, int]:
    points = diary.walk_points(as_of - timedelta(days=TREND_WINDOW_DAYS), as_of)
    return dict(Counter(p.method for p in points).most_common())


def current_trend(diary: Diary, as_of: date, method: str | None = None) -> TrendResult:
    method = method or main_method(diary, as_of)
    walks = diary.walk_points(as_of - timedelta(days=HISTORY_DAYS), as_of, method=method)
    cigarettes = diary.cigarettes(as_of - timedelta(days=2 * TREND_WINDOW_DAYS + 7), as_of)
    walks, change_point = trend_walks(walks, diary.events(until=as_of), as_of, HISTORY_DAYS)
    return analyse(
        walks,
        as_of,
        method=method,
        cigarettes=cigarettes,
        smoking=diary.smoking_history(),
        change_point=change_point,
    )


def current_status(diary: Diary, as_of: date, method: str | None = None) -> Status:
    """The status `current_trend` gives, from the same walks, without its figures."""
    method = method or main_method(diary, as_of)
    walks = diary.walk_points(as_of - timedelta(days=HISTORY_DAYS), as_of, method=method)
    walks, change_point = trend_walks(walks, diary.events(until=as_of), as_of, HISTORY_DAYS)
    return trend_status_on(walks, as_of, change_point=change_point)
