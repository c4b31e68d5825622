"""Nothing a user can type gets a traceback: arbitrary text in every option of every command.

Each generated command line runs through the real CLI against a temporary diary; it must exit
0 or 2, print no traceback, and send no raw control character to the terminal. Bounded in
count (`max_examples`), not timed. Run with `--hypothesis-show-statistics` to see the exit
codes of the generated cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.terminal_text import has_unsafe

COMMANDS: dict[str, Any] = dict(get_command(app).commands)  # type: ignore[attr-defined]

AWKWARD = [
    "",
    " ",
    "-",
    "--",
    "0",
    "-1",
    "1e999",
    "nan",
    "9" * 309,
    "9" * 4301,
    str(2**63),
    str(-(2**63) - 1),
    "0001-W01",
    "9999-W99",
    "2026-02-30",
    "0001-01-01",
    "25:61",
    "²",
    "٣٢٠",
    "0.4km",
    "1,5km",
    "\x00",
    "\ud800",
    "\udcff",
    "\x1b]0;pwned\x07",
    "\x1b[31mred",
    "\u202eevil",
    "\r\x08\x08",
    "sqlite:",
    "sqlite://",
    "file:///x",
    "mysql://u@h/db",
    "http://example.invalid/",
    "postgresql://u@h/db",
    ".",
    "/",
    "/dev/null",
    "csv",
    "json",
    "fhir",
    "walks",
    "smoking",
    "symptoms",
    "leg_swelling_one_side",
    "current",
    "every_day",
    "km",
    "Letter",
]
"""Values that broke the first release, or sit at an edge; mixed with arbitrary text."""

TEXT = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=30),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=10),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
)


def _params(command: Any) -> Iterator[Any]:
    yield from (p for p in command.params if p.name not in ("help",))


def _leaves(commands: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every command that runs, sub-commands of groups (`event add`) included."""
    found: dict[tuple[str, ...], Any] = {}
    for name, command in commands.items():
        if hasattr(command, "commands"):
            found.update(_leaves(dict(command.commands), (*prefix, name)))
        else:
            found[(*prefix, name)] = command
    return found


LEAVES = _leaves(COMMANDS)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path = draw(st.sampled_from(sorted(LEAVES)))
    argv: list[str] = []
    if draw(st.booleans()):
        argv += ["--db", draw(TEXT)]
    argv += list(path)
    for param in _params(LEAVES[path]):
        if param.param_type_name == "argument":
            argv.append(draw(TEXT))
        elif draw(st.integers(0, 2)) == 0:
            flag = draw(st.sampled_from(list(param.opts) + list(param.secondary_opts)))
            argv += [flag] if param.is_flag else [flag, draw(TEXT)]
    return argv


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A diary with a walk in it, named by TRACKER_DB; files the commands write land here."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = tmp_path / "diary.db"
    store = open_store(db)
    from tracker.domain.validation import validate_walk

    store.add_walk(validate_walk({"pain_free": "180", "max": "320"}, unit="m", now=_now()))
    store.close()
    monkeypatch.setenv("TRACKER_DB", str(db))
    return tmp_path


def _now() -> Any:
    from tests.conftest import FIXED_NOW

    return FIXED_NOW


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_arbitrary_text_in_every_option_exits_0_or_2_without_traceback(
    sandbox: Path, argv: list[str]
) -> None:
    result = CliRunner().invoke(app, argv)
    words = argv[2:] if argv[0] == "--db" else argv
    command = " ".join(w for w in words[:2] if w in {*COMMANDS, *(p[-1] for p in LEAVES)})
    event(f"{command}: exit {result.exit_code}")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        argv,
        result.exception,
    )
    assert result.exit_code in (0, 2), (argv, result.output)
    assert "Traceback" not in result.stdout + result.stderr
    assert not has_unsafe(result.stdout), (argv, result.stdout)
    assert not has_unsafe(result.stderr), (argv, result.stderr)


def test_every_command_and_option_is_reachable_by_the_generator() -> None:
    """The generator draws from the CLI itself, so a new command or option is fuzzed too."""
    options = {opt for c in LEAVES.values() for p in _params(c) for opt in p.opts}
    for expected in ("log", "edit", "delete", "undelete", "review", "export", "import", "recover"):
        assert expected in COMMANDS
    for expected in ("--pain-free", "--week", "--out", "--db", "--format", "--notes", "--name"):
        assert expected in options


# --- the 23 kinds of traceback the adversarial run found, one case each --------------------
def _csv_with(tmp_path: Path, cell: str) -> str:
    path = tmp_path / "in.csv"
    path.write_text(f"date,time,pain_free_m,max_m\n2026-10-01,09:00,{cell},300\n")
    return str(path)


def _json_with(tmp_path: Path, document: str) -> str:
    path = tmp_path / "in.json"
    path.write_text(document)
    return str(path)


