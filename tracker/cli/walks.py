"""Walks: `tracker log`, `edit`, `delete`, `undelete` and `list`."""

from typing import Annotated, Any

import typer

from tracker import clock
from tracker.cli.app import (
    DateOpt,
    DbOption,
    JsonOption,
    MethodOpt,
    NotesOpt,
    PainFree,
    app,
    fail,
    given,
    open_diary,
    period_options,
    say,
    say_json,
    say_json_lines,
)
from tracker.cli.log_options import CLI_FLAGS, help_of
from tracker.domain import wording
from tracker.domain.plausibility import check_walk
from tracker.domain.validation import (
    parse_method,
    validate_walk,
)
from tracker.domain.walks import record_to_draft, walk_record, walk_record_with_meta
from tracker.domain.wording import describe_walk, distance_doubt_question, duplicate_sentence


def _value(flag: str) -> Any:
    """A typer option whose flag and help text come from the table (`log_options`)."""
    return typer.Option(flag, help=help_of(flag))


MaxDist = Annotated[str | None, _value("--max")]
Total = Annotated[str | None, _value("--total")]
TimeOpt = Annotated[str | None, _value("--time")]
LocationOpt = Annotated[str | None, _value("--location")]
SideOpt = Annotated[str | None, _value("--side")]
PainOpt = Annotated[str | None, _value("--pain")]
RestOpt = Annotated[str | None, _value("--rest")]
MinutesOpt = Annotated[str | None, _value("--minutes")]


@app.command()
def log(
    ctx: typer.Context,
    pain_free: PainFree = None,
    max_: MaxDist = None,
    total: Total = None,
    no_pain: Annotated[bool, _value("--no-pain")] = False,
    date_: DateOpt = None,
    time_: TimeOpt = None,
    location: LocationOpt = None,
    side: SideOpt = None,
    pain: PainOpt = None,
    rest: RestOpt = None,
    minutes: MinutesOpt = None,
    method: MethodOpt = None,
    notes: NotesOpt = None,
    allow_duplicate: Annotated[bool, _value("--allow-duplicate")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Log a walk. Bare numbers are in your preferred unit (see `tracker settings`)."""
    draft = given(
        pain_free=pain_free,
        max=max_,
        total=total,
        no_pain=no_pain,
        date=date_,
        time=time_,
        location=location,
        side=side,
        pain=pain,
        rest=rest,
        minutes=minutes,
        method=method,
        notes=notes,
    )
    store = open_diary(ctx, db)
    unit = store.settings().unit
    walk = validate_walk(draft, unit=unit, now=clock.now())
    checked = check_walk(store, walk, draft, unit)
    if checked.duplicate_id is not None and not allow_duplicate:
        fail(
            f"{duplicate_sentence(checked.duplicate_id)} Nothing was saved; add "
            "--allow-duplicate to save it a second time."
        )
    row = store.add_walk(walk)
    if as_json:
        say_json(walk_record_with_meta(row), indent=None)
    else:
        say(wording.walk_saved(row.id, describe_walk(row, unit)), one_line=True)
    for doubt in checked.doubts:
        flag = CLI_FLAGS[doubt.field]
        say(
            wording.distance_doubt_warning(distance_doubt_question(doubt, unit), row.id, flag),
            err=True,
        )


@app.command()
def edit(
    ctx: typer.Context,
    walk_id: Annotated[
        int, typer.Argument(metavar="ID", help="The walk's id (see `tracker list`).")
    ],
    pain_free: PainFree = None,
    max_: MaxDist = None,
    total: Total = None,
    no_pain: Annotated[
        bool | None,
        typer.Option(
            "--no-pain/--with-pain", help="Whether the walk ended without pain.", show_default=False
        ),
    ] = None,
    date_: DateOpt = None,
    time_: TimeOpt = None,
    location: LocationOpt = None,
    side: SideOpt = None,
    pain: PainOpt = None,
    rest: RestOpt = None,
    minutes: MinutesOpt = None,
    method: MethodOpt = None,
    notes: NotesOpt = None,
    db: DbOption = None,
) -> None:
    """Change fields of a walk; give "" to clear an optional field."""
    store = open_diary(ctx, db)
    unit = store.settings().unit
    old = store.get_walk(walk_id)
    draft = record_to_draft(walk_record(old))
    for key in ("pain_free", "max", "total"):
        if draft[key] is not None:
            draft[key] = f"{draft[key]!r}m"
    changes = given(
        pain_free=pain_free,
        max=max_,
        total=total,
        no_pain=no_pain,
        date=date_,
        time=time_,
        location=location,
        side=side,
        pain=pain,
        rest=rest,
        minutes=minutes,
        method=method,
        notes=notes,
    )
    if not changes:
        fail("nothing to change; give at least one field, e.g. --max 320")
    draft.update(changes)
    walk = validate_walk(draft, unit=unit, now=clock.now())
    row = store.update_walk(walk_id, walk)
    say(wording.walk_updated(row.id, describe_walk(row, unit)), one_line=True)


@app.command()
def delete(
    ctx: typer.Context,
    walk_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Delete a walk (it is kept, hidden; `tracker undelete ID` brings it back)."""
    store = open_diary(ctx, db)
    store.set_deleted(walk_id, True)
    say(wording.walk_deleted_cli(walk_id))


@app.command()
def undelete(
    ctx: typer.Context,
    walk_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Bring back a deleted walk."""
    store = open_diary(ctx, db)
    row = store.set_deleted(walk_id, False)
    say(wording.walk_restored(walk_id, describe_walk(row, store.settings().unit)), one_line=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD")] = None,
    method: MethodOpt = None,
    deleted: Annotated[bool, typer.Option("--deleted", help="Include deleted walks.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List walks, oldest first."""
    start, end = period_options(since, until)
    store = open_diary(ctx, db)
    chosen = parse_method(method) if method else None
    if as_json:  # streamed: a long diary's listing is never held whole
        walks = store.iter_walks(start, end, method=chosen, include_deleted=deleted)
        say_json_lines(walk_record_with_meta(w) for w in walks)
        return
    rows = store.walks(start, end, method=chosen, include_deleted=deleted)
    if not rows:
        say(wording.NO_WALKS_IN_PERIOD)
        return
    unit = store.settings().unit
    for w in rows:
        mark = " (deleted)" if w.deleted_at is not None else ""
        say(f"#{w.id:<5} {describe_walk(w, unit)}{mark}", one_line=True)
