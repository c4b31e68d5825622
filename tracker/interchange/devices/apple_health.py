"""An Apple Health export (`export.zip` or its `export.xml`), read as a stream.

The export can be gigabytes: elements are freed as soon as they are read (xml_stream), only
the workouts and six-minute walk records are kept. A workout's segment or lap marks (a double
tap on the watch) are the lap presses; Apple Health keeps no distance for a mark, so it is
estimated from the active time before it (pauses left out) at the workout's average pace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from tracker.domain.units import DistanceError, parse_distance
from tracker.interchange.devices.activity import (
    Activity,
    DeviceFileError,
    Progress,
    aware_or_error,
    no_progress,
)
from tracker.interchange.devices.xml_stream import top_level

SIX_MINUTE_WALK = "HKQuantityTypeIdentifierSixMinuteWalkTestDistance"
WALK_DISTANCE = "HKQuantityTypeIdentifierDistanceWalkingRunning"
_PREFIX = "HKWorkoutActivityType"
SPORTS = {"Walking": "walking", "Hiking": "hiking", "Running": "running", "Cycling": "cycling"}
MARK_EVENTS = frozenset({"HKWorkoutEventTypeSegment", "HKWorkoutEventTypeLap"})
MARKER_EVENT = "HKWorkoutEventTypeMarker"
PAUSE_EVENTS = frozenset({"HKWorkoutEventTypePause", "HKWorkoutEventTypeMotionPaused"})
RESUME_EVENTS = frozenset({"HKWorkoutEventTypeResume", "HKWorkoutEventTypeMotionResumed"})
_DURATION_UNITS = {"min": 60.0, "s": 1.0, "sec": 1.0, "h": 3600.0, "hr": 3600.0}
_DISTANCE_UNITS = {"ft": 0.3048}


def read_apple_health(
    source: IO[bytes], progress: Progress | None = None, total: int = 0
) -> Iterator[Activity]:
    """`progress`, when given, is told `source.tell()` every few thousand elements (a zip
    member reports its own progress instead)."""
    for n, (name, elem, _) in enumerate(top_level(source, "Apple Health exports"), 1):
        if name == "Workout":
            yield _workout(elem)
        elif name == "Record" and elem.get("type") == SIX_MINUTE_WALK:
            yield _six_minute(elem)
        if progress is not None and n % 4096 == 0:
            progress(source.tell(), total)


def parse_time(text: str | None, where: str) -> datetime:
    """Apple writes `2026-11-20 08:00:00 +0100`."""
    if not text:
        raise DeviceFileError(f"{where}: no date")
    try:
        moment = datetime.fromisoformat(text.strip().replace(" +", "+").replace(" -", "-"))
    except ValueError:
        raise DeviceFileError(f"{where}: {text!r} is not a date and time") from None
    return aware_or_error(moment, text, where)


def _metres(value: str | None, unit: str | None, where: str) -> float | None:
    if value in (None, ""):
        return None
    unit = (unit or "m").strip()
    try:
        number = float(value)
        if unit in _DISTANCE_UNITS:
            return number * _DISTANCE_UNITS[unit]
        return parse_distance(f"{number}{unit}")
    except (ValueError, DistanceError):
        raise DeviceFileError(f"{where}: distance {value!r} {unit!r} is not understood") from None


def _seconds(value: str | None, unit: str | None, where: str) -> float | None:
    if value in (None, ""):
        return None
    factor = _DURATION_UNITS.get((unit or "min").strip())
    try:
        number = float(str(value))
    except ValueError:
        number = None
    if factor is None or number is None:
        raise DeviceFileError(f"{where}: duration {value!r} {unit!r} is not understood")
    return number * factor


def _local(text: str) -> datetime:
    """The wall-clock time Apple wrote (in the zone it was recorded in)."""
    return datetime.fromisoformat(text.strip()[:19])


def _six_minute(elem: Any) -> Activity:
    start_text = elem.get("startDate")
    where = f"six-minute walk record of {start_text}"
    start = parse_time(start_text, where)
    return Activity(
        started_utc=start,
        started_local=_local(start_text),
        duration_s=360.0,
        distance_m=_metres(elem.get("value"), elem.get("unit"), where),
        sport="walking",
        device=str(elem.get("sourceName") or "Apple Health"),
        file_format="apple-health",
        six_minute_estimate=True,
    )


def _workout(elem: Any) -> Activity:
    start_text = elem.get("startDate")
    where = f"workout of {start_text}"
    start = parse_time(start_text, where)
    end = parse_time(elem.get("endDate") or start_text, where)
    kind = str(elem.get("workoutActivityType") or "").removeprefix(_PREFIX)
    duration = _seconds(elem.get("duration"), elem.get("durationUnit"), where)
    distance = _metres(elem.get("totalDistance"), elem.get("totalDistanceUnit"), where)
    marks: list[datetime] = []
    pauses: list[tuple[datetime, datetime | None]] = []
    for child in elem:
        tag = child.tag
        if tag == "WorkoutStatistics" and child.get("type") == WALK_DISTANCE and distance is None:
            distance = _metres(child.get("sum"), child.get("unit"), where)
        elif tag == "WorkoutEvent":
            kind_of_event = child.get("type")
            moment = parse_time(child.get("date"), where)
            if kind_of_event in MARK_EVENTS:
                length = _seconds(child.get("duration"), child.get("durationUnit"), where) or 0.0
                marks.append(moment + timedelta(seconds=length))
            elif kind_of_event == MARKER_EVENT:
                marks.append(moment)
            elif kind_of_event in PAUSE_EVENTS:
                pauses.append((moment, None))
            elif kind_of_event in RESUME_EVENTS and pauses and pauses[-1][1] is None:
                pauses[-1] = (pauses[-1][0], moment)
    active_total = _active(start, end, end, pauses)
    lap_marks: list[float] = []
    if distance is not None and active_total > 0:
        for mark in sorted(m for m in marks if start < m < end - timedelta(seconds=1)):
            lap_marks.append(distance * _active(start, mark, end, pauses) / active_total)
    return Activity(
        started_utc=start,
        started_local=_local(start_text),
        duration_s=duration if duration is not None else (end - start).total_seconds(),
        distance_m=distance,
        sport=SPORTS.get(kind, kind.lower() or "other"),
        device=str(elem.get("sourceName") or "Apple Health"),
        file_format="apple-health",
        lap_marks_m=tuple(lap_marks),
        marks_from_time=bool(lap_marks),
    )


def _active(
    start: datetime, until: datetime, end: datetime, pauses: list[tuple[datetime, datetime | None]]
) -> float:
    """Seconds from `start` to `until` the workout was running (pauses left out)."""
    seconds = (until - start).total_seconds()
    for paused, resumed in pauses:
        a, b = max(paused, start), min(resumed or end, until)
        if b > a:
            seconds -= (b - a).total_seconds()
    return max(0.0, seconds)


def read_apple_path(path: Path, progress: Progress = no_progress) -> Iterator[Activity]:
    with path.open("rb") as fh:
        yield from read_apple_health(fh, progress, path.stat().st_size)
