"""A first look at a diary file through plain `sqlite3`, for the dashboard's first frame with
data: importing SQLAlchemy, SQLModel and pydantic costs about half a second, more than every
other part of the start together, and the dashboard's first figures need none of it.

Only a file that opening would take as it is gets a look: a plain path (no URL), no side
file holding changes (a `-wal` left by a crash, or another program writing), a full integrity
check passed less than a day ago on the file exactly as it is now (what tracker sessions wrote
since is allowed), this app's schema revision, and walks that passed the value check once (the
walks logged since are read with this module's own checks). Anything else, or any value that
does not read as its column's type, gives no look: the app then waits for the store, as
before. What a look shows is replaced by the store's own figures as soon as the store is open
(a moment later).
The connection is `immutable` (no lock, no `-wal`/`-shm` created), so looking changes nothing.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from tracker import locations
from tracker.db import diary_file
from tracker.db.revisions import SCHEMA_REVISION
from tracker.db.walk_table import WALK_TABLE_COLUMNS, PlainWalk
from tracker.domain.smoking import StatusSpan
from tracker.domain.walks import POINT_COLUMNS, WalkPoint

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
SIDE_FILES = ("-wal", "-journal")
"""Side files that may hold changes the main file has not (an empty one, as a killed session
leaves its `-wal`, holds none)."""
UNITS = ("m", "km", "yd", "mi")
DEFAULT_UNIT = "m"
DEFAULT_WEEKLY_GOAL = 3
"""The settings' defaults when no settings row exists yet (a test checks them against the
model's)."""
WALK_COLUMNS = ", ".join(WALK_TABLE_COLUMNS)


class NoLook(Exception):
    """The file is not one this look reads as it is; the app waits for the store."""


def diary_path(target: str | os.PathLike[str] | None) -> Path | None:
    """The file `--db`/`TRACKER_DB`/the default names, or None for anything but a plain path
    (opening decides those)."""
    if target is None or str(target) == "":
        target = os.environ.get("TRACKER_DB") or None
    if target is None:
        target = locations.default_database()
    raw = os.fspath(target)
    if "\x00" in raw or _SCHEME.match(raw):
        return None
    try:
        return Path(os.path.realpath(Path(raw).expanduser()))
    except (OSError, ValueError, RuntimeError):
        return None


@dataclass(frozen=True)
class LookSettings:
    unit: str
    weekly_goal_sessions: int
    theme: str | None
    session_goal_minutes: int = 30
    patient_name: str = ""
    patient_id: str = ""
    paper_size: str = "A4"
    diabetes: bool = False
    hormonal_contraception: bool = False
    pregnancy: bool = False
    obesity: bool = False


@dataclass(frozen=True)
class LookSymptom:
    id: int | None
    key: str
    reported_on: date
    notes: str
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class LookCheck:
    id: int | None
    checked_at: datetime
    answers: str
    context: str
    ecq_positive: bool
    ecq_grade: int | None
    ecq_kind: str | None
    pattern: str
    tier: str | None
    advice: str
    result: str
    acknowledged_at: datetime | None
    created_at: datetime


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NoLook
    return float(value)


def _maybe_number(value: object) -> float | None:
    return None if value is None else _number(value)


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise NoLook
    return value


