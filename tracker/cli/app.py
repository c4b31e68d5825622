"""The command line: parse, call the domain and the store, print. No logic of its own.

Errors a user can cause (bad input, an unusable database) print one clear message on stderr
and exit with code 2; the database is left unchanged. Everything printed goes through
`tracker.terminal_text`, so stored text cannot send control sequences to the terminal.

No `from __future__ import annotations` here: typer reads every command's annotations at
each start, and evaluating them from strings cost more than the lookups at import.
"""

import json
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from tracker import clock
from tracker.cli.log_options import CLI_FLAGS, help_of
from tracker.db.errors import StoreError
from tracker.domain.validation import (
    FIELD_LABELS,
    ValidationError,
    ValidationErrors,
    parse_date,
)
from tracker.terminal_text import printable, printable_json


def say(text: str, *, err: bool = False, one_line: bool = False) -> None:
    """Print, with control characters escaped (`one_line`: newlines too)."""
    typer.echo(printable(text, one_line=one_line), err=err)


def say_json(payload: Any, *, indent: int | None = 2) -> None:
    say(printable_json(json.dumps(payload, ensure_ascii=False, indent=indent)))


def say_json_lines(items: Iterable[Any]) -> None:
    """A JSON list printed as it is read (as `say_json` would print it whole)."""
    # start-up: only `--json` listings stream
    from tracker.interchange.json_stream import Lazy, json_chunks

    for chunk in json_chunks(Lazy(items)):
        typer.echo(printable(printable_json(chunk.decode("utf-8"))), nl=False)


def say_error(message: str) -> None:
    say(f"Error: {message}", err=True)


def warn(message: str) -> None:
    say(f"Warning: {message}", err=True)


def given(**options: object) -> dict[str, object]:
    """The options the user gave (the rest are None), as a draft to validate."""
    return {k: v for k, v in options.items() if v is not None}


def fail(message: str) -> NoReturn:
    say_error(message)
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
        from sqlalchemy.exc import DBAPIError  # start-up: loaded by the store, not by --help

        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            raise _escaped(exc) from None
        except ValidationErrors as exc:
            for err in exc.errors:
                say_error(_field_message(err))
            raise typer.Exit(2) from None
        except ValidationError as exc:
            fail(_field_message(exc))
        except StoreError as exc:
            fail(str(exc))
        except DBAPIError as exc:
            said = str(exc.orig).strip().splitlines()
            reason = said[0] if said else type(exc.orig).__name__
            if exc.connection_invalidated:  # a server's write is kept whole or not at all
                fail(f"the connection to the database was lost ({reason}). Nothing was saved.")
            fail(f"the database could not be used: {reason}. Nothing was changed.")


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
        help=help_of("--db"),
        show_default=False,
    ),
]
"""Precedence: --db after the command, then --db before it, then TRACKER_DB, then default."""
JsonOption = Annotated[bool, typer.Option("--json", help=help_of("--json"))]


def chosen_db(ctx: typer.Context, db: str | None) -> str | None:
    return db if db is not None else (ctx.obj or {}).get("db")


def open_diary(ctx: typer.Context, db: str | None) -> Any:
    """Open the store and tell what opening did (new diary, copies made, unreadable rows)."""
    from tracker.db.opening import open_store  # start-up: SQLModel costs ~0.5 s; --help skips it

    store = open_store(chosen_db(ctx, db))
    ctx.call_on_close(store.close)  # closing records the file's state for the next open's check
    for notice in store.notices:
        say(notice, err=True)
    store.on_warning = lambda _message: None  # every unreadable row is told once, at the end

    def tell_unreadable() -> None:
        message = store.unreadable_warning()
        if message is not None:
            warn(message)

    ctx.call_on_close(tell_unreadable)
    return store


def date_option(value: str | None, field: str = "date") -> date | None:
    if value is None:
        return None
    return parse_date(value, today=clock.today(), field=field)


def period_options(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """--since and --until as dates, refused when the period runs backwards."""
    start = date_option(since, "since")
    end = date_option(until, "until")
    if start and end and start > end:
        fail(f"--since ({start}) is after --until ({end})")
    return start, end


def _print_version(wanted: bool) -> None:
    if wanted:
        from tracker import __version__  # start-up: read from the metadata only when asked

        say(f"tracker {__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
]


@app.callback()
def root(ctx: typer.Context, db: RootDbOption = None, version: VersionOption = False) -> None:
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is None:
        from tracker.ui.run import run_app  # start-up: Textual only when the app opens

        code = run_app(chosen_db(ctx, db))
        if code:
            raise typer.Exit(code)


# --- options several commands share ------------------------------------------------------
PainFree = Annotated[
    str | None,
    typer.Option("--pain-free", help=help_of("--pain-free")),
]
DateOpt = Annotated[str | None, typer.Option("--date", help=help_of("--date"))]
MethodOpt = Annotated[
    str | None,
    typer.Option("--method", help=help_of("--method")),
]
NotesOpt = Annotated[str | None, typer.Option("--notes", help=help_of("--notes"))]


def main() -> None:
    app(prog_name="tracker")


if __name__ == "__main__":  # pragma: no cover
    main()
