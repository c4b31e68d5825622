"""Smoking at a glance for the TUI and reports: status, quit date, pack-years, today's count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tracker.domain.smoking import StatusSpan, pack_years, quit_date, status_on


class SmokingDiary(Protocol):
    """The reads smoking needs (the store, or the dashboard's first look at the file)."""

    def cigarettes(
        self, since: date | None = None, until: date | None = None
    ) -> dict[date, int]: ...

    def smoking_history(self) -> list[StatusSpan]: ...


@dataclass(frozen=True)
class SmokingSummary:
    today: date
    cigarettes_today: int | None
    """None when nothing was logged today."""
    status: str | None
    since: date | None
    frequency: str | None
    quit: date | None
    pack_years: float | None
    pack_years_complete: bool


def smoking_summary_for(diary: SmokingDiary, today: date) -> SmokingSummary:
    history = diary.smoking_history()
    counts = diary.cigarettes()
    now = status_on(history, today)
    py = pack_years(history, counts, today) if history or counts else None
    return SmokingSummary(
        today=today,
        cigarettes_today=counts.get(today),
        status=now.status if now else None,
        since=now.since if now else None,
        frequency=now.frequency if now else None,
        quit=quit_date(history, today),
        pack_years=py.value if py else None,
        pack_years_complete=py.complete if py else True,
    )
