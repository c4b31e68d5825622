"""The options of `tracker log` (and those it shares with other commands), in one table.

Two parsers read it: typer, through the annotations in `walks.py` and `app.py` (which take
their flags and help texts from here, a test compares them), and the fast path of `tracker
log` (`fast_log`), which must not import typer. Imports nothing, so it costs that path nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    flag: str
    key: str | None
    """The field of the walk draft it fills (`validation`); None for what is not the walk."""
    help: str
    is_flag: bool = False
    """Takes no value: given means true."""


LOG_OPTIONS: tuple[Option, ...] = (
    Option(
        "--pain-free",
        "pain_free",
        help="Distance walked before the pain began: 180, 0.4km, 300yd, 0.2mi.",
    ),
    Option("--max", "max", help="Distance at which the pain forced a stop."),
    Option("--total", "total", help="Total distance of the session."),
    Option(
        "--no-pain",
        "no_pain",
        help="The walk ended without pain: --pain-free is the distance walked.",
        is_flag=True,
    ),
    Option("--date", "date", help="YYYY-MM-DD (default today)."),
    Option("--time", "time", help="HH:MM, 24-hour (default now)."),
    Option("--location", "location", help="Where it hurt: calf, thigh, buttock or foot."),
    Option("--side", "side", help="left, right or both."),
    Option("--pain", "pain", help="Pain intensity 0-10."),
    Option("--rest", "rest", help="Minutes of rest until it eased."),
    Option("--minutes", "minutes", help="How long the whole walk took, in minutes."),
    Option(
        "--method",
        "method",
        help="walk (everyday walk), 6mwt (6-minute walk test), treadmill.",
    ),
    Option("--notes", "notes", help="Free text."),
    Option(
        "--allow-duplicate",
        None,
        help="Save even if a walk with the same date, time, method and distances exists.",
        is_flag=True,
    ),
    Option("--json", None, help="Print JSON for scripts.", is_flag=True),
    Option(
        "--db",
        None,
        help="Database file or URL; wins over TRACKER_DB and a --db before the command.",
    ),
)
"""Every option of `tracker log`, in the order `tracker log --help` lists them."""

BY_FLAG: dict[str, Option] = {o.flag: o for o in LOG_OPTIONS}


def help_of(flag: str) -> str:
    """The help text of an option of the table (the typer declarations read it here)."""
    return BY_FLAG[flag].help


CLI_FLAGS: dict[str, str] = {o.key: o.flag for o in LOG_OPTIONS if o.key is not None}
"""The option that fills each field of a walk draft (error messages and warnings name it)."""
