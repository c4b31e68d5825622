"""The weekly review: one ISO week (Monday–Sunday) against the goal, last week and the month
before, with the trend and smoking beside it. Figures only; sentences come from `review_lines`.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from tracker.analysis import current_trend
from tracker.clinical import MODERATE_PAIN, SYMPTOMS, TIER_ORDER, SmokingStatus, Tier
from tracker.models import Walk
from tracker.smoking import quit_date, status_on
from tracker.stats import MAD_TO_SIGMA, mad, median
from tracker.store import Store
from tracker.treatment import ProgrammeWeek, events_between, programme_week
from tracker.trend import Status, TrendResult, plain
from tracker.wording import event_summary

SCATTER_WEEKS = 12
"""Weeks before the reviewed one whose week-to-week changes define this person's normal scatter."""
MIN_SCATTER_CHANGES = 4
UNUSUAL_FACTOR = 2.0
"""A change is 'larger than your usual week-to-week scatter' beyond 2 robust SDs."""

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
    return today - timedelta(days=today.weekday() + 7)


@dataclass(frozen=True)
class WeekFigures:
    start: date
    walks: int
    walks_with_pain: int
    moderate_pain_walks: int
    minutes: float | None
    distance_m: float | None
    median_pf_m: float | None
    best_pf_m: float | None
    best_is_lower_bound: bool
    cigarettes: int | None
    cigarette_days: int


@dataclass(frozen=True)
class Change:
    pct: float
    metres: float
    unusual: bool | None
    """Beyond this person's normal week-to-week scatter; None when there is too little history."""


@dataclass(frozen=True)
class SymptomLine:
    day: date
    key: str
    description: str
    tier: str
    red_flag: bool


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
    previous_4_weeks_median_pf_m: float | None
    change_vs_last_week: Change | None
    change_vs_previous_4_weeks: Change | None
    usual_weekly_scatter_pct: float | None
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


def _figures(walks: list[Walk], counts: dict[date, int], start: date) -> WeekFigures:
    end = start + timedelta(days=6)
    week = [w for w in walks if start <= w.walked_at.date() <= end]
    exact = [w.pain_free_m for w in week if not w.no_pain]
    minutes = [w.duration_min for w in week if w.duration_min is not None]
    totals = [w.total_m for w in week if w.total_m is not None]
    best_exact = max(exact, default=None)
    best_censored = max((w.pain_free_m for w in week if w.no_pain), default=None)
    best = max((x for x in (best_exact, best_censored) if x is not None), default=None)
    cigs = [n for d, n in counts.items() if start <= d <= end]
    return WeekFigures(
        start=start,
        walks=len(week),
        walks_with_pain=len(exact),
        moderate_pain_walks=sum(1 for w in week if (w.pain or 0) >= MODERATE_PAIN),
        minutes=sum(minutes) if minutes else None,
        distance_m=sum(totals) if totals else None,
        median_pf_m=median(exact) if exact else None,
        best_pf_m=best,
        best_is_lower_bound=best is not None and best == best_censored and best != best_exact,
        cigarettes=sum(cigs) if cigs else None,
        cigarette_days=len(cigs),
    )


def _change(now: float | None, before: float | None, scatter: float | None) -> Change | None:
    if now is None or before is None:
        return None
    log_change = math.log(now / before)
    unusual = None if scatter is None else abs(log_change) > UNUSUAL_FACTOR * scatter
    return Change(pct=(now / before - 1) * 100, metres=now - before, unusual=unusual)


def weekly_scatter(walks: list[Walk], start: date) -> float | None:
    """Robust SD of the change in ln(weekly median pain-free) between consecutive weeks, over
    the 12 weeks before `start`; weeks without walks with pain are skipped."""
    medians: list[float] = []
    for k in range(SCATTER_WEEKS, 0, -1):
        wk = start - timedelta(days=7 * k)
        values = [
            w.pain_free_m
            for w in walks
            if not w.no_pain and wk <= w.walked_at.date() <= wk + timedelta(days=6)
        ]
        if values:
            medians.append(math.log(median(values)))
    changes = [b - a for a, b in itertools.pairwise(medians)]
    if len(changes) < MIN_SCATTER_CHANGES:
        return None
    spread = MAD_TO_SIGMA * mad(changes)
    return spread if spread > 0 else None


def build_review(store: Store, monday: date, today: date) -> WeekReview:
    end = monday + timedelta(days=6)
    first = monday - timedelta(days=7 * (SCATTER_WEEKS + 1))
    settings = store.settings()
    walks = store.walks(first, end)
    counts = store.cigarettes(monday - timedelta(days=7), end)
    this = _figures(walks, counts, monday)
    last = _figures(walks, counts, monday - timedelta(days=7))
    before = [
        w.pain_free_m
        for w in walks
        if not w.no_pain
        and monday - timedelta(days=35) <= w.walked_at.date() < monday - timedelta(days=7)
    ]
    before_median = median(before) if before else None
    scatter = weekly_scatter(walks, monday)

    as_of = min(end, today)
    trend = current_trend(store, as_of)
    history = store.smoking_history()
    smoking = status_on(history, end)
    quit = quit_date(history, end)
    days_quit = (
        (end - quit).days if quit and smoking and smoking.status == SmokingStatus.FORMER else None
    )

    reports = store.symptoms(monday, end)
    symptoms = sorted(
        (
            SymptomLine(
                r.reported_on,
                r.key,
                SYMPTOMS[r.key].description,
                SYMPTOMS[r.key].tier.value,
                SYMPTOMS[r.key].is_red_flag,
            )
            for r in reports
            if r.key in SYMPTOMS
        ),
        key=lambda s: (TIER_ORDER[Tier(s.tier)], s.day),
    )

    bring_up: list[str] = []
    for s in symptoms:
        if s.red_flag:
            bring_up.append(f"{s.description} ({s.day})")
    if trend.status in (Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP):
        bring_up.append("your pain-free distance has been falling (see the trend)")
    if trend.relief_flag:
        bring_up.append("pain that took over 10 minutes to ease after stopping")
    if trend.max_falling:
        bring_up.append("your maximum walking distance falling while the pain-free one holds")

    events = store.events(until=end)
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
        previous_4_weeks_median_pf_m=before_median,
        change_vs_last_week=_change(this.median_pf_m, last.median_pf_m, scatter),
        change_vs_previous_4_weeks=_change(this.median_pf_m, before_median, scatter),
        usual_weekly_scatter_pct=None if scatter is None else (math.exp(scatter) - 1) * 100,
        trend=trend,
        trend_last_week=trend.previous_status,
        smoking_status=smoking.status if smoking else None,
        days_since_quitting=days_quit,
        symptoms=tuple(symptoms),
        bring_up=tuple(bring_up),
        events=event_lines,
        programme=programme_week(events, monday),
    )
