"""The walk table as plain values: its columns, a validated walk as their values, and a time
as SQLite stores it. Imports no database library: the repository (through SQLAlchemy) and the
fast path of `tracker log` (`plain_log`, through `sqlite3`) both write walks with these, so a
walk is turned into a row in one place. The schema itself stays in `models`; a test checks
`WALK_TABLE_COLUMNS` against the model's table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.domain.walks import WalkInput

WALK_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "walked_at",
    "pain_free_m",
    "max_m",
    "total_m",
    "no_pain",
    "location",
    "side",
    "pain",
    "rest_min",
    "duration_min",
    "method",
    "notes",
    "source",
    "created_at",
    "updated_at",
    "deleted_at",
)
"""The walk table's columns in the model's order (`models.Walk`; a test compares them)."""
AUDIT_COLUMNS = ("created_at", "updated_at", "deleted_at")


@dataclass(frozen=True)
class PlainWalk:
    """A walk row as plain values, for the paths that read or write walks without the ORM (the
    app's first look at the file, the fast path of `tracker log`)."""

    id: int | None
    walked_at: datetime
    pain_free_m: float
    max_m: float | None
    total_m: float | None
    no_pain: bool
    location: str | None
    side: str | None
    pain: int | None
    rest_min: float | None
    duration_min: float | None
    method: str
    notes: str
    source: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


"""The columns the store fills when it writes a walk (UTC, naive)."""


def walk_columns(walk: WalkInput) -> dict[str, Any]:
    """A validated walk as the walk table's columns, named one by one (a test checks that every
    column the user enters is here), so a field and a column never pair up by their names
    alone. Choices are stored as their plain text."""
    return {
        "walked_at": walk.walked_at,
        "pain_free_m": walk.pain_free_m,
        "max_m": walk.max_m,
        "total_m": walk.total_m,
        "no_pain": walk.no_pain,
        "location": None if walk.location is None else str(walk.location),
        "side": None if walk.side is None else str(walk.side),
        "pain": walk.pain,
        "rest_min": walk.rest_min,
        "duration_min": walk.duration_min,
        "method": str(walk.method),
        "notes": walk.notes,
        "source": str(walk.source),
    }


def stored_time(moment: datetime | None) -> str | None:
    """A time as SQLAlchemy's SQLite DateTime stores it (so queries compare the same text)."""
    return None if moment is None else moment.isoformat(sep=" ", timespec="microseconds")
