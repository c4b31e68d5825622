"""One set of rules for a walk, used by the CLI, the TUI and the import.

Each field has a parser that raises `ValidationError(field, message)`; `walk_errors` collects
every problem at once (the TUI shows them beside the fields, the import lists them per line) and
`validate_walk` turns a valid draft into a `WalkInput`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from tracker.domain.clinical import (
    MAX_CIGARETTES_PER_DAY,
    MAX_PLAUSIBLE_DISTANCE_M,
    MAX_REST_MIN,
    MAX_SESSION_MIN,
    NOTES_MAX_CHARS,
    Location,
    Method,
    Side,
    Source,
)
from tracker.domain.units import DistanceError, Unit, format_distance, parse_distance
from tracker.domain.walks import WalkInput

EARLIEST_DATE = date(1900, 1, 1)
MIN_DISTANCE_M = 1.0
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_NUMBER_CHARS = 30
"""A typed number longer than this is refused before it is converted (a 4,301-digit integer
costs Python a conversion error of its own, a 309-digit one overflows a float)."""
_WHOLE = re.compile(r"[+-]?[0-9]+")
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")

FIELD_LABELS: dict[str, str] = {
    "date": "date",
    "time": "time",
    "pain_free": "pain-free distance",
    "max": "maximum distance",
    "total": "total distance",
    "no_pain": "no pain",
    "location": "pain location",
    "side": "side",
    "pain": "pain intensity",
    "rest": "rest minutes",
    "minutes": "walking minutes",
    "method": "method",
    "notes": "notes",
    "source": "source",
    "count": "cigarette count",
}


class ValidationError(ValueError):
    """Bad input a user can cause; names the field and what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{FIELD_LABELS.get(field, field)}: {message}")
        self.field = field
        self.message = message


class ValidationErrors(ValueError):
    """Several field errors at once, in field order."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class FieldParser:
    """Runs each field's parser and keeps its value or its error, so a whole draft is checked
    at once and every problem is reported together."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.errors: list[ValidationError] = []

    def run(self, field: str, parse: Callable[[], Any]) -> None:
        try:
            self.values[field] = parse()
        except ValidationError as exc:
            self.errors.append(exc)


