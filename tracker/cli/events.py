"""Treatment events: `tracker event add|list|edit|delete|undelete`."""

from typing import Annotated, Any

import typer

from tracker import clock
from tracker.cli.app import (
    DbOption,
    JsonOption,
    NotesOpt,
    app,
    fail,
    given,
    open_diary,
    period_options,
    say,
    say_error,
    say_json,
)
from tracker.domain import wording
from tracker.domain.clinical import (
    EventKind,
)
from tracker.domain.events import (
    FIELDS_OF_KIND,
    event_errors,
    event_record,
    event_to_draft,
    order_errors,
    parse_kind,
)
from tracker.domain.wording import describe_event

event_app = typer.Typer(
    help="Treatment events: procedures, medicines, exercise programmes (context for the walks).",
    no_args_is_help=True,
)
app.add_typer(event_app, name="event")

EVENT_KINDS_HELP = "One of: " + ", ".join(k.value for k in EventKind)
EVENT_FLAGS: dict[str, str] = {
    "kind": "KIND",
    "date": "--date",
    "type": "--type",
    "side": "--side",
    "category": "--category",
    "name": "--name",
    "dose": "--dose",
    "description": "--text",
    "notes": "--notes",
}
EventDate = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD.")]
EventType = Annotated[
    str | None, typer.Option("--type", help="procedure: angioplasty, stent, bypass or other.")
]
EventSide = Annotated[str | None, typer.Option("--side", help="procedure: left, right or both.")]
EventCategory = Annotated[
    str | None,
    typer.Option(
        "--category",
        help="medication-start/-stop: cilostazol, naftidrofuryl, statin, antiplatelet, "
        "anticoagulant or other.",
    ),
]
EventName = Annotated[
    str | None, typer.Option("--name", help="medication: the medicine's name (free text).")
]
EventDose = Annotated[
    str | None, typer.Option("--dose", help="medication-start: the dose (free text).")
]
EventText = Annotated[
    str | None, typer.Option("--text", help="other: what happened, e.g. 'hospital stay'.")
]


def _typed_event(
    kind: str | None,
    date_: str | None,
    type_: str | None,
    side: str | None,
    category: str | None,
    name: str | None,
    dose: str | None,
    text: str | None,
    notes: str | None,
) -> dict[str, object]:
    """The options given, as an event draft (its keys are the record's columns)."""
    return given(
        kind=kind,
        date=date_,
        type=type_,
        side=side,
        category=category,
        name=name,
        dose=dose,
        description=text,
        notes=notes,
    )


def _check_event(draft: dict[str, object], existing: Any, editing: Any = None) -> Any:
    """Validate, printing each problem with its option; exit 2 before anything is written."""
    event, errors = event_errors(draft, today=clock.today())
    if event is not None and existing is not None:
        errors = order_errors(event, existing, editing=editing)
    if errors:
        for err in errors:
            say_error(f"{EVENT_FLAGS.get(err.field, err.field)}: {err.message}")
        raise typer.Exit(2)
    return event


@event_app.command("add")
def event_add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="KIND", help=EVENT_KINDS_HELP)],
    date_: EventDate = None,
    type_: EventType = None,
    side: EventSide = None,
    category: EventCategory = None,
    name: EventName = None,
    dose: EventDose = None,
    text: EventText = None,
    notes: NotesOpt = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record a procedure, a medicine started or stopped, an exercise programme, or other."""
    draft = _typed_event(kind, date_, type_, side, category, name, dose, text, notes)
    _check_event(draft, None)
    store = open_diary(ctx, db)
    row = store.add_event(_check_event(draft, store.events()))
    if as_json:
        say_json(event_record(row, with_meta=True), indent=None)
    else:
        say(wording.event_saved(row.id, describe_event(row)), one_line=True)


@event_app.command("list")
def event_list(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD")] = None,
    deleted: Annotated[bool, typer.Option("--deleted", help="Include deleted events.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List events, oldest first."""
    start, end = period_options(since, until)
    store = open_diary(ctx, db)
    rows = store.events(start, end, include_deleted=deleted)
    if as_json:
        out = [event_record(e, with_meta=True) for e in rows]
        say_json(out)
        return
    if not rows:
        say(wording.NO_EVENTS_IN_PERIOD)
        return
    for e in rows:
        mark = " (deleted)" if e.deleted_at is not None else ""
        say(f"#{e.id:<5} {describe_event(e)}{mark}", one_line=True)


@event_app.command("edit")
def event_edit(
    ctx: typer.Context,
    event_id: Annotated[
        int, typer.Argument(metavar="ID", help="The event's id (see `tracker event list`).")
    ],
    kind: Annotated[str | None, typer.Option("--kind", help=EVENT_KINDS_HELP)] = None,
    date_: EventDate = None,
    type_: EventType = None,
    side: EventSide = None,
    category: EventCategory = None,
    name: EventName = None,
    dose: EventDose = None,
    text: EventText = None,
    notes: NotesOpt = None,
    db: DbOption = None,
) -> None:
    """Change fields of an event; give "" to clear an optional field."""
    changes = _typed_event(kind, date_, type_, side, category, name, dose, text, notes)
    if not changes:
        fail("nothing to change; give at least one field, e.g. --date 2026-09-03")
    store = open_diary(ctx, db)
    old = store.get_event(event_id)
    draft = event_to_draft(old)
    if kind is not None and kind.strip():
        new_kind = parse_kind(kind)
        for key in FIELDS_OF_KIND[old.kind]:
            if key not in FIELDS_OF_KIND[new_kind]:
                draft[key] = None
    draft.update(changes)
    event = _check_event(draft, store.events(), editing=old)
    row = store.update_event(event_id, event)
    say(wording.event_updated(row.id, describe_event(row)), one_line=True)


@event_app.command("delete")
def event_delete(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Delete an event (it is kept, hidden; `tracker event undelete ID` brings it back)."""
    store = open_diary(ctx, db)
    store.set_event_deleted(event_id, True)
    say(wording.event_deleted_cli(event_id))


@event_app.command("undelete")
def event_undelete(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Bring back a deleted event."""
    store = open_diary(ctx, db)
    row = store.set_event_deleted(event_id, False)
    say(wording.event_restored(event_id, describe_event(row)), one_line=True)
