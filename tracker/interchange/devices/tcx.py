"""Garmin Training Center (TCX) files, parsed as a stream (xml_stream).

TCX knows three sports: Running, Biking and Other; `Other` is taken as a walk. A lap ended by
the wearer (TriggerMethod `Manual`) is a mark; the last lap ends with the activity.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.interchange.devices.activity import (
    Activity,
    DeviceFileError,
    Progress,
    aware_or_error,
    local_time,
    no_progress,
)
from tracker.interchange.devices.xml_stream import local, top_level

SPORTS = {"running": "running", "biking": "cycling", "other": "walking"}
AUTOMATIC_TRIGGERS = frozenset({"distance", "location", "time", "heartrate"})


def read_tcx(path: Path, progress: Progress = no_progress) -> list[Activity]:
    total = path.stat().st_size
    out: list[Activity] = []
    author = ""
    with path.open("rb") as fh:
        for name, elem, _ in top_level(fh, "TCX files"):
            progress(fh.tell(), total)
            if name == "Activities":
                pending = [a for a in elem if local(a.tag) == "Activity"]
                out += [_activity(a, len(out) + i + 1) for i, a in enumerate(pending)]
            elif name == "Author":
                author = _text(elem, "Name")
    if not out:
        raise DeviceFileError("a TCX file without any activity (courses or workouts only?)")
    if author:
        out = [a if a.device != "TCX file" else _with_device(a, author) for a in out]
    return out


def _with_device(a: Activity, device: str) -> Activity:
    return replace(a, device=device)


def _text(elem: Any, child: str) -> str:
    for sub in elem.iter():
        if local(sub.tag) == child and sub.text and sub.text.strip():
            return str(sub.text.strip())
    return ""


def _time(text: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DeviceFileError(f"{where}: {text!r} is not a date and time") from None
    return aware_or_error(moment, text, where)


def _float(text: str | None, where: str) -> float:
    try:
        return float(text or "")
    except ValueError:
        raise DeviceFileError(f"{where}: {text!r} is not a number") from None


def _activity(elem: Any, n: int) -> Activity:
    where = f"activity {n}"
    sport = SPORTS.get(str(elem.get("Sport", "other")).lower(), "walking")
    ident = next((c.text for c in elem if local(c.tag) == "Id"), None)
    laps = [c for c in elem if local(c.tag) == "Lap"]
    if not ident and not laps:
        raise DeviceFileError(f"{where} has neither a start time nor laps")
    start = _time(ident or laps[0].get("StartTime", ""), where)
    distance = 0.0
    duration = 0.0
    marks = []
    for i, lap in enumerate(laps):
        fields = {local(c.tag): c.text for c in lap}
        _time(lap.get("StartTime", ident or ""), f"{where}, lap {i + 1}")
        distance += _float(fields.get("DistanceMeters"), f"{where}, lap {i + 1}: DistanceMeters")
        duration += _float(
            fields.get("TotalTimeSeconds"), f"{where}, lap {i + 1}: TotalTimeSeconds"
        )
        trigger = (fields.get("TriggerMethod") or "").strip().lower()
        if i < len(laps) - 1 and trigger not in AUTOMATIC_TRIGGERS:
            marks.append(distance)
    creator = next((c for c in elem if local(c.tag) == "Creator"), None)
    device = _text(creator, "Name") if creator is not None else ""
    return Activity(
        started_utc=start,
        started_local=local_time(start),
        duration_s=duration if laps else None,
        distance_m=distance if laps else None,
        sport=sport,
        device=device or "TCX file",
        file_format="tcx",
        lap_marks_m=tuple(marks),
    )
