"""The diary file before and beside SQLite: what it is, who may read it, what lies next to it.

Everything here runs before the engine opens the file, so nothing is written into a file that
turns out not to be ours:

- only a regular file (or a name that can become one) is used; a folder, a named pipe, a device
  or a socket is refused before SQLite touches it, and so is a side file (`-wal`, `-shm`,
  `-journal`) that is not a regular file;
- files and folders the app creates are owner-only (0600 / 0700) whatever the umask;
- a leftover `-wal` or `-journal` (one no running program holds) is replayed only when it is
  proven to belong to the diary: on copies in a private temporary folder, the diary before and
  after the replay must have the same diary id, keep every walk it had, and stay readable.
  Before the real file replays it, a recovery copy of the database and its side files is made;
- the inspection reads the schema revision with one cheap query and runs SQLite's full
  integrity check; a file that fails it is only read out, never written.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracker.db import errors as store_errors
from tracker.db.errors import (
    BackupFailed,
    CorruptDatabase,
    DatabaseBusy,
    DatabaseUnavailable,
    ForeignSideFile,
    NewerDatabase,
    NotATrackerDatabase,
    UnsupportedTarget,
    busy_message,
)
from tracker.db.partial_files import partial_name, remove_leftovers, signals_unwind

SQLITE_HEADER = b"SQLite format 3\x00"
FILE_MODE = 0o600
DIR_MODE = 0o700
REPLAYED_SIDE_FILES = ("-wal", "-journal")
"""Side files SQLite replays into the database on the next open."""
SIDE_FILES = ("-wal", "-shm", "-journal")
INTEGRITY_PROBLEMS_SHOWN = 20
CHECK_EVERY_S = 24 * 3600.0
"""The full integrity check runs at least this often on a diary opened every day."""
MAX_BACKUPS = 5
"""Copies made before schema updates that are kept (the newest sound ones)."""
BACKUP_STEP_PAGES = 1024
"""Pages the backup copies per step (4 MB at the default page size)."""
_SHM_DMS_BYTE = 128
"""The byte of `-shm` every open SQLite connection holds a read lock on (unix VFS)."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

_open_here: Counter[Path] = Counter()
"""Diary files this process has open: their side files are in use, by us."""


@dataclass(frozen=True)
class Prepared:
    """What `prepare` found and did."""

    created: bool
    """The file did not exist; an empty owner-only file was created for SQLite to fill."""
    recovery_copy: Path | None
    """Where a copy of the database and its leftover side files was written before replay."""


@dataclass(frozen=True)
class Inspection:
    revision: str | None
    """The schema revision; None for an empty file (a new diary)."""
    problems: tuple[str, ...]
    """What SQLite's integrity check reported; empty when the file is sound (or unchecked)."""
    checked: bool = True
    """Whether the full integrity check ran (see `opening`: when it is due)."""


# --- kinds of files and owner-only creation -----------------------------------------------
def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise DatabaseUnavailable(f"Cannot look at {path}: {exc.strerror or exc}.") from None


def refuse_unless_regular(path: Path, *, what: str = "The diary") -> bool:
    """True when `path` is a regular file, False when it does not exist; otherwise refuse."""
    st = _stat(path)
    if st is None:
        return False
    kind = _kind(st.st_mode)
    if kind is not None:
        hint = (
            f" Give a file name inside it, e.g. {path / 'tracker.db'}."
            if kind == "a folder"
            else ""
        )
        raise UnsupportedTarget(
            f"{what} {path} is {kind}, not a regular file; nothing was touched.{hint}"
        )
    return True


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents, each owner-only (0700) whatever the umask."""
    missing: list[Path] = []
    here = folder
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by another process a moment ago
            part.mkdir(mode=DIR_MODE)
            os.chmod(part, DIR_MODE)


def create_private_file(path: Path) -> bool:
    """Create an empty owner-only file (0600 whatever the umask); False if it exists already."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return True


