"""A therapist's programme read at once: one query per table for every patient the login may
read, then each patient's `Diary` answered from those rows.

The cohort asks every patient's dashboard the same questions (`dashboard.summarise`); asked of
the server patient by patient that is some sixteen round trips each. Here they are eight for
the whole programme, and the domain functions run on the rows in memory exactly as on the
store. A question about rows that were not fetched (walks before the window, deleted rows)
goes to the store, narrowed to that patient.
"""

from __future__ import annotations

import statistics
from collections import defaultdict, namedtuple
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session, col

from tracker.db.models import (
    OWNER_COLUMN,
    CalfCheck,
    CigaretteDay,
    Settings,
    SmokingPeriod,
    SymptomReport,
    TreatmentEvent,
    Walk,
)
from tracker.domain.clinical import RED_FLAG_WINDOW_DAYS
from tracker.domain.current_trend import HISTORY_DAYS
from tracker.domain.smoking import StatusSpan
from tracker.domain.walks import EXERCISE_COLUMNS, POINT_COLUMNS, WalkPoint

T = TypeVar("T")
WINDOW_DAYS = max(HISTORY_DAYS, 7 * 8)
"""The walks fetched: the trend's history (the longest any cohort figure reads)."""
SYMPTOM_DAYS = 2 * RED_FLAG_WINDOW_DAYS


WALK_FIELDS: list[str] = [c.name for c in Walk.__table__.c if c.name != OWNER_COLUMN]  # type: ignore[attr-defined]
WalkRow = namedtuple("WalkRow", WALK_FIELDS)  # type: ignore[misc]
"""A walk as the cohort reads it: the store's `Walk` fields, without the ORM's bookkeeping."""


def _owner(model: Any) -> Any:
    return model.__table__.c[OWNER_COLUMN]


class ProgrammeReads:
    def __init__(self, store: Any, narrowed: Callable[[int], Any], today: date) -> None:
        """`store` reads the whole programme; `narrowed(patient_id)` is the store looking at
        one patient (for what was not fetched)."""
        self.narrowed = narrowed
        self.walk_start = today - timedelta(days=WINDOW_DAYS)
        self.symptom_start = today - timedelta(days=SYMPTOM_DAYS)
        self.walks: dict[int, list[Any]] = defaultdict(list)
        """`WalkRow`s, oldest first."""
        self.counts: dict[int, int] = {}
        self.settings: dict[int, Settings] = {}
        self.cigarettes: dict[int, dict[date, int]] = defaultdict(dict)
        self.smoking: dict[int, list[StatusSpan]] = defaultdict(list)
        self.symptoms: dict[int, list[SymptomReport]] = defaultdict(list)
        self.checks: dict[int, list[CalfCheck]] = defaultdict(list)
        self.events: dict[int, list[TreatmentEvent]] = defaultdict(list)
        start = datetime.combine(self.walk_start, datetime.min.time())
        with Session(store.engine, expire_on_commit=False) as s:
            walk = Walk.__table__  # type: ignore[attr-defined]
            fetched = (
                select(*(walk.c[name] for name in WALK_FIELDS), _owner(Walk))
                .where(col(Walk.deleted_at).is_(None), col(Walk.walked_at) >= start)
                .order_by(col(Walk.walked_at), col(Walk.id))
            )
            for found in s.execute(fetched):  # plain tuples: ORM objects cost twice the reading
                self.walks[int(found[-1])].append(WalkRow(*found[:-1]))
            counted = select(_owner(Walk), func.count()).where(col(Walk.deleted_at).is_(None))
            grouped = s.execute(counted.group_by(_owner(Walk)))
            self.counts = {int(o): int(total) for o, total in grouped}
            table = Settings.__table__  # type: ignore[attr-defined]
            fields = [c for c in table.columns if c.name != OWNER_COLUMN]
            for row in s.execute(select(*fields, table.c[OWNER_COLUMN])).mappings():
                values = dict(row)
                owner = int(values.pop(OWNER_COLUMN))
                self.settings[owner] = Settings(**values)
            cig = select(_owner(CigaretteDay), col(CigaretteDay.day), col(CigaretteDay.count))
            for owner, day, n in s.execute(cig):
                self.cigarettes[int(owner)][day] = int(n)
            for period, owner in s.execute(
                select(SmokingPeriod, _owner(SmokingPeriod)).order_by(col(SmokingPeriod.since))
            ):
                self.smoking[int(owner)].append(
                    StatusSpan(
                        period.status, period.since, period.cigarettes_per_day, period.frequency
                    )
                )
            self._group(
                s,
                select(SymptomReport, _owner(SymptomReport))
                .where(
                    col(SymptomReport.deleted_at).is_(None),
                    col(SymptomReport.reported_on) >= self.symptom_start,
                )
                .order_by(col(SymptomReport.reported_on).desc(), col(SymptomReport.id).desc()),
                self.symptoms,
            )
            self._group(
                s,
                select(CalfCheck, _owner(CalfCheck)).order_by(
                    col(CalfCheck.checked_at).desc(), col(CalfCheck.id).desc()
                ),
                self.checks,
            )
            self._group(
                s,
                select(TreatmentEvent, _owner(TreatmentEvent))
                .where(col(TreatmentEvent.deleted_at).is_(None))
                .order_by(col(TreatmentEvent.occurred_on), col(TreatmentEvent.id)),
                self.events,
            )

    @staticmethod
    def _group(s: Session, stmt: Any, into: dict[int, list[Any]]) -> None:
        for row, owner in s.execute(stmt):
            into[int(owner)].append(row)

    def diary(self, patient_id: int) -> PatientDiary:
        return PatientDiary(self, patient_id)


