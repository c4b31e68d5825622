"""Completing a draft (an imported walk without a lap press) and its form in the JSON backup.

The CLI (`tracker import --complete`) and the TUI drafts screen both build the walk here, with
the rules of `tracker log`: the typed pain-free distance, the maximum (by default the whole
activity) and everything the device recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tracker.db.models import DeviceDraft
from tracker.db.repository import Store
from tracker.domain.audit_time import utc_text
from tracker.domain.clinical import MAX_PLAUSIBLE_DISTANCE_M, MAX_SESSION_MIN, Method, Source
from tracker.domain.validation import ValidationError, validate_walk
from tracker.domain.walks import WalkInput

STATUSES = ("pending", "completed", "discarded")


def completion(
    d: DeviceDraft,
    *,
    pain_free: str | None,
    max_: str | None = None,
    no_pain: bool = False,
    unit: str,
    now: datetime,
) -> WalkInput:
    """The walk the draft becomes; raises ValidationErrors naming the field. Bare numbers are
    in `unit`. Without pain the distance walked (the whole activity) is the lower bound."""
    whole = f"{d.distance_m!r}m" if d.distance_m is not None else None
    draft: dict[str, object] = {
        "date": d.started_at.date(),
        "time": d.started_at.time(),
        "pain_free": pain_free if pain_free not in (None, "") else (whole if no_pain else None),
        "max": None if no_pain else (max_ if max_ not in (None, "") else whole),
        "total": whole,
        "no_pain": no_pain,
        "minutes": d.duration_min,
        "method": Method.WALK.value,
        "notes": d.notes,
        "source": Source.IMPORT.value,
    }
    return validate_walk(draft, unit=unit, now=now)


def draft_record(d: DeviceDraft) -> dict[str, Any]:
    """In the backup's `drafts` list (the walk a completed draft became is in `walks`)."""
    return {
        "started_at": d.started_at.isoformat(timespec="seconds"),
        "started_utc": utc_text(d.started_utc),
        "device": d.device,
        "file_format": d.file_format,
        "file_name": d.file_name,
        "distance_m": d.distance_m,
        "duration_min": d.duration_min,
        "notes": d.notes,
        "status": d.status,
        "created_at": utc_text(d.created_at),
        "updated_at": utc_text(d.updated_at),
    }


def _moment(rec: dict[str, Any], key: str, *, required: bool = True) -> datetime | None:
    value = rec.get(key)
    if value in (None, ""):
        if required:
            raise ValidationError(key, "is missing")
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(key, f"{value!r} is not an ISO date-time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)


def _text(rec: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = rec.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(key, "expected text")
    if len(value) > limit or "\x00" in value:
        raise ValidationError(key, f"text of at most {limit} characters, without NUL")
    return value


def _number(rec: dict[str, Any], key: str, high: float) -> float | None:
    value = rec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= high:
        raise ValidationError(key, f"a number above 0 and at most {high:g}")
    return float(value)


def draft_from_record(rec: Any, today: date) -> DeviceDraft:
    """A backup's draft, checked field by field (ValidationError names the field)."""
    if not isinstance(rec, dict):
        raise ValidationError("drafts", "expected an object")
    started = _moment(rec, "started_at")
    started_utc = _moment(rec, "started_utc")
    assert started is not None and started_utc is not None
    if started.date() > today:
        raise ValidationError("started_at", f"{started:%Y-%m-%d} is in the future")
    status = rec.get("status")
    if status not in STATUSES:
        raise ValidationError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    row = DeviceDraft(
        started_at=started,
        started_utc=started_utc,
        device=_text(rec, "device", 200, required=True),
        file_format=_text(rec, "file_format", 16, required=True),
        file_name=_text(rec, "file_name", 200),
        distance_m=_number(rec, "distance_m", MAX_PLAUSIBLE_DISTANCE_M),
        duration_min=_number(rec, "duration_min", MAX_SESSION_MIN),
        notes=_text(rec, "notes", 2000),
        status=str(status),
    )
    for key in ("created_at", "updated_at"):
        moment = _moment(rec, key, required=False)
        if moment is not None:
            setattr(row, key, moment)
    return row


def drafts_from_backup(
    store: Store, records: list[Any], today: date, errors: list[str]
) -> list[DeviceDraft]:
    """The backup's drafts the database does not have yet (same device and start)."""
    out: list[DeviceDraft] = []
    for i, rec in enumerate(records):
        try:
            row = draft_from_record(rec, today)
        except ValidationError as exc:
            errors.append(f"drafts[{i}]: {exc}")
            continue
        same = any(
            d.device == row.device and d.started_utc == row.started_utc for d in out
        ) or store.device_activity_known(row.device, row.started_utc, within_s=0)
        if not same:
            out.append(row)
    return out
