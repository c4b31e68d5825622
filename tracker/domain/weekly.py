"""The weekly aggregate: Monday-to-Sunday weeks of one method's walks, with the walks that ended
in pain and the walks that ended without pain (lower bounds) kept apart.

The trend chart's weekly line, the doctor report's weekly table and the weekly review all read
these rows, so they cannot disagree. Methods are never mixed (they differ about twofold).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from tracker.domain.clinical import MODERATE_PAIN
from tracker.domain.stats import median


class WeekWalk(Protocol):
    """What a weekly row reads from a walk (the store's WalkPoint and Walk both fit)."""

    @property
    def walked_at(self) -> datetime: ...
    @property
    def pain_free_m(self) -> float: ...
    @property
    def max_m(self) -> float | None: ...
    @property
    def no_pain(self) -> bool: ...
    @property
    def method(self) -> str: ...


class ExerciseWalk(WeekWalk, Protocol):
    @property
    def pain(self) -> int | None: ...
    @property
    def duration_min(self) -> float | None: ...
    @property
    def total_m(self) -> float | None: ...


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekStats:
    """One method's week. Medians and the best distance come only from walks that ended in
    pain; the longest walk without pain is a separate lower bound ("at least")."""

    week_start: date
    method: str
    walks: int
    with_pain: int
    without_pain: int
    median_pf_m: float | None
    best_pf_m: float | None
    longest_no_pain_m: float | None
    median_max_m: float | None

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)


def weekly_stats(
    walks: Iterable[WeekWalk],
    method: str,
    *,
    first: date | None = None,
    last: date | None = None,
) -> list[WeekStats]:
    """Every week from the week of `first` to the week of `last` (default: of the method's
    first and last walk), oldest first; weeks without walks are rows with zero walks."""
    exact: dict[int, list[float]] = {}
    maxima: dict[int, list[float]] = {}
    censored: dict[int, list[float]] = {}
    lo = first.toordinal() if first else None
    hi = last.toordinal() if last else None
    for w in walks:
        if w.method != method:
            continue
        day = w.walked_at.toordinal()
        if (lo is not None and day < lo) or (hi is not None and day > hi):
            continue
        monday = day - (day + 6) % 7
        if w.no_pain:
            censored.setdefault(monday, []).append(w.pain_free_m)
        else:
            exact.setdefault(monday, []).append(w.pain_free_m)
            if w.max_m is not None:
                maxima.setdefault(monday, []).append(w.max_m)
    seen = exact.keys() | censored.keys()
    if not seen and (first is None or last is None):
        return []
    start = monday_of(first).toordinal() if first else min(seen)
    stop = monday_of(last).toordinal() if last else max(seen)
    rows = []
    for monday in range(start, stop + 1, 7):
        e, c, m = exact.get(monday, []), censored.get(monday, []), maxima.get(monday, [])
        rows.append(
            WeekStats(
                week_start=date.fromordinal(monday),
                method=method,
                walks=len(e) + len(c),
                with_pain=len(e),
                without_pain=len(c),
                median_pf_m=median(e) if e else None,
                best_pf_m=max(e) if e else None,
                longest_no_pain_m=max(c) if c else None,
                median_max_m=median(m) if m else None,
            )
        )
    return rows


@dataclass(frozen=True)
class WeekExercise:
    """The weekly goal's figures (docs/clinical.md §3), over every method: a session is a
    session."""

    week_start: date
    sessions: int
    moderate_pain: int
    """Sessions that went on into moderate pain (≥ MODERATE_PAIN / 10), the kind that trains."""
    minutes: float | None
    timed_sessions: int
    distance_m: float | None


def weekly_exercise(walks: Iterable[ExerciseWalk], first: date, last: date) -> list[WeekExercise]:
    """Every week from the week of `first` to the week of `last`, oldest first."""
    lo, hi = first.toordinal(), last.toordinal()
    start, stop = monday_of(first).toordinal(), monday_of(last).toordinal()
    groups: dict[int, list[ExerciseWalk]] = {}
    for w in walks:
        day = w.walked_at.toordinal()
        if lo <= day <= hi:
            groups.setdefault(day - (day + 6) % 7, []).append(w)
    rows = []
    for monday in range(start, stop + 1, 7):
        week = groups.get(monday, [])
        minutes = [w.duration_min for w in week if w.duration_min is not None]
        totals = [w.total_m for w in week if w.total_m is not None]
        rows.append(
            WeekExercise(
                week_start=date.fromordinal(monday),
                sessions=len(week),
                moderate_pain=sum(1 for w in week if (w.pain or 0) >= MODERATE_PAIN),
                minutes=sum(minutes) if minutes else None,
                timed_sessions=len(minutes),
                distance_m=sum(totals) if totals else None,
            )
        )
    return rows


@dataclass(frozen=True)
class WeekCigarettes:
    """Cigarettes logged in one week (Monday to Sunday)."""

    week_start: date
    cigarettes: int | None
    """The sum over the days with a count; None when no day of the week has one."""
    logged_days: int


def weekly_cigarettes(counts: Mapping[date, int], first: date, last: date) -> list[WeekCigarettes]:
    """Every week from the week of `first` to the week of `last`, oldest first, counting the
    days from `first` to `last` only."""
    start, stop = monday_of(first).toordinal(), monday_of(last).toordinal()
    sums: dict[int, list[int]] = {}
    for day, n in counts.items():
        if first <= day <= last:
            sums.setdefault(monday_of(day).toordinal(), []).append(n)
    return [
        WeekCigarettes(
            week_start=date.fromordinal(monday),
            cigarettes=sum(sums[monday]) if monday in sums else None,
            logged_days=len(sums.get(monday, ())),
        )
        for monday in range(start, stop + 1, 7)
    ]
