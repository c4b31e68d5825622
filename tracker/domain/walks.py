"""A walk's shapes, in one place, with the model's field names.

- `WalkDraft`: a walk as typed or read, before validation (the CLI's options, a form's fields,
  an imported row); its keys are the record's columns.
- `WalkInput`: a validated walk, ready to store (`validation.walk_errors` makes it).
- `StoredWalk`: what the domain reads from a stored walk (the database row fits it).
- `WalkPoint`: the few columns charts and the trend read for many walks at once.
- the record (`walk_record`): the flat, stable form that `tracker list --json`, the CSV and the
  JSON backup share. Column names are documented in the README; changing one breaks users'
  scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple, Protocol, TypedDict

from tracker.domain.audit_time import utc_text
from tracker.domain.clinical import Location, Method, Side, Source

WALK_COLUMNS: tuple[str, ...] = (
    "date",
    "time",
    "pain_free_m",
    "max_m",
    "total_m",
    "no_pain",
    "location",
    "side",
    "pain",
    "rest_min",
    "method",
    "notes",
    "source",
    "duration_min",
)


class WalkDraft(TypedDict, total=False):
    """A walk before validation, keyed like the record. Distances and numbers may be text as
    typed ("0.4km", "7"); a bare distance is in the unit validated with it. Blank or missing
    optional fields are empty."""

    date: str | date | None
    time: str | time | None
    pain_free_m: str | float | None
    max_m: str | float | None
    total_m: str | float | None
    no_pain: str | bool | None
    location: str | None
    side: str | None
    pain: str | int | None
    rest_min: str | float | None
    method: str | None
    notes: str | None
    source: str | None
    duration_min: str | float | None


@dataclass(frozen=True)
class WalkInput:
    """A validated walk, distances in metres, ready to store."""

    walked_at: datetime
    pain_free_m: float
    max_m: float | None
    total_m: float | None
    no_pain: bool
    location: Location | None
    side: Side | None
    pain: int | None
    rest_min: float | None
    method: Method
    notes: str
    source: Source
    duration_min: float | None = None


class StoredWalk(Protocol):
    """What wording, records and exports read from a stored walk."""

    @property
    def walked_at(self) -> datetime: ...
    @property
    def pain_free_m(self) -> float: ...
    @property
    def max_m(self) -> float | None: ...
    @property
    def total_m(self) -> float | None: ...
    @property
    def no_pain(self) -> bool: ...
    @property
    def location(self) -> str | None: ...
    @property
    def side(self) -> str | None: ...
    @property
    def pain(self) -> int | None: ...
    @property
    def rest_min(self) -> float | None: ...
    @property
    def duration_min(self) -> float | None: ...
    @property
    def method(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def source(self) -> str: ...


class WalkPoint(NamedTuple):
    """The columns charts and the trend need, read without building ORM objects."""

    walked_at: datetime
    pain_free_m: float
    max_m: float | None
    no_pain: bool
    method: str
    rest_min: float | None
    pain: int | None = None
    duration_min: float | None = None
    """Minutes of the session, for the weekly exercise figures."""
    total_m: float | None = None


POINT_COLUMNS = ("walked_at", "pain_free_m", "max_m", "no_pain", "method", "rest_min")
EXERCISE_COLUMNS = ("pain", "duration_min", "total_m")
"""`WalkPoint`'s fields: always read, and read only for the weekly exercise figures."""


def _metres(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class StoredWalkRow(StoredWalk, Protocol):
    """A stored walk with its id and audit times (the records `with_meta`)."""

    @property
    def id(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def deleted_at(self) -> datetime | None: ...


def walk_record(walk: StoredWalk) -> dict[str, Any]:
    """The record: `WALK_COLUMNS`, distances rounded to millimetres."""
    return {
        "date": walk.walked_at.date().isoformat(),
        "time": walk.walked_at.strftime("%H:%M"),
        "pain_free_m": _metres(walk.pain_free_m),
        "max_m": _metres(walk.max_m),
        "total_m": _metres(walk.total_m),
        "no_pain": walk.no_pain,
        "location": walk.location,
        "side": walk.side,
        "pain": walk.pain,
        "rest_min": walk.rest_min,
        "method": walk.method,
        "notes": walk.notes,
        "source": walk.source,
        "duration_min": walk.duration_min,
    }


def walk_record_with_meta(walk: StoredWalkRow) -> dict[str, Any]:
    """The record with the id first and the audit times after (`--json`, the backup)."""
    return {
        "id": walk.id,
        **walk_record(walk),
        "created_at": utc_text(walk.created_at),
        "updated_at": utc_text(walk.updated_at),
        "deleted": walk.deleted_at is not None,
    }


def record_to_draft(record: dict[str, Any]) -> dict[str, object]:
    """A stored record as a validation draft (distances in metres, so the unit is "m")."""
    return {
        "date": record.get("date"),
        "time": record.get("time"),
        "pain_free": record.get("pain_free_m"),
        "max": record.get("max_m"),
        "total": record.get("total_m"),
        "no_pain": record.get("no_pain", False),
        "location": record.get("location"),
        "side": record.get("side"),
        "pain": record.get("pain"),
        "rest": record.get("rest_min"),
        "method": record.get("method"),
        "notes": record.get("notes"),
        "source": record.get("source"),
        "minutes": record.get("duration_min"),
    }
