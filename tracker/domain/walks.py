"""The flat, stable form of a walk: `tracker list --json`, the CSV and the JSON backup share it.

Column names are documented in the README; changing one breaks users' scripts.
"""

from __future__ import annotations

from typing import Any

from tracker.db.models import Walk

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


def _metres(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def walk_record(walk: Walk, *, with_meta: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
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
    if with_meta:
        record = {"id": walk.id, **record}
        record["created_at"] = walk.created_at.isoformat(timespec="seconds") + "Z"
        record["updated_at"] = walk.updated_at.isoformat(timespec="seconds") + "Z"
        record["deleted"] = walk.deleted_at is not None
    return record


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
