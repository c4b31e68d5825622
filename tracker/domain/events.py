"""Treatment events: the rules for entering one, and its flat, stable record.

A procedure (revascularisation), a medication start or stop, a supervised exercise programme's
start or end, or another event (docs/clinical.md §11). The rules use validation.py's parsers and
`ValidationError`, so the CLI, the TUI and the import refuse the same things with the same
words. `order_errors` is the one rule between events: a medication stop or a programme end is
not dated before its start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, Protocol

from tracker.domain.audit_time import utc_text
from tracker.domain.clinical import (
    EVENT_TEXT_MAX_CHARS,
    EventKind,
    MedicationCategory,
    ProcedureType,
    Side,
)
from tracker.domain.validation import (
    FieldParser,
    ValidationError,
    ValidationErrors,
    blank,
    parse_choice,
    parse_date,
    parse_notes,
)

KINDS: tuple[str, ...] = tuple(k.value for k in EventKind)
STARTS = (EventKind.MEDICATION_START.value, EventKind.PROGRAMME_START.value)
STOPS = (EventKind.MEDICATION_STOP.value, EventKind.PROGRAMME_END.value)

DETAIL_FIELDS: tuple[str, ...] = ("type", "side", "category", "name", "dose", "description")
"""Draft keys besides kind, date and notes; each kind takes some of them (FIELDS_OF_KIND)."""
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    EventKind.PROCEDURE: ("type", "side"),
    EventKind.MEDICATION_START: ("category", "name", "dose"),
    EventKind.MEDICATION_STOP: ("category", "name"),
    EventKind.PROGRAMME_START: (),
    EventKind.PROGRAMME_END: (),
    EventKind.OTHER: ("description",),
}
REQUIRED_OF_KIND: dict[str, tuple[str, ...]] = {
    # an "other" event may say what happened in its notes instead
    EventKind.PROCEDURE: ("type",),
    EventKind.MEDICATION_START: ("category",),
    EventKind.MEDICATION_STOP: ("category",),
    EventKind.OTHER: ("description",),
}
EXAMPLES: dict[str, str] = {
    "type": "angioplasty, stent, bypass or other",
    "category": "cilostazol, naftidrofuryl, statin, antiplatelet, anticoagulant or other",
    "name": "the medicine's name, e.g. atorvastatin",
    "description": "what happened, e.g. hospital stay",
}
FIELD_ORDER = ("kind", "date", *DETAIL_FIELDS, "notes")


class EventFields(Protocol):
    """What an event says, entered (`EventInput`) or stored (`StoredEvent`)."""

    @property
    def kind(self) -> str: ...
    @property
    def occurred_on(self) -> date: ...
    @property
    def procedure_type(self) -> str | None: ...
    @property
    def side(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def dose(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def notes(self) -> str: ...


class StoredEvent(EventFields, Protocol):
    """A stored event: its fields with its id and audit times (the database row fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def deleted_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class EventInput:
    """A validated event, ready to store; fields its kind does not take are empty."""

    kind: str
    occurred_on: date
    procedure_type: str | None = None
    side: str | None = None
    category: str | None = None
    name: str = ""
    dose: str = ""
    description: str = ""
    notes: str = ""


def parse_kind(value: object) -> str:
    """Hyphens or underscores, any case: `medication_start` is `medication-start`."""
    return parse_choice("kind", str(value).replace("_", "-"), list(KINDS))


def parse_event_text(field: str, value: object) -> str:
    """Short one-line text (a name, a dose, what happened)."""
    text = " ".join(str(value).split())
    if "\x00" in text:
        raise ValidationError(field, "must not contain NUL characters")
    if len(text) > EVENT_TEXT_MAX_CHARS:
        raise ValidationError(field, f"{len(text)} characters; at most {EVENT_TEXT_MAX_CHARS}")
    return text


_PARSERS: dict[str, Callable[[object], Any]] = {
    "type": lambda v: parse_choice("type", v, [t.value for t in ProcedureType]),
    "side": lambda v: parse_choice("side", v, [s.value for s in Side]),
    "category": lambda v: parse_choice("category", v, [c.value for c in MedicationCategory]),
    "name": lambda v: parse_event_text("name", v),
    "dose": lambda v: parse_event_text("dose", v),
    "description": lambda v: parse_event_text("description", v),
}


def _kinds_taking(field: str) -> str:
    return " or ".join(k for k, fields in FIELDS_OF_KIND.items() if field in fields)


def event_errors(
    draft: Mapping[str, object], *, today: date
) -> tuple[EventInput | None, list[ValidationError]]:
    """Check every field of a draft; return the event or all errors, in field order.

    `draft` keys: kind, date, type, side, category, name, dose, description, notes. Blank
    optional fields are None or "". A field the kind does not take is an error, not ignored:
    `--side` on a medication is a mistake the user should hear about.
    """
    found = FieldParser()
    run, values, errors = found.run, found.values, found.errors

    if blank(draft.get("kind")):
        errors.append(ValidationError("kind", f"is required: one of {', '.join(KINDS)}"))
    else:
        run("kind", lambda: parse_kind(draft["kind"]))
    if blank(draft.get("date")):
        errors.append(ValidationError("date", "is required; use YYYY-MM-DD"))
    else:
        run("date", lambda: parse_date(draft["date"], today=today))
    run("notes", lambda: parse_notes(draft.get("notes")))

    kind = values.get("kind")
    for field in DETAIL_FIELDS:
        raw = draft.get(field)
        if blank(raw):
            required = kind is not None and field in REQUIRED_OF_KIND.get(kind, ())
            if required and not (field == "description" and values.get("notes")):
                errors.append(ValidationError(field, f"is required for {kind}: {EXAMPLES[field]}"))
            continue
        if kind is not None and field not in FIELDS_OF_KIND[kind]:
            errors.append(ValidationError(field, f"only for {_kinds_taking(field)}, not {kind}"))
            continue
        run(field, partial(_PARSERS[field], raw))

    if (
        kind in (EventKind.MEDICATION_START, EventKind.MEDICATION_STOP)
        and values.get("category") == MedicationCategory.OTHER
        and not values.get("name")
        and not any(e.field == "name" for e in errors)
    ):
        errors.append(ValidationError("name", "is required when the category is other"))

    if errors:
        errors.sort(key=lambda e: FIELD_ORDER.index(e.field) if e.field in FIELD_ORDER else 99)
        return None, errors
    return (
        EventInput(
            kind=values["kind"],
            occurred_on=values["date"],
            procedure_type=values.get("type"),
            side=values.get("side"),
            category=values.get("category"),
            name=values.get("name", ""),
            dose=values.get("dose", ""),
            description=values.get("description", ""),
            notes=values["notes"],
        ),
        [],
    )


# --- the rule between events -----------------------------------------------------------
def same_course(a: EventFields, b: EventFields) -> bool:
    """Whether a start and a stop belong to one medicine (same category; the same name when
    both give one) or to the exercise programme."""
    programme = (EventKind.PROGRAMME_START, EventKind.PROGRAMME_END)
    medication = (EventKind.MEDICATION_START, EventKind.MEDICATION_STOP)
    if a.kind in programme and b.kind in programme:
        return True
    if a.kind not in medication or b.kind not in medication or a.category != b.category:
        return False
    return not a.name or not b.name or a.name.casefold() == b.name.casefold()


def _course_name(e: EventFields) -> str:
    if e.kind in (EventKind.PROGRAMME_START, EventKind.PROGRAMME_END):
        return "the exercise programme"
    return e.name or str(e.category)


def order_errors(
    candidate: EventFields,
    existing: Sequence[StoredEvent],
    *,
    editing: StoredEvent | None = None,
) -> list[ValidationError]:
    """A stop (or programme end) must not come before its start.

    A stop with no recorded start at all is fine: the medicine was started before the diary.
    But when starts are recorded and all of them are later than the stop, the date is wrong.
    Moving a start past the stop that ended it is refused for the same reason. Deleted events
    take no part.
    """
    others = [
        e
        for e in existing
        if e.deleted_at is None and (editing is None or e.id is None or e.id != editing.id)
    ]
    day = candidate.occurred_on
    if candidate.kind in STOPS:
        starts = sorted(
            e.occurred_on for e in others if e.kind in STARTS and same_course(e, candidate)
        )
        if starts and starts[0] > day:
            return [
                ValidationError(
                    "date",
                    f"{day} is before {_course_name(candidate)} was started on {starts[0]}; "
                    "a stop or end cannot come before its start",
                )
            ]
    if candidate.kind in STARTS and editing is not None and editing.kind == candidate.kind:
        later_starts = [
            e.occurred_on
            for e in others
            if e.kind in STARTS and same_course(e, editing) and e.occurred_on > editing.occurred_on
        ]
        until = min(later_starts, default=date.max)
        ended = sorted(
            e.occurred_on
            for e in others
            if e.kind in STOPS
            and same_course(e, candidate)
            and editing.occurred_on <= e.occurred_on < until
        )
        if ended and ended[0] < day:
            return [
                ValidationError(
                    "date",
                    f"{day} is after {_course_name(candidate)} was stopped on {ended[0]}; "
                    "a start cannot come after its stop or end",
                )
            ]
    return []


def validate_event(
    draft: Mapping[str, object],
    existing: Sequence[StoredEvent],
    *,
    today: date,
    editing: StoredEvent | None = None,
) -> EventInput:
    """Field rules, then the rule between events; raises `ValidationErrors`."""
    event, errors = event_errors(draft, today=today)
    if event is not None:
        errors = order_errors(event, existing, editing=editing)
    if errors or event is None:
        raise ValidationErrors(errors)
    return event


# --- the flat record: `tracker event list --json`, the CSV and the JSON backup ----------
EVENT_COLUMNS: tuple[str, ...] = (
    "date",
    "kind",
    "type",
    "side",
    "category",
    "name",
    "dose",
    "description",
    "notes",
)
"""Documented in the README; changing one breaks users' scripts."""


def event_record(e: StoredEvent, *, with_meta: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "date": e.occurred_on.isoformat(),
        "kind": e.kind,
        "type": e.procedure_type,
        "side": e.side,
        "category": e.category,
        "name": e.name,
        "dose": e.dose,
        "description": e.description,
        "notes": e.notes,
    }
    if with_meta:
        record = {"id": e.id, **record}
        record["created_at"] = utc_text(e.created_at)
        record["updated_at"] = utc_text(e.updated_at)
        record["deleted"] = e.deleted_at is not None
    return record


def record_to_event_draft(record: Mapping[str, Any]) -> dict[str, object]:
    return {column: record.get(column) for column in EVENT_COLUMNS}


def event_to_draft(e: StoredEvent) -> dict[str, object]:
    return record_to_event_draft(event_record(e))


def event_key(e: EventFields) -> tuple[object, ...]:
    """How the import recognises an event the database already has, so importing a file
    twice adds nothing."""
    return (
        e.occurred_on,
        e.kind,
        e.procedure_type,
        e.side,
        e.category,
        e.name.casefold(),
        e.dose.casefold(),
        e.description.casefold(),
        e.notes,
    )
