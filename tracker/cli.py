"""The command line: parse, call the domain and the store, print. No logic of its own.

Errors a user can cause (bad input, an unusable database) print one clear message on stderr
and exit with code 2; the database is left unchanged. Everything printed goes through
`tracker.terminal_text`, so stored text cannot send control sequences to the terminal.

No `from __future__ import annotations` here: typer reads every command's annotations at
each start, and evaluating them from strings cost more than the lookups at import.
"""

import json
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from tracker import clock
from tracker.clinical import SYMPTOMS, EventKind, SmokingFrequency, SmokingStatus, symptom_kind
from tracker.terminal_text import printable, printable_json
from tracker.validation import (
    EARLIEST_DATE,
    FIELD_LABELS,
    ValidationError,
    ValidationErrors,
    parse_count,
    parse_date,
    parse_text,
)

CLI_FLAGS: dict[str, str] = {
    "pain_free": "--pain-free",
    "max": "--max",
    "total": "--total",
    "date": "--date",
    "time": "--time",
    "location": "--location",
    "side": "--side",
    "pain": "--pain",
    "rest": "--rest",
    "minutes": "--minutes",
    "method": "--method",
    "notes": "--notes",
    "no_pain": "--no-pain",
}


def say(text: str, *, err: bool = False, one_line: bool = False) -> None:
    """Print, with control characters escaped (`one_line`: newlines too)."""
    typer.echo(printable(text, one_line=one_line), err=err)


def say_json(payload: Any, *, indent: int | None = 2) -> None:
    say(printable_json(json.dumps(payload, ensure_ascii=False, indent=indent)))


def _say_error(message: str) -> None:
    say(f"Error: {message}", err=True)


def _warn(message: str) -> None:
    say(f"Warning: {message}", err=True)


def fail(message: str) -> NoReturn:
    _say_error(message)
    raise typer.Exit(2)


def _field_message(err: ValidationError) -> str:
    flag = CLI_FLAGS.get(err.field)
    label = FIELD_LABELS.get(err.field, err.field)
    return f"{flag} ({label}): {err.message}" if flag else f"{label}: {err.message}"


def _escaped(exc: typer.TyperException) -> typer.TyperException:
    """The CLI library echoes what was typed (`No such option: …`); escape it too."""
    exc.message = printable(exc.message)
    return exc


