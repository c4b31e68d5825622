"""The repository: every query the CLI, the app, the domain and the exports use; none of them
talks SQL. `opening` creates the `Store` (and knows the file is SQLite); this module only asks.

Rows holding values the app cannot read (`rows`) are left out of every read and named in a
warning. On SQLite, the walk points read goes straight to the driver (the hot read of charts and
the trend); on a server it goes through SQLAlchemy Core.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, and_, delete, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from tracker.db import diary_file
from tracker.db.diary_file import is_busy
from tracker.db.errors import (
    ConnectionLost,
    DatabaseBusy,
    NotFound,
    UnreadableRow,
    busy_message,
)
from tracker.db.models import (
    OWNER_COLUMN,
    CalfCheck,
    CigaretteDay,
    DeviceDraft,
    PromptAnswer,
    Settings,
    SmokingPeriod,
    SymptomReport,
    TreatmentEvent,
    Walk,
    utc_now,
)
from tracker.db.rows import BadRow, find_bad_rows, warning
from tracker.db.walk_table import WALK_TABLE_COLUMNS, stored_time, walk_columns
from tracker.domain.calf_check import CheckInput
from tracker.domain.events import EventInput
from tracker.domain.smoking import StatusSpan
from tracker.domain.walks import (
    EXERCISE_COLUMNS,
    POINT_COLUMNS,
    StoredWalkRow,
    WalkInput,
    WalkPoint,
)

STREAM_BATCH = 2000
"""Rows a streaming read fetches at a time."""
MAX_ROW_ID = 2**63 - 1
"""SQLite's largest integer key; a larger id names no row (and cannot even be asked for)."""

T = TypeVar("T")
D = TypeVar("D", Walk, TreatmentEvent)
"""The tables whose rows are deleted softly (kept, with `deleted_at`)."""
WalkRow = tuple[Any, ...]
"""A walk as an import stores it: the values of `WALK_ROW`, in order."""
WalkMeta = Mapping[str, datetime | None]
"""A walk's `created_at`, `updated_at` and `deleted_at` from an imported file."""


