"""Readings that look like typing slips, and walks the diary already has.

Asked, never refused: a doubtful reading becomes a question in the app ("Did you mean 20 m?")
and a warning line on the command line, because unusual walks happen and the diary must take
what the person says. Only an exact duplicate (same date, time, method and distances as a
stored walk) is refused by `tracker log` unless asked for, because a walk counted twice shifts
every median. The TUI, the CLI and their tests all use the rules here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from tracker.domain.stats import median
from tracker.domain.units import METRES_PER, DistanceError, Unit, read_distance
from tracker.domain.walks import WalkInput

if TYPE_CHECKING:  # only types `check_walk`; at run time it would load calf checks and settings
    from tracker.domain.diary import Diary

DISTANCE_RATIO = 4.0
"""A distance more than 4 times, or less than a quarter of, the usual one is asked about."""
HISTORY_WALKS = 10
"""The usual distance is the median of the last 10 walks of the same method."""
MIN_HISTORY_WALKS = 3
"""Fewer walks than this say nothing about what is usual."""
CIGARETTE_JUMP = 20
"""A day's count more than 20 cigarettes above the usual one is asked about."""
CIGARETTE_USUAL_DAYS = 28
"""The usual count is the median of the days logged in the 4 weeks before."""
MAX_READINGS = 2
"""At most two other readings are offered ("20 m", "20 yd")."""
SAME_DISTANCE_M = 0.01
"""Distances closer than a centimetre are the same distance (units convert with rounding)."""

CHECKED_DISTANCES = (("pain_free", "pain_free_m"), ("max", "max_m"))
"""Form field and walk attribute of the distances that are checked."""


class StoredWalk(Protocol):
    """What the rules read from a stored walk (the store's Walk fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def walked_at(self) -> datetime: ...
    @property
    def method(self) -> str: ...
    @property
    def no_pain(self) -> bool: ...
    @property
    def pain_free_m(self) -> float: ...
    @property
    def max_m(self) -> float | None: ...


@dataclass(frozen=True)
class Reading:
    """A way of reading what was typed: metres and how to say it ("20 m")."""

    metres: float
    text: str


@dataclass(frozen=True)
class DistanceDoubt:
    """A distance far from the usual one, with the readings in other units that would fit."""

    field: str
    """The form field: pain_free or max."""
    typed: Reading
    usual_m: float
    walks: int
    """How many walks the usual distance is the median of."""
    alternatives: tuple[Reading, ...]

    @property
    def longer(self) -> bool:
        return self.typed.metres > self.usual_m


@dataclass(frozen=True)
class CigaretteDoubt:
    count: int
    usual: float
    days: int
    """How many logged days the usual count is the median of."""


def usual_distance(history: Sequence[StoredWalk], attribute: str) -> tuple[float, int] | None:
    """Median of `attribute` over the newest `HISTORY_WALKS` walks (newest first), and how many."""
    values = [v for w in history[:HISTORY_WALKS] if (v := getattr(w, attribute)) is not None]
    if len(values) < MIN_HISTORY_WALKS:
        return None
    return median(values), len(values)


def _fits(metres: float, usual_m: float) -> bool:
    return usual_m / DISTANCE_RATIO <= metres <= usual_m * DISTANCE_RATIO


def distance_doubts(
    walk: WalkInput, typed: Mapping[str, object], unit: str, history: Sequence[StoredWalk]
) -> tuple[DistanceDoubt, ...]:
    """Distances of `walk` far from the usual ones of `history` (the same method's last walks,
    newest first). `typed` holds the text of each field, to offer it read in other units."""
    doubts = []
    for field, attribute in CHECKED_DISTANCES:
        metres = getattr(walk, attribute)
        usual = usual_distance(history, "pain_free_m" if walk.no_pain else attribute)
        if metres is None or usual is None or _fits(metres, usual[0]):
            continue
        try:
            number, typed_unit = read_distance(str(typed.get(field, metres)), unit)
        except DistanceError:
            number, typed_unit = metres, Unit.M
        doubts.append(
            DistanceDoubt(
                field=field,
                typed=Reading(metres, f"{number:g} {typed_unit.value}"),
                usual_m=usual[0],
                walks=usual[1],
                alternatives=_other_readings(number, typed_unit, usual[0]),
            )
        )
    return tuple(doubts)


def _other_readings(number: float, typed: Unit, usual_m: float) -> tuple[Reading, ...]:
    """The typed number read in other units, where that lands nearer the usual distance than
    the typed reading does ("20 km" → "20 m"), nearest first."""

    def off(metres: float) -> float:
        return abs(math.log(metres / usual_m))

    typed_off = off(number * METRES_PER[typed])
    closer = sorted((off(number * METRES_PER[u]), u) for u in Unit if u is not typed)
    return tuple(
        Reading(number * METRES_PER[u], f"{number:g} {u.value}")
        for o, u in closer[:MAX_READINGS]
        if o < typed_off
    )


def with_reading(walk: WalkInput, field: str, reading: Reading) -> WalkInput:
    """`walk` with one distance replaced by the reading the user chose."""
    if field == "pain_free":
        return replace(walk, pain_free_m=reading.metres)
    return replace(walk, max_m=reading.metres)


def duplicate_of(walk: WalkInput, stored: Iterable[StoredWalk]) -> int | None:
    """The id of a stored walk with the same date, time, method and distances, if any."""
    for row in stored:
        if (
            row.walked_at == walk.walked_at
            and row.method == walk.method
            and bool(row.no_pain) == walk.no_pain
            and _same(row.pain_free_m, walk.pain_free_m)
            and _same(row.max_m, walk.max_m)
        ):
            return row.id
    return None


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < SAME_DISTANCE_M


def usual_cigarettes(counts: Mapping[date, int], day: date) -> tuple[float, int] | None:
    """Median count of the logged days in the 4 weeks before `day`, and how many days."""
    start = day - timedelta(days=CIGARETTE_USUAL_DAYS)
    values = [n for d, n in counts.items() if start <= d < day]
    if not values:
        return None
    return median([float(v) for v in values]), len(values)


def cigarette_doubt(count: int, counts: Mapping[date, int], day: date) -> CigaretteDoubt | None:
    usual = usual_cigarettes(counts, day)
    if usual is None or count <= usual[0] + CIGARETTE_JUMP:
        return None
    return CigaretteDoubt(count=count, usual=usual[0], days=usual[1])


@dataclass(frozen=True)
class WalkCheck:
    """What to ask before saving a walk: doubtful distances, and a stored twin."""

    doubts: tuple[DistanceDoubt, ...]
    duplicate_id: int | None


def check_walk(
    store: Diary,
    walk: WalkInput,
    typed: Mapping[str, object],
    unit: str,
    *,
    editing: int | None = None,
) -> WalkCheck:
    """Compare a walk about to be saved with the diary (`editing`: the id it replaces)."""
    history = [
        w
        for w in store.walks(method=walk.method, newest_first=True, limit=HISTORY_WALKS + 1)
        if w.id != editing
    ]
    day = walk.walked_at.date()
    same_day = [w for w in store.walks(day, day, method=walk.method) if w.id != editing]
    return WalkCheck(
        doubts=distance_doubts(walk, typed, unit, history),
        duplicate_id=duplicate_of(walk, same_day),
    )