class _Edge(TyperGroup):
    """Turns the errors users can cause into a message and exit code 2, for every command."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as exc:
            raise _escaped(exc) from None

    def invoke(self, ctx: Any) -> Any:
        from sqlalchemy.exc import DBAPIError

        from tracker.store import StoreError

        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            raise _escaped(exc) from None
        except ValidationErrors as exc:
            for err in exc.errors:
                _say_error(_field_message(err))
            raise typer.Exit(2) from None
        except ValidationError as exc:
            fail(_field_message(exc))
        except StoreError as exc:
            fail(str(exc))
        except DBAPIError as exc:
            fail(f"the database could not be used: {exc.orig}. Nothing was changed.")


app = typer.Typer(
    cls=_Edge,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="A walking diary for intermittent claudication. Without a command, opens the app.",
)

RootDbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="TRACKER_DB",
        help="Database file or URL (default: tracker.db in your data folder).",
        show_default=False,
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database file or URL; wins over TRACKER_DB and a --db before the command.",
        show_default=False,
    ),
]
"""Precedence: --db after the command, then --db before it, then TRACKER_DB, then default."""
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _db(ctx: typer.Context, db: str | None) -> str | None:
    return db if db is not None else (ctx.obj or {}).get("db")


def _open(ctx: typer.Context, db: str | None) -> Any:
    """Open the store and tell what opening did (new diary, copies made, unreadable rows)."""
    from tracker.store import open_store

    store = open_store(_db(ctx, db))
    for notice in store.notices:
        say(notice, err=True)
    for warning in store.warnings:
        _warn(warning)
    store.on_warning = _warn
    return store


def _date_option(value: str | None, field: str = "date") -> date | None:
    if value is None:
        return None
    return parse_date(value, today=clock.today(), field=field)


@app.callback()
def root(ctx: typer.Context, db: RootDbOption = None) -> None:
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is None:
        from tracker.ui.run import run_app

        code = run_app(_db(ctx, db))
        if code:
            raise typer.Exit(code)


# --- walks --------------------------------------------------------------------------------
PainFree = Annotated[
    str | None,
    typer.Option(
        "--pain-free", help="Distance walked before the pain began: 180, 0.4km, 300yd, 0.2mi."
    ),
]
MaxDist = Annotated[
    str | None, typer.Option("--max", help="Distance at which the pain forced a stop.")
]
Total = Annotated[str | None, typer.Option("--total", help="Total distance of the session.")]
DateOpt = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today).")]
TimeOpt = Annotated[str | None, typer.Option("--time", help="HH:MM, 24-hour (default now).")]
LocationOpt = Annotated[
    str | None, typer.Option("--location", help="Where it hurt: calf, thigh, buttock or foot.")
]
SideOpt = Annotated[str | None, typer.Option("--side", help="left, right or both.")]
PainOpt = Annotated[str | None, typer.Option("--pain", help="Pain intensity 0-10.")]
RestOpt = Annotated[str | None, typer.Option("--rest", help="Minutes of rest until it eased.")]
MinutesOpt = Annotated[
    str | None, typer.Option("--minutes", help="How long the whole walk took, in minutes.")
]
MethodOpt = Annotated[
    str | None,
    typer.Option("--method", help="walk (everyday walk), 6mwt (6-minute walk test), treadmill."),
]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Free text.")]


def _walk_draft(**fields: object) -> dict[str, object]:
    return {k: v for k, v in fields.items() if v is not None}


@app.command()
def log(
    ctx: typer.Context,
    pain_free: PainFree = None,
    max_: MaxDist = None,
    total: Total = None,
    no_pain: Annotated[
        bool,
        typer.Option(
            "--no-pain", help="The walk ended without pain: --pain-free is the distance walked."
        ),
    ] = False,
    date_: DateOpt = None,
    time_: TimeOpt = None,
    location: LocationOpt = None,
    side: SideOpt = None,
    pain: PainOpt = None,
    rest: RestOpt = None,
    minutes: MinutesOpt = None,
    method: MethodOpt = None,
    notes: NotesOpt = None,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate",
            help="Save even if a walk with the same date, time, method and distances exists.",
        ),
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Log a walk. Bare numbers are in your preferred unit (see `tracker settings`)."""
    from tracker.plausibility import check_walk
    from tracker.records import walk_record
    from tracker.validation import validate_walk
    from tracker.wording import describe_walk, distance_doubt_question, duplicate_sentence

    draft = _walk_draft(
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
    store = _open(ctx, db)
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
        say_json(walk_record(row, with_meta=True), indent=None)
    else:
        say(f"Saved walk #{row.id}: {describe_walk(row, unit)}", one_line=True)
    for doubt in checked.doubts:
        flag = CLI_FLAGS[doubt.field]
        say(
            f"Warning: {distance_doubt_question(doubt, unit)} If not, correct it with: "
            f"tracker edit {row.id} {flag} …",
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
    from tracker.records import record_to_draft, walk_record
    from tracker.validation import validate_walk
    from tracker.wording import describe_walk

    store = _open(ctx, db)
    unit = store.settings().unit
    old = store.get_walk(walk_id)
    draft = record_to_draft(walk_record(old))
    for key in ("pain_free", "max", "total"):
        if draft[key] is not None:
            draft[key] = f"{draft[key]!r}m"
    changes = _walk_draft(
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
    say(f"Updated walk #{row.id}: {describe_walk(row, unit)}", one_line=True)


@app.command()
def delete(
    ctx: typer.Context,
    walk_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Delete a walk (it is kept, hidden; `tracker undelete ID` brings it back)."""
    store = _open(ctx, db)
    store.set_deleted(walk_id, True)
    say(f"Deleted walk #{walk_id}. Undo with: tracker undelete {walk_id}")


@app.command()
def undelete(
    ctx: typer.Context,
    walk_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Bring back a deleted walk."""
    from tracker.wording import describe_walk

    store = _open(ctx, db)
    row = store.set_deleted(walk_id, False)
    say(f"Restored walk #{walk_id}: {describe_walk(row, store.settings().unit)}", one_line=True)


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
    from tracker.records import walk_record
    from tracker.validation import parse_method
    from tracker.wording import describe_walk

    start = _date_option(since, "since")
    end = _date_option(until, "until")
    if start and end and start > end:
        fail(f"--since ({start}) is after --until ({end})")
    store = _open(ctx, db)
    rows = store.walks(
        start, end, method=parse_method(method) if method else None, include_deleted=deleted
    )
    if as_json:
        say_json([walk_record(w, with_meta=True) for w in rows])
        return
    if not rows:
        say("No walks in that period. Log one with: tracker log --pain-free 180 --max 320")
        return
    unit = store.settings().unit
    for w in rows:
        mark = " (deleted)" if w.deleted_at is not None else ""
        say(f"#{w.id:<5} {describe_walk(w, unit)}{mark}", one_line=True)


# --- trend ------------------------------------------------------------------------------
@app.command()
def trend(
    ctx: typer.Context,
    method: MethodOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate as of YYYY-MM-DD (default today).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """How your pain-free walking distance is developing (it informs, it never diagnoses)."""
    from tracker.analysis import current_trend, methods_in_use
    from tracker.clinical import METHOD_LABELS
    from tracker.validation import parse_method
    from tracker.wording import count, trend_figures, trend_lines, trend_status_label

    day = _date_option(as_of, "as_of") or clock.today()
    chosen = parse_method(method) if method else None
    store = _open(ctx, db)
    result = current_trend(store, day, chosen)
    unit = store.settings().unit
    lines = trend_lines(result, unit)
    figures = trend_figures(result, unit)
    if as_json:
        say_json(
            {
                "schema": 1,
                **result.to_dict(),
                "status_label": trend_status_label(result.status),
                "unit": unit,
                "sentences": lines,
                "figures": figures,
            }
        )
        return
    say(
        f"Trend for {METHOD_LABELS.get(result.method, result.method)}s: "
        f"{trend_status_label(result.status)}"
    )
    for line in lines:
        say("  " + line)
    for line in figures:
        say("  Figures: " + line)
    others = {m: n for m, n in methods_in_use(store, day).items() if m != result.method}
    for other, n in others.items():
        say(
            f"  Also logged: {METHOD_LABELS.get(other, other)}, {count(n, 'walk')}; see "
            f"tracker trend --method {other}"
        )


@app.command()
def review(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option("--week", help="ISO week YYYY-Www (default: the last complete week)."),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The weekly review: walks against the goal, this week against last, trend, smoking."""
    from tracker.review import WeekError, build_review, last_complete_week, parse_week
    from tracker.wording import review_lines

    today = clock.today()
    try:
        monday = parse_week(week) if week else last_complete_week(today)
    except WeekError as exc:
        fail(f"--week: {exc}")
    if monday > today:
        fail(f"--week: {week} has not started yet")
    if monday < EARLIEST_DATE:
        fail(f"--week: {week} is before {EARLIEST_DATE.year}; the diary starts there")
    store = _open(ctx, db)
    result = build_review(store, monday, today)
    if as_json:
        say_json({"schema": 1, **result.to_dict(), "unit": store.settings().unit})
        return
    for line in review_lines(result, store.settings().unit):
        say(line)


# --- export and import --------------------------------------------------------------------
@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help="pdf (doctor report), csv, json (backup) or fhir.")
    ],
    out: Annotated[str, typer.Option("--out", help="File to write; - for standard output.")],
    since: Annotated[
        str | None,
        typer.Option("--since", help="YYYY-MM-DD (pdf default: 6 months ago, or the first walk)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="YYYY-MM-DD (default today).")
    ] = None,
    what: Annotated[
        str, typer.Option("--what", help="For csv: walks, smoking, symptoms or events.")
    ] = "walks",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    db: DbOption = None,
) -> None:
    """Write a report for the doctor or a data file. Files are written whole or not at all.

    A damaged diary is read out first: every row that can still be read is exported, and what
    could not be read is listed."""
    from pathlib import Path

    from tracker.export.files import STANDARD_OUTPUT, ExportError
    from tracker.export.service import ExportRequest, run_export
    from tracker.store import DamagedDatabase

    day = clock.today()
    start = _date_option(since, "since")
    end = _date_option(until, "until") or day
    if start and start > end:
        fail(f"--since ({start}) is after --until ({end})")
    request = ExportRequest(fmt=fmt.lower(), what=what.lower(), since=start, until=end)
    stdout = typer.get_binary_stream("stdout")
    try:
        problem = request.problem()
        if problem:
            fail(problem)
        warnings: list[str] = []
        try:
            store = _open(ctx, db)
        except DamagedDatabase as exc:
            from tracker.store_salvage import salvaged

            _warn(f"{exc.path} is damaged; exporting every row that can still be read.")
            with salvaged(exc.path) as (copy, report):
                path = run_export(
                    copy,
                    request,
                    Path(out),
                    now=clock.now(),
                    force=force,
                    stdout=stdout,
                    warnings=warnings,
                )
            warnings += report.lines()
        else:
            path = run_export(
                store,
                request,
                Path(out),
                now=clock.now(),
                force=force,
                stdout=stdout,
                warnings=warnings,
            )
    except ExportError as exc:
        fail(str(exc))
    if out not in STANDARD_OUTPUT:
        say(f"Wrote {path}")
    for warning in warnings:
        _warn(warning)


@app.command()
def recover(
    ctx: typer.Context,
    out: Annotated[
        str, typer.Option("--out", help="The new diary file to write (it must not exist).")
    ],
    db: DbOption = None,
) -> None:
    """Copy every row that can still be read from the diary into a new diary (for a damaged
    file: the new one is sound; the old one is only read)."""
    from pathlib import Path

    from tracker.store import resolve_target
    from tracker.store_salvage import salvage

    source = resolve_target(_db(ctx, db))
    if source.path is None:
        fail("recover reads an SQLite diary file; give one with --db")
    report = salvage(source.path, Path(out))
    for line in report.lines():
        say(line)
    say(f"Wrote a new diary at {Path(out).expanduser()}; {source.path} was not changed.")


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE...",
            help="Tracker CSV or JSON backup, or a watch's or phone's recording: FIT, TCX, GPX, "
            "Apple Health export.zip/export.xml, Health Connect export zip.",
            show_default=False,
        ),
    ] = None,
    pending: Annotated[
        bool,
        typer.Option("--pending", help="List imported walks waiting for a pain-free distance."),
    ] = False,
    complete: Annotated[
        int | None,
        typer.Option(
            "--complete", metavar="ID", help="Complete a draft: with --pain-free (and --max)."
        ),
    ] = None,
    discard: Annotated[
        int | None,
        typer.Option(
            "--discard", metavar="ID", help="Discard a draft (importing the file again skips it)."
        ),
    ] = None,
    pain_free: PainFree = None,
    max_: Annotated[
        str | None,
        typer.Option("--max", help="With --complete: maximum distance (default: the whole walk)."),
    ] = None,
    no_pain: Annotated[
        bool, typer.Option("--no-pain", help="With --complete: the walk ended without pain.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import files, each checked in full and imported all or nothing; list, complete or
    discard the drafts a device import left (walks without a lap press)."""
    modes = [bool(files), pending, complete is not None, discard is not None]
    if sum(modes) != 1:
        fail("give FILE... to import, or one of --pending, --complete ID, --discard ID")
    if complete is None and (pain_free is not None or max_ is not None or no_pain):
        fail("--pain-free, --max and --no-pain go with --complete ID")
    store = _open(ctx, db)
    if pending:
        _list_drafts(store, as_json)
    elif complete is not None:
        _complete_draft(store, complete, pain_free, max_, no_pain)
    elif discard is not None:
        from tracker.devices.mapping import describe_draft

        row = store.discard_draft(discard)
        say(
            f"Discarded draft #{discard} ({printable(describe_draft(row, store.settings().unit))});"
            " importing its file again will not bring it back."
        )
    else:
        assert files is not None
        before = len(store.drafts())
        ok = [_import_one(store, f, several=len(files) > 1) for f in files]
        waiting = len(store.drafts()) - before
        if waiting:
            say(
                f"{waiting} imported walk{'s wait' if waiting > 1 else ' waits'} for the "
                "pain-free distance: tracker import --pending (or press p in the app)."
            )
        if not all(ok):
            raise typer.Exit(2)


def _import_one(store: Any, file: str, *, several: bool) -> bool:
    """One file, all or nothing; problems are printed with the file's name. True when done."""
    from pathlib import Path

    from tracker.devices.activity import DeviceFileError
    from tracker.devices.detect import KIND_LABELS, Kind, detect

    path = Path(file)
    name = printable(file, one_line=True)
    try:
        kind = detect(path)
    except DeviceFileError as exc:
        _say_error(f"{name}: {printable(str(exc))}; nothing was imported from it")
        return False
    if kind is Kind.TEXT:
        return _import_diary_file(store, path, f"{name}: " if several else "")
    from tracker.devices.importer import DeviceImportFailed, import_device_file, summary_line
    from tracker.devices.progress import terminal_progress

    try:
        with terminal_progress(f"Reading {name}") as progress:
            result = import_device_file(store, path, kind, now=clock.now(), progress=progress)
    except DeviceImportFailed as exc:
        for line in exc.errors:
            _say_error(f"{name}: {printable(line)}")
        _say_error(f"{name}: nothing was imported from it")
        return False
    say(f"{name} ({KIND_LABELS[kind]}): {summary_line(result)}.")
    return True


def _import_diary_file(store: Any, path: Any, prefix: str) -> bool:
    from tracker.export.importer import ImportFailed, import_file
    from tracker.wording import count

    file = str(path)
    try:
        result = import_file(store, path, clock.now())
    except ImportFailed as exc:
        for line in exc.errors[:200]:
            _say_error(prefix + line)
        if len(exc.errors) > 200:
            _say_error(f"{prefix}… and {len(exc.errors) - 200} more")
        _say_error(prefix + str(exc))
        return False
    if result.kind == "events csv":
        again = f", {result.events_skipped} already there" if result.events_skipped else ""
        say(f"Imported {count(result.events_added, 'treatment event')}{again} from {file}.")
        return True
    skipped = f", {result.walks_skipped} already there" if result.walks_skipped else ""
    other = (
        f", {count(result.other_rows, 'smoking, symptom or check row')}"
        if result.other_rows
        else ""
    )
    other += f", {count(result.events_added, 'treatment event')}" if result.events_added else ""
    say(
        f"Imported {count(result.walks_added, 'walk')}{skipped}{other} from {file} ({result.kind})."
    )
    return True


def _list_drafts(store: Any, as_json: bool) -> None:
    from tracker.devices.drafts import draft_record
    from tracker.devices.mapping import describe_draft

    rows = store.drafts()
    if as_json:
        out = [{"id": d.id, **draft_record(d)} for d in rows]
        say_json(out)
        return
    if not rows:
        say("No imported walks are waiting for a pain-free distance.")
        return
    unit = store.settings().unit
    say(f"Imported walks waiting for the pain-free distance ({len(rows)}):")
    for d in rows:
        source = f"  ({d.file_name})" if d.file_name else ""
        say(f"#{d.id:<5} {describe_draft(d, unit)}{source}", one_line=True)
    first = rows[0].id
    say(
        f"Complete one: tracker import --complete {first} --pain-free 180 [--max 320 | "
        f"--no-pain]. Discard one: tracker import --discard {first}"
    )


def _complete_draft(
    store: Any, draft_id: int, pain_free: str | None, max_: str | None, no_pain: bool
) -> None:
    from tracker.devices.drafts import completion
    from tracker.wording import describe_walk

    unit = store.settings().unit
    walk = completion(
        store.get_draft(draft_id),
        pain_free=pain_free,
        max_=max_,
        no_pain=no_pain,
        unit=unit,
        now=clock.now(),
    )
    row = store.complete_draft(draft_id, walk)
    say(f"Saved walk #{row.id}: {printable(describe_walk(row, unit))}")


# --- smoking ------------------------------------------------------------------------------
@app.command()
def smoke(
    ctx: typer.Context,
    count: Annotated[str, typer.Argument(metavar="COUNT", help="Cigarettes smoked that day.")],
    date_: DateOpt = None,
    db: DbOption = None,
) -> None:
    """Record how many cigarettes you smoked on a day (replaces that day's count)."""
    from tracker.plausibility import cigarette_doubt
    from tracker.wording import cigarette_doubt_sentence

    n = parse_count(count)
    day = _date_option(date_) or clock.today()
    store = _open(ctx, db)
    counts = store.cigarettes()
    before = counts.get(day)
    store.set_cigarettes(day, n)
    was = f" (was {before})" if before is not None and before != n else ""
    say(f"Cigarettes on {day}: {n}{was}.")
    doubt = cigarette_doubt(n, counts, day)
    if doubt is not None:
        say(
            f"Warning: {cigarette_doubt_sentence(doubt)} Saved as typed; if it was a slip, "
            f"run: tracker smoke CORRECT-COUNT --date {day}",
            err=True,
        )


@app.command("smoking-status")
def smoking_status(
    ctx: typer.Context,
    status: Annotated[str, typer.Argument(metavar="never|former|current")],
    since: Annotated[
        str | None, typer.Option("--since", help="From when (YYYY-MM-DD, default today).")
    ] = None,
    per_day: Annotated[
        str | None,
        typer.Option("--per-day", help="Typical cigarettes a day then, for pack-years."),
    ] = None,
    frequency: Annotated[
        str | None, typer.Option("--frequency", help="For current smokers: every_day or some_days.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record your smoking status from a date on (people quit and start again; all is kept)."""
    from tracker.smoking import pack_years
    from tracker.validation import parse_choice
    from tracker.wording import SMOKE_FREE_BENEFIT, smoking_summary

    value = parse_choice("status", status, [s.value for s in SmokingStatus])
    day = _date_option(since, "since") or clock.today()
    cpd = float(parse_count(per_day)) if per_day is not None else None
    freq = (
        parse_choice("frequency", frequency, [f.value for f in SmokingFrequency])
        if frequency
        else None
    )
    if value != SmokingStatus.CURRENT and freq is not None:
        fail("--frequency: only for current smokers")
    store = _open(ctx, db)
    store.add_smoking_status(value, day, frequency=freq, cigarettes_per_day=cpd)
    py = pack_years(store.smoking_history(), store.cigarettes(), clock.today())
    say(smoking_summary(value, day, py.value))
    if value != SmokingStatus.NEVER:
        say(SMOKE_FREE_BENEFIT)


# --- symptoms -----------------------------------------------------------------------------
@app.command()
def symptom(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(metavar="KIND", help="One of: " + ", ".join(SYMPTOMS), show_default=False),
    ],
    date_: DateOpt = None,
    notes: NotesOpt = None,
    db: DbOption = None,
) -> None:
    """Record a symptom you noticed and show what to do about it."""
    from tracker.validation import parse_notes
    from tracker.wording import recent_context_keys, symptom_advice

    try:
        sk = symptom_kind(kind)
    except KeyError as exc:
        fail(f"KIND: {exc.args[0]}")
    day = _date_option(date_) or clock.today()
    text = parse_notes(notes)
    store = _open(ctx, db)
    row = store.add_symptom(sk.key, day, text)
    context = recent_context_keys(store.symptoms(since=None), clock.today())
    say(f"Recorded #{row.id}: {sk.description} ({day}).")
    say(symptom_advice(sk, context))


@app.command()
def symptoms(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List recorded symptoms, newest first."""
    from tracker.clinical import TIER_LABELS

    store = _open(ctx, db)
    rows = store.symptoms(_date_option(since, "since"))
    if as_json:
        out = [
            {
                "id": r.id,
                "key": r.key,
                "date": r.reported_on.isoformat(),
                "tier": SYMPTOMS[r.key].tier.value if r.key in SYMPTOMS else None,
                "notes": r.notes,
            }
            for r in rows
        ]
        say_json(out)
        return
    if not rows:
        say("No symptoms recorded.")
    for r in rows:
        sk = SYMPTOMS.get(r.key)
        tier = TIER_LABELS[sk.tier] if sk else "?"
        what = sk.description if sk else r.key
        say(f"#{r.id:<4} {r.reported_on}  {tier}: {what}  {r.notes}".rstrip(), one_line=True)


# --- treatment events ---------------------------------------------------------------------
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


def _event_draft(**fields: object) -> dict[str, object]:
    return {k: v for k, v in fields.items() if v is not None}


def _check_event(draft: dict[str, object], existing: Any, editing: Any = None) -> Any:
    """Validate, printing each problem with its option; exit 2 before anything is written."""
    from tracker.events import event_errors, order_errors

    event, errors = event_errors(draft, today=clock.today())
    if event is not None and existing is not None:
        errors = order_errors(event, existing, editing=editing)
    if errors:
        for err in errors:
            _say_error(f"{EVENT_FLAGS.get(err.field, err.field)}: {err.message}")
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
    from tracker.events import event_record
    from tracker.wording import describe_event

    draft = _event_draft(
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
    _check_event(draft, None)
    store = _open(ctx, db)
    row = store.add_event(_check_event(draft, store.events()))
    if as_json:
        say_json(event_record(row, with_meta=True), indent=None)
    else:
        say(f"Saved event #{row.id}: {describe_event(row)}", one_line=True)


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
    from tracker.events import event_record
    from tracker.wording import describe_event

    start = _date_option(since, "since")
    end = _date_option(until, "until")
    if start and end and start > end:
        fail(f"--since ({start}) is after --until ({end})")
    store = _open(ctx, db)
    rows = store.events(start, end, include_deleted=deleted)
    if as_json:
        out = [event_record(e, with_meta=True) for e in rows]
        say_json(out)
        return
    if not rows:
        say(
            "No events in that period. Add one with: tracker event add procedure "
            "--type angioplasty --side left --date YYYY-MM-DD"
        )
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
    from tracker.events import FIELDS_OF_KIND, event_to_draft, parse_kind
    from tracker.wording import describe_event

    changes = _event_draft(
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
    if not changes:
        fail("nothing to change; give at least one field, e.g. --date 2026-09-03")
    store = _open(ctx, db)
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
    say(f"Updated event #{row.id}: {describe_event(row)}", one_line=True)


@event_app.command("delete")
def event_delete(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Delete an event (it is kept, hidden; `tracker event undelete ID` brings it back)."""
    store = _open(ctx, db)
    store.set_event_deleted(event_id, True)
    say(f"Deleted event #{event_id}. Undo with: tracker event undelete {event_id}")


@event_app.command("undelete")
def event_undelete(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Bring back a deleted event."""
    from tracker.wording import describe_event

    store = _open(ctx, db)
    row = store.set_event_deleted(event_id, False)
    say(f"Restored event #{event_id}: {describe_event(row)}", one_line=True)


# --- calf-pain check ------------------------------------------------------------------------
def _ask_on_terminal(question: Any) -> Any:
    """One question at a time: its options numbered; a number or the value answers."""
    from tracker.calf_check import parse_answer

    say("")
    say(f"{question.section}: {question.text}")
    for i, option in enumerate(question.options, 1):
        label = "" if option.label.lower() == option.value else f" – {option.label}"
        say(f"  {i}) {option.value}{label}")

    def convert(text: str) -> Any:
        values = [
            question.options[int(p) - 1].value
            if p.isascii() and p.isdigit() and 0 < int(p) <= len(question.options)
            else p
            for p in text.replace(",", " ").split()
        ]
        try:
            return parse_answer(question.key, values)
        except ValidationError as exc:
            raise typer.BadParameter(exc.message.removeprefix(f"{question.text} – ")) from None

    names = "/".join(question.values) if len(question.values) <= 3 else "its name"
    several = "; several separated by commas" if question.multiple else ""
    return typer.prompt(f"Answer (number or {names}{several})", value_proc=convert)


@app.command()
def check(
    ctx: typer.Context,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            metavar="QUESTION=ANSWER",
            help="An answer for scripts, e.g. ecq1=yes; repeat for each question (and for "
            "each site: ecq6=calf --answer ecq6=thigh). Without any, the questions are asked "
            "one by one.",
            show_default=False,
        ),
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="List earlier checks, newest first.")
    ] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Calf-pain check: which kind of leg pain it fits, and how soon to see a doctor."""
    from tracker.calf_check import evaluate, parse_pairs, run_interview
    from tracker.calf_check_records import check_context, check_record, save_check
    from tracker.wording import check_lines, check_row_summary

    if history:
        if answer:
            fail("--history lists earlier checks; give it without --answer")
        rows = _open(ctx, db).calf_checks()
        if as_json:
            out = [check_record(r, with_id=True) for r in rows]
            say_json(out)
        elif not rows:
            say("No calf-pain checks yet. Start one with: tracker check")
        for r in [] if as_json else rows:
            say(f"#{r.id:<4} {check_row_summary(r)}", one_line=True)
        return
    answers = parse_pairs(answer) if answer else None
    store = _open(ctx, db)
    now = clock.now()
    context = check_context(store, now.date())
    if answers is not None:
        result = evaluate(answers, context)
    else:
        try:
            result = run_interview(_ask_on_terminal, context)
        except typer.Abort:
            say("\nCheck cancelled; nothing was stored.", err=True)
            raise typer.Exit(2) from None  # like every other way a command stops unfinished
    row = save_check(store, result, now)
    if as_json:
        payload = {"schema": 1, **check_record(row, with_id=True), "harmless": result.harmless}
        say_json(payload)
        return
    say(f"Calf-pain check #{row.id} saved ({now:%Y-%m-%d %H:%M}).")
    for line in check_lines(result):
        say(line)


# --- settings -----------------------------------------------------------------------------
@app.command()
def settings(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option("--unit", help="m, km, yd or mi.")] = None,
    weekly_goal: Annotated[
        int | None, typer.Option("--weekly-goal", help="Walking sessions a week (1-14).")
    ] = None,
    session_minutes: Annotated[
        int | None, typer.Option("--session-minutes", help="Minutes per session (5-240).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name for the doctor report.")] = None,
    patient_id: Annotated[
        str | None, typer.Option("--patient-id", help="Identifier for the doctor report.")
    ] = None,
    paper: Annotated[str | None, typer.Option("--paper", help="A4 or Letter.")] = None,
    diabetes: Annotated[bool | None, typer.Option("--diabetes/--no-diabetes")] = None,
    db: DbOption = None,
) -> None:
    """Show or change settings."""
    from tracker.units import DistanceError, parse_unit

    changes: dict[str, object] = {}
    if unit is not None:
        try:
            changes["unit"] = parse_unit(unit).value
        except DistanceError as exc:
            fail(f"--unit: {exc}")
    if weekly_goal is not None:
        if not 1 <= weekly_goal <= 14:
            fail("--weekly-goal: must be 1-14 sessions a week")
        changes["weekly_goal_sessions"] = weekly_goal
    if session_minutes is not None:
        if not 5 <= session_minutes <= 240:
            fail("--session-minutes: must be 5-240 minutes")
        changes["session_goal_minutes"] = session_minutes
    if paper is not None:
        if paper.lower() not in ("a4", "letter"):
            fail("--paper: must be A4 or Letter")
        changes["paper_size"] = "A4" if paper.lower() == "a4" else "Letter"
    for key, flag, value in (
        ("patient_name", "--name", name),
        ("patient_id", "--patient-id", patient_id),
    ):
        if value is not None:
            try:
                changes[key] = parse_text(flag, value, max_chars=100).strip()
            except ValidationError as exc:
                fail(f"{flag}: {exc.message}")
    if diabetes is not None:
        changes["diabetes"] = diabetes
    store = _open(ctx, db)
    row = store.update_settings(**changes) if changes else store.settings()
    say(f"unit: {row.unit}")
    say(f"weekly goal: {row.weekly_goal_sessions} sessions of {row.session_goal_minutes} min")
    say(f"name: {row.patient_name or '-'}   id: {row.patient_id or '-'}", one_line=True)
    say(f"paper: {row.paper_size}   diabetes: {'yes' if row.diabetes else 'no'}")
    if store.path is not None:
        say(f"database: {store.path}")


def main() -> None:
    app(prog_name="tracker")


if __name__ == "__main__":  # pragma: no cover
    main()
