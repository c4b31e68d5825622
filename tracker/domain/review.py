"""The weekly review: one ISO week (Monday–Sunday) against the goal, last week and the month
before, with the trend and smoking beside it. Figures only; sentences come from `review_lines`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from tracker.domain.clinical import RED_FLAG_WINDOW_DAYS, SmokingStatus, Tier
from tracker.domain.current_trend import current_trend
from tracker.domain.diary import Diary
from tracker.domain.red_flags import URGENT_TIERS, reported_symptoms
from tracker.domain.smoking import quit_date, status_on
from tracker.domain.stats import MAD_TO_SIGMA, mad, median
from tracker.domain.treatment import ProgrammeWeek, events_between, programme_week
from tracker.domain.trend import Status, TrendResult, plain
from tracker.domain.walks import WalkPoint
from tracker.domain.weekly import (
    WeekStats,
    monday_of,
    weekly_cigarettes,
    weekly_exercise,
    weekly_stats,
)
from tracker.domain.wording import event_summary

SCATTER_WEEKS = 12
"""Weeks before the reviewed one whose week-to-week changes define this person's normal scatter."""
MIN_SCATTER_CHANGES = 4
UNUSUAL_FACTOR = 2.0
"""The usual ups and downs reach 2 robust SDs of the week-to-week change; a change beyond them
(in %, as the sentence states it) is 'larger than your usual'."""

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class WeekError(ValueError):
    pass


def parse_week(text: str) -> date:
    """'2026-W47' → that week's Monday."""
    match = _WEEK.match(text.strip().upper())
    if match is None:
        raise WeekError(f"{text!r} is not a week; use YYYY-Www, e.g. 2026-W47")
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise WeekError(f"{text!r}: that year has no week {int(match[2])}") from None


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def last_complete_week(today: date) -> date:
    """Monday of the week before the current one."""
    return monday_of(today) - timedelta(days=7)


@dataclass(frozen=True)
class WeekFigures:
    """Sessions count every method; distances are the trend method's (methods differ ~2x)."""

    start: date
    walks: int
    walks_with_pain: int
    moderate_pain_walks: int
    minutes: float | None
    distance_m: float | None
    median_pf_m: float | None
    best_pf_m: float | None
    """Longest pain-free distance of a walk that ended in pain."""
    longest_no_pain_m: float | None
    """Longest walk that ended without pain: a lower bound, kept apart."""
    cigarettes: int | None
    cigarette_days: int


@dataclass(frozen=True)
class Change:
    pct: float
    metres: float
    unusual: bool | None
    """|pct| beyond this person's usual ups and downs (`usual_pct`); None with too little
    history."""
    usual_pct: float | None = None


@dataclass(frozen=True)
class SymptomLine:
    day: date
    key: str
    description: str
    tier: str
    red_flag: bool
    advice: str
    """The tier label and verbatim advice, as shown when it was recorded (with context)."""


@dataclass(frozen=True)
class EventLine:
    id: int
    day: date
    kind: str
    description: str


@dataclass(frozen=True)
class WeekReview:
    week: str
    start: date
    end: date
    goal_sessions: int
    goal_minutes: int
    this_week: WeekFigures
    last_week: WeekFigures
    method: str
    previous_4_weeks_median_pf_m: float | None
    change_vs_last_week: Change | None
    change_vs_previous_4_weeks: Change | None
    usual_weekly_scatter_pct: float | None
    """The usual ups and downs: the weekly median moves by up to ± this % (2 robust SDs of the
    12 weeks before); changes are judged against exactly this figure."""
    trend: TrendResult
    trend_last_week: Status | None
    smoking_status: str | None
    days_since_quitting: int | None
    symptoms: tuple[SymptomLine, ...]
    bring_up: tuple[str, ...]
    events: tuple[EventLine, ...] = ()
    """Treatment events of the week, oldest first."""
    programme: ProgrammeWeek | None = None
    """The exercise programme running this week ("week 5 of 12")."""

    @property
    def goal_met(self) -> bool:
        return self.this_week.walks >= self.goal_sessions

    def to_dict(self) -> dict[str, Any]:
        data = {k: plain(v) for k, v in asdict(self).items() if k != "trend"}
        data["goal_met"] = self.goal_met
        data["trend"] = {
            "status": self.trend.status.value,
            "previous_status": self.trend_last_week.value if self.trend_last_week else None,
            "changed": self.trend_last_week is not None
            and self.trend_last_week != self.trend.status,
            "slope_pct_month": plain(self.trend.slope_pct_month),
            "method": self.trend.method,
            "week_end": self.trend.week_end.isoformat(),
        }
        return data