def private_copy(source: Path, target: Path) -> None:
    """Copy bytes into a new owner-only file; `target` must not exist."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with open(source, "rb") as src, os.fdopen(fd, "wb", closefd=False) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
    finally:
        os.close(fd)


def stamped_name(path: Path, label: str) -> Path:
    """`tracker.db` → a free `tracker.<label>-YYYYMMDDTHHMMSS.db` beside it."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    suffix = path.suffix or ".db"
    target = path.with_name(f"{path.stem}.{label}-{stamp}{suffix}")
    n = 1
    while any(Path(f"{target}{side}").exists() for side in ("", *SIDE_FILES)):
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{suffix}")
        n += 1
    return target


# --- preparing the path -------------------------------------------------------------------
def prepare(path: Path, *, explicit: bool) -> Prepared:
    """Make `path` safe for SQLite to open: refuse what is not a regular file, create a new
    diary's file owner-only (its folder too, at the default location only), and deal with
    leftover side files."""
    exists = refuse_unless_regular(path)
    created = False
    if not exists:
        folder = path.parent
        blocker = next((p for p in folder.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            raise DatabaseUnavailable(
                f"Cannot create the database {path}: {blocker} is a file, not a folder. "
                "Choose another place with --db or TRACKER_DB."
            )
        if not folder.exists() and explicit:
            raise DatabaseUnavailable(
                f"The folder {folder} does not exist, so there is no diary at {path}. Nothing "
                "was created. Check the path given with --db or TRACKER_DB, or create the "
                "folder first."
            )
        try:
            make_private_dirs(folder)
            created = create_private_file(path)
        except OSError as exc:  # includes a file standing where the folder should be
            raise DatabaseUnavailable(
                f"Cannot create the database {path}: {exc.strerror or exc}. "
                "Choose a writable place with --db or TRACKER_DB."
            ) from None
        if not created:  # another process created it a moment ago: inspect it like any file
            refuse_unless_regular(path)
    sides = []
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if refuse_unless_regular(side, what="The side file") and (
            suffix in REPLAYED_SIDE_FILES and side.stat().st_size > 0
        ):
            sides.append(side)
    recovery = None
    if sides and not side_files_in_use(path):
        check_side_files_belong(path, sides)
        recovery = write_recovery_copy(path, sides)
    return Prepared(created=created, recovery_copy=recovery)


# --- leftover side files ------------------------------------------------------------------
def note_open(path: Path) -> None:
    _open_here[path] += 1


def note_closed(path: Path) -> None:
    _open_here[path] -= 1
    if _open_here[path] <= 0:
        del _open_here[path]


def side_files_in_use(path: Path) -> bool:
    """Whether a running program holds the diary open (so its `-wal` is live, not leftover).

    Every SQLite connection in WAL mode keeps a read lock on one byte of `-shm`; if a write
    lock on that byte can be taken, no other process has the file open. (Not asked for files
    this process has open: closing our descriptor would drop SQLite's own locks.)
    """
    if path in _open_here:
        return True
    try:
        import fcntl  # unix only: imported where it is used
    except ImportError:  # not a unix VFS: treat every side file as leftover (checked, copied)
        return False
    try:
        fd = os.open(f"{path}-shm", os.O_RDWR | _NOFOLLOW)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave it to SQLite, as before
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE, os.SEEK_SET)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE, os.SEEK_SET)
        return False
    finally:
        os.close(fd)


@dataclass(frozen=True)
class _Facts:
    tables: frozenset[str]
    diary_id: str | None
    walks: dict[Any, Any]

    @property
    def is_tracker(self) -> bool:
        return {"alembic_version", "walk"} <= self.tables


