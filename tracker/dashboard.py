"""What the dashboard shows, computed in one place (the TUI only renders it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.analysis import current_trend
from tracker.clinical import RED_FLAG_WINDOW_DAYS, SYMPTOMS, TIER_ORDER, Method, Tier
from tracker.models import CalfCheck, SymptomReport, Walk
from tracker.smoking_summary import SmokingSummary, smoking_summary_for
from tracker.stats import median
from tracker.store import Store
from tracker.treatment import SinceFigures, since_figures
from tracker.trend import TrendResult


@dataclass(frozen=True)
class RedFlag:
    id: int
    key: str
    description: str
    tier: Tier
    reported_on: date
    advice: str
    acknowledged: bool
    notes: str = ""


@dataclass(frozen=True)
class DashboardSummary:
    today: date
    unit: str
    walk_count: int
    latest: Walk | None
    median_7d_m: float | None
    median_28d_m: float | None
    trend: TrendResult | None
    walks_this_week: int
    weekly_goal: int
    smoking: SmokingSummary
    red_flags: tuple[RedFlag, ...]
    since: tuple[SinceFigures, ...] = ()
    """The "since your angioplasty on 3 Sep" figures (treatment events)."""
    latest_check: CalfCheck | None = None
    """The newest calf-pain check, whatever its result."""

    @property
    def first_run(self) -> bool:
        return self.walk_count == 0


def red_flags(
    reports: list[SymptomReport],
    today: date,
    checks: list[CalfCheck] | None = None,
    days: int = RED_FLAG_WINDOW_DAYS,
) -> tuple[RedFlag, ...]:
    """Red-flag reports and calf-pain checks of the last 14 days (or `days`), most urgent
    first, newest first."""
    from tracker.calf_check_records import check_flags

    start = today - timedelta(days=days)
    flags = [
        RedFlag(
            id=r.id or 0,
            key=r.key,
            description=SYMPTOMS[r.key].description,
            tier=SYMPTOMS[r.key].tier,
            reported_on=r.reported_on,
            advice=SYMPTOMS[r.key].advice,
            acknowledged=r.acknowledged_at is not None,
            notes=r.notes,
        )
        for r in reports
        if r.key in SYMPTOMS and SYMPTOMS[r.key].is_red_flag and start <= r.reported_on <= today
    ]
    flags += [
        RedFlag(f.id, "calf_check", f.description, f.tier, f.day, f.advice, f.acknowledged, f.notes)
        for f in check_flags(checks or [])
        if start <= f.day <= today
    ]
    flags.sort(key=lambda f: (TIER_ORDER[f.tier], -f.reported_on.toordinal()))
    return tuple(flags)


def _median_since(walks: list[Walk], start: date) -> float | None:
    values = [w.pain_free_m for w in walks if not w.no_pain and w.walked_at.date() >= start]
    return median(values) if values else None


def summarise(store: Store, now: datetime) -> DashboardSummary:
    today = now.date()
    settings = store.settings()
    recent = store.walks(today - timedelta(days=27), today)
    latest = store.last_walk()
    week_start = today - timedelta(days=today.weekday())
    trend = current_trend(store, today) if latest is not None else None
    return DashboardSummary(
        today=today,
        unit=settings.unit,
        walk_count=store.count_walks(),
        latest=latest,
        median_7d_m=_median_since(recent, today - timedelta(days=6)),
        median_28d_m=_median_since(recent, today - timedelta(days=27)),
        trend=trend,
        walks_this_week=sum(1 for w in recent if w.walked_at.date() >= week_start),
        weekly_goal=settings.weekly_goal_sessions,
        smoking=smoking_summary_for(store, today),
        since=_since(store, today, trend.method if trend is not None else Method.WALK.value),
        red_flags=red_flags(
            store.symptoms(today - timedelta(days=RED_FLAG_WINDOW_DAYS)),
            today,
            store.calf_checks(today - timedelta(days=RED_FLAG_WINDOW_DAYS), today),
        ),
        latest_check=store.latest_calf_check(),
    )


def _since(store: Store, today: date, method: str) -> tuple[SinceFigures, ...]:
    def read(start: date, end: date) -> tuple[float | None, int]:
        return store.pain_free_median(start, end, method=method)

    return since_figures(store.events(until=today), read, today, method)
