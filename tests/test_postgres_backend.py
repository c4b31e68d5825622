"""A diary on a PostgreSQL server behaves as a file does: every command, the same output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import PostgresDb
from tracker.cli import app
from tracker.db.target import resolve_target

SESSION: list[list[str]] = [
    ["log", "--pain-free", "180", "--max", "320", "--date", "2026-11-20"],
    ["log", "--pain-free", "0.2km", "--max", "400", "--date", "2026-11-21", "--notes", "hill"],
    ["log", "--pain-free", "150", "--max", "300", "--date", "2026-11-22", "--side", "left"],
    ["edit", "2", "--max", "420"],
    ["delete", "3"],
    ["undelete", "3"],
    ["list"],
    ["list", "--json"],
    ["trend"],
    ["review"],
    ["smoke", "4", "--date", "2026-11-21"],
    ["smoke", "2", "--date", "2026-11-21"],
    ["smoking-status", "current", "--since", "2026-01-01", "--per-day", "5"],
    ["symptom", "leg_cold_pale", "--date", "2026-11-22"],
    ["symptoms"],
    ["event", "add", "programme-start", "--date", "2026-11-01"],
    ["event", "list"],
    ["settings", "--weekly-goal", "4", "--name", "Anna Test"],
    ["settings"],
    ["check", "--history"],
    ["export", "--format", "json", "--out", "-"],
    ["export", "--format", "csv", "--out", "-"],
]


def shown(db: str) -> str:
    return resolve_target(db).shown


def _run(db: str, argv: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", db, *argv])
    return result.exit_code, result.output


def _comparable(output: str, db: str) -> str:
    """Everything but the audit times must match exactly."""
    try:
        data = json.loads(output)
    except ValueError:
        return output.replace(db, "DB").replace(shown(db), "DB")
    return json.dumps(_without_clock_times(data), sort_keys=True)


AUDIT_TIMES = {"created_at", "updated_at", "deleted_at", "exported_at", "acknowledged_at"}


def _without_clock_times(data: object) -> object:
    """Audit times are the wall clock when the command ran (the two runs differ by ms)."""
    if isinstance(data, dict):
        return {k: _without_clock_times(v) for k, v in data.items() if k not in AUDIT_TIMES}
    if isinstance(data, list):
        return [_without_clock_times(v) for v in data]
    return data


def test_every_command_gives_the_same_result_on_a_server_as_on_a_file(
    tmp_path: Path, postgres_db: PostgresDb
) -> None:
    sqlite = str(tmp_path / "tracker.db")
    for argv in SESSION:
        code_file, out_file = _run(sqlite, argv)
        code_server, out_server = _run(postgres_db.url, argv)
        assert code_file == 0, (argv, out_file)
        assert (code_server, _comparable(out_server, postgres_db.url)) == (
            code_file,
            _comparable(out_file, sqlite),
        ), argv


def test_a_backup_from_a_file_imports_into_a_server_unchanged(
    tmp_path: Path, postgres_db: PostgresDb
) -> None:
    sqlite = str(tmp_path / "tracker.db")
    for argv in SESSION[:6]:
        assert _run(sqlite, argv)[0] == 0
    backup = tmp_path / "backup.json"
    assert _run(sqlite, ["export", "--format", "json", "--out", str(backup)])[0] == 0
    code, out = _run(postgres_db.url, ["import", str(backup)])
    assert code == 0, out
    assert _run(postgres_db.url, ["list"])[1] == _run(sqlite, ["list"])[1]
