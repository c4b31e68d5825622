"""Opening the diary: which file or server `--db` names, what the file is, and the engine.

The only module that decides how the database is opened, and the only one that knows it is
SQLite (the pragmas, the WAL, the file checks); `repository` holds the queries and
`diary_file` the checks of the file itself, before SQLite opens it.

Opening is careful because nothing the user entered may be lost: a file that is not a tracker
database or comes from a newer app is refused untouched; a leftover `-wal` is replayed only
when it belongs to the diary, after a recovery copy; a file that fails SQLite's integrity check
is never written (it can only be read out, `salvage`); before a pending migration an existing
file is copied next to itself. The full integrity check reads the whole file, so it runs only
where it matters: after a leftover `-wal` was replayed, before a backup and a migration, and
otherwise when the last passed check (recorded beside the file) is over a day old or the file
changed outside a tracker session since; every open checks the header and the revision. The
schema revision is read with one cheap query, so Alembic is only imported when a migration is
actually due.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from tracker.db import diary_file
from tracker.db import errors as store_errors
from tracker.db.clinic import ClinicError, login_of
from tracker.db.diary_file import backup_sqlite_file, is_busy
from tracker.db.errors import (
    DamagedDatabase,
    DatabaseBusy,
    DatabaseUnavailable,
    MigrationFailed,
    NewerDatabase,
    NotATrackerDatabase,
    OlderDatabase,
)
from tracker.db.partial_files import remove_leftovers
from tracker.db.repository import Store
from tracker.db.revisions import KNOWN_REVISIONS as KNOWN_REVISIONS
from tracker.db.revisions import SCHEMA_REVISION as SCHEMA_REVISION
from tracker.db.target import DbTarget, resolve_target

SERVER_TIMEOUT_S = 10
"""How long a command waits for a PostgreSQL server to answer before saying so."""


def make_engine(url: str | URL, **server_options: Any) -> Engine:
    """An engine whose SQLite connections use WAL, foreign keys, a busy timeout and real BEGINs.

    pysqlite's own transaction handling skips BEGIN before DDL, which would make a failed
    migration half-applied; we emit BEGIN ourselves (the SQLAlchemy-documented recipe).
    Writers start with BEGIN IMMEDIATE so two processes queue instead of failing as locked;
    one that waits longer than `BUSY_TIMEOUT_S` gets `DatabaseBusy`, which names the file.
    """
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        # a server that does not answer is named within seconds, not after TCP's minutes
        return create_engine(
            url, connect_args={"connect_timeout": SERVER_TIMEOUT_S}, **server_options
        )
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
    # start-up: Alembic costs about half a second, and only a pending migration needs it
    from importlib.resources import files

    # start-up: Alembic only when a migration is due
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


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating or migrating as needed) the database behind `--db`/`TRACKER_DB`.

    Raises `DamagedDatabase` for a file that fails the integrity check: nothing may write to
    it; `tracker.db.salvage` reads it out."""
    where = resolve_target(target)
    if where.path is None:
        return _open_server(where)
    path = where.path
    prepared = diary_file.prepare(path, explicit=where.explicit)
    checked_walks = diary_file.walks_checked_upto(path)  # before anything changes the file

    def full_check_due(revision: str | None) -> bool:
        return (
            prepared.recovery_copy is not None  # a leftover -wal was just replayed
            or revision != SCHEMA_REVISION  # a backup and a migration follow
            or not diary_file.recently_checked(path)
        )

    found = diary_file.inspect(path, KNOWN_REVISIONS, full_check=full_check_due)
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
    leftovers = remove_leftovers(path.parent)
    if leftovers:
        notices.append(
            f"Removed {len(leftovers)} unfinished file(s) beside {path} that an interrupted "
            "tracker left (a copy or an export stopped before it was done); your diary and "
            "your finished copies were not touched."
        )
    engine = make_engine(where.url)
    backup: Path | None = None
    if found.revision != SCHEMA_REVISION:
        if found.revision is not None:
            try:
                backup = backup_sqlite_file(path)
            except BaseException:
                engine.dispose()
                raise
            notices.append(f"Database schema updated; a copy of the old file is at {backup}")
        _migrate_or_explain(engine, backup)
    store = Store(engine=engine, url=str(path), path=path, backup_path=backup, notices=notices)
    diary_file.note_open(path)
    if found.checked and found.revision is not None:
        diary_file.note_checked(path, walk_rowid=checked_walks)
    if prepared.recovery_copy is None and backup is None:
        store.walks_checked_upto = checked_walks
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


