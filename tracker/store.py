"""The only module that knows the database is SQLite: opening, checks, pragmas, migrations, queries.

Its helpers are part of it: `store_target` decides once which file (or server) `--db` names,
`store_file` looks at that file before SQLite opens it, `store_rows` finds stored values the
app cannot read, `store_salvage` reads a damaged file out; `store_errors` holds the exceptions.

Opening is careful because nothing the user entered may be lost: a file that is not a tracker
database or comes from a newer app is refused untouched; a leftover `-wal` is replayed only
when it belongs to the diary, after a recovery copy; a file that fails SQLite's integrity check
is never written (it can only be read out); before a pending migration an existing file is
copied next to itself. The schema revision is read with one cheap query, so Alembic is only
imported when a migration is actually due.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import Engine, create_engine, delete, event, inspect, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from tracker import store_errors, store_file
from tracker.models import (
    CalfCheck,
    CigaretteDay,
    PromptAnswer,
    Settings,
    SmokingPeriod,
    SymptomReport,
    TreatmentEvent,
    Walk,
    WalkDraft,
    utc_now,
)
from tracker.smoking import StatusSpan
from tracker.store_file import backup_sqlite_file, is_busy
from tracker.store_target import DbTarget as DbTarget
from tracker.store_target import resolve_target as resolve_target
from tracker.validation import WalkInput

if TYPE_CHECKING:
    from tracker.events import EventInput

SCHEMA_REVISION = "0008"
"""The newest migration; a test checks it equals Alembic's head."""
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
"""Every revision this app can migrate from, oldest first; anything else is from a newer app."""

MAX_ROW_ID = 2**63 - 1
"""SQLite's largest integer key; a larger id names no row (and cannot even be asked for)."""

# The exceptions live in store_errors (the file checks raise them too); callers use these names.
CorruptDatabase = store_errors.CorruptDatabase
DamagedDatabase = store_errors.DamagedDatabase
DatabaseBusy = store_errors.DatabaseBusy
DatabaseUnavailable = store_errors.DatabaseUnavailable
ForeignSideFile = store_errors.ForeignSideFile
MigrationFailed = store_errors.MigrationFailed
NewerDatabase = store_errors.NewerDatabase
NotATrackerDatabase = store_errors.NotATrackerDatabase
NotFound = store_errors.NotFound
StoreError = store_errors.StoreError
UnreadableRow = store_errors.UnreadableRow
UnsupportedTarget = store_errors.UnsupportedTarget

T = TypeVar("T")


class WalkPoint(NamedTuple):
    """The columns charts and the trend need, read without building ORM objects."""

    walked_at: datetime
    pain_free_m: float
    max_m: float | None
    no_pain: bool
    method: str
    rest_min: float | None
    pain: int | None = None
    duration_min: float | None = None
    """Minutes of the session, for the weekly exercise figures."""
    total_m: float | None = None


_POINT_COLUMNS = ("walked_at", "pain_free_m", "max_m", "no_pain", "method", "rest_min")
_EXERCISE_COLUMNS = ("pain", "duration_min", "total_m")


def make_engine(url: str | URL) -> Engine:
    """An engine whose SQLite connections use WAL, foreign keys, a busy timeout and real BEGINs.

    pysqlite's own transaction handling skips BEGIN before DDL, which would make a failed
    migration half-applied; we emit BEGIN ourselves (the SQLAlchemy-documented recipe).
    Writers start with BEGIN IMMEDIATE so two processes queue instead of failing as locked;
    one that waits longer than `BUSY_TIMEOUT_S` gets `DatabaseBusy`, which names the file.
    """
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url)
    timeout = store_errors.BUSY_TIMEOUT_S
    engine = create_engine(url, connect_args={"timeout": timeout})
    on_file = url.database not in (None, "", ":memory:")
    where = url.database if on_file else "The database"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            cur.execute("PRAGMA foreign_keys = ON")
            if on_file:
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise DatabaseBusy(store_errors.busy_message(where)) from None
            raise
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"
        conn.exec_driver_sql(mode)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        if is_busy(context.original_exception):
            raise DatabaseBusy(store_errors.busy_message(where)) from None

    return engine


def run_migrations(engine: Engine, script_location: str | None = None) -> None:
    """Upgrade to head in one transaction; a failure leaves the database as it was."""
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", script_location or str(files("tracker.migrations")))
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _server_revision(engine: Engine) -> str | None:
    names = inspect(engine).get_table_names()
    if not names:
        return None
    if "alembic_version" not in names:
        raise NotATrackerDatabase("That database is not a tracker database; it was not changed.")
    with engine.connect() as conn:
        rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if rev is not None and rev not in KNOWN_REVISIONS:
        raise NewerDatabase(f"That database was written by a newer tracker (schema {rev!r}).")
    return rev


