"""Which reported symptoms (and calf-pain checks) are shown, in which order, with which advice.

One selection for every surface: the dashboard banner, the weekly review, the doctor report and
the advice shown when symptoms are recorded. Most urgent first (the tier's rank), then newest
first. A same-day flag (a swollen or red leg: a possible clot) names the immobility recorded in
the 14 days before it, as its advice does (docs/clinical.md §5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from tracker.domain.clinical import (
    CONTEXT_KEYS,
    RED_FLAG_WINDOW_DAYS,
    SYMPTOMS,
    TIER_ORDER,
    SymptomKind,
    Tier,
)
from tracker.domain.wording import symptom_advice

CHECK_KEY = "calf_check"
"""The key a calf-pain check's flag carries (it is no symptom)."""


class ReportedSymptom(Protocol):
    """What the selection reads from a stored symptom report."""

    @property
    def id(self) -> int | None: ...
    @property
    def key(self) -> str: ...
    @property
    def reported_on(self) -> date: ...
    @property
    def notes(self) -> str: ...
    @property
    def acknowledged_at(self) -> datetime | None: ...


class FlaggedCheck(Protocol):
    """A calf-pain check whose result is a red flag (`calf_checks.check_flags`)."""

    @property
    def id(self) -> int: ...
    @property
    def day(self) -> date: ...
    @property
    def tier(self) -> Tier: ...
    @property
    def description(self) -> str: ...
    @property
    def advice(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def acknowledged(self) -> bool: ...


@dataclass(frozen=True)
class ContextRow:
    """Immobility or travel recorded before a flag, named beside it."""

    day: date
    description: str
    notes: str


@dataclass(frozen=True)
class RedFlag:
    id: int
    key: str
    description: str
    tier: Tier
    reported_on: date
    advice: str
    """The tier's advice, verbatim."""
    acknowledged: bool
    notes: str = ""
    shown_advice: str = ""
    """The tier label and the advice as the patient was shown them (with the context note)."""
    context: tuple[ContextRow, ...] = ()
    """Immobility or travel recorded in the 14 days before (same-day tier only)."""

    @property
    def red_flag(self) -> bool:
        return self.tier is not Tier.CONTEXT

    @property
    def urgent(self) -> bool:
        """Acted on now, with its own advice; never left "for the next visit"."""
        return self.tier in URGENT_TIERS


URGENT_TIERS = (Tier.EMERGENCY, Tier.SAME_DAY, Tier.WITHIN_DAYS)


def urgency(tier: Tier) -> int:
    """The rank every list of flags or symptoms is sorted by: emergency first."""
    return TIER_ORDER[tier]


def by_urgency(kinds: Iterable[SymptomKind]) -> list[SymptomKind]:
    """Symptom kinds most urgent first (the symptom picker's order)."""
    return sorted(kinds, key=lambda s: urgency(s.tier))


def recent_context_keys(reports: Sequence[ReportedSymptom], today: date) -> list[str]:
    """Context keys (long travel, surgery, bed rest) reported in the red-flag window up to
    `today`, in the order first reported."""
    start = today - timedelta(days=RED_FLAG_WINDOW_DAYS)
    seen: list[str] = []
    for r in reports:
        if r.key in CONTEXT_KEYS and start <= r.reported_on <= today and r.key not in seen:
            seen.append(r.key)
    return seen


def _flag(report: ReportedSymptom, reports: Sequence[ReportedSymptom]) -> RedFlag:
    kind = SYMPTOMS[report.key]
    keys = recent_context_keys(reports, report.reported_on)
    start = report.reported_on - timedelta(days=RED_FLAG_WINDOW_DAYS)
    context = tuple(
        ContextRow(r.reported_on, SYMPTOMS[r.key].description, r.notes)
        for r in sorted(reports, key=lambda r: r.reported_on)
        if r.key in keys and start <= r.reported_on <= report.reported_on
    )
    return RedFlag(
        id=report.id or 0,
        key=kind.key,
        description=kind.description,
        tier=kind.tier,
        reported_on=report.reported_on,
        advice=kind.advice,
        acknowledged=report.acknowledged_at is not None,
        notes=report.notes,
        shown_advice=symptom_advice(kind, keys),
        context=context if kind.tier is Tier.SAME_DAY else (),
    )


def _ordered(flags: Iterable[RedFlag]) -> tuple[RedFlag, ...]:
    return tuple(sorted(flags, key=lambda f: (urgency(f.tier), -f.reported_on.toordinal())))


def red_flags(
    reports: Sequence[ReportedSymptom],
    checks: Sequence[FlaggedCheck],
    first: date,
    last: date,
) -> tuple[RedFlag, ...]:
    """The red-flag symptoms and calf-pain checks reported from `first` to `last`, most urgent
    first, newest first. `reports` may reach back further: the 14 days before a flag give its
    context."""
    flags = [
        _flag(r, reports)
        for r in reports
        if r.key in SYMPTOMS and SYMPTOMS[r.key].is_red_flag and first <= r.reported_on <= last
    ]
    flags += [
        RedFlag(
            id=c.id,
            key=CHECK_KEY,
            description=c.description,
            tier=c.tier,
            reported_on=c.day,
            advice=c.advice,
            acknowledged=c.acknowledged,
            notes=c.notes,
            shown_advice=c.advice,
        )
        for c in checks
        if first <= c.day <= last
    ]
    return _ordered(flags)


def recent_red_flags(
    reports: Sequence[ReportedSymptom], checks: Sequence[FlaggedCheck], today: date
) -> tuple[RedFlag, ...]:
    """The flags of the last 14 days: they stay on the dashboard."""
    return red_flags(reports, checks, today - timedelta(days=RED_FLAG_WINDOW_DAYS), today)


def reported_symptoms(
    reports: Sequence[ReportedSymptom], first: date, last: date
) -> tuple[RedFlag, ...]:
    """Every symptom reported from `first` to `last`, context ones included, in the same
    order and with the same advice as the red flags (the weekly review lists them all)."""
    return _ordered(
        _flag(r, reports) for r in reports if r.key in SYMPTOMS and first <= r.reported_on <= last
    )
