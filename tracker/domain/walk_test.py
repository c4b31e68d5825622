"""Guided walking tests timed by the app: the 6-minute walk test, a treadmill session and a
stopwatch for everyday walks (docs/clinical.md §12).

A session is fed events (start, lap, pain, rest, stop) with readings of a monotonic clock in
seconds. The caller owns the clock, so tests use a fake one, and a suspended terminal or a
slow screen cannot stretch or shrink a test: every figure is a difference of two readings.
Results are frozen dataclasses holding every figure the result screen shows and the notes
store; the sentences about them are built here too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tracker.domain.clinical import (
    COURSE_MAX_M,
    COURSE_MIN_M,
    EARLIEST_PLAUSIBLE_PAIN_S,
    GRADE_STEP_PCT,
    GRADE_STEP_S,
    MAX_GRADE_PCT,
    MAX_PLAUSIBLE_DISTANCE_M,
    MAX_PLAUSIBLE_SPEED_M_S,
    METHOD_LABELS,
    SIX_MINUTES_S,
    TREADMILL_MAX_KMH,
    TREADMILL_MIN_KMH,
    Method,
)
from tracker.domain.units import DistanceError, Unit, format_distance, parse_distance
from tracker.domain.validation import ValidationError
from tracker.domain.walks import WalkInput

KMH_PER_M_S = 3.6
MPH_IN_KMH = 1.609344


class Kind(StrEnum):
    """The three guided tests; each saves walks of one method."""

    SIX_MINUTE = "6mwt"
    TREADMILL = "treadmill"
    STOPWATCH = "stopwatch"


KIND_LABELS: dict[Kind, str] = {
    Kind.SIX_MINUTE: "6-minute walk test",
    Kind.TREADMILL: "Treadmill session",
    Kind.STOPWATCH: "Walk stopwatch",
}


class Protocol(StrEnum):
    GRADED = "graded"
    CONSTANT = "constant"


class DistanceFrom(StrEnum):
    """How the stopwatch turns times into distances."""

    ROUTE = "route"
    SPEED = "speed"
    ASK = "ask"


def clock_text(seconds: float) -> str:
    """m:ss, seconds rounded down (a stopwatch never shows time not yet passed)."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def countdown_text(remaining_s: float) -> str:
    """m:ss rounded up, so a countdown reads 6:00 at the start and 0:00 only at the end."""
    whole = max(0, math.ceil(remaining_s - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


# --- sessions ---------------------------------------------------------------------------------
class TimedSession:
    """Start, an optional time limit, one pain mark and a stop; times in seconds from the start."""

    limit_s: float | None = None

    def __init__(self) -> None:
        self.started_at: float | None = None
        self.ended_s: float | None = None
        self.pain_s: float | None = None

    @property
    def started(self) -> bool:
        return self.started_at is not None

    def start(self, now: float) -> None:
        if self.started_at is None:
            self.started_at = now

    def raw_elapsed(self, now: float) -> float:
        if self.started_at is None:
            return 0.0
        if self.ended_s is not None:
            return self.ended_s
        return max(0.0, now - self.started_at)

    def elapsed(self, now: float) -> float:
        """Seconds since the start, held at the limit and at the stop."""
        t = self.raw_elapsed(now)
        return t if self.limit_s is None else min(t, self.limit_s)

    def time_is_up(self, now: float) -> bool:
        return self.limit_s is not None and self.raw_elapsed(now) >= self.limit_s

    def running(self, now: float) -> bool:
        return self.started and self.ended_s is None and not self.time_is_up(now)

    def mark_pain(self, now: float) -> bool:
        """The first pain mark counts; later ones (and marks outside the test) do not."""
        if not self.running(now) or self.pain_s is not None:
            return False
        self.pain_s = self.elapsed(now)
        return True

    def stop(self, now: float) -> None:
        if self.started and self.ended_s is None:
            self.ended_s = self.elapsed(now)


@dataclass(frozen=True)
class Rest:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


class SixMinuteWalk(TimedSession):
    """Laps along a course, counted with Space; rests with the clock running (ATS 2002)."""

    limit_s = SIX_MINUTES_S

    def __init__(self, course_m: float, *, round_trip: bool = False) -> None:
        super().__init__()
        self.course_m = course_m
        self.round_trip = round_trip
        self.lap_times: list[float] = []
        self.rests: list[Rest] = []
        self.rest_from: float | None = None

    @property
    def lap_m(self) -> float:
        """One press of Space: a length of the course, or there and back."""
        return self.course_m * (2 if self.round_trip else 1)

    @property
    def resting(self) -> bool:
        return self.rest_from is not None

    def lap(self, now: float) -> bool:
        """A lap completed now; walking on also ends a rest."""
        if not self.running(now):
            return False
        t = self.elapsed(now)
        self._end_rest(t)
        self.lap_times.append(t)
        return True

    def undo_lap(self, now: float) -> bool:
        if not self.running(now) or not self.lap_times:
            return False
        self.lap_times.pop()
        return True

    def toggle_rest(self, now: float) -> bool:
        """Start a rest, or end the one under way; True if the walker is now resting."""
        if not self.running(now):
            return self.resting
        t = self.elapsed(now)
        if self.rest_from is None:
            self.rest_from = t
        else:
            self._end_rest(t)
        return self.resting

    def _end_rest(self, t: float) -> None:
        if self.rest_from is not None:
            self.rests.append(Rest(self.rest_from, t))
            self.rest_from = None

    def distance_so_far(self) -> float:
        return len(self.lap_times) * self.lap_m

    def announcement(self, now: float) -> str:
        return six_minute_announcement(self.elapsed(now), started=self.started)

    def result(self, partial_m: float, now: float) -> SixMinuteResult:
        """The figures at 6:00 (or at an early stop); `partial_m`: metres past the last lap."""
        end = self.elapsed(now)
        rests = list(self.rests)
        if self.rest_from is not None:
            rests.append(Rest(self.rest_from, end))
        return SixMinuteResult(
            course_m=self.course_m,
            round_trip=self.round_trip,
            lap_times_s=tuple(self.lap_times),
            partial_m=partial_m,
            duration_s=end,
            pain_s=self.pain_s,
            rests=tuple(rests),
        )


class TreadmillSession(TimedSession):
    """Distance = speed × time; graded: +2 % every 2 minutes from 0 %."""

    def __init__(self, speed_kmh: float, protocol: Protocol, constant_grade_pct: float) -> None:
        super().__init__()
        self.speed_kmh = speed_kmh
        self.protocol = protocol
        self.constant_grade_pct = constant_grade_pct

    def result(self) -> TreadmillResult:
        assert self.ended_s is not None, "stop the session first"
        return TreadmillResult(
            self.speed_kmh, self.protocol, self.constant_grade_pct, self.pain_s, self.ended_s
        )

    def distance_m(self, now: float) -> float:
        return self.speed_kmh / KMH_PER_M_S * self.elapsed(now)

    def grade_pct(self, now: float) -> float:
        return grade_at(self.protocol, self.constant_grade_pct, self.elapsed(now))


class Stopwatch(TimedSession):
    """An everyday walk: start, pain, stop; distances from a route, a usual speed, or asked."""

    def __init__(
        self, mode: DistanceFrom, *, route_m: float | None = None, speed_kmh: float | None = None
    ) -> None:
        super().__init__()
        self.mode = mode
        self.route_m = route_m
        self.speed_kmh = speed_kmh

    def estimate_m(self, now: float) -> float | None:
        """Distance so far, known only from a usual speed (a route is known at its end)."""
        if self.mode is DistanceFrom.SPEED and self.speed_kmh is not None:
            return self.speed_kmh / KMH_PER_M_S * self.elapsed(now)
        return None

    def result(self) -> StopwatchResult:
        assert self.ended_s is not None, "stop the walk first"
        return StopwatchResult(self.mode, self.route_m, self.speed_kmh, self.pain_s, self.ended_s)


def grade_at(protocol: Protocol, constant_grade_pct: float, t: float) -> float:
    if protocol is Protocol.CONSTANT:
        return constant_grade_pct
    return GRADE_STEP_PCT * math.floor(t / GRADE_STEP_S + 1e-9)


# --- results ----------------------------------------------------------------------------------
def _moving_s(rests: tuple[Rest, ...], a: float, b: float) -> float:
    """Seconds between a and b spent walking, not resting."""
    total = b - a
    for r in rests:
        total -= max(0.0, min(b, r.end_s) - max(a, r.start_s))
    return max(0.0, total)


@dataclass(frozen=True)
class SixMinuteResult:
    course_m: float
    round_trip: bool
    lap_times_s: tuple[float, ...]
    """When each lap was completed, seconds from the start."""
    partial_m: float
    """Metres walked after the last completed lap, typed at the end."""
    duration_s: float
    pain_s: float | None
    rests: tuple[Rest, ...] = field(default=())

    @property
    def lap_m(self) -> float:
        return self.course_m * (2 if self.round_trip else 1)

    @property
    def laps(self) -> int:
        return len(self.lap_times_s)

    @property
    def complete(self) -> bool:
        return self.duration_s >= SIX_MINUTES_S - 1e-9

    @property
    def distance_m(self) -> float:
        """Laps × lap length + the last partial lap: the 6-minute distance when complete."""
        return self.laps * self.lap_m + self.partial_m

    def distance_at(self, t: float) -> float:
        """Estimated metres at time t: laps done, plus the share of the lap under way by walking
        time (rests left out). The last, partial lap ends at the end of the test."""
        n = sum(1 for x in self.lap_times_s if x <= t)
        begin = self.lap_times_s[n - 1] if n else 0.0
        if n < self.laps:
            end, metres = self.lap_times_s[n], self.lap_m
        else:
            end, metres = self.duration_s, self.partial_m
        whole = _moving_s(self.rests, begin, end)
        share = _moving_s(self.rests, begin, min(t, end)) / whole if whole > 0 else 0.0
        return n * self.lap_m + share * metres

    @property
    def pain_m(self) -> float | None:
        """Distance at pain onset: an estimate (laps are counted, the lap under way is not)."""
        return None if self.pain_s is None else self.distance_at(self.pain_s)

    @property
    def rest_total_s(self) -> float:
        return sum(r.duration_s for r in self.rests)

    @property
    def first_rest_m(self) -> float | None:
        return self.distance_at(self.rests[0].start_s) if self.rests else None


@dataclass(frozen=True)
class TreadmillResult:
    speed_kmh: float
    protocol: Protocol
    constant_grade_pct: float
    pain_s: float | None
    stop_s: float

    @property
    def speed_m_s(self) -> float:
        return self.speed_kmh / KMH_PER_M_S

    @property
    def pain_m(self) -> float | None:
        return None if self.pain_s is None else self.speed_m_s * self.pain_s

    @property
    def max_m(self) -> float:
        return self.speed_m_s * self.stop_s

    def grade_pct(self, t: float) -> float:
        return grade_at(self.protocol, self.constant_grade_pct, t)


@dataclass(frozen=True)
class StopwatchResult:
    mode: DistanceFrom
    route_m: float | None
    speed_kmh: float | None
    pain_s: float | None
    stop_s: float

    def distance_at(self, t: float) -> float | None:
        """Route: the route is walked from start to stop, at an even pace. Speed: speed × time."""
        if self.mode is DistanceFrom.ROUTE and self.route_m is not None and self.stop_s > 0:
            return self.route_m * min(t, self.stop_s) / self.stop_s
        if self.mode is DistanceFrom.SPEED and self.speed_kmh is not None:
            return self.speed_kmh / KMH_PER_M_S * t
        return None

    @property
    def pain_m(self) -> float | None:
        return None if self.pain_s is None else self.distance_at(self.pain_s)

    @property
    def max_m(self) -> float | None:
        return self.distance_at(self.stop_s)


# --- the protocol's words -----------------------------------------------------------------------
SIX_MINUTE_INSTRUCTIONS = (
    "Walk as far as you can in 6 minutes, back and forth along the course, at your own pace. "
    "You may slow down, stop and rest; the clock keeps running. Turn briskly at each end. "
    "Press Space to start, then Space for every lap, p the moment the pain starts, r when you "
    "stop to rest and r again when you walk on."
)

MINUTE_ANNOUNCEMENTS: dict[int, str] = {
    1: "You are doing well. You have 5 minutes to go.",
    2: "Keep up the good work. You have 4 minutes to go.",
    3: "You are doing well. You are halfway done.",
    4: "Keep up the good work. You have only 2 minutes left.",
    5: "You are doing well. You have only 1 minute to go.",
}
"""The standard encouragement at each minute (ATS 2002): neutral, with the time left."""
FINAL_WARNING_S = SIX_MINUTES_S - 15.0
FINAL_WARNING = "In a moment the test ends. When it does, stop right where you are."
STOP_ANNOUNCEMENT = "Stop! Stay where you are and look how far you are past the last lap mark."


def six_minute_announcement(elapsed_s: float, *, started: bool = True) -> str:
    if not started:
        return "Start now, or whenever you are ready: press Space as you set off."
    if elapsed_s >= SIX_MINUTES_S:
        return STOP_ANNOUNCEMENT
    if elapsed_s >= FINAL_WARNING_S:
        return FINAL_WARNING
    minute = int(elapsed_s // 60)
    return MINUTE_ANNOUNCEMENTS.get(minute, "Walk as far as you can. The clock is running.")


def announcement_minute(elapsed_s: float) -> int:
    """Which announcement is due (0 before the first; 6 for the final warning, 7 the stop):
    the screen rings the bell when this changes."""
    if elapsed_s >= SIX_MINUTES_S:
        return 7
    if elapsed_s >= FINAL_WARNING_S:
        return 6
    return int(elapsed_s // 60)


def treadmill_protocol_text(speed_kmh: float, protocol: Protocol, constant_grade_pct: float) -> str:
    if protocol is Protocol.GRADED:
        return (
            f"graded protocol, {speed_kmh:g} km/h, 0 % grade rising {GRADE_STEP_PCT:g} % every "
            f"{GRADE_STEP_S / 60:g} minutes"
        )
    return f"constant load, {speed_kmh:g} km/h at {constant_grade_pct:g} % grade"


# --- checks that protect the data ---------------------------------------------------------------
def speed_warning(distance_m: float | None, seconds: float, what: str) -> str | None:
    """Over 2.5 m/s is faster than a brisk walk: probably an extra lap or a wrong route."""
    if distance_m is None or seconds <= 0:
        return None
    speed = distance_m / seconds
    if speed <= MAX_PLAUSIBLE_SPEED_M_S:
        return None
    return (
        f"{what} of {distance_m:.0f} m in {clock_text(seconds)} means {speed:.1f} m/s, faster "
        f"than a brisk walk ({MAX_PLAUSIBLE_SPEED_M_S:g} m/s)."
    )


def quick_laps(lap_times_s: tuple[float, ...], lap_m: float) -> list[int]:
    """Lap numbers (1-based) walked faster than 2.5 m/s: a double press of Space?"""
    quick = []
    previous = 0.0
    for i, t in enumerate(lap_times_s, start=1):
        if t - previous < lap_m / MAX_PLAUSIBLE_SPEED_M_S:
            quick.append(i)
        previous = t
    return quick


def early_pain_warning(pain_s: float | None) -> str | None:
    if pain_s is None or pain_s >= EARLIEST_PLAUSIBLE_PAIN_S:
        return None
    return (
        f"The pain was marked {pain_s:.0f} s after the start, before the first "
        f"{EARLIEST_PLAUSIBLE_PAIN_S:g} s of walking: a slip of the key?"
    )


# --- notes: what the stored walk says about how it was measured ---------------------------------
EDITED_NOTE = "Figures edited before saving."


def six_minute_notes(r: SixMinuteResult, unit: str) -> str:
    def d(m: float | None) -> str:
        return format_distance(m, unit)

    lap = f"{r.laps} laps of {r.lap_m:g} m"
    if r.round_trip:
        lap += f" (there and back along {r.course_m:g} m)"
    head = (
        "6-minute walk test, timed in the app"
        if r.complete
        else (
            f"Incomplete 6-minute walk test, stopped at {clock_text(r.duration_s)} of 6:00 "
            "(not a 6-minute distance), timed in the app"
        )
    )
    parts = [f"{head}: {lap} + {r.partial_m:g} m = {d(r.distance_m)}"]
    if r.pain_s is not None:
        parts.append(
            f"pain began at {clock_text(r.pain_s)}, about {d(r.pain_m)} (estimated from the "
            "lap times)"
        )
    else:
        parts.append("no pain marked")
    if r.rests:
        n = len(r.rests)
        parts.append(
            f"{n} rest{'s' if n > 1 else ''}, {clock_text(r.rest_total_s)} in all, the first at "
            f"about {d(r.first_rest_m)}"
        )
    return "; ".join(parts) + "."


def treadmill_notes(r: TreadmillResult, unit: str) -> str:
    text = (
        "Treadmill session, timed in the app, "
        f"{treadmill_protocol_text(r.speed_kmh, r.protocol, r.constant_grade_pct)}: "
    )
    if r.pain_s is not None:
        text += (
            f"pain began at {clock_text(r.pain_s)} ({r.grade_pct(r.pain_s):g} % grade, "
            f"{format_distance(r.pain_m, unit)}), "
        )
    else:
        text += "no pain marked, "
    text += (
        f"stopped at {clock_text(r.stop_s)} ({r.grade_pct(r.stop_s):g} % grade, "
        f"{format_distance(r.max_m, unit)}); distances = speed × time."
    )
    return text


def stopwatch_notes(r: StopwatchResult, unit: str) -> str:
    times = [f"stopped at {clock_text(r.stop_s)}"]
    if r.pain_s is not None:
        times.insert(0, f"pain began at {clock_text(r.pain_s)}")
    if r.mode is DistanceFrom.ROUTE and r.route_m is not None:
        how = f"distances from the route length ({format_distance(r.route_m, unit)}) by time"
    elif r.mode is DistanceFrom.SPEED and r.speed_kmh is not None:
        how = f"distances from a usual speed of {r.speed_kmh:g} km/h × time"
    else:
        how = "distances typed after the walk"
    return f"Everyday walk timed in the app: {', '.join(times)}; {how}."


def saved_sentence(walk: WalkInput, unit: str) -> str:
    """The short confirmation after saving (the notes hold the details)."""
    label = METHOD_LABELS.get(walk.method, walk.method)
    if walk.method == Method.WALK and walk.notes.startswith("Incomplete"):
        label = "incomplete 6-minute walk test, saved as an everyday walk"
    minutes = "" if walk.duration_min is None else f" in {clock_text(walk.duration_min * 60)}"
    far = format_distance(walk.total_m or walk.max_m or walk.pain_free_m, unit)
    if walk.no_pain:
        return f"{label}, {far}{minutes}, no pain."
    return f"{label}, {far}{minutes}, pain-free {format_distance(walk.pain_free_m, unit)}."


# --- the report: which distances a guided test measured ----------------------------------------
def guided_tests_sentence(timed: Mapping[str, int]) -> str:
    """For the doctor report: `timed` counts the period's walks with source `timer` by method.
    Empty when there are none."""
    measured = []
    n6 = timed.get(Method.SIX_MWT, 0)
    nt = timed.get(Method.TREADMILL, 0)
    nw = timed.get(Method.WALK, 0)
    if n6:
        measured.append(f"{n6} 6-minute walk test{'s' if n6 > 1 else ''} (laps counted)")
    if nt:
        measured.append(f"{nt} treadmill session{'s' if nt > 1 else ''} (speed × time)")
    parts = []
    if measured:
        parts.append("Measured with the app's guided tests: " + " and ".join(measured) + ".")
    if nw:
        parts.append(
            f"{nw} everyday walk{'s were' if nw > 1 else ' was'} timed by the app's stopwatch "
            "(distances from a known route, a usual speed or typed; a 6-minute test stopped "
            "early is stored this way)."
        )
    if parts:
        parts.append("Their notes give the protocol; all other distances were typed.")
    return " ".join(parts)


# --- parsing what the setup and result screens (and the backup import) accept -----------------
_SPEED = re.compile(r"^\s*(?P<num>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>km/h|kmh|kph|mph)?\s*$", re.I)


def parse_course_m(value: object) -> float:
    metres = _distance("course", value, Unit.M)
    if not COURSE_MIN_M <= metres <= COURSE_MAX_M:
        raise ValidationError(
            "course", f"{metres:g} m is outside {COURSE_MIN_M:g}-{COURSE_MAX_M:g} m"
        )
    return metres


def parse_partial_m(value: object, lap_m: float) -> float:
    if isinstance(value, str) and not value.strip():
        raise ValidationError(
            "partial", "type the metres walked since the last lap (0 if you stopped at the mark)"
        )
    metres = _distance("partial", value, Unit.M)
    if not 0 <= metres <= lap_m:
        raise ValidationError("partial", f"{metres:g} m is outside 0-{lap_m:g} m (one lap)")
    return metres


def parse_laps(value: object) -> int:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise ValidationError("laps", f"{text!r} is not a whole number of laps")
    laps = int(text)
    if laps > 1000:
        raise ValidationError("laps", f"{laps} laps cannot fit in one test")
    return laps


def parse_speed_kmh(field_name: str, value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        kmh = float(value)
    else:
        match = _SPEED.match(str(value))
        if match is None:
            raise ValidationError(field_name, f"{str(value)!r} is not a speed; e.g. 3.2 or 2mph")
        kmh = float(match["num"]) * (MPH_IN_KMH if (match["unit"] or "").lower() == "mph" else 1)
    if not math.isfinite(kmh) or not TREADMILL_MIN_KMH <= kmh <= TREADMILL_MAX_KMH:
        raise ValidationError(
            field_name,
            f"{kmh:g} km/h is outside {TREADMILL_MIN_KMH:g}-{TREADMILL_MAX_KMH:g} km/h "
            "(walking speeds)",
        )
    return round(kmh, 3)


def parse_grade_pct(value: object) -> float:
    text = str(value).strip().rstrip("%").strip()
    try:
        grade = float(text)
    except ValueError:
        raise ValidationError("grade", f"{text!r} is not a grade in %; e.g. 10") from None
    if not math.isfinite(grade) or not 0 <= grade <= MAX_GRADE_PCT:
        raise ValidationError("grade", f"{grade:g} % is outside 0-{MAX_GRADE_PCT:g} %")
    return grade


def parse_route_m(value: object, unit: Unit | str) -> float:
    metres = _distance("route", value, unit)
    if not COURSE_MIN_M <= metres <= MAX_PLAUSIBLE_DISTANCE_M:
        raise ValidationError(
            "route",
            f"{format_distance(metres, unit)} is outside {COURSE_MIN_M:g} m-"
            f"{MAX_PLAUSIBLE_DISTANCE_M / 1000:g} km",
        )
    return metres


def _distance(field_name: str, value: object, unit: Unit | str) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(field_name, "expected a distance such as 30 or 33yd")
    try:
        return parse_distance(value, unit)
    except DistanceError as exc:
        raise ValidationError(field_name, str(exc)) from None


def parse_test_setting(key: str, value: object) -> object:
    """One remembered test setting, as the backup import checks it (same rules as the
    screens)."""
    if key == "walk_test_course_m":
        return parse_course_m(_number(key, value))
    if key == "walk_test_round_trip":
        if not isinstance(value, bool):
            raise ValidationError(key, "true or false")
        return value
    if key in ("treadmill_speed_kmh", "stopwatch_speed_kmh"):
        if value is None and key == "stopwatch_speed_kmh":
            return None
        return parse_speed_kmh(key, _number(key, value))
    if key == "treadmill_protocol":
        return _choice(key, value, Protocol)
    if key == "treadmill_grade_pct":
        return parse_grade_pct(_number(key, value))
    if key == "stopwatch_mode":
        return _choice(key, value, DistanceFrom)
    if key == "stopwatch_route_m":
        return None if value is None else parse_route_m(_number(key, value), Unit.M)
    raise ValidationError(key, "unknown setting")


TEST_SETTINGS: tuple[str, ...] = (
    "walk_test_course_m",
    "walk_test_round_trip",
    "treadmill_speed_kmh",
    "treadmill_protocol",
    "treadmill_grade_pct",
    "stopwatch_mode",
    "stopwatch_route_m",
    "stopwatch_speed_kmh",
)
"""The settings columns the guided tests remember (and the JSON backup keeps)."""


def _number(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(key, "expected a number")
    return float(value)


def _choice(key: str, value: object, allowed: type[StrEnum]) -> str:
    names = [x.value for x in allowed]
    if value not in names:
        raise ValidationError(key, f"one of {', '.join(names)}")
    return str(value)
