"""The only module that knows the database is SQLite: opening, checks, pragmas, migrations, queries.

Opening is careful because nothing the user entered may be lost: a file that is not a tracker
database, is corrupt, or comes from a newer app is refused untouched; before a pending migration
an existing file is copied next to itself. The schema revision is read with one cheap query, so
Alembic is only imported when a migration is actually due.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from tracker import locations
from tracker.models import (
    CalfCheck,
    CigaretteDay,
    PromptAnswer,
    Settings,
    SmokingPeriod,
    SymptomReport,
    TreatmentEvent,
    Walk,
    utc_now,
)
from tracker.smoking import StatusSpan
from tracker.validation import WalkInput

if TYPE_CHECKING:
    from tracker.events import EventInput

SCHEMA_REVISION = "0007"
"""The newest migration; a test checks it equals Alembic's head."""
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0005", "0006", "0007")
"""Every revision this app can migrate from; anything else is from a newer app."""

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
FILE_MODE = 0o600


class StoreError(Exception):
    """A database the app cannot use. The message is for the user; the file is untouched."""


class NotATrackerDatabase(StoreError):
    pass


class CorruptDatabase(StoreError):
    pass


class NewerDatabase(StoreError):
    pass


class DatabaseUnavailable(StoreError):
    pass


class MigrationFailed(StoreError):
    pass


class NotFound(StoreError):
    pass


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


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """A database URL for `--db`/`TRACKER_DB`: a URL passes through, a path becomes sqlite."""
    if target is None or str(target) == "":
        target = os.environ.get("TRACKER_DB") or locations.default_database()
    raw = str(target)
    if "://" in raw:
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().absolute())


def _sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL, or None for in-memory or non-sqlite URLs."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    path = path.split("?", 1)[0]
    if path in ("", ":memory:"):
        return None
    return Path(path)


