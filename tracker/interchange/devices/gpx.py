"""GPX tracks, read with gpxpy (https://github.com/tkrajina/gpxpy).

GPX has no laps. A waypoint whose time falls inside a track (a "marker" most tracking apps
can drop while recording) is taken as the lap press: its distance along the track is the
mark. A track without a `type` is taken as a walk; running, cycling and other types are not.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from tracker.interchange.devices.activity import (
    Activity,
    DeviceFileError,
    MissingExtra,
    Progress,
    aware_or_error,
    local_time,
    no_progress,
)

MAX_GPX_BYTES = 64 * 1024 * 1024
"""gpxpy reads the whole file; a walk's track is well under 10 MB."""

_SPORT_WORDS = (
    ("walk", "walking"),
    ("hik", "hiking"),
    ("run", "running"),
    ("jog", "running"),
    ("cycl", "cycling"),
    ("bik", "cycling"),
    ("ride", "cycling"),
)


def sport_of(kind: str | None) -> str:
    if not kind or not kind.strip():
        return "walking"
    text = kind.strip().lower()
    for word, sport in _SPORT_WORDS:
        if word in text:
            return sport
    return f"other ({text[:40]})"


def read_gpx(path: Path, progress: Progress = no_progress) -> list[Activity]:
    try:
        import gpxpy  # an optional extra (tracker[devices]): asked for only here

        # start-up: gpxpy only when a GPX file is read
        import gpxpy.gpx
    except ImportError:
        raise MissingExtra("GPX files", "gpxpy") from None
    size = path.stat().st_size
    if size > MAX_GPX_BYTES:
        raise DeviceFileError(f"a GPX file larger than {MAX_GPX_BYTES // 2**20} MB")
    raw = path.read_bytes()
    if b"<!ENTITY" in raw:
        raise DeviceFileError("refused: the GPX declares XML entities")
    try:
        doc = gpxpy.parse(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DeviceFileError(f"a GPX that is not UTF-8 text (byte {exc.start})") from None
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise DeviceFileError(f"a damaged GPX file ({exc})") from None
    progress(size, size)
    device = (doc.creator or "").strip() or "GPX file"
    marks = [w for w in doc.waypoints if w.time is not None]
    out = []
    for n, track in enumerate(doc.tracks, 1):
        points = [p for seg in track.segments for p in seg.points]
        if not points:
            continue
        out.append(_activity(track, points, marks, device, n))
    if not out:
        raise DeviceFileError("a GPX with no track points (nothing was recorded)")
    return out


def _activity(track: Any, points: list[Any], marks: list[Any], device: str, n: int) -> Activity:
    where = f"track {n}"
    if any(p.time is None for p in points):
        raise DeviceFileError(f"{where}: track points without times; cannot tell when it was")
    times = [aware_or_error(p.time, p.time, where) for p in points]
    walked = [0.0]
    for prev, point in pairwise(points):
        step = point.distance_2d(prev) or 0.0
        walked.append(walked[-1] + step)
    start, end = times[0], times[-1]
    inside = sorted(
        aware_or_error(w.time, w.time, f"{where}, waypoint {w.name or ''}".rstrip()) for w in marks
    )
    lap_marks = tuple(_distance_at(m, times, walked) for m in inside if start < m < end)
    return Activity(
        started_utc=start,
        started_local=local_time(start),
        duration_s=(end - start).total_seconds(),
        distance_m=walked[-1],
        sport=sport_of(track.type),
        device=device,
        file_format="gpx",
        lap_marks_m=lap_marks,
    )


def _distance_at(moment: datetime, times: list[datetime], walked: list[float]) -> float:
    i = max(0, bisect_right(times, moment) - 1)
    return walked[i]
