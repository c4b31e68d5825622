"""Faults of a server: a wrong password, no server, an older or newer schema, a connection that
drops in the middle of a write. Each says what happened, exits 2, and leaves no half walk."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event
from typer.testing import CliRunner

from tests.conftest import PostgresDb, plain_walk
from tracker.cli import app
from tracker.db.errors import ConnectionLost
from tracker.db.opening import open_store

from .conftest import FIXED_NOW


def cli(*argv: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(argv))
    return result.exit_code, result.output


def walks_in(db: PostgresDb) -> int:
    return int(db.admin("SELECT count(*) FROM walk")[0][0])


def test_a_wrong_password_is_named_and_nothing_is_written(postgres_db: PostgresDb) -> None:
    assert cli("--db", postgres_db.url, "list")[0] == 0
    wrong = postgres_db.role_url(postgres_db.owner, "not-the-password")
    code, out = cli("--db", wrong, "log", "--pain-free", "180", "--max", "300")
    assert code == 2 and "refused the login" in out and "wrong password" in out
    assert "not-the-password" not in out and "Traceback" not in out
    assert walks_in(postgres_db) == 0


def test_a_server_that_is_not_there_is_named() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out = cli("--db", f"postgresql://u:secret@127.0.0.1:{port}/d", "list")
    assert code == 2 and f"Cannot reach the PostgreSQL server at 127.0.0.1:{port}" in out
    assert "nothing is listening" in out and "secret" not in out and "Traceback" not in out


def test_a_newer_schema_is_refused_untouched(postgres_db: PostgresDb) -> None:
    assert cli("--db", postgres_db.url, "log", "--pain-free", "180", "--max", "300")[0] == 0
    postgres_db.admin("UPDATE alembic_version SET version_num = '9999'")
    code, out = cli("--db", postgres_db.url, "log", "--pain-free", "190", "--max", "300")
    assert code == 2 and "newer tracker" in out and "Traceback" not in out
    assert walks_in(postgres_db) == 1
    assert postgres_db.admin("SELECT version_num FROM alembic_version") == [("9999",)]


def test_an_older_clinic_schema_a_patient_may_not_update_is_explained(
    postgres_db: PostgresDb, tmp_path: Any
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("walk-more-7\n")
    owner = postgres_db.url
    anna = postgres_db.role("anna")
    assert cli("clinic", "init", "--db", owner)[0] == 0
    assert cli("clinic", "add-patient", anna, "--password-file", str(pw), "--db", owner)[0] == 0
    postgres_db.admin("UPDATE alembic_version SET version_num = '0008'")
    code, out = cli(
        "--db", postgres_db.role_url(anna, "walk-more-7"), "log", "--pain-free", "1", "--max", "2"
    )
    assert code == 2 and "older than this tracker's" in out and "clinic upgrade" in out
    assert walks_in(postgres_db) == 0
    assert postgres_db.admin("SELECT version_num FROM alembic_version") == [("0008",)]


@pytest.fixture
def dropping(postgres_db: PostgresDb) -> Iterator[list[int]]:
    """Every INSERT into walk, for as many times as the list says, first has the server end
    the connection it is about to run on (as a restart or a network cut would)."""
    times = [0]

    def cut(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO walk") and times[0] > 0:
            times[0] -= 1
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            postgres_db.admin("SELECT pg_terminate_backend(%s)", pid)

    event.listen(Engine, "before_cursor_execute", cut)
    try:
        yield times
    finally:
        event.remove(Engine, "before_cursor_execute", cut)


def test_a_walk_whose_connection_drops_is_written_once_on_the_retry(
    postgres_db: PostgresDb, dropping: list[int]
) -> None:
    store = open_store(postgres_db.url)
    try:
        dropping[0] = 1
        saved = store.add_walk(plain_walk(FIXED_NOW, 180.0, "after a cut"))
        assert dropping[0] == 0  # the cut happened
        assert [(w.id, w.notes) for w in store.walks()] == [(saved.id, "after a cut")]
    finally:
        store.close()


def test_a_walk_whose_connection_drops_twice_is_reported_not_half_written(
    postgres_db: PostgresDb, dropping: list[int]
) -> None:
    store = open_store(postgres_db.url)
    try:
        dropping[0] = 2
        with pytest.raises(ConnectionLost, match="was not saved"):
            store.add_walk(plain_walk(FIXED_NOW, 180.0))
    finally:
        store.close()
    assert walks_in(postgres_db) == 0
    dropping[0] = 2
    code, out = cli("--db", postgres_db.url, "log", "--pain-free", "180", "--max", "300")
    assert code == 2 and "lost twice" in out and "Traceback" not in out
    assert walks_in(postgres_db) == 0


def test_another_write_whose_connection_drops_says_nothing_was_saved(
    postgres_db: PostgresDb,
) -> None:
    assert cli("--db", postgres_db.url, "list")[0] == 0
    times = [1]

    def cut(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO symptom") and times[0]:
            times[0] = 0
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            postgres_db.admin("SELECT pg_terminate_backend(%s)", pid)

    event.listen(Engine, "before_cursor_execute", cut)
    try:
        code, out = cli("--db", postgres_db.url, "symptom", "leg_cold_pale")
    finally:
        event.remove(Engine, "before_cursor_execute", cut)
    assert code == 2 and "connection to the database was lost" in out and "Nothing was saved" in out
    assert postgres_db.admin("SELECT count(*) FROM symptom") == [(0,)]
