"""What the dashboard shows, computed in one place (the TUI only renders it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.domain.calf_check import StoredCheck
from tracker.domain.calf_checks import check_flags
from tracker.domain.clinical import RED_FLAG_WINDOW_DAYS, Method
from tracker.domain.red_flags import RedFlag, recent_red_flags
from tracker.domain.smoking_summary import SmokingSummary, smoking_summary_for
from tracker.domain.stats import median
from tracker.domain.walks import StoredWalkRow, WalkPoint
from tracker.domain.weekly import monday_of, weekly_exercise

if TYPE_CHECKING:
    from tracker.domain.diary import Diary, FirstLookDiary
    from tracker.domain.treatment import SinceFigures
    from tracker.domain.trend import TrendResult


@dataclass(frozen=True)
class DashboardSummary:
    today: date
    unit: str
    walk_count: int | None
    """None in a first look that did not count (a long diary's count is a scan of every row)."""
    latest: StoredWalkRow | None
    median_7d_m: float | None
    median_28d_m: float | None
    trend: TrendResult | None
    walks_this_week: int
    weekly_goal: int
    smoking: SmokingSummary
    red_flags: tuple[RedFlag, ...]
    since: tuple[SinceFigures, ...] = ()
    """The "since your angioplasty on 3 Sep" figures (treatment events)."""
    latest_check: StoredCheck | None = None
    """The newest calf-pain check, whatever its result."""

    @property
    def first_run(self) -> bool:
        return self.latest is None  # no walk (deleted ones aside): what a count of 0 says


def _median_since(walks: Sequence[WalkPoint], start: date) -> float | None:
    values = [w.pain_free_m for w in walks if not w.no_pain and w.walked_at.date() >= start]
    return median(values) if values else None


def summarise(diary: Diary, now: datetime) -> DashboardSummary:
    return with_trend(diary, first_look(diary, now))


def first_look(diary: FirstLookDiary, now: datetime, *, count: bool = True) -> DashboardSummary:
    """Everything but the trend and the "since" figures: the cheap reads, which the app paints
    first (the detector reads the last 22 months and costs the most on a long diary). Without
    `count`, `walk_count` is left out: the dashboard shows no count, and it costs a scan."""
    today = now.date()
    settings = diary.settings()
    # columns only: a day's walks as ORM objects cost more than the figures made from them
    recent = diary.walk_points(today - timedelta(days=27), today, exercise=True)
    latest = diary.last_walk()
    week_start = monday_of(today)
    return DashboardSummary(
        today=today,
        unit=settings.unit,
        walk_count=diary.count_walks() if count else None,
        latest=latest,
        median_7d_m=_median_since(recent, today - timedelta(days=6)),
        median_28d_m=_median_since(recent, today - timedelta(days=27)),
        trend=None,
        walks_this_week=weekly_exercise(recent, week_start, today)[0].sessions,
        weekly_goal=settings.weekly_goal_sessions,
        smoking=smoking_summary_for(diary, today),
        red_flags=recent_red_flags(
            diary.symptoms(today - timedelta(days=2 * RED_FLAG_WINDOW_DAYS)),
            check_flags(diary.calf_checks(today - timedelta(days=RED_FLAG_WINDOW_DAYS), today)),
            today,
        ),
        latest_check=diary.latest_calf_check(),
    )


def with_trend(diary: Diary, first: DashboardSummary) -> DashboardSummary:
    """The first look with the trend and the figures since a treatment event added."""
    # start-up: the detector loads after the first look is painted
    from tracker.domain.current_trend import current_trend

    today = first.today
    trend = current_trend(diary, today) if first.latest is not None else None
    method = trend.method if trend is not None else Method.WALK.value
    return replace(first, trend=trend, since=_since(diary, today, method))


def _since(diary: Diary, today: date, method: str) -> tuple[SinceFigures, ...]:
    # start-up: the treatment figures load after the first look is painted
    from tracker.domain.treatment import since_figures

    def read(start: date, end: date) -> tuple[float | None, int]:
        return diary.pain_free_median(start, end, method=method)

    return since_figures(diary.events(until=today), read, today, method)
