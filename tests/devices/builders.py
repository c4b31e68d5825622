"""Small device files built by the tests: FIT (written with fit-tool, read back by fitdecode),
TCX, GPX, an Apple Health export and a Health Connect database."""

from __future__ import annotations

import sqlite3
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, LapTrigger, Manufacturer, Sport

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
"""Every built activity starts here unless told otherwise (09:00 in Berlin)."""
FIT_EPOCH_S = 631065600


@dataclass
class Lap:
    metres: float
    seconds: float
    trigger: str = "manual"
    """manual, distance, time, session_end (FIT); Manual, Distance, ... (TCX)."""


@dataclass
class Walk:
    laps: list[Lap]
    start: datetime = START
    sport: str = "walking"
    device: str = "Forerunner 55"
    local_offset_h: float | None = 1.0

    @property
    def metres(self) -> float:
        return sum(lap.metres for lap in self.laps)

    @property
    def seconds(self) -> float:
        return sum(lap.seconds for lap in self.laps)


def one_lap(metres: float = 1200.0, seconds: float = 1500.0, **kw: object) -> Walk:
    return Walk([Lap(metres, seconds, "session_end")], **kw)  # type: ignore[arg-type]


def pressed(*laps: tuple[float, float], **kw: object) -> Walk:
    """Laps ended by a press, then the last one ended by the stop."""
    out = [Lap(m, s, "manual") for m, s in laps[:-1]]
    out.append(Lap(laps[-1][0], laps[-1][1], "session_end"))
    return Walk(out, **kw)  # type: ignore[arg-type]


# --- FIT --------------------------------------------------------------------------------
_FIT_SPORTS = {"walking": Sport.WALKING, "hiking": Sport.HIKING, "running": Sport.RUNNING}
_FIT_SPORTS["cycling"] = Sport.CYCLING
_TRIGGERS = {
    "manual": LapTrigger.MANUAL,
    "distance": LapTrigger.DISTANCE,
    "time": LapTrigger.TIME,
    "session_end": LapTrigger.SESSION_END,
}


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def fit_bytes(*walks: Walk, file_type: FileType = FileType.ACTIVITY) -> bytes:
    b = FitFileBuilder(auto_define=True, min_string_size=50)
    first = walks[0]
    m = FileIdMessage()
    m.type = file_type
    m.manufacturer = Manufacturer.GARMIN.value
    m.product = 3113
    m.time_created = _ms(first.start)
    m.serial_number = 3_456_789
    b.add(m)
    d = DeviceInfoMessage()
    d.timestamp = _ms(first.start)
    d.device_index = 0
    d.manufacturer = Manufacturer.GARMIN.value
    d.product_name = first.device
    b.add(d)
    lap_index = 0
    end = first.start
    for w in walks:
        t = w.start
        for lap in w.laps:
            msg = LapMessage()
            msg.start_time = _ms(t)
            t += timedelta(seconds=lap.seconds)
            msg.timestamp = _ms(t)
            msg.total_distance = lap.metres
            msg.total_elapsed_time = lap.seconds
            msg.total_timer_time = lap.seconds
            msg.lap_trigger = _TRIGGERS[lap.trigger]
            msg.sport = _FIT_SPORTS[w.sport]
            b.add(msg)
        s = SessionMessage()
        s.start_time = _ms(w.start)
        s.timestamp = _ms(t)
        s.sport = _FIT_SPORTS[w.sport]
        s.total_distance = w.metres
        s.total_elapsed_time = w.seconds
        s.total_timer_time = w.seconds
        s.first_lap_index = lap_index
        s.num_laps = len(w.laps)
        lap_index += len(w.laps)
        b.add(s)
        end = t
    a = ActivityMessage()
    a.timestamp = _ms(end)
    if first.local_offset_h is not None:
        a.local_timestamp = int(end.timestamp()) - FIT_EPOCH_S + int(first.local_offset_h * 3600)
    a.num_sessions = len(walks)
    b.add(a)
    return bytes(b.build().to_bytes())


# --- TCX --------------------------------------------------------------------------------
_TCX_SPORT = {"walking": "Other", "running": "Running", "cycling": "Biking"}
_TCX_TRIGGER = {"manual": "Manual", "session_end": "Manual", "distance": "Distance"}


def _iso(moment: datetime, zone: bool = True) -> str:
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return text + "Z" if zone else text


