"""What the doctor report says, computed once; the PDF (and tests) read this object.

Figures are per method (methods differ about twofold); weekly rows come from the shared
weekly aggregate; red flags from the one selection (red_flags.py), with the context the advice
names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.domain.calf_check import StoredCheck
from tracker.domain.calf_checks import check_flags
from tracker.domain.chart_data import ChartData, ChartSource, build_chart_data
from tracker.domain.clinical import RED_FLAG_WINDOW_DAYS, Method
from tracker.domain.current_trend import current_trend, main_method
from tracker.domain.diary import Diary
from tracker.domain.events import StoredEvent
from tracker.domain.red_flags import RedFlag, red_flags
from tracker.domain.smoking_summary import SmokingSummary, smoking_summary_for
from tracker.domain.stats import median
from tracker.domain.trend import TrendResult, week_end_for
from tracker.domain.walk_test import guided_tests_sentence
from tracker.domain.walks import StoredWalkRow, WalkPoint
from tracker.domain.weekly import (
    WeekExercise,
    WeekStats,
    weekly_cigarettes,
    weekly_exercise,
    weekly_stats,
)
from tracker.domain.wording import report_discussion_items

DEFAULT_PERIOD_DAYS = 182
"""The last 6 months, or since the first walk when the diary is younger."""
CURRENT_DAYS = 28
"""'Current' medians are of the last 4 weeks up to the report's end."""
COMPARE_MONTHS = (3, 6)
DAYS_PER_COMPARE_MONTH = 30.44
EXERCISE_WEEKS = 4
APPENDIX_MAX_WALKS = 5000
"""The appendix lists the newest walks up to this many (about 90 pages; ten years of daily
walks fit). A longer log would make a report nobody reads and that fpdf2 holds in memory
page by page; the report says how many older walks it left out and that the CSV has them."""


@dataclass(frozen=True)
class Comparison:
    months: int
    window_end: date
    median_pf_m: float | None
    walks: int

    def change_pct(self, now: float | None) -> float | None:
        if now is None or self.median_pf_m is None:
            return None
        return (now / self.median_pf_m - 1) * 100


@dataclass(frozen=True)
class MethodSummary:
    method: str
    walks: int
    with_pain: int
    without_pain: int
    trend: TrendResult
    current_pf_m: float | None
    """Median pain-free distance of the walks with pain in the last 4 weeks."""
    current_max_m: float | None
    current_walks: int
    """Walks with pain behind `current_pf_m`."""
    current_no_pain_m: float | None
    """Longest walk without pain in the last 4 weeks (a lower bound)."""
    before: tuple[Comparison, ...]
    """The same 4-week median, 3 and 6 months earlier."""
    weeks: tuple[WeekStats, ...]
    """From the week of the method's first walk in the period to the report's end."""


@dataclass(frozen=True)
class ExerciseSummary:
    weeks: tuple[WeekExercise, ...]
    """The last complete weeks up to the report's end."""
    goal_sessions: int
    goal_minutes: int
    session_minutes: tuple[float, ...]

    @property
    def sessions(self) -> int:
        return sum(w.sessions for w in self.weeks)

    @property
    def per_week(self) -> float:
        return self.sessions / len(self.weeks) if self.weeks else 0.0

    @property
    def weeks_meeting_goal(self) -> int:
        return sum(1 for w in self.weeks if w.sessions >= self.goal_sessions)

    @property
    def moderate_pain(self) -> int:
        return sum(w.moderate_pain for w in self.weeks)

    @property
    def median_minutes(self) -> float | None:
        return median(list(self.session_minutes)) if self.session_minutes else None


@dataclass(frozen=True)
class DoctorReport:
    generated: datetime
    requested_since: date
    since: date
    """The period's start: the requested one, or the first walk when that is later."""
    until: date
    patient_name: str
    patient_id: str
    unit: str
    paper: str
    methods: tuple[MethodSummary, ...]
    """Most walks first; the first is the main method (of the chart)."""
    walk_count: int
    no_pain_count: int
    red_flags: tuple[RedFlag, ...]
    """Urgent tiers, most urgent first."""
    to_discuss: tuple[str, ...]
    exercise: ExerciseSummary
    smoking: SmokingSummary
    smoking_changes: tuple[tuple[date, str], ...]
    cigarettes_by_week: dict[date, int]
    cigarettes_logged_days: int
    appendix: tuple[StoredWalkRow, ...]
    """The newest walks of the period, newest first, at most APPENDIX_MAX_WALKS."""
    chart: ChartData
    calf_check: StoredCheck | None = None
    """The latest calf-pain check up to the end of the period (page 1 names it)."""

    guided_tests: str = ""
    """Which walks a guided test measured (walk_test.guided_tests_sentence); "" when none."""
    events: tuple[StoredEvent, ...] = ()
    """Treatment events of the period, oldest first (page 1 lists the latest of them)."""

    @property
    def main(self) -> MethodSummary | None:
        return self.methods[0] if self.methods else None

    @property
    def appendix_omitted(self) -> int:
        return self.walk_count - len(self.appendix)


def default_since(until: date) -> date:
    return until - timedelta(days=DEFAULT_PERIOD_DAYS)


