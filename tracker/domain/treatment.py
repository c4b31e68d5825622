"""Walks read against treatment events: pure functions every surface calls.

The events of a period (the PDF's first page), the latest revascularisation (the detector's
change point), chart markers (terminal and PDF charts), the dashboard's "since" figures and the
review's programme week. A procedure starts a new level; medication and programme starts are
context beside the figures, never a cause (docs/clinical.md §11, §8).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from tracker.domain.clinical import (
    PROGRAMME_WEEKS,
    SETTLING_DAYS,
    SINCE_COMPARE_DAYS,
    SINCE_CONTEXT_DAYS,
    SINCE_MIN_WALKS,
    EventKind,
)
from tracker.domain.events import STARTS, STOPS, StoredEvent, same_course
from tracker.domain.weekly import monday_of
from tracker.domain.wording import event_title, marker_label


def _live(events: Sequence[StoredEvent]) -> list[StoredEvent]:
    live = [e for e in events if e.deleted_at is None]
    live.sort(key=lambda e: (e.occurred_on, e.id or 0))
    return live


def events_between(events: Sequence[StoredEvent], start: date, end: date) -> list[StoredEvent]:
    """The events of a period (deleted ones left out), oldest first."""
    return [e for e in _live(events) if start <= e.occurred_on <= end]


def latest_revascularisation(events: Sequence[StoredEvent], as_of: date) -> StoredEvent | None:
    """The last procedure on or before `as_of`: the walks after it are the new level."""
    procedures = [
        e for e in _live(events) if e.kind == EventKind.PROCEDURE and e.occurred_on <= as_of
    ]
    return procedures[-1] if procedures else None


@dataclass(frozen=True)
class ChangePoint:
    """A revascularisation the trend starts again from: walks before `counts_from` are kept
    and charted but left out of the detector (windows, sudden-drop baseline, its noise)."""

    procedure_on: date
    counts_from: date
    """The procedure's day plus the settling period."""
    procedure: str
    """What it was called in a sentence ("angioplasty", "bypass", "procedure")."""
    event_id: int | None


class _Dated(Protocol):
    @property
    def walked_at(self) -> datetime: ...


W = TypeVar("W", bound=_Dated)


def trend_walks(
    walks: Sequence[W], events: Sequence[StoredEvent], as_of: date, look_back_days: int
) -> tuple[list[W], ChangePoint | None]:
    """The walks the trend may use as of `as_of`, and the procedure they were cut at.

    Only the latest revascularisation on or before `as_of` counts, and only while its settling
    period ends within the `look_back_days` the detector reads: an older one no longer
    touches any window. Medication and programme starts never cut (they are context).
    """
    procedure = latest_revascularisation(events, as_of)
    if procedure is None:
        return list(walks), None
    counts_from = procedure.occurred_on + timedelta(days=SETTLING_DAYS)
    if (as_of - counts_from).days >= look_back_days:
        return list(walks), None
    point = ChangePoint(procedure.occurred_on, counts_from, event_title(procedure), procedure.id)
    return [w for w in walks if w.walked_at.date() >= counts_from], point


def _course_ends(live: list[StoredEvent]) -> dict[int, StoredEvent | None]:
    """For each start in `live` (sorted, deleted left out), keyed by `id()`, the stop that ends
    its course: the first matching stop on or after it, unless the course is started again
    first. Events are grouped by programme or medicine category, so a long diary is not read
    once per start."""
    groups: dict[tuple[str, str | None], list[StoredEvent]] = {}
    for e in live:
        if e.kind in (EventKind.PROGRAMME_START, EventKind.PROGRAMME_END):
            groups.setdefault(("programme", None), []).append(e)
        elif e.kind in (EventKind.MEDICATION_START, EventKind.MEDICATION_STOP):
            groups.setdefault(("medication", e.category), []).append(e)
    ends: dict[int, StoredEvent | None] = {}
    for group in groups.values():
        days = [e.occurred_on for e in group]
        for e in group:
            if e.kind not in STARTS:
                continue
            ends[id(e)] = None
            for other in group[bisect_left(days, e.occurred_on) :]:
                if other is e or not same_course(other, e):
                    continue
                if other.kind in STARTS and other.occurred_on > e.occurred_on:
                    break
                if other.kind in STOPS:
                    ends[id(e)] = other
                    break
    return ends


def _still_running(end: StoredEvent | None, day: date) -> bool:
    return end is None or end.occurred_on > day


def stopped_on(start: StoredEvent, events: Sequence[StoredEvent]) -> date | None:
    """When the course begun by `start` (one of `events`) ended, or None while it runs."""
    end = _course_ends(_live(events)).get(id(start))
    return None if end is None else end.occurred_on


@dataclass(frozen=True)
class Course:
    """A medicine or the exercise programme from its start to its stop; either may be missing
    (a stop with no start: begun before the diary; no stop: still running)."""

    start: StoredEvent | None
    stop: StoredEvent | None

    @property
    def first(self) -> StoredEvent:
        event = self.start or self.stop
        assert event is not None
        return event