def _open_server(
    where: DbTarget, prepare: Callable[[Engine], None] | None = None, **options: Any
) -> Store:
    """`prepare` sets up the engine's connections before anything is read (clinic.py: a
    therapist looking at one patient, the administrator acting as a patient)."""
    engine = make_engine(where.url, **options)
    if prepare is not None:
        prepare(engine)
    try:
        revision = _server_revision(engine)
        notices = [f"Created a new diary at {where.shown}."] if revision is None else []
        if revision != SCHEMA_REVISION:
            _migrate_server(engine, where, revision)
        with engine.connect() as conn:
            login = login_of(conn)
    except DBAPIError as exc:
        engine.dispose()
        raise server_unavailable(where, exc) from None
    except BaseException:
        engine.dispose()
        raise
    if login.kind in ("therapist", "administrator") and prepare is None:
        engine.dispose()
        raise ClinicError(
            f"{login.role!r} is this clinic's {login.kind}, not a patient: "
            + (
                "open the cohort with `tracker clinic` (read-only)."
                if login.kind == "therapist"
                else "it keeps the register (`tracker clinic add-patient`, `add-therapist`) "
                "and sees no diary."
            )
        )
    return Store(engine=engine, url=where.shown, notices=notices)


def open_server_store(where: DbTarget, prepare: Callable[[Engine], None], **options: Any) -> Store:
    """A clinic's database opened for someone other than the connected patient (clinic.py)."""
    return _open_server(where, prepare, **options)


def _migrate_server(engine: Engine, where: DbTarget, revision: str | None) -> None:
    if revision is not None:
        with engine.connect() as conn:
            owns = conn.execute(
                text(
                    "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables"
                    " WHERE tablename = 'alembic_version' AND schemaname = 'public'"
                )
            ).scalar()
        if not owns:
            raise OlderDatabase(
                f"The database {where.shown} is at schema {revision!r}, older than this "
                f"tracker's {SCHEMA_REVISION!r}, and this login may not update it: the "
                "database's owner updates it (`tracker clinic upgrade --db OWNER-URL`). "
                "Nothing was changed."
            )
    _migrate_or_explain(engine, None)


def server_unavailable(where: DbTarget, exc: DBAPIError) -> DatabaseUnavailable:
    """What a failed connection or query to the server says, in words (no password in it)."""
    said = str(exc.orig)
    server = f"{where.url.host or 'localhost'}:{where.url.port or 5432}"
    user = where.url.username or "(your user name)"
    if "password authentication failed" in said or "no password supplied" in said:
        return DatabaseUnavailable(
            f"The PostgreSQL server at {server} refused the login {user!r}: wrong password, or "
            "no such login. Nothing was changed."
        )
    reasons = {
        "Connection refused": "nothing is listening there",
        "timeout expired": f"no answer within {SERVER_TIMEOUT_S} seconds",
        "could not translate host name": "that host name is unknown",
        "Name or service not known": "that host name is unknown",
        "No route to host": "no route to that host",
        "Network is unreachable": "the network is unreachable",
    }
    for words, reason in reasons.items():
        if words in said:
            return DatabaseUnavailable(
                f"Cannot reach the PostgreSQL server at {server} ({reason}). Check that it is "
                "running and that host and port are right. Nothing was changed."
            )
    first = said.strip().splitlines()[0] if said.strip() else type(exc.orig).__name__
    return DatabaseUnavailable(f"Cannot open the database {where.shown}: {first}")


def _migrate_or_explain(engine: Engine, backup: Path | None) -> None:
    try:
        run_migrations(engine)
    except Exception as exc:
        engine.dispose()
        where = f" A copy made before the attempt is at {backup}." if backup else ""
        raise MigrationFailed(
            f"Updating the database schema failed ({exc}); the database was left as it was.{where}"
        ) from exc
