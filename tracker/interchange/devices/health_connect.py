"""A Health Connect export (Android): a zip holding its SQLite database, read with sqlite3.

Sessions come from `exercise_session_record_table` (times in epoch milliseconds, zone offsets
in seconds); their distance is the sum of the same app's `distance_record_table` rows inside
the session, and the laps (`exercise_laps_table`) are the presses. Read only, never changed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from tracker.interchange.devices.activity import (
    Activity,
    DeviceFileError,
    Progress,
    local_time,
    no_progress,
)
from tracker.interchange.devices.detect import HEALTH_CONNECT_TABLE, SQLITE_HEADER
from tracker.interchange.devices.zip_guard import open_member, open_zip

EXERCISE_TYPES = {
    79: "walking",
    37: "hiking",
    56: "running",
    57: "running",
    8: "cycling",
    9: "cycling",
}
"""androidx.health.connect ExerciseSessionRecord codes; every other code is another sport."""


@contextmanager
def unpacked_database(path: Path, progress: Progress = no_progress) -> Iterator[Path]:
    """The zip's database copied (through the zip guard) to a private temporary file."""
    with open_zip(path) as archive:
        members = [i for i in archive.infolist() if i.filename.endswith(".db")]
        if not members:
            raise DeviceFileError("the zip holds no Health Connect database (.db)")
        info = max(members, key=lambda i: i.file_size)
        fd, name = tempfile.mkstemp(prefix="tracker-hc-", suffix=".db")
        try:
            with os.fdopen(fd, "wb") as out, open_member(archive, info, progress) as src:
                shutil.copyfileobj(src, out, 1 << 20)
            yield Path(name)
        finally:
            Path(name).unlink(missing_ok=True)


def read_health_connect(db: Path, progress: Progress = no_progress) -> list[Activity]:
    with db.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise DeviceFileError("the Health Connect database is not an SQLite file")
    try:
        conn = sqlite3.connect(f"file:{quote(str(db))}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise DeviceFileError(f"the Health Connect database cannot be opened ({exc})") from None
    try:
        return _read(conn, progress)
    except sqlite3.DatabaseError as exc:
        raise DeviceFileError(f"the Health Connect database is damaged ({exc})") from None
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")}


def _read(conn: sqlite3.Connection, progress: Progress) -> list[Activity]:
    session_cols = _columns(conn, HEALTH_CONNECT_TABLE)
    needed = {"row_id", "start_time", "end_time", "exercise_type"}
    if not needed <= session_cols:
        missing = ", ".join(sorted(needed - session_cols))
        raise DeviceFileError(f"not a Health Connect export (its sessions lack {missing})")
    optional = [
        c for c in ("start_zone_offset", "app_info_id", "device_info_id") if c in session_cols
    ]
    rows = conn.execute(
        f"SELECT row_id, start_time, end_time, exercise_type, {', '.join(optional) or 'NULL'}"
        f" FROM {HEALTH_CONNECT_TABLE} ORDER BY start_time"
    ).fetchall()
    apps = _names(conn, "application_info_table", ("app_name", "package_name"))
    devices = _names(conn, "device_info_table", ("manufacturer", "model"))
    has_distance = {"start_time", "end_time", "distance"} <= _columns(conn, "distance_record_table")
    has_laps = {"parent_key", "lap_end_time"} <= _columns(conn, "exercise_laps_table")
    lap_length = "lap_length" in _columns(conn, "exercise_laps_table")
    out = []
    for n, row in enumerate(rows, 1):
        extra = dict(zip(optional, row[4:], strict=False))
        row_id, start_ms, end_ms, code = row[:4]
        where = f"session {n}"
        if not isinstance(start_ms, int) or not isinstance(end_ms, int):
            raise DeviceFileError(f"{where}: start or end time is not a time stamp")
        start = datetime.fromtimestamp(start_ms / 1000, UTC)
        offset_s = extra.get("start_zone_offset")
        offset = timedelta(seconds=offset_s) if isinstance(offset_s, int) else None
        app = extra.get("app_info_id")
        device = devices.get(extra.get("device_info_id")) or apps.get(app) or "Health Connect"
        sport = (
            EXERCISE_TYPES.get(code, f"exercise type {code}") if isinstance(code, int) else "other"
        )

        def distance_until(
            until_ms: int, start_ms: int = start_ms, app: object = app
        ) -> float | None:
            if not has_distance:
                return None
            sql = (
                "SELECT SUM(distance) FROM distance_record_table"
                " WHERE start_time >= ? AND end_time <= ?"
            )
            params: list[object] = [start_ms, until_ms]
            if app is not None:
                sql += " AND app_info_id = ?"
                params.append(app)
            value = conn.execute(sql, params).fetchone()[0]
            return None if value is None else float(value)

        distance = distance_until(end_ms)
        marks: list[float] = []
        if has_laps:
            laps = conn.execute(
                f"SELECT lap_end_time, {'lap_length' if lap_length else 'NULL'}"
                " FROM exercise_laps_table WHERE parent_key = ? ORDER BY lap_end_time",
                (row_id,),
            ).fetchall()
            walked = 0.0
            for lap_end, length in laps[:-1]:
                if isinstance(length, int | float) and length > 0:
                    walked += float(length)
                    marks.append(walked)
                elif isinstance(lap_end, int):
                    at = distance_until(lap_end)
                    if at is not None:
                        marks.append(at)
        out.append(
            Activity(
                started_utc=start,
                started_local=local_time(start, offset),
                duration_s=(end_ms - start_ms) / 1000,
                distance_m=distance,
                sport=sport,
                device=device,
                file_format="health-connect",
                lap_marks_m=tuple(marks),
            )
        )
        progress(n, len(rows))
    return out


def _names(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> dict[object, str]:
    have = [c for c in columns if c in _columns(conn, table)]
    if "row_id" not in _columns(conn, table) or not have:
        return {}
    out = {}
    for row in conn.execute(f"SELECT row_id, {', '.join(have)} FROM {table}"):
        name = " ".join(str(v) for v in row[1:] if v not in (None, ""))
        if name:
            out[row[0]] = name
    return out