def _median_pf(points: list[WalkPoint], first: date, last: date) -> tuple[float | None, int]:
    values = [
        p.pain_free_m for p in points if not p.no_pain and first <= p.walked_at.date() <= last
    ]
    return (median(values) if values else None), len(values)


def _method_summary(
    diary: Diary, method: str, period: list[WalkPoint], history: list[WalkPoint], until: date
) -> MethodSummary:
    mine = [p for p in period if p.method == method]
    back = [p for p in history if p.method == method]
    first = mine[0].walked_at.date() if mine else until
    now_first = until - timedelta(days=CURRENT_DAYS - 1)
    current, n = _median_pf(back, now_first, until)
    maxima = [
        p.max_m
        for p in back
        if not p.no_pain and p.max_m is not None and p.walked_at.date() >= now_first
    ]
    lower = [p.pain_free_m for p in back if p.no_pain and p.walked_at.date() >= now_first]
    before = []
    for months in COMPARE_MONTHS:
        end = until - timedelta(days=round(months * DAYS_PER_COMPARE_MONTH))
        value, count = _median_pf(back, end - timedelta(days=CURRENT_DAYS - 1), end)
        before.append(Comparison(months, end, value, count))
    return MethodSummary(
        method=method,
        walks=len(mine),
        with_pain=sum(1 for p in mine if not p.no_pain),
        without_pain=sum(1 for p in mine if p.no_pain),
        trend=current_trend(diary, until, method),
        current_pf_m=current,
        current_max_m=median(maxima) if maxima else None,
        current_walks=n,
        current_no_pain_m=max(lower, default=None),
        before=tuple(before),
        weeks=tuple(weekly_stats(mine, method, first=first, last=until)),
    )


def _flags(diary: Diary, since: date, until: date) -> tuple[list[RedFlag], list[RedFlag]]:
    """(urgent red flags, next-appointment ones) of the period."""
    reports = diary.symptoms(since - timedelta(days=RED_FLAG_WINDOW_DAYS), until)
    flags = red_flags(reports, check_flags(diary.calf_checks(since, until)), since, until)
    return [f for f in flags if f.urgent], [f for f in flags if not f.urgent]


def build_report(
    diary: Diary, since: date | None, until: date, generated: datetime
) -> DoctorReport:
    settings = diary.settings()
    requested = since or default_since(until)
    history_start = min(
        requested,
        until - timedelta(days=round(max(COMPARE_MONTHS) * DAYS_PER_COMPARE_MONTH) + CURRENT_DAYS),
    )
    history = diary.walk_points(history_start, until, exercise=True)  # columns only: light
    period = [p for p in history if p.walked_at.date() >= requested]
    start = max(requested, period[0].walked_at.date()) if period else requested

    counts = Counter(p.method for p in period)
    main = main_method(diary, until) if period else Method.WALK.value
    order = sorted(counts, key=lambda m: (m != main, -counts[m], m))
    methods = tuple(_method_summary(diary, m, period, history, until) for m in order)

    urgent, later = _flags(diary, start, until)
    week_end = week_end_for(until)
    first_week = week_end - timedelta(days=7 * EXERCISE_WEEKS - 1)
    recent = [p for p in history if first_week <= p.walked_at.date() <= week_end]
    exercise = ExerciseSummary(
        weeks=tuple(weekly_exercise(recent, first_week, week_end)),
        goal_sessions=settings.weekly_goal_sessions,
        goal_minutes=settings.session_goal_minutes,
        session_minutes=tuple(p.duration_min for p in recent if p.duration_min is not None),
    )

    cigarettes = diary.cigarettes()
    weeks = weekly_cigarettes(cigarettes, start, until)
    by_week = {w.week_start: w.cigarettes for w in weeks if w.cigarettes is not None}
    spans = diary.smoking_history()
    changes = tuple((s.since, s.status) for s in spans if start <= s.since <= until)

    chart_method = methods[0].method if methods else main
    events = tuple(diary.events(start, until))
    chart = build_chart_data(
        ChartSource(
            [p for p in period if p.method == chart_method],
            cigarettes,
            changes,
            chart_method,
            events,
        ),
        None,
        start,
        until,
        settings.unit,
        methods[0].trend if methods else None,
    )
    return DoctorReport(
        generated=generated,
        requested_since=requested,
        since=start,
        until=until,
        patient_name=settings.patient_name,
        patient_id=settings.patient_id,
        unit=settings.unit,
        paper=settings.paper_size,
        methods=methods,
        walk_count=len(period),
        no_pain_count=sum(1 for p in period if p.no_pain),
        red_flags=tuple(urgent),
        to_discuss=tuple(report_discussion_items(later, methods, settings.unit)),
        exercise=exercise,
        smoking=smoking_summary_for(diary, until),
        smoking_changes=changes,
        cigarettes_by_week=by_week,
        cigarettes_logged_days=sum(w.logged_days for w in weeks),
        appendix=tuple(diary.walks(start, until, newest_first=True, limit=APPENDIX_MAX_WALKS)),
        chart=chart,
        calf_check=next(iter(diary.calf_checks(until=until, limit=1)), None),
        guided_tests=guided_tests_sentence(diary.timed_walk_counts(start, until)),
        events=events,
    )
