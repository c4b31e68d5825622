"""An activity from a device becomes a walk, a draft, or is skipped (documented in the README).

- Walking and hiking (and TCX `Other`) are walks; running, cycling and other sports are skipped.
- With a lap pressed: the end of the first lap is the pain-free distance; the end of the second
  lap, or else of the activity, is the maximum; the whole activity is the total.
- Without a lap the pain-free distance is unknown: a draft, never counted as a walk until the
  user types it.
- Apple Health's six-minute walk distance: a walk of the method `6mwt-estimate`, its distance a
  lower bound (no pain is recorded with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from tracker.db.models import DeviceDraft
from tracker.domain.clinical import Method, Source
from tracker.domain.units import format_distance
from tracker.domain.validation import (
    FIELD_LABELS,
    FUTURE_TOLERANCE,
    MIN_DISTANCE_M,
    ValidationError,
    parse_distance_field,
    parse_minutes,
    walk_errors,
)
from tracker.domain.walks import WalkInput
from tracker.interchange.devices.activity import Activity

WALKING_SPORTS = frozenset({"walking", "hiking"})
FORMAT_LABELS = {
    "fit": "FIT file",
    "tcx": "TCX file",
    "gpx": "GPX file",
    "apple-health": "Apple Health",
    "health-connect": "Health Connect",
}
DEVICE_MAX_CHARS = 200


class Outcome(StrEnum):
    WALK = "walk"
    ESTIMATE = "estimate"
    DRAFT = "draft"
    SPORT = "sport"
    NO_DISTANCE = "no distance"


@dataclass(frozen=True)
class Mapped:
    outcome: Outcome
    walk: WalkInput | None = None
    ledger: DeviceDraft | None = None
    """The walk_draft row: `pending` for a draft, completed with the walk otherwise."""
    errors: tuple[str, ...] = ()


def device_name(a: Activity) -> str:
    name = " ".join(a.device.replace("\x00", "").split())
    return name[:DEVICE_MAX_CHARS] or FORMAT_LABELS.get(a.file_format, a.file_format)


def _notes(a: Activity, device: str) -> str:
    where = f"Recorded by {device} ({FORMAT_LABELS.get(a.file_format, a.file_format)})"
    if a.six_minute_estimate:
        return (
            f"Six-minute walk distance estimated by {device} (Apple Health) from everyday "
            "walking: not a walk test; no pain is recorded with it."
        )
    marks = _marks(a)
    if not marks:
        return f"{where}; no lap was pressed, so the pain-free distance was typed afterwards."
    end = "the second lap" if len(marks) > 1 else "the activity"
    text = f"{where}: pain-free = end of the first lap, maximum = end of {end}"
    if a.marks_from_time:
        text += " (lap distances estimated from the time of the marks)"
    return text + "."


def _marks(a: Activity) -> list[float]:
    """Presses at the very start (under 1 m) are slips of the finger, not pain."""
    return [m for m in a.lap_marks_m if m >= MIN_DISTANCE_M]


def _minutes(a: Activity) -> float | None:
    if a.duration_s is None or a.duration_s <= 0:
        return None
    return round(a.duration_s / 60, 1) or 0.1


def map_activity(a: Activity, *, file_name: str, now: datetime) -> Mapped:
    """`now` is local and naive (the app's clock); an activity starting after it is refused."""
    if a.sport not in WALKING_SPORTS:
        return Mapped(Outcome.SPORT)
    now_utc = now.astimezone(UTC)
    if a.started_utc > now_utc + FUTURE_TOLERANCE:
        return Mapped(
            Outcome.DRAFT,
            errors=(f"{a.label}: starts in the future (now is {now:%Y-%m-%d %H:%M})",),
        )
    if a.distance_m is None or a.distance_m <= 0:
        return Mapped(Outcome.NO_DISTANCE)
    device = device_name(a)
    ledger = DeviceDraft(
        started_at=a.started_local.replace(microsecond=0),
        started_utc=a.started_utc.astimezone(UTC).replace(tzinfo=None, microsecond=0),
        device=device,
        file_format=a.file_format,
        file_name=file_name[:200],
        distance_m=round(a.distance_m, 1),
        duration_min=_minutes(a),
        notes=_notes(a, device),
    )
    marks = _marks(a)
    if a.six_minute_estimate:
        draft: dict[str, object] = {
            "pain_free": a.distance_m,
            "no_pain": True,
            "total": a.distance_m,
            "method": Method.SIX_MWT_ESTIMATE.value,
        }
        outcome = Outcome.ESTIMATE
    elif marks:
        total = a.distance_m
        pain_free = min(marks[0], total)
        maximum = min(marks[1], total) if len(marks) > 1 else total
        draft = {"pain_free": pain_free, "max": maximum, "total": total}
        outcome = Outcome.WALK
    else:
        return _as_draft(a, ledger)
    draft.update(
        date=a.started_local.date(),
        time=a.started_local.time(),
        minutes=ledger.duration_min,
        notes=ledger.notes,
        source=Source.IMPORT.value,
    )
    walk, problems = walk_errors(draft, unit="m", now=now)
    if problems or walk is None:
        return Mapped(outcome, errors=tuple(_message(a, e) for e in problems))
    return Mapped(outcome, walk=walk, ledger=ledger)


def _as_draft(a: Activity, ledger: DeviceDraft) -> Mapped:
    """Checked now with the rules of a walk, so completing it later cannot fail on these."""
    errors = []
    try:
        parse_distance_field("total", ledger.distance_m, "m")
    except ValidationError as exc:
        errors.append(_message(a, exc))
    if ledger.duration_min is not None:
        try:
            parse_minutes(ledger.duration_min)
        except ValidationError as exc:
            errors.append(_message(a, exc))
    return Mapped(Outcome.DRAFT, ledger=None if errors else ledger, errors=tuple(errors))


def _message(a: Activity, err: ValidationError) -> str:
    return f"{a.label}: {FIELD_LABELS.get(err.field, err.field)}: {err.message}"


def describe_draft(d: DeviceDraft, unit: str) -> str:
    """One line for `tracker import --pending` and the drafts screen."""
    far = format_distance(d.distance_m, unit) if d.distance_m is not None else "no distance"
    minutes = f" in {d.duration_min:g} min" if d.duration_min is not None else ""
    return f"{d.started_at:%Y-%m-%d %H:%M}  {far}{minutes}  {d.device}"
