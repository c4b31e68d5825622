"""A therapist's programme read at once: one query per table for every patient the login may
read, then each patient's `Diary` answered from those rows.

The cohort asks every patient's dashboard the same questions (`dashboard.summarise`); asked of
the server patient by patient that is some sixteen round trips each. Here they are eight for
the whole programme, and the domain functions run on the rows in memory exactly as on the
store. A question about rows that were not fetched (walks before the window, deleted rows)
goes to the store, narrowed to that patient.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from bisect import bisect_left, bisect_right
from collections import defaultdict, namedtuple
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, select, text
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
from tracker.domain.cohort import LINE_FORMAT
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


_POINT_FIELDS = {
    exercise: itemgetter(
        *(WALK_FIELDS.index(n) for n in POINT_COLUMNS + (EXERCISE_COLUMNS if exercise else ()))
    )
    for exercise in (False, True)
}
"""A `WalkPoint`'s fields of a `WalkRow` (by position: a fifth of the cost of by name)."""


def _owner(model: Any) -> Any:
    return model.__table__.c[OWNER_COLUMN]


class ProgrammeReads:
    def __init__(
        self,
        store: Any,
        narrowed: Callable[[int], Any],
        today: date,
        only: Collection[int] | None = None,
    ) -> None:
        """`store` reads the whole programme; `narrowed(patient_id)` is the store looking at
        one patient (for what was not fetched); `only`: read just these patients (those
        whose cached line is out of date)."""
        self.narrowed = narrowed
        ids = None if only is None else sorted(only)

        def mine(stmt: Any, model: Any) -> Any:
            return stmt if ids is None else stmt.where(_owner(model).in_(ids))

        self.walk_start = today - timedelta(days=WINDOW_DAYS)
        self.symptom_start = today - timedelta(days=SYMPTOM_DAYS)
        self.walks: dict[int, list[Any]] = defaultdict(list)
        """`WalkRow`s, oldest first."""
        self._times: dict[int, list[datetime]] = {}
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
            fetched = mine(
                select(*(walk.c[name] for name in WALK_FIELDS), _owner(Walk))
                .where(col(Walk.deleted_at).is_(None), col(Walk.walked_at) >= start)
                .order_by(col(Walk.walked_at), col(Walk.id)),
                Walk,
            )
            for found in s.execute(fetched):  # plain tuples: ORM objects cost twice the reading
                self.walks[int(found[-1])].append(WalkRow(*found[:-1]))
            counted = mine(
                select(_owner(Walk), func.count()).where(col(Walk.deleted_at).is_(None)), Walk
            )
            grouped = s.execute(counted.group_by(_owner(Walk)))
            self.counts = {int(o): int(total) for o, total in grouped}
            table = Settings.__table__  # type: ignore[attr-defined]
            fields = [c for c in table.columns if c.name != OWNER_COLUMN]
            for row in s.execute(mine(select(*fields, table.c[OWNER_COLUMN]), Settings)).mappings():
                values = dict(row)
                owner = int(values.pop(OWNER_COLUMN))
                self.settings[owner] = Settings(**values)
            cig = mine(
                select(_owner(CigaretteDay), col(CigaretteDay.day), col(CigaretteDay.count)),
                CigaretteDay,
            )
            for owner, day, n in s.execute(cig):
                self.cigarettes[int(owner)][day] = int(n)
            for period, owner in s.execute(
                mine(select(SmokingPeriod, _owner(SmokingPeriod)), SmokingPeriod).order_by(
                    col(SmokingPeriod.since)
                )
            ):
                self.smoking[int(owner)].append(
                    StatusSpan(
                        period.status, period.since, period.cigarettes_per_day, period.frequency
                    )
                )
            self._group(
                s,
                mine(select(SymptomReport, _owner(SymptomReport)), SymptomReport)
                .where(
                    col(SymptomReport.deleted_at).is_(None),
                    col(SymptomReport.reported_on) >= self.symptom_start,
                )
                .order_by(col(SymptomReport.reported_on).desc(), col(SymptomReport.id).desc()),
                self.symptoms,
            )
            self._group(
                s,
                mine(select(CalfCheck, _owner(CalfCheck)), CalfCheck).order_by(
                    col(CalfCheck.checked_at).desc(), col(CalfCheck.id).desc()
                ),
                self.checks,
            )
            self._group(
                s,
                mine(select(TreatmentEvent, _owner(TreatmentEvent)), TreatmentEvent)
                .where(col(TreatmentEvent.deleted_at).is_(None))
                .order_by(col(TreatmentEvent.occurred_on), col(TreatmentEvent.id)),
                self.events,
            )

    def times(self, patient_id: int) -> list[datetime]:
        """The patient's fetched walks' times, in order (for bisecting)."""
        found = self._times.get(patient_id)
        if found is None:
            found = self._times[patient_id] = [w.walked_at for w in self.walks[patient_id]]
        return found

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
        if not include_deleted and not self._fetched(since) and newest_first and limit:
            # the newest few (the main method's last 5): older than every fetched walk only
            # when fewer were fetched
            recent = self._between(self.reads.walk_start, until, method)
            if len(recent) >= offset + limit:
                return recent[::-1][offset : offset + limit]
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
        rows = self._between(since, until, method)
        if newest_first:
            rows.reverse()
        rows = rows[offset:]
        return rows if limit is None else rows[:limit]

    def _between(self, since: date | None, until: date | None, method: str | None) -> list[Any]:
        """The fetched walks from `since` to `until` (whole days), oldest first: a slice of
        the patient's walks, which are in time order."""
        walks = self.reads.walks[self.patient_id]
        times = self.reads.times(self.patient_id)
        lo = 0 if since is None else bisect_left(times, datetime.combine(since, time.min))
        hi = len(times) if until is None else bisect_right(times, datetime.combine(until, time.max))
        rows = walks[lo:hi]
        return rows if method is None else [w for w in rows if w.method == method]

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
        picked = _POINT_FIELDS[exercise]
        return [WalkPoint(*picked(w)) for w in self._between(since, until, method)]

    def walk_source_counts(
        self, since: date | None, until: date | None
    ) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = self._store().walk_source_counts(since, until)
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