@dataclass
class ImportPlan:
    """What an import will write, validated in full beforehand."""

    walks: list[tuple[WalkInput, dict[str, Any]]] = field(default_factory=list)
    cigarettes: dict[date, int] = field(default_factory=dict)
    statuses: list[StatusSpan] = field(default_factory=list)
    symptoms: list[SymptomReport] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    prompt_answers: list[PromptAnswer] = field(default_factory=list)
    events: list[TreatmentEvent] = field(default_factory=list)
    events_skipped: int = 0
    calf_checks: list[CalfCheck] = field(default_factory=list)
    walks_skipped: int = 0
    """Walks left out because the database (or the file itself) already has them."""
    drafts: list[WalkDraft] = field(default_factory=list)
    """Device imports (pending, completed or discarded) from a JSON backup."""


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
    _walks_checked: bool = False
    _closed: bool = False

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
            store_file.note_closed(self.path)
        self._closed = True

    # --- rows the app cannot read ------------------------------------------------------
    def find_unreadable_rows(
        self, *, exact: bool = True, only: Sequence[str] | None = None, skip: Sequence[str] = ()
    ) -> str | None:
        """Look for rows with values the app cannot read (all tables, or those `only` names,
        less those in `skip`);
        returns the warning for rows not known before (None if there are none). SQLite files
        only: a server enforces types."""
        if self.engine.dialect.name != "sqlite":
            return None
        from tracker.store_rows import find_bad_rows, warning

        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            bad = find_bad_rows(raw, exact=exact, only=only, skip=skip)  # type: ignore[arg-type]
        new = [b for b in bad if (b.table, b.rowid) not in self._known_bad]
        if not new:
            return None
        for b in new:
            self._known_bad.add((b.table, b.rowid))
            if b.table == "settings":
                self._bad_settings = self._bad_settings | set(b.columns)
            else:
                self._excluded[b.table] = self._excluded.get(b.table, frozenset()) | {b.rowid}
        return warning(new)

    def _warn(self, message: str) -> None:
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            self.warnings.append(message)

    def _check_walks(self) -> None:
        """The walk table is checked on its first read, not on opening: logging a walk (the
        command run most) reads none, and a long diary's check costs more than the rest."""
        if self._walks_checked:
            return
        self._walks_checked = True
        message = self.find_unreadable_rows(exact=False, only=("walk",))
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
            columns = [c for c in table.columns if c.name not in self._bad_settings]
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
                    table.insert().values({c.name: getattr(row, c.name) for c in table.columns})
                )
        self._bad_settings = self._bad_settings - set(changes)
        return self.settings()

    # --- walks ------------------------------------------------------------------------
    def add_walk(self, walk: WalkInput) -> Walk:
        """One INSERT through Core (no ORM unit of work): logging a walk is the hot path."""
        row = Walk(**walk.__dict__)
        table = Walk.__table__  # type: ignore[attr-defined]
        values = {c.name: getattr(row, c.name) for c in table.columns if c.name != "id"}
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            key = conn.execute(table.insert().values(**values)).inserted_primary_key
            row.id = None if key is None else int(key[0])
        return row

    def add_walks(self, walks: Sequence[WalkInput]) -> int:
        """All or nothing: one transaction for the whole batch."""
        with self._write() as s:
            s.add_all([Walk(**w.__dict__) for w in walks])
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
            for key, value in walk.__dict__.items():
                if key != "source":
                    setattr(row, key, value)
            row.updated_at = utc_now()
            s.add(row)
        return row

    def set_deleted(self, walk_id: int, deleted: bool) -> Walk:
        """Soft delete (or bring back): the row stays, so nothing is ever lost."""
        self.get_walk(walk_id, include_deleted=True)
        with self._write() as s:
            row = s.get(Walk, walk_id)
            if row is None or (row.deleted_at is not None) == deleted:
                state = "deleted" if deleted else "in the log"
                raise NotFound(f"No walk with id {walk_id} that is not already {state}.")
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
            stmt = self._walk_filter(select(Walk), since, until, method, include_deleted)
            order = col(Walk.walked_at).desc() if newest_first else col(Walk.walked_at)
            id_order = col(Walk.id).desc() if newest_first else col(Walk.id)
            stmt = stmt.order_by(order, id_order).offset(offset)
            if limit is not None:
                stmt = stmt.limit(limit)
            with self._read() as s:
                return list(s.scalars(stmt).all())

        return self._reading(read)

    def count_walks(self, since: date | None = None, until: date | None = None) -> int:
        from sqlalchemy import func

        stmt = self._walk_filter(select(func.count()).select_from(Walk), since, until, None, False)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def timed_walk_counts(self, since: date | None, until: date | None) -> dict[str, int]:
        """Walks measured by a guided test (source `timer`), counted by method."""
        from sqlalchemy import func

        stmt = select(col(Walk.method), func.count()).where(col(Walk.source) == "timer")
        stmt = self._walk_filter(stmt, since, until, None, False).group_by(col(Walk.method))
        with self.engine.connect() as conn:
            return {str(m): int(n) for m, n in conn.execute(stmt)}

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
        names = _POINT_COLUMNS + (_EXERCISE_COLUMNS if exercise else ())
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
        self._check_walks()
        sql = [f"SELECT {', '.join(names)} FROM walk", "WHERE deleted_at IS NULL"]
        params: list[object] = []
        for clause, value in (
            ("AND walked_at >= ?", since and datetime.combine(since, datetime.min.time())),
            ("AND walked_at <= ?", until and datetime.combine(until, datetime.max.time())),
            ("AND method = ?", method),
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
                    raise DatabaseBusy(store_errors.busy_message(self.path)) from None
                raise

    def _walk_points_core(
        self,
        since: date | None,
        until: date | None,
        method: str | None,
        names: Sequence[str] = _POINT_COLUMNS,
    ) -> list[WalkPoint]:
        stmt = select(*(col(getattr(Walk, n)) for n in names))
        stmt = self._walk_filter(stmt, since, until, method, False).order_by(col(Walk.walked_at))
        with self.engine.connect() as conn:
            return [WalkPoint(*row) for row in conn.execute(stmt)]

    def _walk_filter(
        self, stmt: Any, since: date | None, until: date | None, method: str | None, deleted: bool
    ) -> Any:
        self._check_walks()
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

    def import_all(self, plan: ImportPlan) -> None:
        """Everything an import brings, in one transaction: all of it or none."""
        with self._write() as s:
            for walk, meta in plan.walks:
                row = Walk(**walk.__dict__)
                for key in ("created_at", "updated_at", "deleted_at"):
                    if meta.get(key) is not None:
                        setattr(row, key, meta[key])
                s.add(row)
            for day, count in plan.cigarettes.items():
                _set_cigarettes(s, day, count)
            for span in plan.statuses:
                s.execute(delete(SmokingPeriod).where(col(SmokingPeriod.since) == span.since))
                s.add(
                    SmokingPeriod(
                        status=span.status,
                        since=span.since,
                        frequency=span.frequency,
                        cigarettes_per_day=span.cigarettes_per_day,
                    )
                )
            for report in plan.symptoms:
                s.add(report)
            s.add_all(plan.prompt_answers)
            s.add_all(plan.events)
            s.add_all(plan.calf_checks)
            s.add_all(plan.drafts)
            if plan.settings:
                current = s.get(Settings, 1) or Settings(id=1)
                for key, value in plan.settings.items():
                    setattr(current, key, value)
                current.updated_at = utc_now()
                s.add(current)

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
        from sqlalchemy import func

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
        row = TreatmentEvent(**event.__dict__)
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
            for key, value in event.__dict__.items():
                setattr(row, key, value)
            row.updated_at = utc_now()
            s.add(row)
        return row

    def set_event_deleted(self, event_id: int, deleted: bool) -> TreatmentEvent:
        """Soft delete (or bring back), as for walks."""
        self.get_event(event_id, include_deleted=True)
        with self._write() as s:
            row = s.get(TreatmentEvent, event_id)
            if row is None or (row.deleted_at is not None) == deleted:
                state = "deleted" if deleted else "in the diary"
                raise NotFound(f"No event with id {event_id} that is not already {state}.")
            row.deleted_at = utc_now() if deleted else None
            row.updated_at = utc_now()
            s.add(row)
        return row

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
    def add_calf_check(self, row: CalfCheck) -> CalfCheck:
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

    # --- device imports: walk drafts (tracker/devices/) ---------------------------------
    def import_device_activities(
        self, walks: Sequence[tuple[WalkInput, WalkDraft]], drafts: Sequence[WalkDraft]
    ) -> None:
        """One file's activities in one transaction: the walks (each with its completed
        ledger row) and the drafts still waiting for a pain-free distance."""
        with self._write() as s:
            for walk, ledger in walks:
                row = Walk(**walk.__dict__)
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
        from datetime import timedelta

        window = timedelta(seconds=within_s)
        stmt = select(col(WalkDraft.id)).where(
            col(WalkDraft.device) == device,
            col(WalkDraft.started_utc) >= started_utc - window,
            col(WalkDraft.started_utc) <= started_utc + window,
        )
        with self.engine.connect() as conn:
            return conn.execute(stmt.limit(1)).first() is not None

    def drafts(self, status: str | None = "pending") -> list[WalkDraft]:
        """Oldest first; `status=None` gives every row (the backup)."""
        stmt = select(WalkDraft)
        if status is not None:
            stmt = stmt.where(col(WalkDraft.status) == status)
        stmt = stmt.order_by(col(WalkDraft.started_at), col(WalkDraft.id))
        with self._read() as s:
            return list(s.scalars(stmt).all())

    def get_draft(self, draft_id: int) -> WalkDraft:
        with self._read() as s:
            row = s.get(WalkDraft, draft_id)
        if row is None or row.status != "pending":
            raise NotFound(f"No draft with id {draft_id} waiting to be completed.")
        return row

    def complete_draft(self, draft_id: int, walk: WalkInput) -> Walk:
        """The draft becomes a walk, in one transaction; the row stays as the ledger."""
        with self._write() as s:
            draft = s.get(WalkDraft, draft_id)
            if draft is None or draft.status != "pending":
                raise NotFound(f"No draft with id {draft_id} waiting to be completed.")
            row = Walk(**walk.__dict__)
            s.add(row)
            s.flush()
            draft.status = "completed"
            draft.walk_id = row.id
            draft.updated_at = utc_now()
            s.add(draft)
        return row

    def discard_draft(self, draft_id: int) -> WalkDraft:
        """Kept as `discarded`, so importing the same file again does not bring it back."""
        with self._write() as s:
            draft = s.get(WalkDraft, draft_id)
            if draft is None or draft.status != "pending":
                raise NotFound(f"No draft with id {draft_id} waiting to be completed.")
            draft.status = "discarded"
            draft.updated_at = utc_now()
            s.add(draft)
        return draft


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


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating or migrating as needed) the database behind `--db`/`TRACKER_DB`.

    Raises `DamagedDatabase` for a file that fails the integrity check: nothing may write to
    it; `tracker.store_salvage` reads it out."""
    where = resolve_target(target)
    if where.path is None:
        return _open_server(where)
    path = where.path
    prepared = store_file.prepare(path, explicit=where.explicit)
    found = store_file.inspect(path, KNOWN_REVISIONS)
    if found.problems:
        raise DamagedDatabase(damaged_message(path, found.problems), path, found.problems)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseUnavailable(
            f"Cannot write to {path} or its folder: permission denied. It was not changed."
        )
    notices: list[str] = []
    if where.explicit and found.revision is None:
        notices.append(f"Created a new diary at {path}.")
    if prepared.recovery_copy is not None:
        notices.append(
            f"Changes that had not yet been written into {path} (tracker or the computer "
            "stopped before it was done) were found beside it and applied; a copy of the file "
            f"and of those changes, made first, is at {prepared.recovery_copy}."
        )
    engine = make_engine(where.url)
    backup: Path | None = None
    if found.revision != SCHEMA_REVISION:
        if found.revision is not None:
            backup = backup_sqlite_file(path)
            notices.append(f"Database schema updated; a copy of the old file is at {backup}")
        _migrate_or_explain(engine, backup)
    store = Store(engine=engine, url=str(path), path=path, backup_path=backup, notices=notices)
    store_file.note_open(path)
    try:
        unreadable = store.find_unreadable_rows(exact=False, skip=("walk",))
    except BaseException:
        store.close()
        raise
    if unreadable is not None:
        store.warnings.append(unreadable)
    return store


def damaged_message(path: Path, problems: Sequence[str]) -> str:
    first = problems[0] if problems else "unknown damage"
    more = f" and {len(problems) - 1} more problems" if len(problems) > 1 else ""
    return (
        f"{path} is damaged (SQLite's integrity check found: {first}{more}). Nothing was "
        "written to it and nothing will be. Get your data out with `tracker export --format "
        "json --out backup.json` or `tracker recover --out new.db` (copies every row that can "
        "still be read into a new diary), or restore a backup (tracker keeps *.backup-*.db "
        "copies next to it)."
    )


def _open_server(where: DbTarget) -> Store:
    engine = make_engine(where.url)
    try:
        revision = _server_revision(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseUnavailable(f"Cannot open the database {where.shown}: {exc.orig}") from None
    if revision != SCHEMA_REVISION:
        _migrate_or_explain(engine, None)
    return Store(engine=engine, url=where.shown)


def _migrate_or_explain(engine: Engine, backup: Path | None) -> None:
    try:
        run_migrations(engine)
    except Exception as exc:
        engine.dispose()
        where = f" A copy made before the attempt is at {backup}." if backup else ""
        raise MigrationFailed(
            f"Updating the database schema failed ({exc}); the database was left as it was.{where}"
        ) from exc
