"""The command line: parse, call the domain and the store, print. No logic of its own.

Errors a user can cause (bad input, an unusable database) print one clear message on stderr
and exit with code 2; the database is left unchanged.

No `from __future__ import annotations` here: typer reads every command's annotations at
each start, and evaluating them from strings cost more than the lookups at import.
"""

import json
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from tracker import clock
from tracker.clinical import SYMPTOMS, SmokingFrequency, SmokingStatus, symptom_kind
from tracker.validation import (
    FIELD_LABELS,
    ValidationError,
    ValidationErrors,
    parse_count,
    parse_date,
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


def _say_error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


def fail(message: str) -> NoReturn:
    _say_error(message)
    raise typer.Exit(2)


def _field_message(err: ValidationError) -> str:
    flag = CLI_FLAGS.get(err.field)
    label = FIELD_LABELS.get(err.field, err.field)
    return f"{flag} ({label}): {err.message}" if flag else f"{label}: {err.message}"


class _Edge(TyperGroup):
    """Turns the errors users can cause into a message and exit code 2, for every command."""

    def invoke(self, ctx: Any) -> Any:
        from sqlalchemy.exc import DBAPIError

        from tracker.store import StoreError

        try:
            return super().invoke(ctx)
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
    from tracker.store import open_store

    store = open_store(_db(ctx, db))
    if store.backup_path is not None:
        typer.echo(
            f"Database schema updated; a copy of the old file is at {store.backup_path}", err=True
        )
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
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Log a walk. Bare numbers are in your preferred unit (see `tracker settings`)."""
    from tracker.records import walk_record
    from tracker.validation import validate_walk
    from tracker.wording import describe_walk

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
    row = store.add_walk(walk)
    if as_json:
        typer.echo(json.dumps(walk_record(row, with_meta=True), ensure_ascii=False))
    else:
        typer.echo(f"Saved walk #{row.id}: {describe_walk(row, unit)}")


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
    typer.echo(f"Updated walk #{row.id}: {describe_walk(row, unit)}")


@app.command()
def delete(
    ctx: typer.Context,
    walk_id: Annotated[int, typer.Argument(metavar="ID")],
    db: DbOption = None,
) -> None:
    """Delete a walk (it is kept, hidden; `tracker undelete ID` brings it back)."""
    store = _open(ctx, db)
    store.set_deleted(walk_id, True)
    typer.echo(f"Deleted walk #{walk_id}. Undo with: tracker undelete {walk_id}")


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
    typer.echo(f"Restored walk #{walk_id}: {describe_walk(row, store.settings().unit)}")


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
        out = [walk_record(w, with_meta=True) for w in rows]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("No walks in that period. Log one with: tracker log --pain-free 180 --max 320")
        return
    unit = store.settings().unit
    for w in rows:
        mark = " (deleted)" if w.deleted_at is not None else ""
        typer.echo(f"#{w.id:<5} {describe_walk(w, unit)}{mark}")


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
    from tracker.wording import status_label, trend_figures, trend_lines

    day = _date_option(as_of, "as_of") or clock.today()
    chosen = parse_method(method) if method else None
    store = _open(ctx, db)
    result = current_trend(store, day, chosen)
    unit = store.settings().unit
    lines = trend_lines(result, unit)
    figures = trend_figures(result, unit)
    if as_json:
        payload = {
            "schema": 1,
            **result.to_dict(),
            "status_label": status_label(result.status),
            "unit": unit,
            "sentences": lines,
            "figures": figures,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    label = METHOD_LABELS.get(result.method, result.method)
    typer.echo(f"Trend for {label}s: {status_label(result.status)}")
    for line in lines:
        typer.echo("  " + line)
    for line in figures:
        typer.echo("  Figures: " + line)
    others = {m: n for m, n in methods_in_use(store, day).items() if m != result.method}
    for other, n in others.items():
        typer.echo(
            f"  Also logged: {n} {METHOD_LABELS.get(other, other)}(s); see "
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
    store = _open(ctx, db)
    result = build_review(store, monday, today)
    if as_json:
        payload = {"schema": 1, **result.to_dict(), "unit": store.settings().unit}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for line in review_lines(result, store.settings().unit):
        typer.echo(line)


# --- export and import --------------------------------------------------------------------
@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help="pdf (doctor report), csv, json (backup) or fhir.")
    ],
    out: Annotated[str, typer.Option("--out", help="File to write.")],
    since: Annotated[
        str | None, typer.Option("--since", help="YYYY-MM-DD (pdf default: 6 months ago).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="YYYY-MM-DD (default today).")
    ] = None,
    what: Annotated[
        str, typer.Option("--what", help="For csv: walks, smoking or symptoms.")
    ] = "walks",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    db: DbOption = None,
) -> None:
    """Write a report for the doctor or a data file. Files are written whole or not at all."""
    from pathlib import Path

    from tracker.export.files import ExportError
    from tracker.export.service import ExportRequest, run_export

    day = clock.today()
    start = _date_option(since, "since")
    end = _date_option(until, "until") or day
    if start and start > end:
        fail(f"--since ({start}) is after --until ({end})")
    request = ExportRequest(fmt=fmt.lower(), what=what.lower(), since=start, until=end)
    try:
        problem = request.problem()
        if problem:
            fail(problem)
        store = _open(ctx, db)
        path = run_export(store, request, Path(out), now=clock.now(), force=force)
    except ExportError as exc:
        fail(str(exc))
    typer.echo(f"Wrote {path}")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A tracker CSV or JSON backup.")],
    db: DbOption = None,
) -> None:
    """Import walks (CSV) or a whole backup (JSON): every row is checked; all or nothing."""
    from pathlib import Path

    from tracker.export.importer import ImportFailed, import_file

    store = _open(ctx, db)
    try:
        result = import_file(store, Path(file), clock.now())
    except ImportFailed as exc:
        for line in exc.errors[:200]:
            _say_error(line)
        if len(exc.errors) > 200:
            _say_error(f"… and {len(exc.errors) - 200} more")
        fail(str(exc))
    skipped = f", {result.walks_skipped} already there" if result.walks_skipped else ""
    other = f", {result.other_rows} smoking/symptom rows" if result.other_rows else ""
    typer.echo(f"Imported {result.walks_added} walks{skipped}{other} from {file} ({result.kind}).")


# --- smoking ------------------------------------------------------------------------------
@app.command()
def smoke(
    ctx: typer.Context,
    count: Annotated[str, typer.Argument(metavar="COUNT", help="Cigarettes smoked that day.")],
    date_: DateOpt = None,
    db: DbOption = None,
) -> None:
    """Record how many cigarettes you smoked on a day (replaces that day's count)."""
    n = parse_count(count)
    day = _date_option(date_) or clock.today()
    store = _open(ctx, db)
    before = store.cigarettes(day, day).get(day)
    store.set_cigarettes(day, n)
    was = f" (was {before})" if before is not None and before != n else ""
    typer.echo(f"Cigarettes on {day}: {n}{was}.")


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
    typer.echo(smoking_summary(value, day, py.value))
    if value != SmokingStatus.NEVER:
        typer.echo(SMOKE_FREE_BENEFIT)


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
    typer.echo(f"Recorded #{row.id}: {sk.description} ({day}).")
    typer.echo(symptom_advice(sk, context))


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
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("No symptoms recorded.")
    for r in rows:
        sk = SYMPTOMS.get(r.key)
        tier = TIER_LABELS[sk.tier] if sk else "?"
        typer.echo(f"#{r.id:<4} {r.reported_on}  {r.key}  [{tier}]  {r.notes}".rstrip())


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
    for key, value in (("patient_name", name), ("patient_id", patient_id)):
        if value is not None:
            if len(value) > 100:
                fail(f"--{key.replace('_', '-')}: at most 100 characters")
            changes[key] = value.strip()
    if diabetes is not None:
        changes["diabetes"] = diabetes
    store = _open(ctx, db)
    row = store.update_settings(**changes) if changes else store.settings()
    typer.echo(f"unit: {row.unit}")
    typer.echo(
        f"weekly goal: {row.weekly_goal_sessions} sessions of {row.session_goal_minutes} min"
    )
    typer.echo(f"name: {row.patient_name or '-'}   id: {row.patient_id or '-'}")
    typer.echo(f"paper: {row.paper_size}   diabetes: {'yes' if row.diabetes else 'no'}")
    if store.path is not None:
        typer.echo(f"database: {store.path}")


def main() -> None:
    app(prog_name="tracker")


if __name__ == "__main__":  # pragma: no cover
    main()
