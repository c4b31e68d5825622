"""`tracker log`'s fast path to the diary: the same reads and the same insert as the store,
through plain `sqlite3`, on a diary in the plainest state only.

Logging a walk is the command run most, and importing SQLAlchemy, SQLModel and pydantic was
nine tenths of its time. This module imports none of them. It opens the diary only when
opening it through `opening` would do nothing but open it: an existing file at the current
schema revision, with no side file (`-wal`, `-shm`, `-journal`) and no unfinished copy beside
it, writable, whose last passed full integrity check is recorded, fresh and matches the file
as it is (so no check is due), left by a session that knew of no unreadable row, with every
walk's values checked (the recorded walk rowid is the highest). Anything else (a migration
due, a leftover `-wal`, a damaged or foreign file, a server URL, a notice or warning to show)
returns None before anything was written, and the caller takes the full path, which deals
with it and says so.

The walk is turned into columns by `walk_table` (as the repository does), validated by
`domain.validation` and checked by `domain.plausibility`, so the rules live in one place; a
test stores the same inputs both ways and compares the rows column by column.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.db import diary_file
from tracker.db import errors as store_errors
from tracker.db.partial_files import is_partial
from tracker.db.revisions import SCHEMA_REVISION
from tracker.db.walk_table import (
    AUDIT_COLUMNS,
    WALK_TABLE_COLUMNS,
    PlainWalk,
    stored_time,
    walk_columns,
)
from tracker.domain.units import Unit
from tracker.domain.walks import WalkInput

_INSERTED = WALK_TABLE_COLUMNS[1:]
"""Every column but the id, which SQLite assigns (as the repository's insert)."""
_INSERT = f"INSERT INTO walk ({', '.join(_INSERTED)}) VALUES ({', '.join('?' * len(_INSERTED))})"
_READ = "SELECT id, walked_at, method, no_pain, pain_free_m, max_m"
RECENT_WINDOW = 2000
"""Newest walks (by time) in which the newest few of a method are looked for first."""
_UNITS = frozenset(u.value for u in Unit)
DEFAULT_UNIT = Unit.M.value
"""The unit of a diary without a settings row (`models.Settings`' default; a test compares)."""


@dataclass(frozen=True)
class ListedWalk:
    """What the plausibility rules read of a stored walk (`plausibility.StoredWalk`)."""

    id: int
    walked_at: datetime
    method: str
    no_pain: bool
    pain_free_m: float
    max_m: float | None


def utc_now() -> datetime:
    """An audit time: UTC, naive, as `models.utc_now` makes them."""
    return datetime.now(UTC).replace(tzinfo=None)


class PlainDiary:
    """An open diary for one `tracker log`: its unit, its walks for the checks, one insert."""

    def __init__(self, path: Path, conn: sqlite3.Connection, unit: str, walk_rowid: int) -> None:
        self.path = path
        self.conn = conn
        self.unit = unit
        self._walk_rowid = walk_rowid
        self.written = False
        """Whether a walk was saved (then nothing may fall back to the full command)."""

    def walks(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[ListedWalk]:
        """As `Store.walks` (not deleted, by time then id), with the few columns the checks
        read; the bounds are compared as the store's SQLite dates are stored.

        The same rows, read along the time index: the method's index made SQLite sort every
        walk of the method (0.8 s of a log on 1M walks). The newest few of a method are looked
        for among the newest `RECENT_WINDOW` walks first; only when fewer are there (a method
        seldom used) through the method's index."""
        if newest_first and limit is not None and since is None and until is None:
            found = self._read_walks([], [], method, True, limit, window=RECENT_WINDOW)
            if len(found) >= limit:
                return found
            return self._read_walks([], [], method, True, limit, by_method=True)
        where: list[str] = []
        args: list[Any] = []
        if since is not None:
            where.append("walked_at >= ?")
            args.append(stored_time(datetime.combine(since, datetime.min.time())))
        if until is not None:
            where.append("walked_at <= ?")
            args.append(stored_time(datetime.combine(until, datetime.max.time())))
        return self._read_walks(where, args, method, newest_first, limit)

    def _read_walks(
        self,
        where: list[str],
        args: list[Any],
        method: str | None,
        newest_first: bool,
        limit: int | None,
        *,
        window: int | None = None,
        by_method: bool = False,
    ) -> list[ListedWalk]:
        where = ["deleted_at IS NULL", *where]
        args = list(args)
        if method is not None:
            where.append("method = ?" if by_method else "+method = ?")  # '+': not its index
            args.append(method)
        order = " DESC" if newest_first else ""
        by_time = f"ORDER BY walked_at{order}, id{order}"
        source = "walk"
        if window is not None:
            source = f"(SELECT * FROM walk {by_time} LIMIT {int(window)})"
        sql = f"{_READ} FROM {source} WHERE {' AND '.join(where)} {by_time}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [
            ListedWalk(int(i), datetime.fromisoformat(at), m, bool(np), pf, mx)
            for i, at, m, np, pf, mx in self.conn.execute(sql, args)
        ]

    def add_walk(self, walk: WalkInput) -> PlainWalk:
        """One INSERT in a write transaction (BEGIN IMMEDIATE, as the store's writes)."""
        now = utc_now()
        columns = walk_columns(walk)
        stamps = {"created_at": now, "updated_at": now, "deleted_at": None}
        values = [
            stored_time(stamps[c]) if c in AUDIT_COLUMNS else _stored(columns[c]) for c in _INSERTED
        ]
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            cur = self.conn.execute(_INSERT, values)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.written = True
        row_id = int(cur.lastrowid or 0)
        if row_id == self._walk_rowid + 1:  # no other writer's walk came in between
            self._walk_rowid = row_id
        return PlainWalk(id=row_id, **columns, created_at=now, updated_at=now)

    def close(self) -> None:
        """Close; after a write, the check record takes the file's new state, as the store's
        close does, and counts the walk just written (from validated values) as checked when
        it directly follows the checked ones (as `Store.add_walk` does)."""
        self.conn.close()
        diary_file.note_closed(self.path)
        if self.written and not diary_file.side_files_in_use(self.path):
            diary_file.keep_check_record(self.path, walk_rowid=self._walk_rowid)


def _stored(value: Any) -> Any:
    return stored_time(value) if isinstance(value, datetime) else value


def open_plain(path: Path) -> PlainDiary | None:
    """The diary at `path` (absolute, resolved) opened for logging, or None when opening it
    would take anything more than opening (see the module's docstring)."""
    try:
        info = path.stat()
    except OSError:
        return None  # a new diary (or an unreadable name): opening creates it and says so
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return None
    for side in diary_file.SIDE_FILES:
        if os.path.lexists(f"{path}{side}"):
            return None
    if not (os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK)):
        return None
    try:
        if any(is_partial(name) for name in os.listdir(path.parent)):
            return None  # opening may remove them, and tells
    except OSError:
        return None
    if not diary_file.recently_checked(path) or not diary_file.clean_since_check(path):
        return None  # the full check is due, or rows may have to be named
    checked = diary_file.walks_checked_upto(path)
    if checked is None:
        return None
    with path.open("rb") as fh:
        if fh.read(len(diary_file.SQLITE_HEADER)) != diary_file.SQLITE_HEADER:
            return None
    return _connect(path, checked)


