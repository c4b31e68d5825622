"""Distances: parse what people type ("180", "0.4km", "300 yd"), convert, format.

Everything is stored in metres; units only exist at the edges.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum


class Unit(StrEnum):
    M = "m"
    KM = "km"
    YD = "yd"
    MI = "mi"


METRES_PER: dict[Unit, float] = {
    Unit.M: 1.0,
    Unit.KM: 1000.0,
    Unit.YD: 0.9144,
    Unit.MI: 1609.344,
}

_ALIASES: dict[str, Unit] = {
    "m": Unit.M,
    "meter": Unit.M,
    "meters": Unit.M,
    "metre": Unit.M,
    "metres": Unit.M,
    "km": Unit.KM,
    "kilometer": Unit.KM,
    "kilometers": Unit.KM,
    "kilometre": Unit.KM,
    "kilometres": Unit.KM,
    "yd": Unit.YD,
    "yds": Unit.YD,
    "yard": Unit.YD,
    "yards": Unit.YD,
    "mi": Unit.MI,
    "mile": Unit.MI,
    "miles": Unit.MI,
}

ALLOWED_UNITS_TEXT = "m, km, yd or mi"
MAX_DISTANCE_CHARS = 30

_NUMBER_UNIT = re.compile(r"^\s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[^\s\d.]*)\s*$")


class DistanceError(ValueError):
    """A distance that cannot be read; the message says what is allowed."""


def parse_unit(text: str) -> Unit:
    try:
        return _ALIASES[text.strip().lower()]
    except KeyError:
        raise DistanceError(f"unknown unit {text.strip()!r}; use {ALLOWED_UNITS_TEXT}") from None


def parse_distance(value: str | float | int, default_unit: Unit | str = Unit.M) -> float:
    """Return metres. A bare number is in `default_unit`. Sign and range are checked elsewhere."""
    number, unit = read_distance(value, default_unit)
    return number * METRES_PER[unit]


def read_distance(
    value: str | float | int, default_unit: Unit | str = Unit.M
) -> tuple[float, Unit]:
    """The number and the unit as typed ("20km" is 20 and km), for asking about the reading."""
    if isinstance(value, bool):
        raise DistanceError("expected a distance such as 180, 0.4km or 300yd")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise DistanceError("is far too large; type a distance such as 180 or 0.4km") from None
        unit = Unit(default_unit)
    else:
        text = value.strip()
        if not text:
            raise DistanceError("is empty; type a distance such as 180, 0.4km or 300yd")
        if len(text) > MAX_DISTANCE_CHARS:
            raise DistanceError(f"{len(text)} characters is far too long for a distance")
        lowered = text.lower()
        if any(word in lowered for word in ("nan", "inf")):
            raise DistanceError("must be a finite number, such as 180, 0.4km or 300yd")
        if "," in text:
            raise DistanceError(
                "use a dot for decimals and no thousands separator (e.g. 0.4km or 1200)"
            )
        match = _NUMBER_UNIT.match(text)
        if match is None:
            raise DistanceError(
                f"cannot read {text!r}; type a number with an optional unit "
                f"({ALLOWED_UNITS_TEXT}), e.g. 180, 0.4km or 300yd"
            )
        number = float(match["num"])
        unit = parse_unit(match["unit"]) if match["unit"] else Unit(default_unit)
    if not math.isfinite(number):
        raise DistanceError("must be a finite number, such as 180, 0.4km or 300yd")
    return number, unit


def to_unit(metres: float, unit: Unit | str) -> float:
    return metres / METRES_PER[Unit(unit)]


def format_distance(
    metres: float | None, unit: Unit | str = Unit.M, *, at_least: bool = False
) -> str:
    """Round only for display: whole metres and yards, two decimals for km and miles."""
    if metres is None:
        return "–"
    u = Unit(unit)
    value = to_unit(metres, u)
    text = f"{value:.2f}" if u in (Unit.KM, Unit.MI) else f"{value:.0f}"
    prefix = "≥ " if at_least else ""
    return f"{prefix}{text} {u.value}"