def _maybe_whole(value: object) -> int | None:
    return None if value is None else _whole(value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise NoLook
    return value


def _maybe_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _moment(value: object) -> datetime:
    return datetime.fromisoformat(_text(value))


def _maybe_moment(value: object) -> datetime | None:
    return None if value is None else _moment(value)


def _day(value: object) -> date:
    return date.fromisoformat(_text(value))


def _flag(value: object) -> bool:
    if value not in (0, 1):
        raise NoLook
    return bool(value)


class Look:
    """The reads of the dashboard's first look (`dashboard.first_look`); the rest of the
    diary's interface is the store's."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    def settings(self) -> LookSettings:
        row = self.conn.execute(
            "SELECT unit, weekly_goal_sessions, theme FROM settings WHERE id = 1"
        ).fetchone()
        if row is None:
            return LookSettings(DEFAULT_UNIT, DEFAULT_WEEKLY_GOAL, None)
        unit, goal, theme = row
        if unit not in UNITS:
            raise NoLook
        return LookSettings(unit, _whole(goal), _text(theme))

    def walk_points(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        method: str | None = None,
        exercise: bool = False,
    ) -> list[WalkPoint]:
        """`Store.walk_points` of a range (`method` is not needed by the first look)."""
        if since is None or until is None or method is not None:
            raise NoLook
        names = POINT_COLUMNS + (("pain", "duration_min", "total_m") if exercise else ())
        rows = self.conn.execute(
            f"SELECT {', '.join(names)} FROM walk WHERE deleted_at IS NULL"
            " AND walked_at >= ? AND walked_at <= ? ORDER BY walked_at",
            (
                datetime.combine(since, datetime.min.time()).isoformat(sep=" "),
                datetime.combine(until, datetime.max.time()).isoformat(sep=" "),
            ),
        )
        out = []
        for row in rows:
            at, pf, mx, np, m, rest, *more = row
            extra = (
                (_maybe_whole(more[0]), _maybe_number(more[1]), _maybe_number(more[2]))
                if exercise
                else (None, None, None)
            )
            out.append(
                WalkPoint(
                    _moment(at),
                    _number(pf),
                    _maybe_number(mx),
                    _flag(np),
                    _text(m),
                    _maybe_number(rest),
                    *extra,
                )
            )
        return out

    def last_walk(self) -> PlainWalk | None:
        row = self.conn.execute(
            f"SELECT {WALK_COLUMNS} FROM walk WHERE deleted_at IS NULL"
            " ORDER BY walked_at DESC, id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        (i, at, pf, mx, total, np, loc, side, pain, rest, minutes, m, notes, src, c, u, d) = row
        return PlainWalk(
            _whole(i),
            _moment(at),
            _number(pf),
            _maybe_number(mx),
            _maybe_number(total),
            _flag(np),
            _maybe_text(loc),
            _maybe_text(side),
            _maybe_whole(pain),
            _maybe_number(rest),
            _maybe_number(minutes),
            _text(m),
            _text(notes),
            _text(src),
            _moment(c),
            _moment(u),
            _maybe_moment(d),
        )

    def count_walks(self, since: date | None = None, until: date | None = None) -> int:
        if since is not None or until is not None:
            raise NoLook
        return int(
            self.conn.execute("SELECT count(*) FROM walk WHERE deleted_at IS NULL").fetchone()[0]
        )

    def cigarettes(self, since: date | None = None, until: date | None = None) -> dict[date, int]:
        if since is not None or until is not None:
            raise NoLook
        return {
            _day(d): _whole(n) for d, n in self.conn.execute("SELECT day, count FROM cigarette_day")
        }

    def smoking_history(self) -> list[StatusSpan]:
        rows = self.conn.execute(
            "SELECT status, since, cigarettes_per_day, frequency FROM smoking_status ORDER BY since"
        )
        return [
            StatusSpan(_text(s), _day(d), _maybe_number(n), _maybe_text(f)) for s, d, n, f in rows
        ]

    def symptoms(self, since: date | None = None, until: date | None = None) -> list[LookSymptom]:
        if since is None or until is not None:
            raise NoLook
        rows = self.conn.execute(
            'SELECT id, "key", reported_on, notes, acknowledged_at FROM symptom'
            " WHERE deleted_at IS NULL AND reported_on >= ? ORDER BY reported_on DESC, id DESC",
            (since.isoformat(),),
        )
        return [
            LookSymptom(_whole(i), _text(k), _day(d), _text(n), _maybe_moment(a))
            for i, k, d, n, a in rows
        ]

    def calf_checks(
        self, since: date | None = None, until: date | None = None, *, limit: int | None = None
    ) -> list[LookCheck]:
        sql = [
            "SELECT id, checked_at, answers, context, ecq_positive, ecq_grade, ecq_kind, pattern,"
            " tier, advice, result, acknowledged_at, created_at FROM calf_check WHERE 1"
        ]
        params: list[object] = []
        if since is not None:
            sql.append("AND checked_at >= ?")
            params.append(datetime.combine(since, datetime.min.time()).isoformat(sep=" "))
        if until is not None:
            sql.append("AND checked_at <= ?")
            params.append(datetime.combine(until, datetime.max.time()).isoformat(sep=" "))
        sql.append("ORDER BY checked_at DESC, id DESC")
        if limit is not None:
            sql.append(f"LIMIT {int(limit)}")
        return [
            LookCheck(
                _whole(r[0]),
                _moment(r[1]),
                _text(r[2]),
                _text(r[3]),
                _flag(r[4]),
                _maybe_whole(r[5]),
                _maybe_text(r[6]),
                _text(r[7]),
                _maybe_text(r[8]),
                _text(r[9]),
                _text(r[10]),
                _maybe_moment(r[11]),
                _moment(r[12]),
            )
            for r in self.conn.execute(" ".join(sql), params)
        ]

    def latest_calf_check(self) -> LookCheck | None:
        rows = self.calf_checks(limit=1)
        return rows[0] if rows else None


def _holds_data(side: Path) -> bool:
    try:
        return side.stat().st_size > 0
    except FileNotFoundError:
        return False


def look(target: str | os.PathLike[str] | None) -> Look | None:
    """A look at the diary `target` names, or None where opening must decide first."""
    path = diary_path(target)
    if path is None or not path.is_file():
        return None
    if any(_holds_data(path.with_name(path.name + side)) for side in SIDE_FILES):
        return None
    checked = diary_file.walks_checked_upto(path)
    if checked is None or not diary_file.recently_checked(path):
        return None
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return None
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if revision != (SCHEMA_REVISION,):
        conn.close()
        return None
    return Look(conn)


READ_ERRORS: tuple[type[Exception], ...] = (NoLook, sqlite3.Error, ValueError, TypeError, OSError)
"""What a look may meet in a file it cannot read as it expects: then there is no look."""