def _figures(
    weeks: dict[date, WeekStats], walks: Sequence[WalkPoint], counts: dict[date, int], start: date
) -> WeekFigures:
    end = start + timedelta(days=6)
    (ex,) = weekly_exercise(walks, start, end)
    wk = weeks.get(start)
    (cigs,) = weekly_cigarettes(counts, start, end)
    return WeekFigures(
        start=start,
        walks=ex.sessions,
        walks_with_pain=wk.with_pain if wk else 0,
        moderate_pain_walks=ex.moderate_pain,
        minutes=ex.minutes,
        distance_m=ex.distance_m,
        median_pf_m=wk.median_pf_m if wk else None,
        best_pf_m=wk.best_pf_m if wk else None,
        longest_no_pain_m=wk.longest_no_pain_m if wk else None,
        cigarettes=cigs.cigarettes,
        cigarette_days=cigs.logged_days,
    )


def usual_change_pct(scatter: float | None) -> float | None:
    """The usual ups and downs in %, as the sentences state them."""
    return None if scatter is None else (math.exp(UNUSUAL_FACTOR * scatter) - 1) * 100


def _change(now: float | None, before: float | None, usual: float | None) -> Change | None:
    if now is None or before is None:
        return None
    pct = (now / before - 1) * 100
    unusual = None if usual is None else abs(pct) > usual
    return Change(pct=pct, metres=now - before, unusual=unusual, usual_pct=usual)


def weekly_scatter(weeks: Sequence[WeekStats], start: date) -> float | None:
    """Robust SD of the change in ln(weekly median pain-free) between consecutive weeks, over
    the 12 weeks before `start`; weeks without walks with pain are skipped."""
    first = start - timedelta(days=7 * SCATTER_WEEKS)
    medians = [
        math.log(w.median_pf_m)
        for w in weeks
        if first <= w.week_start < start and w.median_pf_m is not None and w.median_pf_m > 0
    ]
    changes = [b - a for a, b in itertools.pairwise(medians)]
    if len(changes) < MIN_SCATTER_CHANGES:
        return None
    spread = MAD_TO_SIGMA * mad(changes)
    return spread if spread > 0 else None


def build_review(diary: Diary, monday: date, today: date) -> WeekReview:
    end = monday + timedelta(days=6)
    first = monday - timedelta(days=7 * (SCATTER_WEEKS + 1))
    settings = diary.settings()
    as_of = min(end, today)
    trend = current_trend(diary, as_of)
    walks = diary.walk_points(first, end, exercise=True)
    weeks = {w.week_start: w for w in weekly_stats(walks, trend.method, first=first, last=end)}
    counts = diary.cigarettes(monday - timedelta(days=7), end)
    this = _figures(weeks, walks, counts, monday)
    last = _figures(weeks, walks, counts, monday - timedelta(days=7))
    before = [
        w.pain_free_m
        for w in walks
        if w.method == trend.method
        and not w.no_pain
        and monday - timedelta(days=35) <= w.walked_at.date() < monday - timedelta(days=7)
    ]
    before_median = median(before) if before else None
    usual = usual_change_pct(weekly_scatter(list(weeks.values()), monday))

    history = diary.smoking_history()
    smoking = status_on(history, end)
    quit = quit_date(history, end)
    days_quit = (
        (end - quit).days if quit and smoking and smoking.status == SmokingStatus.FORMER else None
    )

    reports = diary.symptoms(monday - timedelta(days=RED_FLAG_WINDOW_DAYS), end)
    symptoms = [
        SymptomLine(s.reported_on, s.key, s.description, s.tier.value, s.red_flag, s.shown_advice)
        for s in reported_symptoms(reports, monday, end)
    ]

    bring_up: list[str] = []
    for s in symptoms:
        if s.red_flag and Tier(s.tier) not in URGENT_TIERS:
            bring_up.append(f"{s.description} ({s.day})")
    if trend.status is Status.SUSTAINED_DECLINE:
        bring_up.append("your pain-free distance has been falling (see the trend)")
    if trend.relief_flag and not any(s.key == "relief_over_10_min" for s in symptoms):
        bring_up.append("pain that took over 10 minutes to ease after stopping")
    if trend.max_falling:
        bring_up.append("your maximum walking distance falling while the pain-free one holds")

    events = diary.events(until=end)
    event_lines = tuple(
        EventLine(e.id or 0, e.occurred_on, e.kind, event_summary(e))
        for e in events_between(events, monday, end)
    )

    return WeekReview(
        week=week_label(monday),
        start=monday,
        end=end,
        goal_sessions=settings.weekly_goal_sessions,
        goal_minutes=settings.session_goal_minutes,
        this_week=this,
        last_week=last,
        method=trend.method,
        previous_4_weeks_median_pf_m=before_median,
        change_vs_last_week=_change(this.median_pf_m, last.median_pf_m, usual),
        change_vs_previous_4_weeks=_change(this.median_pf_m, before_median, usual),
        usual_weekly_scatter_pct=usual,
        trend=trend,
        trend_last_week=trend.previous_status,
        smoking_status=smoking.status if smoking else None,
        days_since_quitting=days_quit,
        symptoms=tuple(symptoms),
        bring_up=tuple(bring_up),
        events=event_lines,
        programme=programme_week(events, monday),
    )