@dataclass
class Store:
    """Queries the UI, CLI and exports use; none of them talks SQL.

    Rows holding values the app cannot read (see `store_rows`) are left out of every read and
    named in a warning: found on opening, or when a read trips over one (then the read is
    repeated without it)."""

    engine: Engine
    url: str
    path: Path | None = None
    """The diary file (None for a server database)."""
    backup_path: Path | None = None
    notices: list[str] = field(default_factory=list)
    """What opening did that the user should hear about (a new diary, copies made)."""
    warnings: list[str] = field(default_factory=list)
    """Rows opening found unreadable (they are left out of every read)."""
    on_warning: Callable[[str], None] | None = None
    """Told about rows found unreadable after opening (the CLI prints, the TUI notifies)."""
    _excluded: dict[str, frozenset[int]] = field(default_factory=dict)
    _bad_settings: frozenset[str] = frozenset()
    _known_bad: set[tuple[str, int]] = field(default_factory=set)
    _unreadable: list[BadRow] = field(default_factory=list)
    """Every row found unreadable so far, in the order found."""
    _walks_checked: bool = False
    _walk_check_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    walks_checked_upto: int | None = None
    """Walks up to this rowid passed the value check in an earlier session, and the file
    has not been changed outside tracker since (None: check them all)."""
    _closed: bool = False
    _walks_checked_top: int | None = None
    """The highest walk rowid recorded as checked by this session (SQLite files only)."""

    # --- sessions ---------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        conn = self.engine.connect().execution_options(write=True)
        try:
            with Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.commit()
        finally:
            conn.close()

    def close(self) -> None:
        self.engine.dispose()
        if self.path is not None and not self._closed:
            diary_file.note_closed(self.path)
            if not diary_file.side_files_in_use(self.path):
                diary_file.keep_check_record(self.path, clean=not self._unreadable)
        self._closed = True

    # --- rows the app cannot read ------------------------------------------------------
    def find_unreadable_rows(
        self,
        *,
        exact: bool = True,
        only: Sequence[str] | None = None,
        skip: Sequence[str] = (),
        after_rowid: int = 0,
    ) -> str | None:
        """Look for rows with values the app cannot read (all tables, or those `only` names,
        less those in `skip`);
        returns the warning for rows not known before (None if there are none). SQLite files
        only: a server enforces types."""
        if self.engine.dialect.name != "sqlite":
            return None
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            bad = find_bad_rows(raw, exact=exact, only=only, skip=skip, after_rowid=after_rowid)  # type: ignore[arg-type]
        new = [b for b in bad if (b.table, b.rowid) not in self._known_bad]
        if not new:
            return None
        self._unreadable.extend(new)
        for b in new:
            self._known_bad.add((b.table, b.rowid))
            if b.table == "settings":
                self._bad_settings = self._bad_settings | set(b.columns)
            else:
                self._excluded[b.table] = self._excluded.get(b.table, frozenset()) | {b.rowid}
        return warning(new)

    def unreadable_warning(self) -> str | None:
        """One warning naming every row found unreadable so far (on opening, on the first walk
        read, after a read that failed): the CLI prints it once, when the command ends, so the
        user never gets two warnings with different counts."""
        return warning(self._unreadable) if self._unreadable else None

    def _warn(self, message: str) -> None:
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            self.warnings.append(message)

    def _check_walks(self, *, partial: bool = False) -> None:
        """The walk table is checked on its first read, not on opening: logging a walk (the
        command run most) reads none, and a long diary's check costs more than the rest.

        The check is the exact one: a ranged or paged read may never fetch a row whose date
        cannot be read ('2026-13-45' sorts outside every range) and would leave it out
        unnamed. (`partial` says which reads those are; every read now gets the same check.)
        On a file no one but tracker changed since (`walks_checked_upto`, set by opening) only
        the walks added since the last check are checked; the highest rowid is recorded when
        every walk passed. Two threads (the app's workers) reading at once: the second waits
        until the rows to leave out are known (the warning is given outside the lock, so a
        callback to the UI thread cannot deadlock with it)."""
        if self._walks_checked:
            return
        with self._walk_check_lock:
            if self._walks_checked:
                return
            after = self.walks_checked_upto or 0
            message = self.find_unreadable_rows(exact=True, only=("walk",), after_rowid=after)
            # Recorded only when every walk passed: rows left out are looked for next time.
            clean = not self._excluded.get("walk")
            if clean and self.path is not None and self.engine.dialect.name == "sqlite":
                with self.engine.connect() as conn:
                    top = conn.execute(text("SELECT max(rowid) FROM walk")).scalar()
                diary_file.note_walks_checked(self.path, int(top or 0))
                self._walks_checked_top = int(top or 0)
            self._walks_checked = True
        if message is not None:
            self._warn(message)

    def _reading(self, read: Callable[[], T]) -> T:
        """Run a read; if a stored value cannot be converted, find the rows behind it, warn,
        and read again without them. (An error with no such row behind it is a bug: raised.)"""
        try:
            return read()
        except (ValueError, TypeError, OverflowError):
            message = self.find_unreadable_rows(exact=True)
            if message is None:
                raise
            self._warn(message)
        return read()

    def _skipping(self, stmt: Any, table: str) -> Any:
        rowids = self._excluded.get(table)
        if not rowids:
            return stmt
        listed = ", ".join(str(r) for r in sorted(rowids))
        return stmt.where(text(f"{table}.rowid NOT IN ({listed})"))

    def _check_id(self, table: str, row_id: int, what: str) -> None:
        if not 1 <= row_id <= MAX_ROW_ID:
            raise NotFound(f"No {what} with id {row_id}.")
        if table == "walk":
            self._check_walks()
        if row_id in self._excluded.get(table, frozenset()):
            raise UnreadableRow(
                f"The {what} with id {row_id} holds values tracker cannot read; it is kept "
                "unchanged in the file but cannot be shown or changed here."
            )

    # --- settings ---------------------------------------------------------------------
    def settings(self) -> Settings:
        """Read with Core, not the ORM session: every command reads settings, and configuring
        the ORM mappers costs start-up time. A field holding a value the app cannot read keeps
        its default."""
        table = Settings.__table__  # type: ignore[attr-defined]

        def read() -> Settings:
            columns = [c for c in _fields(table) if c.name not in self._bad_settings]
            with self.engine.connect() as conn:
                row = conn.execute(select(*columns).where(table.c.id == 1)).mappings().first()
            return Settings(**row) if row is not None else Settings(id=1)

        return self._reading(read)

    def update_settings(self, **changes: Any) -> Settings:
        """Only the changed columns are written (through Core), so a stored value the app cannot
        read in another column neither blocks the change nor is lost by it."""
        table = Settings.__table__  # type: ignore[attr-defined]
        for key in changes:
            if key not in table.c or key in ("id", "updated_at"):
                raise AttributeError(f"unknown setting {key!r}")
        values = {**changes, "updated_at": utc_now()}
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            done = conn.execute(update(table).where(table.c.id == 1).values(**values))
            if not done.rowcount:
                row = Settings(id=1, **values)
                conn.execute(
                    table.insert().values({c.name: getattr(row, c.name) for c in _fields(table)})
                )
        self._bad_settings = self._bad_settings - set(changes)
        return self.settings()

    # --- walks ------------------------------------------------------------------------
    def add_walk(self, walk: WalkInput) -> Walk:
        """One INSERT through Core (no ORM unit of work): logging a walk is the hot path."""
        row = Walk(**walk_columns(walk))
        table = Walk.__table__  # type: ignore[attr-defined]
        values = {c.name: getattr(row, c.name) for c in _fields(table) if c.name != "id"}

        def insert() -> int | None:
            with self.engine.connect().execution_options(write=True) as conn, conn.begin():
                key = conn.execute(table.insert().values(**values)).inserted_primary_key
                return None if key is None else int(key[0])

        try:
            row.id = insert()
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            row.id = self._after_lost_connection(table, values, insert)
        self._count_own_walk(row.id)
        return row

    def _count_own_walk(self, rowid: int | None) -> None:
        """A walk this session wrote right after the last checked one is checked too (its
        values were validated): so the next `tracker log` finds every walk checked and can
        take its fast path (`plain_log`). Not when another writer's rows came in between."""
        top = self._walks_checked_top
        if self.path is None or top is None or rowid is None or rowid != top + 1:
            return
        diary_file.note_walks_checked(self.path, rowid)
        self._walks_checked_top = rowid

    def _after_lost_connection(
        self, table: Any, values: Mapping[str, Any], insert: Callable[[], int | None]
    ) -> int | None:
        """A server connection dropped during the write: the server rolled it back, or the
        commit went through and only its answer was lost. The walk's creation time (to the
        microsecond) tells which; it is written once more only when it is not there."""
        try:
            with self.engine.connect() as conn:
                found = conn.execute(
                    select(table.c.id).where(
                        table.c.created_at == values["created_at"],
                        table.c.walked_at == values["walked_at"],
                    )
                ).scalar()
            return int(found) if found is not None else insert()
        except DBAPIError as exc:
            raise ConnectionLost(
                f"The connection to the database was lost twice while saving the walk "
                f"({str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else exc})."
                " The walk was not saved, and nothing half-written was kept (the server keeps "
                "a write whole or not at all). Try again when the server is back."
            ) from None

    def add_walks(self, walks: Sequence[WalkInput]) -> int:
        """All or nothing: one transaction for the whole batch."""
        with self._write() as s:
            s.add_all([Walk(**walk_columns(w)) for w in walks])
        return len(walks)

    def get_walk(self, walk_id: int, *, include_deleted: bool = False) -> Walk:
        self._check_id("walk", walk_id, "walk")

        def read() -> Walk | None:
            self._check_id("walk", walk_id, "walk")
            with self._read() as s:
                return s.get(Walk, walk_id)

        row = self._reading(read)
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise NotFound(f"No walk with id {walk_id}.")
        return row

    def update_walk(self, walk_id: int, walk: WalkInput) -> Walk:
        self.get_walk(walk_id)  # refuses ids out of range and rows that cannot be read
        with self._write() as s:
            row = s.get(Walk, walk_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(f"No walk with id {walk_id}.")
            for key, value in walk_columns(walk).items():
                if key != "source":
                    setattr(row, key, value)
            row.updated_at = utc_now()
            s.add(row)
        return row

    def set_deleted(self, walk_id: int, deleted: bool) -> Walk:
        """Soft delete (or bring back): the row stays, so nothing is ever lost."""
        self.get_walk(walk_id, include_deleted=True)
        return self._set_deleted(Walk, walk_id, deleted, "walk", "in the log")

    def _set_deleted(self, model: type[D], row_id: int, deleted: bool, what: str, kept: str) -> D:
        with self._write() as s:
            row = s.get(model, row_id)
            if row is None or (row.deleted_at is not None) == deleted:
                state = "deleted" if deleted else kept
                raise NotFound(f"No {what} with id {row_id} that is not already {state}.")
            row.deleted_at = utc_now() if deleted else None
            row.updated_at = utc_now()
            s.add(row)
        return row

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
    ) -> list[Walk]:
        def read() -> list[Walk]:
            stmt = self._walk_filter(
                select(Walk),
                since,
                until,
                method,
                include_deleted,
                paged=limit is not None or offset > 0,
            )
            order = col(Walk.walked_at).desc() if newest_first else col(Walk.walked_at)
            id_order = col(Walk.id).desc() if newest_first else col(Walk.id)
            stmt = stmt.order_by(order, id_order).offset(offset)
            if limit is not None:
                stmt = stmt.limit(limit)
            with self._read() as s:
                return list(s.scalars(stmt).all())

        return self._reading(read)

    def walk_page(
        self,
        since: date | None,
        until: date | None,
        *,
        newest_first: bool,
        limit: int,
        after: tuple[datetime, int] | None = None,
    ) -> list[Walk]:
        """`limit` walks in the order asked, starting right after the walk whose (time, id)
        is `after` in that order: paging by key, so a page at the far end of a long diary
        costs what the first one does (an OFFSET reads and throws away every row before)."""

        def read() -> list[Walk]:
            stmt = self._walk_filter(select(Walk), since, until, None, False, paged=True)
            at, walk_id = col(Walk.walked_at), col(Walk.id)
            if after is not None:
                key_at, key_id = after
                if newest_first:
                    stmt = stmt.where(or_(at < key_at, and_(at == key_at, walk_id < key_id)))
                else:
                    stmt = stmt.where(or_(at > key_at, and_(at == key_at, walk_id > key_id)))
            order = (at.desc(), walk_id.desc()) if newest_first else (at, walk_id)
            with self._read() as s:
                return list(s.scalars(stmt.order_by(*order).limit(limit)).all())

        return self._reading(read)

    def iter_walks(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        include_deleted: bool = False,
    ) -> Iterator[StoredWalkRow]:
        """The walks of `walks()`, oldest first, as rows read a batch at a time (the exports of
        a long diary: no ORM objects, nothing held but the batch). The rows have the walk's
        columns as attributes. A row the app cannot read is found, named in a warning and
        left out, and the reading goes on after the last row given (by key, not by count)."""
        after: tuple[datetime, int] | None = None
        while True:
            rows = self._walk_rows(since, until, method, include_deleted, after)
            while True:
                try:
                    row = next(rows, None)
                except (ValueError, TypeError, OverflowError):
                    rows.close()
                    message = self.find_unreadable_rows(exact=True)
                    if message is None:
                        raise
                    self._warn(message)
                    break
                if row is None:
                    return
                after = (row.walked_at, row.id)
                yield cast(StoredWalkRow, row)

    def _walk_rows(
        self,
        since: date | None,
        until: date | None,
        method: str | None,
        include_deleted: bool,
        after: tuple[datetime, int] | None,
    ) -> Generator[Any, None, None]:
        table = Walk.__table__  # type: ignore[attr-defined]
        stmt = self._walk_filter(select(table), since, until, method, include_deleted)
        if after is not None:
            at, walk_id = after
            stmt = stmt.where(
                or_(
                    col(Walk.walked_at) > at,
                    and_(col(Walk.walked_at) == at, col(Walk.id) > walk_id),
                )
            )
        stmt = stmt.order_by(col(Walk.walked_at), col(Walk.id))
        with self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)

    def count_walks(self, since: date | None = None, until: date | None = None) -> int:
        stmt = self._walk_filter(select(func.count()).select_from(Walk), since, until, None, False)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def walk_source_counts(
        self, since: date | None, until: date | None
    ) -> dict[tuple[str, str], int]:
        """The period's walks counted by (source, method): which were timed by a guided test,
        imported from a device, or typed."""
        stmt = select(col(Walk.source), col(Walk.method), func.count())
        stmt = self._walk_filter(stmt, since, until, None, False)
        stmt = stmt.group_by(col(Walk.source), col(Walk.method))
        with self.engine.connect() as conn:
            return {(str(s), str(m)): int(n) for s, m, n in conn.execute(stmt)}

    def walk_points(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        exercise: bool = False,
    ) -> list[WalkPoint]:
        """Columns only, no ORM objects: charts and the trend read many rows. On SQLite the
        query goes straight to the driver (SQLAlchemy's per-row result handling costs more
        than the query itself); times are parsed with `datetime.fromisoformat`. `exercise`
        adds pain, minutes and total distance (the weekly goal's figures; ~18 % slower)."""
        names = POINT_COLUMNS + (EXERCISE_COLUMNS if exercise else ())
        if self.engine.dialect.name != "sqlite":
            return self._walk_points_core(since, until, method, names)
        return self._reading(
            lambda: self._walk_points_sqlite(since, until, method, names, exercise)
        )

    def _walk_points_sqlite(
        self,
        since: date | None,
        until: date | None,
        method: str | None,
        names: tuple[str, ...],
        exercise: bool,
    ) -> list[WalkPoint]:
        self._check_walks(partial=bool(since or until))
        sql = [f"SELECT {', '.join(names)} FROM walk", "WHERE deleted_at IS NULL"]
        params: list[object] = []
        # With a first day, `+method` keeps SQLite on the time index: left to itself it takes
        # the method's index (most diaries hold one method), reads every walk of the method
        # and sorts them (a 3-month range of a 1M-walk diary: 549 ms against 80 ms).
        by_method = "AND +method = ?" if since else "AND method = ?"
        for clause, value in (
            ("AND walked_at >= ?", since and datetime.combine(since, datetime.min.time())),
            ("AND walked_at <= ?", until and datetime.combine(until, datetime.max.time())),
            (by_method, method),
        ):
            if value:
                sql.append(clause)
                params.append(value.isoformat(sep=" ") if isinstance(value, datetime) else value)
        if self._excluded.get("walk"):
            sql.append(f"AND rowid NOT IN ({', '.join(map(str, sorted(self._excluded['walk'])))})")
        sql.append("ORDER BY walked_at")
        parse = datetime.fromisoformat
        with self.engine.connect() as conn:
            try:
                cursor = conn.connection.driver_connection.execute(" ".join(sql), params)  # type: ignore[union-attr]
                if exercise:
                    return [
                        WalkPoint(parse(at), pf, mx, bool(np), m, rest, pain, minutes, total)
                        for at, pf, mx, np, m, rest, pain, minutes, total in cursor
                    ]
                return [
                    WalkPoint(parse(at), pf, mx, bool(np), m, rest)
                    for at, pf, mx, np, m, rest in cursor
                ]
            except sqlite3.OperationalError as exc:  # the driver, not SQLAlchemy, raised it
                if is_busy(exc):
                    raise DatabaseBusy(busy_message(self.path)) from None
                raise

    def _walk_points_core(
        self,
        since: date | None,
        until: date | None,
        method: str | None,
        names: Sequence[str] = POINT_COLUMNS,
    ) -> list[WalkPoint]:
        stmt = select(*(col(getattr(Walk, n)) for n in names))
        stmt = self._walk_filter(stmt, since, until, method, False).order_by(col(Walk.walked_at))
        with self.engine.connect() as conn:
            return [WalkPoint(*row) for row in conn.execute(stmt)]

    def _walk_filter(
        self,
        stmt: Any,
        since: date | None,
        until: date | None,
        method: str | None,
        deleted: bool,
        *,
        paged: bool = False,
    ) -> Any:
        self._check_walks(partial=paged or since is not None or until is not None)
        stmt = self._skipping(stmt, "walk")
        if not deleted:
            stmt = stmt.where(col(Walk.deleted_at).is_(None))
        if since is not None:
            stmt = stmt.where(col(Walk.walked_at) >= datetime.combine(since, datetime.min.time()))
        if until is not None:
            stmt = stmt.where(col(Walk.walked_at) <= datetime.combine(until, datetime.max.time()))
        if method is not None:
            stmt = stmt.where(col(Walk.method) == method)
        return stmt

    def last_walk(self) -> Walk | None:
        rows = self.walks(newest_first=True, limit=1)
        return rows[0] if rows else None

    def walk_exists(self, walk: WalkInput) -> bool:
        """Same time, method and distances (deleted or not): how the import recognises a walk
        it already has, so importing a file twice adds nothing."""
        stmt = select(col(Walk.pain_free_m), col(Walk.max_m)).where(
            col(Walk.walked_at) == walk.walked_at,
            col(Walk.method) == walk.method,
            col(Walk.no_pain) == walk.no_pain,
        )
        stmt = self._walk_filter(stmt, None, None, None, True)
        with self.engine.connect() as conn:
            return any(
                _same_distance(pf, walk.pain_free_m) and _same_distance(mx, walk.max_m)
                for pf, mx in conn.execute(stmt)
            )

    def import_all(
        self,
        *,
        walks: Iterable[WalkRow] = (),
        cigarettes: Mapping[date, int] | None = None,
        statuses: Sequence[StatusSpan] = (),
        symptoms: Sequence[SymptomReport] = (),
        settings: Mapping[str, Any] | None = None,
        prompt_answers: Sequence[PromptAnswer] = (),
        events: Sequence[TreatmentEvent] = (),
        calf_checks: Sequence[CheckInput] = (),
        drafts: Sequence[DeviceDraft] = (),
    ) -> int:
        """Everything an import brings, in one transaction: all of it or none. A walk's audit
        times (`WalkMeta`) are kept when the file has them. The walks (`walk_row`) are read
        from the iterable as they are written, in batches of `STREAM_BATCH`; one the database
        already has (the same time, method and distances, deleted or not, or one written
        earlier in this import) is skipped. Returns the number of walks added."""
        with self._write() as s:
            added = _insert_new_walks(s.connection(), walks, self._excluded.get("walk"))
            for day, count in (cigarettes or {}).items():
                _set_cigarettes(s, day, count)
            for span in statuses:
                s.execute(delete(SmokingPeriod).where(col(SmokingPeriod.since) == span.since))
                s.add(
                    SmokingPeriod(
                        status=span.status,
                        since=span.since,
                        frequency=span.frequency,
                        cigarettes_per_day=span.cigarettes_per_day,
                    )
                )
            s.add_all(symptoms)
            s.add_all(prompt_answers)
            s.add_all(events)
            s.add_all([CalfCheck(**check_columns(c)) for c in calf_checks])
            s.add_all(drafts)
            if settings:
                current = s.get(Settings, 1) or Settings(id=1)
                for key, value in settings.items():
                    setattr(current, key, value)
                current.updated_at = utc_now()
                s.add(current)
        return added

    def symptom_exists(self, key: str, day: date, notes: str) -> bool:
        stmt = select(col(SymptomReport.id)).where(
            col(SymptomReport.key) == key,
            col(SymptomReport.reported_on) == day,
            col(SymptomReport.notes) == notes,
        )
        with self.engine.connect() as conn:
            return conn.execute(stmt).first() is not None

    # --- smoking ----------------------------------------------------------------------
    def set_cigarettes(self, day: date, count: int) -> CigaretteDay:
        with self._write() as s:
            return _set_cigarettes(s, day, count)

    def cigarettes(self, since: date | None = None, until: date | None = None) -> dict[date, int]:
        def read() -> dict[date, int]:
            stmt = self._skipping(
                select(col(CigaretteDay.day), col(CigaretteDay.count)), "cigarette_day"
            )
            if since is not None:
                stmt = stmt.where(col(CigaretteDay.day) >= since)
            if until is not None:
                stmt = stmt.where(col(CigaretteDay.day) <= until)
            with self.engine.connect() as conn:
                return {d: int(n) for d, n in conn.execute(stmt)}

        return self._reading(read)

    def add_smoking_status(
        self,
        status: str,
        since: date,
        *,
        frequency: str | None = None,
        cigarettes_per_day: float | None = None,
    ) -> SmokingPeriod:
        """A status from a date on; a later entry for the same date replaces it."""
        with self._write() as s:
            s.execute(delete(SmokingPeriod).where(col(SmokingPeriod.since) == since))
            row = SmokingPeriod(
                status=status,
                since=since,
                frequency=frequency,
                cigarettes_per_day=cigarettes_per_day,
            )
            s.add(row)
        return row

    def smoking_history(self) -> list[StatusSpan]:
        def read() -> list[StatusSpan]:
            stmt = self._skipping(select(SmokingPeriod), "smoking_status")
            with self._read() as s:
                rows = s.scalars(stmt.order_by(col(SmokingPeriod.since))).all()
            return [StatusSpan(r.status, r.since, r.cigarettes_per_day, r.frequency) for r in rows]

        return self._reading(read)

    # --- symptoms ---------------------------------------------------------------------
    def add_symptom(self, key: str, day: date, notes: str = "") -> SymptomReport:
        row = SymptomReport(key=key, reported_on=day, notes=notes)
        with self._write() as s:
            s.add(row)
        return row

    def acknowledge_symptom(self, symptom_id: int) -> None:
        self._check_id("symptom", symptom_id, "symptom")
        with self._write() as s:
            row = s.get(SymptomReport, symptom_id)
            if row is None:
                raise NotFound(f"No symptom with id {symptom_id}.")
            row.acknowledged_at = utc_now()
            s.add(row)

    def symptoms(self, since: date | None = None, until: date | None = None) -> list[SymptomReport]:
        def read() -> list[SymptomReport]:
            stmt = self._skipping(select(SymptomReport), "symptom")
            stmt = stmt.where(col(SymptomReport.deleted_at).is_(None))
            if since is not None:
                stmt = stmt.where(col(SymptomReport.reported_on) >= since)
            if until is not None:
                stmt = stmt.where(col(SymptomReport.reported_on) <= until)
            stmt = stmt.order_by(
                col(SymptomReport.reported_on).desc(), col(SymptomReport.id).desc()
            )
            with self._read() as s:
                return list(s.scalars(stmt).all())

        return self._reading(read)

    # --- treatment events ---------------------------------------------------------------
    def pain_free_median(
        self, since: date, until: date, *, method: str | None = None
    ) -> tuple[float | None, int]:
        """Median pain-free distance and count of the walks with pain in a period, for the
        figures around an event. The database counts and picks the middle, so years of walks
        since a procedure are not read row by row."""
        base = select(col(Walk.pain_free_m)).where(col(Walk.no_pain).is_(False))
        base = self._walk_filter(base, since, until, None, False)
        if method is not None:
            # Through COALESCE the method is no index key: SQLite then reads the date index,
            # a few rows for a 4-week window instead of every walk of the method.
            base = base.where(func.coalesce(col(Walk.method), "") == method)
        count = select(func.count()).select_from(base.subquery())
        with self.engine.connect() as conn:
            n = int(conn.execute(count).scalar_one())
            if n == 0:
                return None, 0
            middle = base.order_by(col(Walk.pain_free_m)).offset((n - 1) // 2).limit(2 - n % 2)
            values = [float(v) for v in conn.execute(middle).scalars()]
        return sum(values) / len(values), n

    def add_event(self, event: EventInput) -> TreatmentEvent:
        row = TreatmentEvent(**event_columns(event))
        with self._write() as s:
            s.add(row)
        return row

    def get_event(self, event_id: int, *, include_deleted: bool = False) -> TreatmentEvent:
        def read() -> TreatmentEvent | None:
            self._check_id("treatment_event", event_id, "event")
            with self._read() as s:
                return s.get(TreatmentEvent, event_id)

        row = self._reading(read)
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise NotFound(f"No event with id {event_id}.")
        return row

    def update_event(self, event_id: int, event: EventInput) -> TreatmentEvent:
        self.get_event(event_id)  # refuses ids out of range and rows that cannot be read
        with self._write() as s:
            row = s.get(TreatmentEvent, event_id)
            if row is None or row.deleted_at is not None:
                raise NotFound(f"No event with id {event_id}.")
            for key, value in event_columns(event).items():
                setattr(row, key, value)
            row.updated_at = utc_now()
            s.add(row)
        return row

    def set_event_deleted(self, event_id: int, deleted: bool) -> TreatmentEvent:
        """Soft delete (or bring back), as for walks."""
        self.get_event(event_id, include_deleted=True)
        return self._set_deleted(TreatmentEvent, event_id, deleted, "event", "in the diary")

    def events(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        include_deleted: bool = False,
    ) -> list[TreatmentEvent]:
        """Oldest first; events of one day in the order they were entered."""

        def read() -> list[TreatmentEvent]:
            stmt = self._skipping(select(TreatmentEvent), "treatment_event")
            if not include_deleted:
                stmt = stmt.where(col(TreatmentEvent.deleted_at).is_(None))
            if since is not None:
                stmt = stmt.where(col(TreatmentEvent.occurred_on) >= since)
            if until is not None:
                stmt = stmt.where(col(TreatmentEvent.occurred_on) <= until)
            stmt = stmt.order_by(col(TreatmentEvent.occurred_on), col(TreatmentEvent.id))
            with self._read() as s:
                return list(s.scalars(stmt).all())

        return self._reading(read)

    # --- calf-pain checks -------------------------------------------------------------
    def add_calf_check(self, check: CheckInput) -> CalfCheck:
        row = CalfCheck(**check_columns(check))
        with self._write() as s:
            s.add(row)
        return row

    def calf_checks(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None
    ) -> list[CalfCheck]:
        """Newest first."""

        def read() -> list[CalfCheck]:
            stmt = self._skipping(select(CalfCheck), "calf_check")
            if since is not None:
                stmt = stmt.where(
                    col(CalfCheck.checked_at) >= datetime.combine(since, datetime.min.time())
                )
            if until is not None:
                stmt = stmt.where(
                    col(CalfCheck.checked_at) <= datetime.combine(until, datetime.max.time())
                )
            stmt = stmt.order_by(col(CalfCheck.checked_at).desc(), col(CalfCheck.id).desc())
            if limit is not None:
                stmt = stmt.limit(limit)
            with self._read() as s:
                return list(s.scalars(stmt).all())

        return self._reading(read)

    def latest_calf_check(self) -> CalfCheck | None:
        rows = self.calf_checks(limit=1)
        return rows[0] if rows else None

    def acknowledge_calf_check(self, check_id: int) -> None:
        self._check_id("calf_check", check_id, "calf-pain check")
        with self._write() as s:
            row = s.get(CalfCheck, check_id)
            if row is None:
                raise NotFound(f"No calf-pain check with id {check_id}.")
            row.acknowledged_at = utc_now()
            s.add(row)

    def calf_check_exists(self, checked_at: datetime, answers: str) -> bool:
        """Same time and answers: how the import recognises a check it already has."""
        stmt = select(col(CalfCheck.id)).where(
            col(CalfCheck.checked_at) == checked_at, col(CalfCheck.answers) == answers
        )
        with self.engine.connect() as conn:
            return conn.execute(stmt).first() is not None

    # --- answers to the app's questions (one per episode) -----------------------------
    def add_prompt_answer(
        self, question: str, trigger: str, answer: str, asked_on: date
    ) -> PromptAnswer:
        row = PromptAnswer(question=question, trigger=trigger, answer=answer, asked_on=asked_on)
        with self._write() as s:
            s.add(row)
        return row

    def prompt_answer(self, question: str, trigger: str) -> PromptAnswer | None:
        """The latest answer to `question` for `trigger`, or None if it was never answered."""
        stmt = (
            select(PromptAnswer)
            .where(col(PromptAnswer.question) == question, col(PromptAnswer.trigger) == trigger)
            .order_by(col(PromptAnswer.id).desc())
            .limit(1)
        )
        with self._read() as s:
            return s.scalars(stmt).first()

    def prompt_answers(self) -> list[PromptAnswer]:
        with self._read() as s:
            return list(s.scalars(select(PromptAnswer).order_by(col(PromptAnswer.id))).all())

    # --- device imports: walk drafts (tracker/interchange/devices/) --------------------------
    def import_device_activities(
        self, walks: Sequence[tuple[WalkInput, DeviceDraft]], drafts: Sequence[DeviceDraft]
    ) -> None:
        """One file's activities in one transaction: the walks (each with its completed
        ledger row) and the drafts still waiting for a pain-free distance."""
        with self._write() as s:
            for walk, ledger in walks:
                row = Walk(**walk_columns(walk))
                s.add(row)
                s.flush()
                ledger.walk_id = row.id
                ledger.status = "completed"
                s.add(ledger)
            s.add_all(drafts)

    def device_activity_known(
        self, device: str, started_utc: datetime, *, within_s: float = 60.0
    ) -> bool:
        """The duplicate rule: an activity of the same device starting within a minute was
        imported before (as a walk, a draft, or a draft the user discarded)."""
        window = timedelta(seconds=within_s)
        stmt = select(col(DeviceDraft.id)).where(
            col(DeviceDraft.device) == device,
            col(DeviceDraft.started_utc) >= started_utc - window,
            col(DeviceDraft.started_utc) <= started_utc + window,
        )
        with self.engine.connect() as conn:
            return conn.execute(stmt.limit(1)).first() is not None

    def drafts(self, status: str | None = "pending") -> list[DeviceDraft]:
        """Oldest first; `status=None` gives every row (the backup)."""
        stmt = select(DeviceDraft)
        if status is not None:
            stmt = stmt.where(col(DeviceDraft.status) == status)
        stmt = stmt.order_by(col(DeviceDraft.started_at), col(DeviceDraft.id))
        with self._read() as s:
            return list(s.scalars(stmt).all())

    def get_draft(self, draft_id: int) -> DeviceDraft:
        with self._read() as s:
            row = s.get(DeviceDraft, draft_id)
        if row is None or row.status != "pending":
            raise NotFound(f"No draft with id {draft_id} waiting to be completed.")
        return row

    def complete_draft(self, draft_id: int, walk: WalkInput) -> Walk:
        """The draft becomes a walk, in one transaction; the row stays as the ledger."""
        with self._write() as s:
            draft = s.get(DeviceDraft, draft_id)
            if draft is None or draft.status != "pending":
                raise NotFound(f"No draft with id {draft_id} waiting to be completed.")
            row = Walk(**walk_columns(walk))
            s.add(row)
            s.flush()
            draft.status = "completed"
            draft.walk_id = row.id
            draft.updated_at = utc_now()
            s.add(draft)
        return row

    def discard_draft(self, draft_id: int) -> DeviceDraft:
        """Kept as `discarded`, so importing the same file again does not bring it back."""
        with self._write() as s:
            draft = s.get(DeviceDraft, draft_id)
            if draft is None or draft.status != "pending":
                raise NotFound(f"No draft with id {draft_id} waiting to be completed.")
            draft.status = "discarded"
            draft.updated_at = utc_now()
            s.add(draft)
        return draft


def _fields(table: Any) -> list[Any]:
    """The columns the model has: not `owner_id`, which the database fills (models.py)."""
    return [c for c in table.columns if c.name != OWNER_COLUMN]


def _set_cigarettes(s: Session, day: date, count: int) -> CigaretteDay:
    """Replace a day's count through Core: an old row is never loaded, so one holding a value
    the app cannot read does not stop the change."""
    table = CigaretteDay.__table__  # type: ignore[attr-defined]
    now = utc_now()
    done = s.execute(update(table).where(table.c.day == day).values(count=count, updated_at=now))
    if not done.rowcount:  # type: ignore[attr-defined]
        s.execute(table.insert().values(day=day, count=count, updated_at=now))
    return CigaretteDay(day=day, count=count, updated_at=now)


def _same_distance(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.01


def event_columns(event: EventInput) -> dict[str, Any]:
    """A validated treatment event as the event table's columns, named one by one."""
    return {
        "kind": str(event.kind),
        "occurred_on": event.occurred_on,
        "procedure_type": event.procedure_type,
        "side": event.side,
        "category": event.category,
        "name": event.name,
        "dose": event.dose,
        "description": event.description,
        "notes": event.notes,
    }


def check_columns(check: CheckInput) -> dict[str, Any]:
    """A calf-pain check as the check table's columns, named one by one; the audit times only
    when an imported backup brings them."""
    columns: dict[str, Any] = {
        "checked_at": check.checked_at,
        "answers": check.answers,
        "context": check.context,
        "ecq_positive": check.ecq_positive,
        "ecq_grade": check.ecq_grade,
        "ecq_kind": check.ecq_kind,
        "pattern": check.pattern,
        "tier": check.tier,
        "advice": check.advice,
        "result": check.result,
        "acknowledged_at": check.acknowledged_at,
    }
    if check.created_at is not None:
        columns["created_at"] = check.created_at
    return columns


WALK_ROW = tuple(c for c in WALK_TABLE_COLUMNS if c != "id")
_SAME_WALK = (
    "walked_at = :walked_at AND method = :method AND no_pain = :no_pain"
    " AND abs(pain_free_m - :pain_free_m) < 0.01"
    " AND CASE WHEN :max_m IS NULL THEN max_m IS NULL ELSE abs(max_m - :max_m) < 0.01 END"
)


def walk_row(walk: WalkInput, meta: WalkMeta) -> WalkRow:
    """A validated walk (and the audit times a file brought) as `WALK_ROW` values, what an
    import stores; blank audit times become now when written."""
    columns = walk_columns(walk)
    columns["no_pain"] = bool(walk.no_pain)
    return (
        *(columns[c] for c in WALK_ROW[:-3]),
        meta.get("created_at"),
        meta.get("updated_at"),
        meta.get("deleted_at"),
    )


def _insert_new_walks(conn: Any, walks: Iterable[WalkRow], excluded: frozenset[int] | None) -> int:
    """Insert the walks not there yet, a batch at a time, inside the caller's transaction.

    On SQLite one `INSERT ... SELECT ... WHERE NOT EXISTS` per walk goes through the driver's
    `executemany` (the same rule as `Store.walk_exists`: time, method, no-pain flag, distances
    within a centimetre); elsewhere each walk is looked up, then inserted through Core."""
    now = utc_now()
    added = 0
    batch: list[dict[str, Any]] = []
    sqlite = conn.dialect.name == "sqlite"
    raw = conn.connection.driver_connection if sqlite else None
    skip = f" AND rowid NOT IN ({', '.join(map(str, sorted(excluded)))})" if excluded else ""
    names = ", ".join(WALK_ROW)
    values = ", ".join(f":{c}" for c in WALK_ROW)
    sql = (
        f"INSERT INTO walk ({names}) SELECT {values}"
        f" WHERE NOT EXISTS (SELECT 1 FROM walk WHERE {_SAME_WALK}{skip})"
    )

    def flush() -> int:
        if not batch:
            return 0
        if raw is not None:
            before = raw.total_changes
            try:
                raw.executemany(sql, batch)
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    raise DatabaseBusy(busy_message("The database")) from None
                raise
            done = int(raw.total_changes - before)
        else:
            table = Walk.__table__  # type: ignore[attr-defined]
            done = 0
            for row in batch:
                same = conn.execute(text(f"SELECT 1 FROM walk WHERE {_SAME_WALK}"), row).first()
                if same is None:
                    conn.execute(table.insert().values(**row))
                    done += 1
        batch.clear()
        return done

    stamp = stored_time if sqlite else _as_is
    times = WALK_ROW.index("walked_at"), *range(len(WALK_ROW) - 3, len(WALK_ROW))
    for values_ in walks:
        row = dict(zip(WALK_ROW, values_, strict=True))
        for i in times:
            key = WALK_ROW[i]
            moment = row[key]
            row[key] = stamp(now if moment is None and key in _STAMPED else moment)
        batch.append(row)
        if len(batch) >= STREAM_BATCH:
            added += flush()
    return added + flush()


_STAMPED = ("created_at", "updated_at")


def _as_is(moment: datetime | None) -> datetime | None:
    return moment