def _connect(path: Path, checked: int) -> PlainDiary | None:
    timeout = store_errors.BUSY_TIMEOUT_S
    conn = sqlite3.connect(
        f"file:{quote(str(path))}?mode=rw", uri=True, timeout=timeout, isolation_level=None
    )
    diary_file.note_open(path)
    diary = PlainDiary(path, conn, DEFAULT_UNIT, checked)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "walk", "settings"} <= tables:
            raise LookupError
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if revision != [(SCHEMA_REVISION,)]:
            raise LookupError
        top = conn.execute("SELECT max(rowid) FROM walk").fetchone()[0]
        if int(top or 0) != checked:
            raise LookupError  # walks added since the last check: the store checks them
        settings = conn.execute("SELECT unit, updated_at FROM settings WHERE id = 1").fetchall()
        unit, updated_at = settings[0] if settings else (DEFAULT_UNIT, None)
        if unit not in _UNITS or not isinstance(updated_at, str | None):
            raise LookupError
        if updated_at is not None:
            datetime.fromisoformat(updated_at)  # the store reads it (a bad one is named there)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone() != ("wal",):
            raise LookupError
        conn.execute("PRAGMA synchronous = FULL")
    except (LookupError, ValueError, TypeError, sqlite3.Error):
        diary.close()
        return None
    diary.unit = str(unit)
    return diary