def blank(value: object) -> bool:
    """An optional field left empty."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: object, *, today: date, field: str = "date") -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise ValidationError(field, f"{text!r} is not a date; use YYYY-MM-DD") from None
        if len(text) != 10:
            raise ValidationError(field, f"{text!r} is not a date; use YYYY-MM-DD")
    if parsed > today:
        raise ValidationError(field, f"{parsed.isoformat()} is in the future (today is {today})")
    if parsed < EARLIEST_DATE:
        raise ValidationError(field, f"must be after {EARLIEST_DATE.isoformat()}")
    return parsed


def parse_time(value: object) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip()
    parts = text.split(":")
    if len(parts) in (2, 3) and all(_WHOLE.fullmatch(p) and len(p) <= 2 for p in parts):
        h, m = int(parts[0]), int(parts[1])
        s = int(parts[2]) if len(parts) == 3 else 0
        if 0 <= h < 24 and 0 <= m < 60 and 0 <= s < 60:
            return time(h, m)
    raise ValidationError("time", f"{text!r} is not a time; use HH:MM (24-hour), e.g. 07:30")


def parse_distance_field(field: str, value: object, unit: Unit | str) -> float:
    """Metres, checked to be positive and plausible."""
    if isinstance(value, str | int | float):
        try:
            metres = parse_distance(value, unit)
        except DistanceError as exc:
            raise ValidationError(field, str(exc)) from None
    else:
        raise ValidationError(field, "expected a distance such as 180, 0.4km or 300yd")
    if metres <= 0:
        raise ValidationError(field, "must be more than 0")
    if metres < MIN_DISTANCE_M:
        raise ValidationError(field, f"{metres:g} m is too short; at least {MIN_DISTANCE_M:g} m")
    if metres > MAX_PLAUSIBLE_DISTANCE_M:
        limit = format_distance(MAX_PLAUSIBLE_DISTANCE_M, "km")
        raise ValidationError(
            field, f"{format_distance(metres, unit)} is implausible; at most {limit}"
        )
    return metres


def _parse_number(field: str, value: object, *, integer: bool = False) -> float:
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool):
        raise ValidationError(field, "expected a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise ValidationError(field, "is far too large") from None
    else:
        text = str(value).strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise ValidationError(
                field, f"{text[:12]!r}… ({len(text)} characters) is not {kind} in range"
            )
        try:
            if integer and not _WHOLE.fullmatch(text):
                raise ValueError(text)
            number = float(int(text)) if integer else float(text)
        except ValueError:
            raise ValidationError(field, f"{text!r} is not {kind}") from None
        if not math.isfinite(number) or "nan" in text.lower():
            number = math.nan
    if not math.isfinite(number):
        raise ValidationError(field, "must be a finite number")
    if integer and number != int(number):
        raise ValidationError(field, "must be a whole number")
    return number


def parse_pain(value: object) -> int:
    number = _parse_number("pain", value, integer=True)
    if not 0 <= number <= 10:
        raise ValidationError("pain", f"{number:g} is outside 0-10 (0 = none, 10 = worst)")
    return int(number)


def parse_rest(value: object) -> float:
    number = _parse_number("rest", value)
    if not 0 <= number <= MAX_REST_MIN:
        raise ValidationError("rest", f"{number:g} is outside 0-{MAX_REST_MIN:g} minutes")
    return number


def parse_minutes(value: object) -> float:
    number = _parse_number("minutes", value)
    if not 0 < number <= MAX_SESSION_MIN:
        raise ValidationError("minutes", f"{number:g} is outside 1-{MAX_SESSION_MIN:g} minutes")
    return number


def parse_count(value: object) -> int:
    number = _parse_number("count", value, integer=True)
    if not 0 <= number <= MAX_CIGARETTES_PER_DAY:
        raise ValidationError(
            "count", f"{number:g} is outside 0-{MAX_CIGARETTES_PER_DAY} cigarettes a day"
        )
    return int(number)


def parse_choice(field: str, value: object, allowed: Collection[str]) -> str:
    text = str(value).strip().lower()
    if text not in allowed:
        raise ValidationError(field, f"{text!r} is not one of {', '.join(allowed)}")
    return text


_LOCATIONS = {x.value: x for x in Location}
_SIDES = {x.value: x for x in Side}
_METHODS = {x.value: x for x in Method}
_SOURCES = {x.value: x for x in Source}
"""Each choice's values (in order, for the message) and members, built once: an import checks
them for every row."""


def parse_location(value: object) -> Location:
    return _LOCATIONS[parse_choice("location", value, _LOCATIONS)]


def parse_side(value: object) -> Side:
    return _SIDES[parse_choice("side", value, _SIDES)]


def parse_method(value: object) -> Method:
    return _METHODS[parse_choice("method", value, _METHODS)]


def parse_source(value: object) -> Source:
    return _SOURCES[parse_choice("source", value, _SOURCES)]


def parse_text(field: str, value: object, *, max_chars: int) -> str:
    """Free text (notes, names) is kept as typed, control characters included: screens show
    those escaped, exports keep them. Refused is only what cannot be stored as text: NUL, and
    lone surrogates (bytes that were not UTF-8)."""
    text = "" if value is None else str(value)
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        what = "NUL characters" if bad.group() == "\x00" else "bytes that are not UTF-8 text"
        raise ValidationError(
            field, f"must not contain {what} (found at character {bad.start() + 1})"
        )
    if len(text) > max_chars:
        raise ValidationError(field, f"{len(text)} characters; at most {max_chars}")
    return text


def parse_notes(value: object) -> str:
    text = parse_text("notes", value, max_chars=NOTES_MAX_CHARS)
    return text if text.strip() else ""


def parse_bool(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y"):
        return True
    if text in ("0", "false", "no", "n", ""):
        return False
    raise ValidationError(field, f"{text!r} is not yes/no (use true or false)")


_OPTIONAL: dict[str, Callable[[object], Any]] = {
    "location": parse_location,
    "side": parse_side,
    "pain": parse_pain,
    "rest": parse_rest,
    "minutes": parse_minutes,
}


def walk_errors(
    draft: Mapping[str, object], *, unit: Unit | str, now: datetime
) -> tuple[WalkInput | None, list[ValidationError]]:
    """Check every field and the rules between them; return the walk or all errors.

    `draft` keys: date, time, pain_free, max, total, no_pain, location, side, pain, rest,
    minutes, method, notes, source. Blank optional fields are None. Bare distances are in `unit`.
    """
    found = FieldParser()
    run, values, errors = found.run, found.values, found.errors

    run("no_pain", lambda: parse_bool("no_pain", draft.get("no_pain", False)))
    no_pain = values.get("no_pain", False)

    run("date", lambda: parse_date(draft.get("date") or now.date(), today=now.date()))
    run("time", lambda: parse_time(draft.get("time") or now.time()))

    if blank(draft.get("pain_free")):
        errors.append(ValidationError("pain_free", "is required, e.g. 180 or 0.2km"))
    else:
        run("pain_free", lambda: parse_distance_field("pain_free", draft["pain_free"], unit))

    if blank(draft.get("max")):
        # a 6-minute test stopped early for another reason than the pain has no maximum
        if not no_pain and draft.get("method") != Method.SIX_MWT_STOPPED.value:
            errors.append(
                ValidationError("max", "is required, unless the walk ended without pain (no pain)")
            )
        values["max"] = None
    elif no_pain:
        errors.append(
            ValidationError(
                "max",
                "a walk that ended without pain has no maximum distance; "
                "leave it empty (put the distance walked in pain-free or total)",
            )
        )
    else:
        run("max", lambda: parse_distance_field("max", draft["max"], unit))

    if blank(draft.get("total")):
        values["total"] = None
    else:
        run("total", lambda: parse_distance_field("total", draft["total"], unit))

    for field, parser in _OPTIONAL.items():
        raw = draft.get(field)
        if blank(raw):
            values[field] = None
        else:
            run(field, partial(parser, raw))

    run("method", lambda: parse_method(draft.get("method") or Method.WALK.value))
    run("notes", lambda: parse_notes(draft.get("notes")))
    run("source", lambda: parse_source(draft.get("source") or Source.TYPED.value))

    if "date" in values and "time" in values:
        walked_at = datetime.combine(values["date"], values["time"])
        if walked_at > now + FUTURE_TOLERANCE:
            errors.append(ValidationError("time", f"{walked_at:%Y-%m-%d %H:%M} is in the future"))
        values["walked_at"] = walked_at

    pf, mx, tot = values.get("pain_free"), values.get("max"), values.get("total")
    if pf is not None and mx is not None and pf > mx + 1e-9:
        errors.append(
            ValidationError(
                "pain_free",
                f"{format_distance(pf, unit)} is above the maximum distance "
                f"{format_distance(mx, unit)}; pain-free must be at most the maximum",
            )
        )
    longest = max((d for d in (pf, mx) if d is not None), default=None)
    if tot is not None and longest is not None and tot + 1e-9 < longest:
        errors.append(
            ValidationError(
                "total",
                f"{format_distance(tot, unit)} is less than the distance before stopping "
                f"({format_distance(longest, unit)}); total must be at least that",
            )
        )
    if no_pain and values.get("pain") not in (None, 0):
        errors.append(
            ValidationError("pain", "must be empty or 0 for a walk that ended without pain")
        )

    if errors:
        order = list(FIELD_LABELS)
        errors.sort(key=lambda e: order.index(e.field) if e.field in order else len(order))
        return None, errors
    assert pf is not None
    return (
        WalkInput(
            walked_at=values["walked_at"],
            pain_free_m=pf,
            max_m=mx,
            total_m=tot,
            no_pain=no_pain,
            location=values["location"],
            side=values["side"],
            pain=values["pain"],
            rest_min=values["rest"],
            duration_min=values["minutes"],
            method=values["method"],
            notes=values["notes"],
            source=values["source"],
        ),
        [],
    )


def validate_walk(draft: Mapping[str, object], *, unit: Unit | str, now: datetime) -> WalkInput:
    """Like `walk_errors`, raising `ValidationErrors` when anything is wrong."""
    walk, errors = walk_errors(draft, unit=unit, now=now)
    if errors or walk is None:
        raise ValidationErrors(errors)
    return walk