def _on(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


class PatientDiary:
    """One patient's `Diary` (domain/diary.py) from the programme's rows, with the store's
    filters and orders; what lies outside them is asked of the narrowed store."""

    def __init__(self, reads: ProgrammeReads, patient_id: int) -> None:
        self.reads = reads
        self.patient_id = patient_id

    def _store(self) -> Any:
        return self.reads.narrowed(self.patient_id)

    def _fetched(self, since: date | None) -> bool:
        return since is not None and since >= self.reads.walk_start

    def settings(self) -> Settings:
        return self.reads.settings.get(self.patient_id) or Settings(id=1)

    def walks(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        include_deleted: bool = False,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> Sequence[Any]:
        if include_deleted or not self._fetched(since):
            stored: Sequence[Any] = self._store().walks(
                since,
                until,
                method=method,
                include_deleted=include_deleted,
                newest_first=newest_first,
                limit=limit,
                offset=offset,
            )
            return stored
        rows = [
            w
            for w in self.reads.walks[self.patient_id]
            if _within(w.walked_at.date(), since, until) and (method is None or w.method == method)
        ]
        if newest_first:
            rows.reverse()
        rows = rows[offset:]
        return rows if limit is None else rows[:limit]

    def last_walk(self) -> Any:
        fetched = self.reads.walks[self.patient_id]
        if fetched:
            return max(fetched, key=lambda w: (w.walked_at, w.id or 0))
        if not self.reads.counts.get(self.patient_id):
            return None
        return self._store().last_walk()

    def count_walks(self, since: date | None = None, until: date | None = None) -> int:
        if since is None and until is None:
            return self.reads.counts.get(self.patient_id, 0)
        n: int = self._store().count_walks(since, until)
        return n

    def walk_points(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        exercise: bool = False,
    ) -> list[WalkPoint]:
        if not self._fetched(since):
            points: list[WalkPoint] = self._store().walk_points(
                since, until, method=method, exercise=exercise
            )
            return points
        names = POINT_COLUMNS + (EXERCISE_COLUMNS if exercise else ())
        return [
            WalkPoint(*(getattr(w, n) for n in names))
            for w in self.walks(since, until, method=method)
        ]

    def timed_walk_counts(self, since: date | None, until: date | None) -> dict[str, int]:
        counts: dict[str, int] = self._store().timed_walk_counts(since, until)
        return counts

    def pain_free_median(
        self, since: date, until: date, *, method: str | None = None
    ) -> tuple[float | None, int]:
        if not self._fetched(since):
            found: tuple[float | None, int] = self._store().pain_free_median(
                since, until, method=method
            )
            return found
        values = [
            w.pain_free_m
            for w in self.walks(since, until)
            if not w.no_pain and (method is None or (w.method or "") == method)
        ]
        return (statistics.median(values), len(values)) if values else (None, 0)

    def cigarettes(self, since: date | None = None, until: date | None = None) -> dict[date, int]:
        days = self.reads.cigarettes[self.patient_id]
        return {d: n for d, n in days.items() if _within(d, since, until)}

    def smoking_history(self) -> list[StatusSpan]:
        return list(self.reads.smoking[self.patient_id])

    def symptoms(
        self, since: date | None = None, until: date | None = None
    ) -> Sequence[SymptomReport]:
        if since is None or since < self.reads.symptom_start:
            found: Sequence[SymptomReport] = self._store().symptoms(since, until)
            return found
        return [
            r for r in self.reads.symptoms[self.patient_id] if _within(r.reported_on, since, until)
        ]

    def calf_checks(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None
    ) -> Sequence[CalfCheck]:
        rows = [
            c
            for c in self.reads.checks[self.patient_id]
            if _within(_on(c.checked_at), since, until)
        ]
        return rows if limit is None else rows[:limit]

    def latest_calf_check(self) -> CalfCheck | None:
        rows = self.reads.checks[self.patient_id]
        return rows[0] if rows else None

    def events(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        include_deleted: bool = False,
    ) -> Sequence[TreatmentEvent]:
        if include_deleted:
            found: Sequence[TreatmentEvent] = self._store().events(
                since, until, include_deleted=True
            )
            return found
        return [
            e for e in self.reads.events[self.patient_id] if _within(e.occurred_on, since, until)
        ]
