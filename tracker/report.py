"""What the doctor report says, computed once; the PDF (and tests) read this object."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.analysis import current_trend
from tracker.chart_data import ChartData, build_chart_data
from tracker.clinical import METHOD_LABELS, SYMPTOMS, TIER_LABELS, TIER_ORDER, Tier
from tracker.models import Walk
from tracker.smoking import pack_years, quit_date, status_on
from tracker.stats import median
from tracker.store import Store, WalkPoint
from tracker.trend import TrendResult
from tracker.walk_test import guided_tests_sentence

DEFAULT_PERIOD_DAYS = 182
APPENDIX_MAX_WALKS = 5000
"""The appendix lists the newest walks up to this many (about 90 pages; ten years of daily
walks fit). A longer log would make a report nobody reads and that fpdf2 holds in memory
page by page; the report says how many older walks it left out and that the CSV has them."""


@dataclass(frozen=True)
class WeekRow:
    week_start: date
    walks: int
    median_pf_m: float | None
    best_pf_m: float | None
    median_max_m: float | None
    cigarettes: int | None


@dataclass(frozen=True)
class FlagRow:
    day: date
    description: str
    tier: Tier
    advice: str
    notes: str

    @property
    def tier_label(self) -> str:
        return TIER_LABELS[self.tier]


@dataclass(frozen=True)
class DoctorReport:
    generated: datetime
    since: date
    until: date
    patient_name: str
    patient_id: str
    unit: str
    paper: str
    trend: TrendResult
    walk_count: int
    no_pain_count: int
    methods: dict[str, int]
    smoking_status: str | None
    smoking_since: date | None
    quit: date | None
    pack_years: float | None
    cigarettes_logged_days: int
    red_flags: tuple[FlagRow, ...]
    weeks: tuple[WeekRow, ...]
    appendix: tuple[Walk, ...]
    """The newest walks of the period, newest first, at most APPENDIX_MAX_WALKS."""
    chart: ChartData
    guided_tests: str = ""
    """Which walks a guided test measured (walk_test.guided_tests_sentence); "" when none."""

    @property
    def appendix_omitted(self) -> int:
        return self.walk_count - len(self.appendix)

    @property
    def method_note(self) -> str:
        parts = [f"{n} {METHOD_LABELS.get(m, m)}(s)" for m, n in self.methods.items()]
        text = "Walks in the period: " + (", ".join(parts) if parts else "none") + "."
        if self.methods.get("walk"):
            text += (
                " Everyday walks are logged by the patient (estimated or measured by phone or "
                "GPS); they are not a treadmill test and read differently from one."
            )
        return text


def build_report(store: Store, since: date, until: date, generated: datetime) -> DoctorReport:
    settings = store.settings()
    walks = store.walk_points(since, until)  # columns only: a long log stays light
    trend = current_trend(store, until)
    counts = store.cigarettes()
    history = store.smoking_history()
    current = status_on(history, until)
    py = pack_years(history, counts, until) if history else None

    first_monday = since - timedelta(days=since.weekday())

    def week_of(day: date) -> int:
        return (day - first_monday).days // 7

    by_week: dict[int, list[WalkPoint]] = defaultdict(list)
    for w in walks:
        by_week[week_of(w.walked_at.date())].append(w)
    cigs_by_week: dict[int, list[int]] = defaultdict(list)
    for d, n in counts.items():
        if since <= d <= until:
            cigs_by_week[week_of(d)].append(n)
    weeks: list[WeekRow] = []
    for k in range(week_of(until) + 1):
        in_week = by_week.get(k, [])
        exact = [w.pain_free_m for w in in_week if not w.no_pain]
        maxima = [w.max_m for w in in_week if w.max_m is not None and not w.no_pain]
        cigs = cigs_by_week.get(k)
        weeks.append(
            WeekRow(
                week_start=first_monday + timedelta(days=7 * k),
                walks=len(in_week),
                median_pf_m=median(exact) if exact else None,
                best_pf_m=max((w.pain_free_m for w in in_week), default=None),
                median_max_m=median(maxima) if maxima else None,
                cigarettes=sum(cigs) if cigs else None,
            )
        )

    flags = [
        FlagRow(
            day=r.reported_on,
            description=SYMPTOMS[r.key].description,
            tier=SYMPTOMS[r.key].tier,
            advice=SYMPTOMS[r.key].advice,
            notes=r.notes,
        )
        for r in store.symptoms(since, until)
        if r.key in SYMPTOMS and SYMPTOMS[r.key].is_red_flag
    ]
    flags.sort(key=lambda f: (TIER_ORDER[f.tier], f.day))
    points = [w for w in walks if w.method == trend.method]
    chart = build_chart_data(points, counts, since, until, "m", trend)
    return DoctorReport(
        generated=generated,
        since=since,
        until=until,
        patient_name=settings.patient_name,
        patient_id=settings.patient_id,
        unit=settings.unit,
        paper=settings.paper_size,
        trend=trend,
        walk_count=len(walks),
        no_pain_count=sum(1 for w in walks if w.no_pain),
        methods=dict(Counter(w.method for w in walks).most_common()),
        smoking_status=current.status if current else None,
        smoking_since=current.since if current else None,
        quit=quit_date(history, until),
        pack_years=py.value if py else None,
        cigarettes_logged_days=sum(1 for d in counts if since <= d <= until),
        red_flags=tuple(flags),
        weeks=tuple(weeks),
        appendix=tuple(store.walks(since, until, newest_first=True, limit=APPENDIX_MAX_WALKS)),
        chart=chart,
        guided_tests=guided_tests_sentence(store.timed_walk_counts(since, until)),
    )
