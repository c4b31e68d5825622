"""Smoking history: status on a date, quit date, pack-years (docs/clinical.md §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from tracker.domain.clinical import CIGARETTES_PER_PACK, SmokingStatus

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class StatusSpan:
    """A status as recorded: holds from `since` until the next span starts."""

    status: str
    since: date
    cigarettes_per_day: float | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class PackYears:
    value: float
    complete: bool
    """False when some smoking days had neither a daily count nor a typical amount."""


def status_on(spans: Sequence[StatusSpan], day: date) -> StatusSpan | None:
    current = None
    for span in sorted(spans, key=lambda s: s.since):
        if span.since <= day:
            current = span
    return current


def quit_date(spans: Sequence[StatusSpan], today: date) -> date | None:
    """The end of the last smoking period, if the person is not smoking now."""
    ordered = sorted(spans, key=lambda s: s.since)
    now = status_on(ordered, today)
    if now is None or now.status == SmokingStatus.CURRENT:
        return None
    last_quit = None
    for before, after in pairwise(ordered):
        if before.status == SmokingStatus.CURRENT and after.status != SmokingStatus.CURRENT:
            last_quit = after.since
    if last_quit is None and now.status == SmokingStatus.FORMER:
        return now.since
    return last_quit


def pack_years(
    spans: Sequence[StatusSpan], daily_counts: Mapping[date, int], today: date
) -> PackYears:
    """Sum of packs a day × years over every smoking day.

    A logged daily count wins; on days without one, a current period's typical amount is used.
    Counts logged on non-smoking days count too (a slip is still smoking).
    """
    ordered = sorted(spans, key=lambda s: s.since)
    packs = 0.0
    complete = True
    counted: set[date] = set()
    for i, span in enumerate(ordered):
        if span.status != SmokingStatus.CURRENT:
            continue
        end = ordered[i + 1].since if i + 1 < len(ordered) else today + timedelta(days=1)
        start = span.since
        if end <= start:
            continue
        days = (end - start).days
        logged = [d for d in daily_counts if start <= d < end]
        counted.update(logged)
        packs += sum(daily_counts[d] for d in logged) / CIGARETTES_PER_PACK
        unlogged = days - len(logged)
        if unlogged:
            if span.cigarettes_per_day is None:
                complete = False
            else:
                packs += unlogged * span.cigarettes_per_day / CIGARETTES_PER_PACK
    packs += sum(n for d, n in daily_counts.items() if d not in counted and d <= today) / (
        CIGARETTES_PER_PACK
    )
    return PackYears(value=packs / DAYS_PER_YEAR, complete=complete)


def mean_per_day(daily_counts: Mapping[date, int], days: Iterable[date]) -> float | None:
    """Average over the days that have a count; None when none has."""
    values = [daily_counts[d] for d in days if d in daily_counts]
    return sum(values) / len(values) if values else None