FINGERPRINTED: tuple[Any, ...] = (
    Walk,
    SmokingPeriod,
    CigaretteDay,
    SymptomReport,
    Settings,
    TreatmentEvent,
    CalfCheck,
)
"""The tables a cohort line is computed from (all that `PatientDiary` answers from)."""


def fingerprints(conn: Connection) -> dict[int, str]:
    """A summary of each visible patient's rows in the tables a line reads, in one query:
    per table, the number of rows and the sum of their `xmin` (the transaction that wrote
    each row version). Every insert or update writes a version with a newer transaction
    than any before it, so the sum grows; a delete alone lowers the count; so any change
    to a patient's rows changes the summary (updated_at would miss the changes that do not
    set it: a symptom acknowledged, a smoking period). PostgreSQL only."""
    parts = [
        f"SELECT owner_id, {i} AS t, count(*) AS n, sum(xmin::text::bigint) AS x "
        f"FROM {model.__tablename__} GROUP BY owner_id"
        for i, model in enumerate(FINGERPRINTED)
    ]
    found: dict[int, list[str]] = defaultdict(lambda: ["0:0"] * len(FINGERPRINTED))
    for owner, t, n, x in conn.execute(text(" UNION ALL ".join(parts))):
        found[int(owner)][int(t)] = f"{int(n)}:{int(x)}"
    return {owner: ";".join(summary) for owner, summary in found.items()}


def code_stamp() -> str:
    """Which code computed a line: the release, the line's format and the domain's files
    (size and time), so a changed detector recomputes every line even without a new
    version number."""
    # looked up only for the cohort: the version costs importlib.metadata
    import tracker
    import tracker.domain

    stamp = hashlib.sha256()
    for source in sorted(Path(tracker.domain.__file__).parent.glob("*.py")):
        found = source.stat()
        stamp.update(f"{source.name}:{found.st_size}:{found.st_mtime_ns};".encode())
    return f"{tracker.__version__}/{LINE_FORMAT}/{stamp.hexdigest()[:16]}"


class LineCache:
    """The therapist's kept cohort lines (table `cohort_line`, migration 0010), each valid
    for the day it was computed for while the patient's rows still have the fingerprint
    they had before they were read. Row-level security shows the therapist only its own
    rows of its programme's patients (clinic.py)."""

    def __init__(self, engine: Engine, today: date) -> None:
        self.engine = engine
        self.today = today
        self.version = code_stamp()
        # the fingerprints are read first: a row written after them makes the kept line
        # out of date next time (computed once more), never a stale line kept as current
        with engine.connect() as conn:
            prints = fingerprints(conn)
            kept = conn.execute(
                text(
                    "SELECT patient_id, as_of, fingerprint, line FROM cohort_line"
                    " WHERE therapist_role = current_user"
                )
            ).all()
        empty = ";".join(["0:0"] * len(FINGERPRINTED))
        self.prints: defaultdict[int, str] = defaultdict(lambda: f"{self.version}|{empty}")
        self.prints.update({p: f"{self.version}|{summary}" for p, summary in prints.items()})
        self.kept = {
            int(pid): str(line)
            for pid, as_of, fingerprint, line in kept
            if as_of == today and fingerprint == self.prints[int(pid)]
        }

    def facts(self, patient_id: int) -> str | None:
        """The kept line's facts (cohort.line_facts), if still this patient's line today."""
        return self.kept.get(patient_id)

    def keep(self, facts: dict[int, str]) -> None:
        """Keep these lines (patient id: `line_facts`), in one statement."""
        if not facts:
            return
        rows = [
            {"patient_id": p, "as_of": self.today.isoformat(), "fingerprint": self.prints[p],
             "line": f}
            for p, f in facts.items()
        ]  # fmt: skip
        with self.engine.connect() as conn:
            conn.execute(
                text(
                    "INSERT INTO cohort_line (therapist_role, patient_id, as_of, fingerprint,"
                    " line, computed_at) SELECT current_user, k.patient_id, k.as_of,"
                    " k.fingerprint, k.line, now() AT TIME ZONE 'utc' FROM"
                    " jsonb_to_recordset(CAST(:kept AS jsonb)) AS k(patient_id integer,"
                    " as_of date, fingerprint text, line text) ON CONFLICT (therapist_role,"
                    " patient_id) DO UPDATE SET as_of = excluded.as_of, fingerprint ="
                    " excluded.fingerprint, line = excluded.line, computed_at ="
                    " excluded.computed_at"
                ),
                {"kept": json.dumps(rows)},
            )
            conn.commit()