def _inspect_sqlite_file(path: Path) -> str | None:
    """Return the schema revision of an existing file (None when empty), refusing foreign files.

    Opens without any pragma so nothing is written before the file is known to be ours.
    """
    if not os.access(path, os.R_OK):
        raise DatabaseUnavailable(f"Cannot read {path}: permission denied.")
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if not header:
        return None
    if header != SQLITE_HEADER:
        raise NotATrackerDatabase(
            f"{path} is not a tracker database (it is not an SQLite file). It was not changed. "
            "Point --db or TRACKER_DB at your tracker database, or at a new file name."
        )
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"Cannot open {path}: {exc}.") from None
    try:
        check = conn.execute("PRAGMA quick_check(1)").fetchone()
        if check is None or check[0] != "ok":
            raise CorruptDatabase(_corrupt_message(path))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables or "walk" not in tables:
            raise NotATrackerDatabase(
                f"{path} is an SQLite database, but not a tracker database. It was not changed. "
                "Point --db or TRACKER_DB at your tracker database, or at a new file name."
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise DatabaseUnavailable(f"{path} is busy in another program; try again.") from None
        raise CorruptDatabase(_corrupt_message(path)) from None
    finally:
        conn.close()
    revision = row[0] if row else None
    if revision is None:
        raise NotATrackerDatabase(f"{path} has no schema revision; it was not changed.")
    if revision not in KNOWN_REVISIONS:
        raise NewerDatabase(
            f"{path} was written by a newer version of tracker (schema {revision!r}); this "
            f"version knows up to {SCHEMA_REVISION!r}. Update tracker. The file was not changed."
        )
    return str(revision)


def _corrupt_message(path: Path) -> str:
    return (
        f"{path} is damaged (SQLite integrity check failed). It was not changed. "
        "Restore a backup (tracker keeps *.backup-*.db copies next to it) or use a new file."
    )


def _create_sqlite_file(path: Path) -> None:
    def unavailable(exc: OSError) -> DatabaseUnavailable:
        return DatabaseUnavailable(
            f"Cannot create the database {path}: {exc.strerror or exc}. "
            "Choose a writable place with --db or TRACKER_DB."
        )

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:  # includes a file standing where the folder should be
        raise unavailable(exc) from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        os.close(fd)
    except FileExistsError:
        pass  # another process created it a moment ago; it is inspected like any file
    except OSError as exc:
        raise unavailable(exc) from None


def backup_sqlite_file(path: Path, *, label: str = "backup") -> Path:
    """A consistent copy next to `path` (SQLite backup API), readable by the owner only."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix or '.db'}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix or '.db'}")
        n += 1
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    os.close(fd)
    src = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def make_engine(url: str) -> Engine:
    """An engine whose SQLite connections use WAL, foreign keys, a busy timeout and real BEGINs.

    pysqlite's own transaction handling skips BEGIN before DDL, which would make a failed
    migration half-applied; we emit BEGIN ourselves (the SQLAlchemy-documented recipe).
    Writers start with BEGIN IMMEDIATE so two processes queue instead of failing as locked.
    """
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if _sqlite_path(url) is not None:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"
        conn.exec_driver_sql(mode)

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


@dataclass
class Store:
    """Queries the UI, CLI and exports use; none of them talks SQL."""

    engine: Engine
    url: str
    backup_path: Path | None = None

    @property
    def path(self) -> Path | None:
        return _sqlite_path(self.url)

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

    # --- settings ---------------------------------------------------------------------
    def settings(self) -> Settings:
        """Read with Core, not the ORM session: every command reads settings, and configuring
        the ORM mappers costs start-up time."""
        table = Settings.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == 1)).mappings().first()
        return Settings(**row) if row is not None else Settings(id=1)

    def update_settings(self, **changes: Any) -> Settings:
        with self._write() as s:
            row = s.get(Settings, 1) or Settings(id=1)
            for key, value in changes.items():
                if not hasattr(row, key) or key in ("id", "updated_at"):
                    raise AttributeError(f"unknown setting {key!r}")
                setattr(row, key, value)
            row.updated_at = utc_now()
            s.add(row)
        return row

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
        with self._read() as s:
            row = s.get(Walk, walk_id)
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise NotFound(f"No walk with id {walk_id}.")
        return row

    def update_walk(self, walk_id: int, walk: WalkInput) -> Walk:
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
        stmt = select(Walk)
        stmt = self._walk_filter(stmt, since, until, method, include_deleted)
        order = col(Walk.walked_at).desc() if newest_first else col(Walk.walked_at)
        id_order = col(Walk.id).desc() if newest_first else col(Walk.id)
        stmt = stmt.order_by(order, id_order).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as s:
            return list(s.scalars(stmt).all())

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
        sql.append("ORDER BY walked_at")
        parse = datetime.fromisoformat
        with self.engine.connect() as conn:
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

    @staticmethod
    def _walk_filter(
        stmt: Any, since: date | None, until: date | None, method: str | None, deleted: bool
    ) -> Any:
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
                existing = s.get(CigaretteDay, day)
                if existing is not None:
                    existing.count = count
                    existing.updated_at = utc_now()
                    s.add(existing)
                else:
                    s.add(CigaretteDay(day=day, count=count))
            for span in plan.statuses:
                for old in s.scalars(
                    select(SmokingPeriod).where(col(SmokingPeriod.since) == span.since)
                ):
                    s.delete(old)
                s.flush()
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
            row = s.get(CigaretteDay, day) or CigaretteDay(day=day, count=count)
            row.count = count
            row.updated_at = utc_now()
            s.add(row)
        return row

    def cigarettes(self, since: date | None = None, until: date | None = None) -> dict[date, int]:
        stmt = select(col(CigaretteDay.day), col(CigaretteDay.count))
        if since is not None:
            stmt = stmt.where(col(CigaretteDay.day) >= since)
        if until is not None:
            stmt = stmt.where(col(CigaretteDay.day) <= until)
        with self.engine.connect() as conn:
            return {d: int(n) for d, n in conn.execute(stmt)}

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
            existing = s.scalars(select(SmokingPeriod).where(col(SmokingPeriod.since) == since))
            for old in existing:
                s.delete(old)
            row = SmokingPeriod(
                status=status,
                since=since,
                frequency=frequency,
                cigarettes_per_day=cigarettes_per_day,
            )
            s.add(row)
        return row

    def smoking_history(self) -> list[StatusSpan]:
        with self._read() as s:
            rows = s.scalars(select(SmokingPeriod).order_by(col(SmokingPeriod.since))).all()
        return [StatusSpan(r.status, r.since, r.cigarettes_per_day, r.frequency) for r in rows]

    # --- symptoms ---------------------------------------------------------------------
    def add_symptom(self, key: str, day: date, notes: str = "") -> SymptomReport:
        row = SymptomReport(key=key, reported_on=day, notes=notes)
        with self._write() as s:
            s.add(row)
        return row

    def acknowledge_symptom(self, symptom_id: int) -> None:
        with self._write() as s:
            row = s.get(SymptomReport, symptom_id)
            if row is None:
                raise NotFound(f"No symptom with id {symptom_id}.")
            row.acknowledged_at = utc_now()
            s.add(row)

    def symptoms(self, since: date | None = None, until: date | None = None) -> list[SymptomReport]:
        stmt = select(SymptomReport).where(col(SymptomReport.deleted_at).is_(None))
        if since is not None:
            stmt = stmt.where(col(SymptomReport.reported_on) >= since)
        if until is not None:
            stmt = stmt.where(col(SymptomReport.reported_on) <= until)
        stmt = stmt.order_by(col(SymptomReport.reported_on).desc(), col(SymptomReport.id).desc())
        with self._read() as s:
            return list(s.scalars(stmt).all())

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
        with self._read() as s:
            row = s.get(TreatmentEvent, event_id)
        if row is None or (row.deleted_at is not None and not include_deleted):
            raise NotFound(f"No event with id {event_id}.")
        return row

    def update_event(self, event_id: int, event: EventInput) -> TreatmentEvent:
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
        stmt = select(TreatmentEvent)
        if not include_deleted:
            stmt = stmt.where(col(TreatmentEvent.deleted_at).is_(None))
        if since is not None:
            stmt = stmt.where(col(TreatmentEvent.occurred_on) >= since)
        if until is not None:
            stmt = stmt.where(col(TreatmentEvent.occurred_on) <= until)
        stmt = stmt.order_by(col(TreatmentEvent.occurred_on), col(TreatmentEvent.id))
        with self._read() as s:
            return list(s.scalars(stmt).all())

    # --- calf-pain checks -------------------------------------------------------------
    def add_calf_check(self, row: CalfCheck) -> CalfCheck:
        with self._write() as s:
            s.add(row)
        return row

    def calf_checks(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None
    ) -> list[CalfCheck]:
        """Newest first."""
        stmt = select(CalfCheck)
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

    def latest_calf_check(self) -> CalfCheck | None:
        rows = self.calf_checks(limit=1)
        return rows[0] if rows else None

    def acknowledge_calf_check(self, check_id: int) -> None:
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


def _same_distance(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.01


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating or migrating as needed) the database behind `--db`/`TRACKER_DB`."""
    url = resolve_target(target)
    path = _sqlite_path(url)
    backup: Path | None = None
    if path is not None:
        revision = _inspect_sqlite_file(path) if path.exists() else None
        if not path.exists():
            _create_sqlite_file(path)
        elif not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseUnavailable(
                f"Cannot write to {path} or its folder: permission denied. It was not changed."
            )
        engine = make_engine(url)
        if revision != SCHEMA_REVISION:
            if revision is not None:
                backup = backup_sqlite_file(path)
            _migrate_or_explain(engine, backup)
    else:
        engine = make_engine(url)
        try:
            revision = _server_revision(engine)
        except DBAPIError as exc:
            raise DatabaseUnavailable(f"Cannot open the database: {exc.orig}") from None
        if revision != SCHEMA_REVISION:
            _migrate_or_explain(engine, None)
    return Store(engine=engine, url=url, backup_path=backup)


def _migrate_or_explain(engine: Engine, backup: Path | None) -> None:
    try:
        run_migrations(engine)
    except Exception as exc:
        engine.dispose()
        where = f" A copy made before the attempt is at {backup}." if backup else ""
        raise MigrationFailed(
            f"Updating the database schema failed ({exc}); the database was left as it was.{where}"
        ) from exc