def tcx_text(*walks: Walk, zone: bool = True) -> str:
    acts = []
    for w in walks:
        laps = []
        t = w.start
        for lap in w.laps:
            laps.append(
                f'<Lap StartTime="{_iso(t, zone)}"><TotalTimeSeconds>{lap.seconds}'
                f"</TotalTimeSeconds><DistanceMeters>{lap.metres}</DistanceMeters>"
                f"<Intensity>Active</Intensity><TriggerMethod>"
                f"{_TCX_TRIGGER[lap.trigger]}</TriggerMethod></Lap>"
            )
            t += timedelta(seconds=lap.seconds)
        acts.append(
            f'<Activity Sport="{_TCX_SPORT[w.sport]}"><Id>{_iso(w.start, zone)}</Id>'
            + "".join(laps)
            + f'<Creator xsi:type="Device_t"><Name>{w.device}</Name></Creator></Activity>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<Activities>" + "".join(acts) + "</Activities></TrainingCenterDatabase>\n"
    )


# --- GPX --------------------------------------------------------------------------------
METRES_PER_DEGREE_LAT = 111_195.0


def gpx_text(
    metres: float = 1000.0,
    seconds: float = 1200.0,
    *,
    marks_s: tuple[float, ...] = (),
    kind: str | None = None,
    start: datetime = START,
    zone: bool = True,
    points: int = 21,
    creator: str = "OpenTracks",
) -> str:
    """A straight track north at an even pace; waypoints at `marks_s` seconds in."""
    pts = []
    for i in range(points):
        f = i / (points - 1)
        at = start + timedelta(seconds=seconds * f)
        lat = 48.0 + metres * f / METRES_PER_DEGREE_LAT
        pts.append(f'<trkpt lat="{lat:.7f}" lon="11.0"><time>{_iso(at, zone)}</time></trkpt>')
    wpts = []
    for s in marks_s:
        at = start + timedelta(seconds=s)
        lat = 48.0 + metres * s / seconds / METRES_PER_DEGREE_LAT
        wpts.append(
            f'<wpt lat="{lat:.7f}" lon="11.0"><time>{_iso(at, zone)}</time><name>pain</name></wpt>'
        )
    type_tag = f"<type>{kind}</type>" if kind else ""
    body = "".join(pts)
    track = f"<trk><name>Walk</name>{type_tag}<trkseg>{body}</trkseg></trk>" if pts else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="1.1" creator="{creator}" xmlns="http://www.topografix.com/GPX/1/1">'
        + "".join(wpts)
        + track
        + "</gpx>\n"
    )


# --- Apple Health ------------------------------------------------------------------------
APPLE_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n'
    "<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n"
    "<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n"
    '<HealthData locale="de_DE">\n <ExportDate value="2026-11-24 18:00:00 +0100"/>\n'
    ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1950-03-01"/>\n'
)


def apple_time(moment: datetime, offset_h: int = 1) -> str:
    local = moment.astimezone(UTC) + timedelta(hours=offset_h)
    sign = "+" if offset_h >= 0 else "-"
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{abs(offset_h):02d}00"


def apple_record(kind: str, start: datetime, value: float, unit: str, source: str) -> str:
    return (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="17.1" unit="{unit}" '
        f'creationDate="{apple_time(start)}" startDate="{apple_time(start)}" '
        f'endDate="{apple_time(start + timedelta(minutes=6))}" value="{value}">\n'
        '  <MetadataEntry key="HKMetadataKeyDevicePlacementSide" value="unknown"/>\n'
        " </Record>\n"
    )