def courses(events: Sequence[StoredEvent]) -> list[Course]:
    """Every medication and programme course, in order of its first date."""
    live = _live(events)
    ends = _course_ends(live)
    out: list[Course] = []
    claimed: set[int] = set()
    for e in live:
        if e.kind in STARTS:
            stop = ends[id(e)]
            if stop is not None:
                claimed.add(id(stop))
            out.append(Course(e, stop))
    out += [Course(None, e) for e in live if e.kind in STOPS and id(e) not in claimed]
    out.sort(key=lambda c: (c.first.occurred_on, c.first.id or 0))
    return out


# --- chart markers ----------------------------------------------------------------------
@dataclass(frozen=True)
class ChartMarker:
    """A vertical line on a trend chart with a one-word label."""

    day: date
    label: str
    kind: str
    change_point: bool
    """A revascularisation: the level before it is not the baseline after it (draw it bold)."""


def chart_markers(events: Sequence[StoredEvent], start: date, end: date) -> tuple[ChartMarker, ...]:
    """Markers for the events in a chart's range, oldest first (same data for both charts)."""
    return tuple(
        ChartMarker(e.occurred_on, marker_label(e), e.kind, e.kind == EventKind.PROCEDURE)
        for e in events_between(events, start, end)
    )


# --- the weekly review's programme week -------------------------------------------------
@dataclass(frozen=True)
class ProgrammeWeek:
    start: date
    week: int
    """1 for the ISO week holding the start date."""
    planned_weeks: int
    ended_on: date | None
    """Set when the programme's end falls in or before the reviewed week."""


def programme_week(events: Sequence[StoredEvent], monday: date) -> ProgrammeWeek | None:
    """The programme running in the week from `monday` ("week 5 of 12"), or None when none
    had started by the week's end or the last one ended before the week began."""
    sunday = monday + timedelta(days=6)
    starts = [
        e for e in _live(events) if e.kind == EventKind.PROGRAMME_START and e.occurred_on <= sunday
    ]
    if not starts:
        return None
    start = starts[-1]
    ended = stopped_on(start, events)
    if ended is not None and ended < monday:
        return None
    first_monday = monday_of(start.occurred_on)
    return ProgrammeWeek(
        start=start.occurred_on,
        week=(monday - first_monday).days // 7 + 1,
        planned_weeks=PROGRAMME_WEEKS,
        ended_on=ended if ended is not None and ended <= sunday else None,
    )


# --- the dashboard's "since" figures ----------------------------------------------------
@dataclass(frozen=True)
class SinceFigures:
    """Median pain-free distance around one event, from walks with pain of one method."""

    event: StoredEvent
    method: str
    before_from: date
    """4 weeks before the event, or the day after an earlier procedure if that is later."""
    after_from: date
    after_median_m: float | None
    after_walks: int
    before_median_m: float | None
    before_walks: int

    @property
    def comparable(self) -> bool:
        return self.before_walks >= SINCE_MIN_WALKS and self.after_walks >= SINCE_MIN_WALKS


PainFreeReader = Callable[[date, date], tuple[float | None, int]]
"""The median pain-free distance and the count of one method's walks with pain between two
days, both included (the store's `pain_free_median`)."""


def _figures(
    event: StoredEvent,
    read: PainFreeReader,
    method: str,
    after_from: date,
    today: date,
    floor: date | None,
) -> SinceFigures:
    """Walks on the event's own day count on neither side: they may be from before it."""
    before_from = event.occurred_on - timedelta(days=SINCE_COMPARE_DAYS)
    if floor is not None:
        before_from = max(before_from, floor + timedelta(days=1))
    after_m, after_n = read(after_from, today)
    before_m, before_n = read(before_from, event.occurred_on - timedelta(days=1))
    return SinceFigures(
        event, method, before_from, after_from, after_m, after_n, before_m, before_n
    )


def since_figures(
    events: Sequence[StoredEvent], read: PainFreeReader, today: date, method: str
) -> tuple[SinceFigures, ...]:
    """What the dashboard's "since" line says: the latest procedure (median since the day
    after it), then the latest medication or programme start after it that still runs and is
    at most 6 months old (the 4 weeks before it against the last 4 weeks).

    `read(start, end)` gives one method's pain-free distances of walks with pain.
    """
    out: list[SinceFigures] = []
    procedure = latest_revascularisation(events, today)
    if procedure is not None:
        out.append(
            _figures(
                procedure, read, method, procedure.occurred_on + timedelta(days=1), today, None
            )
        )
    floor = procedure.occurred_on if procedure is not None else None
    live = _live(events)
    ends = _course_ends(live)
    running = [
        e
        for e in live
        if e.kind in (EventKind.MEDICATION_START, EventKind.PROGRAMME_START)
        and e.occurred_on <= today
        and (today - e.occurred_on).days <= SINCE_CONTEXT_DAYS
        and (floor is None or e.occurred_on > floor)
        and _still_running(ends.get(id(e)), today)
    ]
    if running:
        start = running[-1]
        recent = max(start.occurred_on + timedelta(days=1), today - timedelta(days=27))
        out.append(_figures(start, read, method, recent, today, floor))
    return tuple(out)
