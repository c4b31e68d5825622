"""Clinic mode: `tracker clinic init|add-patient|add-therapist|upgrade|import` on a PostgreSQL
server (tracker/db/clinic.py enforces who sees what, with the server's row-level security)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.app import DbOption, app, chosen_db, fail, say

clinic_app = typer.Typer(
    help="Clinic mode on a PostgreSQL server: patients each see their own diary, therapists "
    "read their programme's patients.",
    no_args_is_help=True,
)
app.add_typer(clinic_app, name="clinic")

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
    from tracker.db import clinic

    target = chosen_db(ctx, db)
    clinic.server_target(target)
    clinic.check_role_name(name)
    say(
        clinic.add_patient(
            target,
            name,
            _password(password_file),
            display_name=display_name,
            identifier=identifier,
            programme=programme,
        )
    )


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
    from tracker.db import clinic

    target = chosen_db(ctx, db)
    clinic.server_target(target)
    clinic.check_role_name(name)
    say(
        clinic.add_therapist(
            target,
            name,
            _password(password_file),
            display_name=display_name,
            programme=programme,
        )
    )
