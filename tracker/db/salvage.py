"""Reading a damaged diary out: every row that can still be read goes into a new, sound diary.

A file that fails SQLite's integrity check is never written. `tracker recover --out FILE`
copies what can be read into a new diary at FILE; `tracker export` of a damaged diary exports
from such a copy made in a private temporary folder. Tables are read in rowid order without
their indexes (a damaged index must not hide rows); where a page cannot be read, the reader
finds the next row that can (stepping, then halving the step) and reports the ids on either
side of what it could not read. Rows are copied as they are, ids included, values the app
cannot read too (listings leave those out and name them; nothing is dropped here).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.db import errors as store_errors
from tracker.db.diary_file import (
    SIDE_FILES,
    SQLITE_HEADER,
    is_busy,
    prepare,
    refuse_unless_regular,
)
from tracker.db.errors import (
    CorruptDatabase,
    DatabaseBusy,
    DatabaseUnavailable,
    NotATrackerDatabase,
)
from tracker.db.opening import open_store
from tracker.db.partial_files import partial_name, remove_leftovers
from tracker.db.repository import Store

CHUNK_ROWS = 500
LOWEST_ROWID = -(2**63)
HIGHEST_ROWID = 2**63 - 1
NOT_COPIED = frozenset({"alembic_version", "diary"})
"""The new diary has its own schema revision and its own diary id."""
TABLE_WORDS = {
    "walk": "walks",
    "symptom": "symptom reports",
    "cigarette_day": "days of cigarette counts",
    "smoking_status": "smoking statuses",
    "settings": "settings",
}


@dataclass
class SalvageReport:
    copied: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    """What could not be read, per table, between which ids."""

    def lines(self) -> list[str]:
        read = ", ".join(
            f"{n} {TABLE_WORDS.get(table, table + ' rows')}"
            for table, n in self.copied.items()
            if n
        )
        out = [f"Read out: {read or 'nothing'}."]
        if self.unreadable:
            out.append("Could not read (damaged): " + "; ".join(self.unreadable) + ".")
        else:
            out.append("Every row could be read.")
        return out


def _connect_source(source: Path) -> sqlite3.Connection:
    if not refuse_unless_regular(source):
        raise DatabaseUnavailable(f"There is no diary at {source}.")
    prepare(source, explicit=True)  # refuses side files that do not belong
    with source.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotATrackerDatabase(f"{source} is not a tracker database (not an SQLite file).")
    uri = f"file:{quote(str(source))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=store_errors.BUSY_TIMEOUT_S)


class _Reader:
    """Rows of one table in rowid order, skipping what cannot be read."""

    def __init__(
        self, conn: sqlite3.Connection, table: str, columns: list[str], where: Path
    ) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        self.sql = f'SELECT rowid, {names} FROM "{table}" NOT INDEXED WHERE rowid >= ? '
        self.conn = conn
        self.table = table
        self.gaps: list[str] = []
        self.where = where

    def _busy(self) -> DatabaseBusy:
        return DatabaseBusy(store_errors.busy_message(self.where))

    def _fetch(self, start: int, limit: int) -> list[tuple[Any, ...]]:
        return self.conn.execute(self.sql + "ORDER BY rowid LIMIT ?", (start, limit)).fetchall()

    def _readable(self, start: int) -> bool:
        try:
            self._fetch(start, 1)
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise self._busy() from None
            return False
        return True

    def _next_readable(self, start: int) -> int | None:
        """The smallest rowid above `start` from which reading works again (None: none)."""
        step = 1
        while start + step <= HIGHEST_ROWID and not self._readable(start + step):
            step *= 2
        if start + step > HIGHEST_ROWID:
            if self._readable(HIGHEST_ROWID):
                step = HIGHEST_ROWID - start
            else:
                return None
        low, high = start + step // 2, start + step  # low fails (or is start), high works
        while high - low > 1:
            middle = (low + high) // 2
            if self._readable(middle):
                high = middle
            else:
                low = middle
        return high

    def rows(self) -> Iterator[tuple[Any, ...]]:
        start = LOWEST_ROWID
        last_good: int | None = None
        limit = CHUNK_ROWS
        while True:
            try:
                rows = self._fetch(start, limit)
            except sqlite3.DatabaseError as exc:
                if is_busy(exc):
                    raise self._busy() from None
                if limit > 1:  # read up to the damage one row at a time
                    limit = 1
                    continue
                resume = self._next_readable(start)
                if last_good is None and resume is None:
                    lost = "nothing could be read"
                elif last_good is None:
                    lost = f"the rows before #{resume}"
                elif resume is None:
                    lost = f"the rows after #{last_good}"
                else:
                    lost = f"the rows after #{last_good} and before #{resume}"
                self.gaps.append(f"{self.table}: {lost}")
                if resume is None:
                    return
                start = resume
                continue
            if not rows:
                return
            yield from rows
            last_good = rows[-1][0]
            if last_good >= HIGHEST_ROWID:
                return
            start = last_good + 1
            limit = CHUNK_ROWS


def _copy_rows(
    src: sqlite3.Connection, dst: sqlite3.Connection, report: SalvageReport, where: Path
) -> None:
    try:
        tables = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(
            f"The diary is too damaged to read out: SQLite cannot read its table list ({exc})."
        ) from None
    if not {"walk", "alembic_version"} <= set(tables):
        raise NotATrackerDatabase("That file is an SQLite database, but not a tracker diary.")
    targets = {r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        if table in NOT_COPIED or table not in targets or table.startswith("sqlite_"):
            continue
        try:
            theirs = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
        except sqlite3.DatabaseError as exc:
            report.unreadable.append(f"{table}: its columns ({exc})")
            continue
        ours = {r[1] for r in dst.execute(f'PRAGMA table_info("{table}")')}
        columns = [c for c in theirs if c in ours]
        reader = _Reader(src, table, columns, where)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        insert = f'INSERT OR IGNORE INTO "{table}" (rowid, {names}) VALUES ({marks})'
        copied = 0
        for row in reader.rows():
            try:
                dst.execute(insert, row)
                copied += 1
            except sqlite3.DatabaseError as exc:  # e.g. NULL where the schema forbids it
                report.unreadable.append(f"{table}: the row with id {row[0]} ({exc})")
        report.copied[table] = copied
        report.unreadable.extend(reader.gaps)


def salvage(source: Path, target: Path) -> SalvageReport:
    """Copy every readable row of the diary at `source` into a new diary at `target`.

    `target` must not exist; the new diary appears there whole or not at all (it is built
    under a temporary name in the same folder, then renamed)."""
    try:
        target = Path(os.path.realpath(Path(target).expanduser()))
        if target.exists() or target.is_symlink():
            raise DatabaseUnavailable(
                f"{target} exists already; recover writes a new diary. Choose a new file name."
            )
        if not target.parent.is_dir():
            raise DatabaseUnavailable(f"The folder {target.parent} does not exist.")
        remove_leftovers(target.parent)
        building = partial_name(target)  # open_store creates it itself, owner-only
        if not os.access(target.parent, os.W_OK):
            raise PermissionError(13, "permission denied")
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise DatabaseUnavailable(f"Cannot write a new diary at {target}: {reason}.") from None
    src = _connect_source(source)
    report = SalvageReport()
    try:
        open_store(building).close()
        dst = sqlite3.connect(building)
        try:
            with dst:
                _copy_rows(src, dst, report, source)
        finally:
            dst.close()
        os.replace(building, target)
    except BaseException:
        for leftover in (building, *(Path(f"{building}{side}") for side in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return report


@contextmanager
def salvaged(source: Path) -> Iterator[tuple[Store, SalvageReport]]:
    """A temporary copy of what can be read from `source`, opened as a store (to export it)."""
    with tempfile.TemporaryDirectory(prefix="tracker-readout-") as folder:
        copy = Path(folder) / "readout.db"
        report = salvage(source, copy)
        store = open_store(copy)
        try:
            yield store, report
        finally:
            store.close()