def _walk_json(notes: str) -> str:
    return (
        '{"format": "tracker-backup", "schema_version": 1, "walks": [{"date": "2026-10-01", '
        '"time": "09:00", "pain_free_m": 100, "max_m": 200, "notes": "' + notes + '"}]}'
    )


def _hand_edit(db: Path, sql: str) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute(sql)
    conn.commit()
    conn.close()


REPORTED: dict[str, Any] = {
    "309-digit integer in a CSV": lambda t, db: ["import", _csv_with(t, "9" * 309)],
    "4,301-digit integer in a CSV": lambda t, db: ["import", _csv_with(t, "9" * 4301)],
    "309-digit integer in an option": lambda t, db: [
        "log",
        "--pain-free",
        "1",
        "--max",
        "2",
        "--pain",
        "9" * 309,
    ],
    "4,301-digit integer in an option": lambda t, db: ["settings", "--weekly-goal", "9" * 4301],
    "CSV field over 131,072 characters": lambda t, db: ["import", _csv_with(t, "1" * 131_073)],
    "JSON nested 10,000 levels": lambda t, db: [
        "import",
        _json_with(t, '{"walks": ' + "[" * 10_000 + "]" * 10_000 + "}"),
    ],
    "lone surrogate in a note (typed)": lambda t, db: [
        "log",
        "--pain-free",
        "1",
        "--max",
        "2",
        "--notes",
        "x\udcff",
    ],
    "lone surrogate in a note (imported)": lambda t, db: [
        "import",
        _json_with(t, _walk_json("x\\ud800")),
    ],
    "edit with id 2^63": lambda t, db: ["edit", str(2**63), "--max", "300"],
    "delete with id 2^63": lambda t, db: ["delete", str(2**63)],
    "undelete with id 2^63": lambda t, db: ["undelete", str(2**63)],
    "review --week 0001-W01": lambda t, db: ["review", "--week", "0001-W01"],
    "--db of a folder": lambda t, db: ["--db", str(t), "list"],
    "--db sqlite:": lambda t, db: ["--db", "sqlite:", "list"],
    "--db file:///x": lambda t, db: ["--db", "file:///x", "list"],
    "--db mysql://": lambda t, db: ["--db", "mysql://u@h/db", "list"],
    "--db http://": lambda t, db: ["--db", "http://example.invalid/", "list"],
    "--db postgresql:// without its driver": lambda t, db: ["--db", "postgresql://u@h/d", "list"],
    "a bad date text in a row": lambda t, db: (
        _hand_edit(db, "UPDATE walk SET walked_at = 'last tuesday'"),
        ["list"],
    )[1],
    "text in a number column": lambda t, db: (
        _hand_edit(db, "UPDATE walk SET pain_free_m = 'far'"),
        ["trend"],
    )[1],
    "an unknown unit, then log": lambda t, db: (
        _hand_edit(db, "UPDATE settings SET unit = 'furlong'"),
        ["log", "--pain-free", "180", "--max", "320"],
    )[1],
    "a bad date, then export": lambda t, db: (
        _hand_edit(db, "UPDATE walk SET created_at = '2026-13-45 99:99:99'"),
        ["export", "--format", "json", "--out", str(t / "x.json")],
    )[1],
    "an export onto a full disk": lambda t, db: [
        "export",
        "--format",
        "csv",
        "--out",
        str(_full_disk(t)),
    ],
}


def _full_disk(folder: Path) -> Path:
    """/dev/full, or (as root, so a mistake could never replace the real one) a copy of it."""
    import os
    import stat

    if os.geteuid() != 0:
        return Path("/dev/full")
    node = folder / "full"
    os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 7))
    return node


def test_there_is_one_case_for_each_of_the_23_reported_kinds() -> None:
    assert len(REPORTED) == 23


@pytest.mark.parametrize("kind", sorted(REPORTED))
def test_none_of_the_reported_tracebacks_remains(sandbox: Path, kind: str) -> None:
    import os

    db = sandbox / "diary.db"
    open_store(db).update_settings(unit="m")
    if kind == "an export onto a full disk" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    argv = REPORTED[kind](sandbox, db)
    result = CliRunner().invoke(app, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip(), "every one of these deserves a message"


@pytest.mark.parametrize(
    "argv",
    [
        ["recover", "--out", "9" * 309],
        ["export", "--format", "csv", "--out", "9" * 309],
        ["export", "--format", "csv", "--out", "x/" * 3000],
        ["import", "9" * 309],
    ],
)
def test_a_file_name_too_long_for_the_system_is_a_message(sandbox: Path, argv: list[str]) -> None:
    """Found by the property test above: `recover --out` with a 309-character name."""
    result = CliRunner().invoke(app, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "File name too long" in result.stderr or "does not exist" in result.stderr
