"""`tracker log` without typer, SQLAlchemy, SQLModel or pydantic, when nothing unusual happens.

`launch` tries this first for a command line that looks like `tracker [--db X] log ...`. It
reads the options from the same table as typer (`log_options`), validates with
`domain.validation`, checks with `domain.plausibility` and writes through `db.plain_log`. It
handles only the plain case and prints exactly what the full command prints then (a test runs
both on the same inputs and compares output, exit code and rows). Anything else returns None
with nothing written, and the full command runs: `--help`, an option it does not know or that
lacks its value, a server or an unusual file (see `plain_log`), a value validation refuses, a
duplicate. The help text and every error message therefore only ever come from typer.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from tracker import clock, locations
from tracker.cli.log_options import BY_FLAG, CLI_FLAGS
from tracker.db.plain_log import PlainDiary, open_plain
from tracker.domain import wording
from tracker.domain.plausibility import check_walk
from tracker.domain.validation import ValidationError, ValidationErrors, validate_walk
from tracker.domain.walks import walk_record_with_meta
from tracker.domain.wording import describe_walk, distance_doubt_question
from tracker.terminal_text import printable, printable_json

if TYPE_CHECKING:
    from tracker.domain.diary import Diary

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")
"""What `db.target` would read as a URL (or might): left to the full path."""


class _Options:
    def __init__(self) -> None:
        self.db: str | None = None
        self.values: dict[str, str | bool] = {}


def parse(args: Sequence[str]) -> _Options | None:
    """`[--db X] log OPTIONS` as typer reads it (the last of a repeated option wins), or None
    for anything else: then typer parses it, and says what is wrong."""
    found = _Options()
    rest = list(args)
    root_db: str | None = None
    while rest and rest[0] != "log":
        flag, value, rest = _take(rest)
        if flag != "--db" or value is None:
            return None
        root_db = value
    if not rest:
        return None
    rest = rest[1:]
    command_db: str | None = None
    while rest:
        flag, value, rest = _take(rest)
        option = BY_FLAG.get(flag)
        if option is None:
            return None
        if option.is_flag:
            found.values[flag] = True
        elif value is None:
            return None
        elif flag == "--db":
            command_db = value
        else:
            found.values[flag] = value
    found.db = command_db if command_db is not None else root_db
    return found


def _take(rest: list[str]) -> tuple[str, str | None, list[str]]:
    """The next option, its value (None for a flag or a missing one), and what follows;
    an option written in a way this parser does not follow comes back as ''."""
    head = rest[0]
    if not head.startswith("--") or head == "--":
        return "", None, rest[1:]
    if "=" in head:
        flag, _, value = head.partition("=")
        option = BY_FLAG.get(flag)
        if option is None or option.is_flag:
            return "", None, rest[1:]
        return flag, value, rest[1:]
    option = BY_FLAG.get(head)
    if option is None or option.is_flag:
        return head, None, rest[1:]
    if len(rest) < 2 or rest[1].startswith("-"):
        return "", None, rest[1:]  # typer would take '-…' as the value; it can say so
    return head, rest[1], rest[2:]


def diary_path(db: str | None) -> Path | None:
    """The file `db.target` resolves `--db`/`TRACKER_DB`/the default to, when it is a plain
    file name (a URL, or a name it would refuse, is None: the full path deals with it)."""
    explicit = db if db else os.environ.get("TRACKER_DB") or None
    raw = os.fspath(explicit if explicit is not None else locations.default_database())
    if "\x00" in raw or _SCHEME.match(raw):
        return None
    try:
        path = Path(os.path.realpath(Path(raw).expanduser()))
        str(path).encode("utf-8")
    except (OSError, ValueError, RuntimeError):
        return None
    return path


def run(args: Sequence[str]) -> int | None:
    """Log the walk the command line describes and return the exit code; None (nothing
    written) when the full command must do it."""
    options = parse(args)
    if options is None:
        return None
    path = diary_path(options.db)
    if path is None:
        return None
    diary = open_plain(path)
    if diary is None:
        return None
    try:
        lines = _log(diary, options)
    except Exception:
        if diary.written:
            raise  # the walk is saved: the full command must not save it again
        lines = None  # e.g. the file is busy: the full command waits, and says so
    finally:
        diary.close()
    if lines is None:
        return None
    for text, err in lines:
        stream = sys.stderr if err else sys.stdout
        stream.write(text + "\n")
        stream.flush()
    return 0


def _log(diary: PlainDiary, options: _Options) -> list[tuple[str, bool]] | None:
    """What `walks.log` does after opening, for a walk that is valid and no duplicate; the
    lines to print (text, to stderr), or None with nothing written."""
    values = options.values
    draft: dict[str, object] = {
        key: values[flag] for key, flag in CLI_FLAGS.items() if flag in values
    }
    draft["no_pain"] = bool(values.get("--no-pain", False))
    unit = diary.unit
    try:
        walk = validate_walk(draft, unit=unit, now=clock.now())
    except (ValidationError, ValidationErrors):
        return None  # the full command names every problem
    checked = check_walk(cast("Diary", diary), walk, draft, unit)
    if checked.duplicate_id is not None and not values.get("--allow-duplicate"):
        return None  # the full command refuses it, with its message
    row = diary.add_walk(walk)
    lines: list[tuple[str, bool]] = []
    if values.get("--json"):
        lines.append((_json(walk_record_with_meta(row)), False))
    else:
        description = describe_walk(row, unit)
        lines.append((printable(wording.walk_saved(row.id, description), one_line=True), False))
    for doubt in checked.doubts:
        question = distance_doubt_question(doubt, unit)
        warning = wording.distance_doubt_warning(question, row.id, CLI_FLAGS[doubt.field])
        lines.append((printable(warning), True))
    return lines


def _json(payload: object) -> str:
    """As `app.say_json(payload, indent=None)` prints it."""
    # start-up: json only for --json (the rest of the fast path never needs it)
    import json

    return printable(printable_json(json.dumps(payload, ensure_ascii=False, indent=None)))