def _facts(db: Path, *, check: bool = False) -> _Facts:
    conn = sqlite3.connect(db, timeout=store_errors.BUSY_TIMEOUT_S)
    try:
        if check and conn.execute("PRAGMA quick_check(1)").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("the result fails SQLite's check")
        tables = frozenset(
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
        diary_id = None
        if "diary" in tables:
            row = conn.execute("SELECT diary_id FROM diary WHERE id = 1").fetchone()
            diary_id = None if row is None else str(row[0])
        walks: dict[Any, Any] = {}
        if "walk" in tables:
            walks = dict(conn.execute("SELECT id, created_at FROM walk NOT INDEXED"))
        return _Facts(tables, diary_id, walks)
    finally:
        conn.close()


def check_side_files_belong(path: Path, sides: list[Path]) -> None:
    """Replay `sides` on a copy and refuse (naming the file) if the diary would become another
    database, lose walks or be damaged. The real files are only read."""
    names = " and ".join(str(s) for s in sides)
    with tempfile.TemporaryDirectory(prefix="tracker-check-") as tmp:
        copy = Path(tmp) / "diary.db"
        try:
            private_copy(path, copy)
            before = _facts(copy)
            for leftover in copy.parent.iterdir():
                if leftover != copy:
                    leftover.unlink()
            for side in sides:
                private_copy(side, Path(f"{copy}{side.name[len(path.name) :]}"))
        except OSError as exc:
            raise DatabaseUnavailable(f"Cannot read {path}: {exc.strerror or exc}.") from None
        except sqlite3.DatabaseError:
            return  # the file itself is unreadable: the inspection says so
        if before.tables and not before.is_tracker:
            return  # not a diary at all: the inspection refuses it untouched
        reason = None
        try:
            after = _facts(copy, check=True)
        except sqlite3.DatabaseError as exc:
            reason = f"damage it ({exc})"
        else:
            lost = [i for i, created in before.walks.items() if after.walks.get(i) != created]
            if not after.is_tracker:
                reason = "replace the diary with a database that is not a tracker diary"
            elif before.diary_id is not None and after.diary_id != before.diary_id:
                reason = "replace the diary with another one (its diary id differs)"
            elif lost:
                reason = f"lose or change {len(lost)} of its {len(before.walks)} walks"
    if reason is not None:
        raise ForeignSideFile(
            f"{names} beside the diary {path} does not belong to it: replaying it would "
            f"{reason}. Nothing was changed. Move {names} out of this folder (a file-sync tool "
            "or a restored backup may have put it there), then try again."
        )


def write_recovery_copy(path: Path, sides: list[Path]) -> Path:
    """A byte copy of the database and its side files, made before SQLite replays them."""
    target = stamped_name(path, "recovery")
    pairs = [(path, target)] + [(s, Path(f"{target}{s.name[len(path.name) :]}")) for s in sides]
    partials = [(source, copy, partial_name(copy)) for source, copy in pairs]
    try:
        for source, _copy, partial in partials:
            private_copy(source, partial)
        for _source, copy, partial in partials:
            os.replace(partial, copy)
    except OSError as exc:
        for _source, _copy, partial in partials:
            with contextlib.suppress(OSError):
                partial.unlink()
        raise DatabaseUnavailable(
            f"Cannot write a recovery copy of {path} before using its leftover "
            f"{', '.join(s.name for s in sides)}: {exc.strerror or exc}. Nothing was changed."
        ) from None
    return target


# --- inspection ---------------------------------------------------------------------------
@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection without any pragma that writes."""
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=store_errors.BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"Cannot open {path}: {exc}.") from None
    try:
        yield conn
    finally:
        conn.close()


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def inspect(
    path: Path, known: tuple[str, ...], *, full_check: Callable[[str | None], bool] | None = None
) -> Inspection:
    """The schema revision (None when empty), refusing foreign files and files from a newer
    app (a revision not in `known`, oldest to newest), and SQLite's full integrity check when
    `full_check(revision)` says it is due (always when it is not given).

    Opens read-only without any pragma, so nothing is written before the file is known to be
    ours.
    """
    if not os.access(path, os.R_OK):
        raise DatabaseUnavailable(f"Cannot read {path}: permission denied.")
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if not header:
        return Inspection(None, ())
    if header != SQLITE_HEADER:
        raise NotATrackerDatabase(
            f"{path} is not a tracker database (it is not an SQLite file). It was not changed. "
            "Point --db or TRACKER_DB at your tracker database, or at a new file name."
        )
    with read_only(path) as conn:
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return Inspection(None, ())
            if "alembic_version" not in tables or "walk" not in tables:
                raise NotATrackerDatabase(
                    f"{path} is an SQLite database, but not a tracker database. It was not "
                    "changed. Point --db or TRACKER_DB at your tracker database, or at a new "
                    "file name."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise DatabaseBusy(busy_message(path)) from None
            raise CorruptDatabase(unreadable_message(path)) from None
        revision = None if row is None else row[0]
        if revision is None:
            raise NotATrackerDatabase(f"{path} has no schema revision; it was not changed.")
        if revision not in known:
            raise NewerDatabase(
                f"{path} was written by a newer version of tracker (schema {revision!r}); this "
                f"version knows up to {known[-1]!r}. Update tracker. The file was not changed."
            )
        if full_check is not None and not full_check(str(revision)):
            return Inspection(str(revision), (), checked=False)
        return Inspection(str(revision), integrity_problems(conn, path))


# --- when the full integrity check is due ---------------------------------------------------
def check_record(path: Path) -> Path:
    """Where the last passed full integrity check of `path` is recorded (hidden, beside it)."""
    return path.with_name(f".{path.name}.checked")


def _state(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def _record(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(check_record(path).read_text(encoding="utf-8"))
        float(record["checked_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record if isinstance(record, dict) else None


def _fresh(record: dict[str, Any], now: float) -> bool:
    return 0 <= now - float(record["checked_at"]) < CHECK_EVERY_S


def unchanged_since_check(path: Path) -> dict[str, Any] | None:
    """The record, when the file is as the last tracker session left it (any age)."""
    record = _record(path)
    try:
        return record if record is not None and record.get("state") == _state(path) else None
    except OSError:
        return None


def recently_checked(path: Path, *, now: float | None = None) -> bool:
    """Whether a full check passed less than `CHECK_EVERY_S` ago on the file as it is now
    (same size and modification time: a change by anything but a tracker session that began
    on a checked file makes the check due again)."""
    record = unchanged_since_check(path)
    return record is not None and _fresh(record, time.time() if now is None else now)


def clean_since_check(path: Path) -> bool:
    """Whether the file is as a tracker session left it that knew of no unreadable row (and
    the record is fresh): then the rows opening looks for cannot be there."""
    record = unchanged_since_check(path)
    return record is not None and record.get("clean") is True and _fresh(record, time.time())


def walks_checked_upto(path: Path) -> int | None:
    """The highest walk rowid whose values passed the check, on a file unchanged since."""
    record = unchanged_since_check(path)
    value = None if record is None else record.get("walk_rowid")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def note_checked(
    path: Path, *, at: float | None = None, walk_rowid: int | None = None, clean: bool = False
) -> None:
    """Record that `path` passed the full check (`at`: when; now if not given), how far
    its walks' values were checked, and whether the session that wrote it left no row known
    to be unreadable (`clean`: what lets `tracker log` take its fast path, `plain_log`)."""
    record = check_record(path)
    content: dict[str, Any] = {
        "checked_at": time.time() if at is None else at,
        "state": _state(path),
    }
    if walk_rowid is not None:
        content["walk_rowid"] = walk_rowid
    if clean:
        content["clean"] = True
    partial = partial_name(record)
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(content, fh)
        os.replace(partial, record)
    except OSError:  # a missing record only costs a full check next time
        with contextlib.suppress(OSError):
            partial.unlink()


def keep_check_record(
    path: Path, *, walk_rowid: int | None = None, clean: bool | None = None
) -> None:
    """After a session that began on a recently checked file: its own writes changed the file,
    so the record takes the new size and time (the check itself keeps its moment). `clean`:
    whether the session ended knowing of no unreadable row (None: as recorded)."""
    record = _record(path)
    if record is None or not _fresh(record, time.time()):
        return
    upto = record.get("walk_rowid") if walk_rowid is None else walk_rowid
    kept = record.get("clean") is True if clean is None else clean
    note_checked(path, at=float(record["checked_at"]), walk_rowid=upto, clean=kept)


def note_walks_checked(path: Path, walk_rowid: int) -> None:
    """The walks up to `walk_rowid` passed the value check (kept with a fresh record only)."""
    keep_check_record(path, walk_rowid=walk_rowid)


def integrity_problems(conn: sqlite3.Connection, path: Path) -> tuple[str, ...]:
    """SQLite's full integrity check (pages, records and every index)."""
    try:
        rows = conn.execute(f"PRAGMA integrity_check({INTEGRITY_PROBLEMS_SHOWN})").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise DatabaseBusy(busy_message(path)) from None
        return (str(exc),)
    lines = [line.strip() for r in rows for line in str(r[0]).splitlines()]
    found = tuple(line for line in lines if line and not line.startswith("***"))
    return () if found == ("ok",) else found


def unreadable_message(path: Path) -> str:
    return (
        f"{path} is damaged (SQLite cannot read its table list). It was not changed. "
        "Restore a backup (tracker keeps *.backup-*.db copies next to it) or use a new file."
    )


def _on_copy_step(remaining: int, total: int) -> None:
    """Called after each step of the backup copy (a seam for the fault tests; does nothing)."""


def backup_sqlite_file(path: Path, *, label: str = "backup") -> Path:
    """A consistent, checked copy next to `path` (SQLite backup API), owner-only.

    Written under a partial name (`partial_files`), checked with `PRAGMA integrity_check`,
    and only then renamed to `<stem>.<label>-<stamp>.db`; the older copies beyond the newest
    `MAX_BACKUPS` sound ones are then removed. Any failure removes the partial file and raises
    `BackupFailed`: the caller must not go on (a migration without its copy is not run)."""
    remove_leftovers(path.parent)
    target = stamped_name(path, label)
    partial = partial_name(target)
    try:
        create_private_file(partial)
        src = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, timeout=store_errors.BUSY_TIMEOUT_S
        )
        try:
            dst = sqlite3.connect(partial)
            try:
                with signals_unwind():
                    src.backup(
                        dst,
                        pages=BACKUP_STEP_PAGES,
                        progress=lambda _status, remaining, total: _on_copy_step(remaining, total),
                    )
                problems = integrity_problems(dst, partial)
            finally:
                dst.close()
        finally:
            src.close()
        if problems:
            raise sqlite3.DatabaseError(f"the copy fails SQLite's check: {problems[0]}")
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except BaseException as exc:
        for leftover in (partial, *(Path(f"{partial}{side}") for side in SIDE_FILES)):
            with contextlib.suppress(OSError):
                leftover.unlink()
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise DatabaseBusy(busy_message(path)) from None
        if isinstance(exc, OSError | sqlite3.Error):
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise BackupFailed(
                f"Could not make the copy of {path} that comes before a schema update "
                f"({reason}); the update was not run and {path} was not changed. Free some "
                "space or fix the folder's permissions, then try again."
            ) from None
        raise
    prune_backups(path, label)
    return target


def backups_of(path: Path, label: str = "backup") -> list[Path]:
    """The copies `backup_sqlite_file` made of `path`, newest first."""
    suffix = path.suffix or ".db"
    found = [
        p
        for p in path.parent.glob(f"{glob_escape(path.stem)}.{label}-*{suffix}")
        if p.is_file() and not p.is_symlink()
    ]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def looks_whole(copy: Path) -> bool:
    """A cheap test that a file is a whole SQLite database: the header, and a size that
    matches the page count the header gives (an emptied or cut-off copy fails it)."""
    try:
        with copy.open("rb") as fh:
            header = fh.read(100)
        size = copy.stat().st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return pages > 0 and size == pages * page_size


def prune_backups(path: Path, label: str = "backup") -> list[Path]:
    """Keep the newest `MAX_BACKUPS` sound copies; remove older sound ones. A copy that does
    not look whole is neither counted nor removed (the user may want to look at it), so the
    only good copy is never the one removed."""
    removed: list[Path] = []
    kept = 0
    for copy in backups_of(path, label):
        if not looks_whole(copy):
            continue
        kept += 1
        if kept > MAX_BACKUPS:
            with contextlib.suppress(OSError):
                copy.unlink()
                removed.append(copy)
    return removed