def apple_workout(
    kind: str = "Walking",
    start: datetime = START,
    minutes: float = 25.0,
    km: float | None = 1.2,
    *,
    marks_min: tuple[float, ...] = (),
    pauses_min: tuple[tuple[float, float], ...] = (),
    statistics: bool = False,
    source: str = "Apple Watch von Anna",
    zone: bool = True,
) -> str:
    end = start + timedelta(minutes=minutes)

    def t(moment: datetime) -> str:
        return apple_time(moment) if zone else f"{moment:%Y-%m-%d %H:%M:%S}"

    distance = "" if km is None or statistics else f'totalDistance="{km}" totalDistanceUnit="km" '
    children = []
    previous = 0.0
    for m in marks_min:
        children.append(
            f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" '
            f'date="{t(start + timedelta(minutes=previous))}" duration="{m - previous}" '
            'durationUnit="min"/>\n'
        )
        previous = m
    for a, b in pauses_min:
        children.append(
            f'  <WorkoutEvent type="HKWorkoutEventTypePause" '
            f'date="{t(start + timedelta(minutes=a))}"/>\n'
            f'  <WorkoutEvent type="HKWorkoutEventTypeResume" '
            f'date="{t(start + timedelta(minutes=b))}"/>\n'
        )
    if statistics and km is not None:
        children.append(
            '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
            f'startDate="{t(start)}" endDate="{t(end)}" sum="{km}" unit="km"/>\n'
        )
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes}" '
        f'durationUnit="min" {distance}sourceName="{source}" sourceVersion="10.1" '
        f'creationDate="{t(end)}" startDate="{t(start)}" endDate="{t(end)}">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n' + "".join(children) + " </Workout>\n"
    )


def apple_export(*parts: str) -> str:
    return APPLE_HEAD + "".join(parts) + "</HealthData>\n"


def apple_zip(path: Path, xml: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", xml)
        z.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    return path


# --- Health Connect ----------------------------------------------------------------------
@dataclass
class HcSession:
    start: datetime = START
    minutes: float = 25.0
    exercise_type: int = 79
    metres: float | None = 1200.0
    laps_min: list[float] = field(default_factory=list)
    """Minutes at which each lap ended (the last at the end)."""
    offset_s: int | None = 3600


def health_connect_db(path: Path, sessions: list[HcSession]) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE application_info_table (row_id INTEGER PRIMARY KEY, package_name TEXT,
            app_name TEXT);
        CREATE TABLE device_info_table (row_id INTEGER PRIMARY KEY, manufacturer TEXT,
            model TEXT, device_type INTEGER);
        CREATE TABLE exercise_session_record_table (row_id INTEGER PRIMARY KEY, uuid BLOB,
            start_time INTEGER NOT NULL, start_zone_offset INTEGER, end_time INTEGER NOT NULL,
            end_zone_offset INTEGER, local_date INTEGER, exercise_type INTEGER NOT NULL,
            title TEXT, notes TEXT, app_info_id INTEGER, device_info_id INTEGER);
        CREATE TABLE distance_record_table (row_id INTEGER PRIMARY KEY, start_time INTEGER,
            end_time INTEGER, distance REAL, app_info_id INTEGER);
        CREATE TABLE exercise_laps_table (row_id INTEGER PRIMARY KEY, parent_key INTEGER,
            lap_start_time INTEGER, lap_end_time INTEGER, lap_length REAL);
        INSERT INTO application_info_table VALUES (1, 'com.google.android.apps.fitness', 'Fit');
        INSERT INTO device_info_table VALUES (1, 'Google', 'Pixel Watch 2', 1);
        """
    )
    for i, s in enumerate(sessions, 1):
        a = _ms(s.start)
        b = _ms(s.start + timedelta(minutes=s.minutes))
        conn.execute(
            "INSERT INTO exercise_session_record_table (row_id, start_time, start_zone_offset,"
            " end_time, end_zone_offset, exercise_type, title, app_info_id, device_info_id)"
            " VALUES (?, ?, ?, ?, ?, ?, 'Walk', 1, 1)",
            (i, a, s.offset_s, b, s.offset_s, s.exercise_type),
        )
        if s.metres is not None:
            steps = 10
            for k in range(steps):  # distance records every tenth of the session
                ka = a + (b - a) * k // steps
                kb = a + (b - a) * (k + 1) // steps
                conn.execute(
                    "INSERT INTO distance_record_table (start_time, end_time, distance,"
                    " app_info_id) VALUES (?, ?, ?, 1)",
                    (ka, kb, s.metres / steps),
                )
        previous = a
        for m in s.laps_min:
            end = _ms(s.start + timedelta(minutes=m))
            conn.execute(
                "INSERT INTO exercise_laps_table (parent_key, lap_start_time, lap_end_time)"
                " VALUES (?, ?, ?)",
                (i, previous, end),
            )
            previous = end
    conn.commit()
    conn.close()
    return path


def health_connect_zip(path: Path, sessions: list[HcSession]) -> Path:
    db = path.with_suffix(".tmpdb")
    health_connect_db(db, sessions)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(db, "health_connect_export.db")
    db.unlink()
    return path
