"""Clinic mode: `tracker clinic init|add-patient|add-therapist|upgrade|import` on a PostgreSQL
server (tracker/db/clinic.py enforces who sees what, with the server's row-level security)."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker import clock
from tracker.cli.app import DbOption, JsonOption, app, chosen_db, fail, say, say_json
from tracker.domain.wording import NO_PATIENTS_YET

clinic_app = typer.Typer(
    help="Clinic mode on a PostgreSQL server: patients each see their own diary, therapists "
    "read their programme's patients. Without a command (as a therapist): the cohort app.",
    invoke_without_command=True,
)
app.add_typer(clinic_app, name="clinic")


@clinic_app.callback()
def clinic_root(ctx: typer.Context, db: DbOption = None) -> None:
    if ctx.invoked_subcommand is not None:
        if db is not None:
            ctx.obj = {**(ctx.obj or {}), "db": db}
        return
    from tracker.ui.clinic import run_clinic_app  # start-up: Textual only for the app

    code = run_clinic_app(chosen_db(ctx, db))
    if code:
        raise typer.Exit(code)


PasswordFile = Annotated[
    str | None,
    typer.Option(
        "--password-file",
        metavar="F",
        help="Read the new login's password from the first line of F (else it is asked).",
    ),
]
Programme = Annotated[
    str, typer.Option("--programme", help="The walking programme (therapists read theirs).")
]
DisplayName = Annotated[
    str, typer.Option("--display-name", help="The name the therapist sees (default NAME).")
]


def _password(password_file: str | None) -> str:
    """Never from the command line (it would stay in the shell's history and `ps`)."""
    if password_file is not None:
        try:
            first = Path(password_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"--password-file: cannot read {password_file!r} ({exc.__class__.__name__}).")
        if not first or not first[0]:
            fail(f"--password-file: {password_file!r} has no password on its first line.")
        return first[0]
    if not sys.stdin.isatty():
        fail("no terminal to ask the password on: give --password-file F.")
    import getpass  # start-up: only when a password is asked

    try:
        first_try = getpass.getpass("Password for the new login: ")
        again = getpass.getpass("The same password again: ")
    except (EOFError, KeyboardInterrupt):
        fail("no password given; nothing was changed.")
    if first_try != again:
        fail("the two passwords differ; nothing was changed.")
    return first_try


@clinic_app.command("init")
def init(ctx: typer.Context, db: DbOption = None) -> None:
    """Create the schema and the access policies on an empty database (as its owner)."""
    from tracker.db.clinic import init_clinic  # start-up: the store only for a command

    say(init_clinic(chosen_db(ctx, db)))


@clinic_app.command("add-patient")
def add_patient(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The patient's login (a PostgreSQL role name).")],
    display_name: DisplayName = "",
    identifier: Annotated[
        str, typer.Option("--identifier", help="The clinic's identifier (e.g. a record number).")
    ] = "",
    programme: Programme = "",
    password_file: PasswordFile = None,
    db: DbOption = None,
) -> None:
    """Create a patient: a login role NAME that sees and writes only its own diary."""
    from tracker.db.clinic import (
        add_patient as add,  # start-up: the clinic module only for clinic commands
    )

    _add_login(
        ctx, db, name, password_file, add,
        display_name=display_name, identifier=identifier, programme=programme,
    )  # fmt: skip


@clinic_app.command("add-therapist")
def add_therapist(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The therapist's login (a PostgreSQL role name).")],
    display_name: DisplayName = "",
    programme: Programme = "",
    password_file: PasswordFile = None,
    db: DbOption = None,
) -> None:
    """Create a therapist: a login role NAME that reads its programme's patients, writes none."""
    from tracker.db.clinic import (
        add_therapist as add,  # start-up: the clinic module only for clinic commands
    )

    _add_login(ctx, db, name, password_file, add, display_name=display_name, programme=programme)


def _add_login(
    ctx: typer.Context,
    db: str | None,
    name: str,
    password_file: str | None,
    add: Callable[..., str],
    **details: str,
) -> None:
    """The database and the name are checked before the password is asked."""
    from tracker.db import clinic  # start-up: the clinic module only for clinic commands

    target = chosen_db(ctx, db)
    clinic.server_target(target)
    clinic.check_role_name(name)
    say(add(target, name, _password(password_file), **details))


@clinic_app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """The cohort, most urgent first: red flags (14 days), sudden drop, sustained decline."""
    from tracker.db.clinic import (  # start-up: the cohort only for clinic list
        cohort,
        open_therapist_view,
    )

    view = open_therapist_view(chosen_db(ctx, db))
    try:
        lines = cohort(view, clock.now())
        unit = "m"
    finally:
        view.close()
    if as_json:
        say_json([line.to_dict() for line in lines])
        return
    if not lines:
        say(NO_PATIENTS_YET)
    for line in lines:
        say(cohort_text(line, unit), one_line=True)


def cohort_text(line: Any, unit: str) -> str:
    from tracker.domain.units import format_distance  # start-up: only for the text list

    flag = f"RED FLAG ({'; '.join(line.red_flags)})  " if line.red_flags else ""
    change = "" if line.change_4w_pct is None else f" ({line.change_4w_pct:+.0f}% in 4 weeks)"
    med = (
        "no pain-free distance yet"
        if line.median_pain_free_m is None
        else f"median pain-free {format_distance(line.median_pain_free_m, unit)}{change}"
    )
    last = line.last_walk.isoformat() if line.last_walk else "never"
    return (
        f"{flag}{line.name}: {line.trend}; last walk {last}; "
        f"{line.walks_this_week}/{line.weekly_goal} walks this week; {med}; "
        f"smoking: {line.smoking}"
    )


@clinic_app.command("upgrade")
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """Bring the clinic's database to this tracker's schema (as the database's owner)."""
    from tracker.db.clinic import (
        upgrade_clinic,  # start-up: the clinic module only for clinic commands
    )

    say(upgrade_clinic(chosen_db(ctx, db)))


@clinic_app.command("import")
def import_backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A tracker JSON backup (tracker export).")],
    patient: Annotated[
        str, typer.Option("--patient", help="The patient's login the backup belongs to.")
    ],
    db: DbOption = None,
) -> None:
    """Import a patient's JSON backup into their diary on the server (as the database's owner;
    the policies check every row as for the patient)."""
    # start-up: the importer and the clinic module only for clinic import
    from tracker.cli.interchange import import_diary_file
    from tracker.db.clinic import close_as_patient, open_as_patient

    target = chosen_db(ctx, db)
    store = open_as_patient(target, patient)
    try:
        ok = import_diary_file(store, Path(file), "")
    finally:
        close_as_patient(store, target, patient)
    if not ok:
        raise typer.Exit(2)
