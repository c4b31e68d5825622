"""Garmin FIT activities, read with fitdecode (https://github.com/polyvertex/fitdecode).

One activity per session message; its laps are those between its start and end. A lap the
wearer pressed (trigger `manual`) is a mark; automatic laps (every km, every few minutes) and
the last lap (ended by the stop) are not.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.interchange.devices.activity import (
    Activity,
    DeviceFileError,
    MissingExtra,
    Progress,
    local_time,
    no_progress,
)

PRESSED_TRIGGERS = frozenset({"manual", None})
"""Lap triggers that mean the wearer pressed the button (older devices leave it empty)."""


def read_fit(path: Path, progress: Progress = no_progress) -> list[Activity]:
    try:
        import fitdecode  # an optional extra (tracker[devices]): asked for only here
    except ImportError:
        raise MissingExtra("FIT files", "fitdecode") from None
    messages: dict[str, list[dict[str, Any]]] = {}
    total = path.stat().st_size
    try:
        with (
            warnings.catch_warnings(),  # fitdecode warns about odd fields; errors still raise
            path.open("rb") as fh,
            fitdecode.FitReader(
                fh, check_crc=fitdecode.CrcCheck.ENABLED, keep_raw_chunks=False
            ) as reader,
        ):
            warnings.simplefilter("ignore")
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name in _WANTED:
                    fields = {f.name: f.value for f in frame.fields}
                    messages.setdefault(frame.name, []).append(fields)
                    progress(fh.tell(), total)
    except fitdecode.FitError as exc:
        raise DeviceFileError(f"a damaged FIT file ({exc})") from None
    except (ValueError, KeyError, IndexError, TypeError, OSError, AssertionError) as exc:
        # fitdecode asserts on some damaged headers instead of raising FitError
        raise DeviceFileError(f"a damaged FIT file ({type(exc).__name__}: {exc})") from None
    return _activities(messages)


_WANTED = frozenset({"file_id", "device_info", "session", "lap", "activity"})


def _activities(messages: dict[str, list[dict[str, Any]]]) -> list[Activity]:
    file_id = (messages.get("file_id") or [{}])[0]
    kind = file_id.get("type")
    if kind not in ("activity", None):
        raise DeviceFileError(f"a FIT {kind} file, not a recorded activity")
    sessions = messages.get("session", [])
    if not sessions:
        raise DeviceFileError("a FIT file without any activity summary (no session message)")
    device = _device_name(file_id, messages.get("device_info", []))
    offset = _local_offset(messages.get("activity", []))
    laps = sorted(
        (lap for lap in messages.get("lap", []) if isinstance(lap.get("start_time"), datetime)),
        key=lambda lap: lap["start_time"],
    )
    out = []
    for i, session in enumerate(sessions):
        start = session.get("start_time")
        if not isinstance(start, datetime):
            raise DeviceFileError(f"session {i + 1} has no start time")
        duration = _number(session.get("total_timer_time")) or _number(
            session.get("total_elapsed_time")
        )
        end = session.get("timestamp")
        if not isinstance(end, datetime):
            end = start + timedelta(seconds=duration or 0)
        mine = [lap for lap in laps if start <= lap["start_time"] <= end]
        out.append(
            Activity(
                started_utc=start,
                started_local=local_time(start, offset),
                duration_s=duration,
                distance_m=_number(session.get("total_distance")),
                sport=str(session.get("sport") or "generic").lower(),
                device=device,
                file_format="fit",
                lap_marks_m=_marks(mine),
            )
        )
    return out


def _marks(laps: list[dict[str, Any]]) -> tuple[float, ...]:
    marks = []
    walked = 0.0
    for lap in laps[:-1]:
        walked += _number(lap.get("total_distance")) or 0.0
        if lap.get("lap_trigger") in PRESSED_TRIGGERS:
            marks.append(walked)
    return tuple(marks)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _local_offset(activity: list[dict[str, Any]]) -> timedelta | None:
    """The watch's own local time: `local_timestamp` minus `timestamp` (both read as UTC)."""
    for a in activity:
        stamp, local = a.get("timestamp"), a.get("local_timestamp")
        if isinstance(stamp, datetime) and isinstance(local, datetime | int):
            if isinstance(local, int):
                local = datetime(1989, 12, 31, tzinfo=stamp.tzinfo) + timedelta(seconds=local)
            delta = local - stamp
            if abs(delta) <= timedelta(hours=14):
                return delta
    return None


def _device_name(file_id: dict[str, Any], infos: list[dict[str, Any]]) -> str:
    for info in infos:
        if info.get("device_index") in ("creator", 0) and info.get("product_name"):
            return str(info["product_name"])
    if file_id.get("product_name"):
        return str(file_id["product_name"])
    maker = str(file_id.get("manufacturer") or "").strip()
    product = file_id.get("garmin_product") or file_id.get("product")
    name = " ".join(str(x) for x in (maker, product) if x not in (None, ""))
    serial = file_id.get("serial_number")
    return (name or "FIT device") + (f" #{serial}" if serial else "")
