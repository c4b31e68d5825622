"""Clinic mode: the server, not the app, keeps each patient's diary to themselves.

The proof connects as one patient with the plain driver and tries, in raw SQL, to read and to
change another patient's rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from tests.conftest import PostgresDb
from tracker.cli import app
from tracker.db.models import PATIENT_TABLES

PASSWORD = "walk-more-7"


@dataclass
class Clinic:
    db: PostgresDb
    anna: str
    ben: str
    carl: str
    thea: str

    def url(self, role: str) -> str:
        return self.db.role_url(role, PASSWORD)


def cli(*argv: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(argv), input=input)
    return result.exit_code, result.output


@pytest.fixture
def clinic(postgres_db: PostgresDb, tmp_path: Path) -> Iterator[Clinic]:
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    c = Clinic(
        postgres_db,
        postgres_db.role("anna"),
        postgres_db.role("ben"),
        postgres_db.role("carl"),
        postgres_db.role("thea"),
    )
    owner = postgres_db.url
    assert cli("clinic", "init", "--db", owner)[0] == 0
    for name, programme in ((c.anna, "walkers"), (c.ben, "walkers"), (c.carl, "other")):
        code, out = cli(
            "clinic", "add-patient", name, "--programme", programme,
            "--password-file", str(pw), "--db", owner,
        )  # fmt: skip
        assert code == 0, out
    code, out = cli(
        "clinic", "add-therapist", c.thea, "--programme", "walkers",
        "--password-file", str(pw), "--db", owner,
    )  # fmt: skip
    assert code == 0, out
    for name, distances in ((c.anna, (180, 190)), (c.ben, (90, 95, 100)), (c.carl, (300,))):
        for d in distances:
            code, out = cli("--db", c.url(name), "log", "--pain-free", str(d), "--max", "400")
            assert code == 0, out
    yield c


def raw(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def ben_rows(c: Clinic) -> list[tuple[object, ...]]:
    with raw(c.url(c.ben)) as conn:
        return conn.execute("SELECT id, pain_free_m, notes FROM walk ORDER BY id").fetchall()


def test_a_patient_can_neither_read_nor_change_another_patients_rows(clinic: Clinic) -> None:
    c = clinic
    before = ben_rows(c)
    with raw(c.db.admin_url.rsplit("/", 1)[0] + "/" + c.db.name) as admin:
        ben_id = admin.execute("SELECT id FROM patient WHERE role_name = %s", (c.ben,)).fetchone()
    assert ben_id is not None and len(before) == 3
    proof: list[str] = []
    with raw(c.url(c.anna)) as anna:

        def run(sql: str) -> str:
            try:
                cur = anna.execute(sql)
                seen = cur.fetchall() if cur.description else f"{cur.rowcount} rows changed"
                line = f"{sql}\n  -> {seen}"
            except psycopg.Error as exc:
                line = f"{sql}\n  -> refused: {str(exc).splitlines()[0]}"
            proof.append(line)
            return line

        b = ben_id[0]
        assert run("SELECT count(*) FROM walk").endswith("[(2,)]")
        assert run(f"SELECT * FROM walk WHERE owner_id = {b}").endswith("[]")
        assert run("SELECT count(*) FROM walk WHERE owner_id <> tracker_patient()").endswith(
            "[(0,)]"
        )
        assert run(f"UPDATE walk SET notes = 'anna was here' WHERE owner_id = {b}").endswith(
            "0 rows changed"
        )
        assert run(f"DELETE FROM walk WHERE owner_id = {b}").endswith("0 rows changed")
        assert "row-level security" in run(
            "INSERT INTO walk (owner_id, walked_at, pain_free_m, no_pain, method, notes, source,"
            f" created_at, updated_at) VALUES ({b}, now(), 1, false, 'walk', 'x', 'typed',"
            " now(), now())"
        )
        assert "row-level security" in run(f"UPDATE walk SET owner_id = {b}")
        assert run(f"SELECT set_config('tracker.patient', '{b}', false)").endswith(f"[('{b}',)]")
        assert run("SELECT count(*) FROM walk").endswith("[(0,)]")
        assert run("SELECT display_name FROM patient").count("'") == 2  # only herself
        assert "permission denied" in run("ALTER TABLE walk NO FORCE ROW LEVEL SECURITY") or (
            "must be owner" in proof[-1]
        )
        assert "permission denied" in run(f"UPDATE patient SET role_name = '{c.anna}'")
        # a temporary table named like the register must not stand in for it
        assert "permission denied" in run(
            f"CREATE TEMP TABLE patient AS SELECT {b} AS id, current_user::text AS role_name"
        )
        assert run("SELECT tracker_patient() <> " + str(b)).endswith("[(True,)]")
    print("\n".join(proof))  # the proof's transcript (pytest -s shows it)
    assert ben_rows(c) == before


def test_a_therapist_reads_its_programme_and_writes_nothing(clinic: Clinic) -> None:
    c = clinic
    with raw(c.url(c.thea)) as thea:
        seen = thea.execute(
            "SELECT p.role_name, count(*) FROM walk w JOIN patient p ON p.id = w.owner_id"
            " GROUP BY p.role_name ORDER BY 1"
        ).fetchall()
        assert seen == [(c.anna, 2), (c.ben, 3)]  # not Carl: another programme
        for sql in (
            "UPDATE walk SET notes = 'x'",
            "DELETE FROM walk",
            "INSERT INTO symptom (key, reported_on, notes, created_at)"
            " VALUES ('leg_cold_pale', now(), '', now())",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                thea.execute(sql)
    code, out = cli("--db", c.url(c.thea), "log", "--pain-free", "100", "--max", "200")
    assert code == 2 and "therapist" in out and "tracker clinic" in out


def test_the_administrator_keeps_the_register_and_reads_no_diary(clinic: Clinic) -> None:
    with raw(clinic.db.url) as owner:
        assert owner.execute("SELECT count(*) FROM walk").fetchone() == (0,)
        assert owner.execute("SELECT count(*) FROM patient").fetchone() == (3,)
    code, out = cli("--db", clinic.db.url, "list")
    assert code == 2 and "administrator" in out


def test_a_patients_ordinary_commands_show_only_their_own_diary(clinic: Clinic) -> None:
    code, out = cli("--db", clinic.url(clinic.ben), "list")
    assert code == 0 and out.count("pain-free") == 3 and "180" not in out
    code, out = cli("--db", clinic.url(clinic.anna), "edit", "3", "--max", "500")
    assert code == 2 and "No walk with id 3" in out  # walk 3 is Ben's
    assert cli("--db", clinic.url(clinic.anna), "settings", "--weekly-goal", "5")[0] == 0
    assert "weekly goal: 3 sessions" in cli("--db", clinic.url(clinic.ben), "settings")[1]
    assert cli("--db", clinic.url(clinic.anna), "smoke", "4")[0] == 0
    assert cli("--db", clinic.url(clinic.ben), "smoke", "2")[0] == 0  # same day, own count


def test_no_role_the_app_uses_can_bypass_the_policies(clinic: Clinic) -> None:
    c = clinic
    roles = (c.db.owner, c.anna, c.ben, c.carl, c.thea)
    found = c.db.admin(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ANY(%s)",
        list(roles),
    )
    assert sorted(found) == sorted((r, False, False) for r in roles)
    forced = c.db.admin(
        "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
        " AND relname = ANY(%s)",
        [*PATIENT_TABLES, "patient", "therapist"],
    )
    assert {r[0] for r in forced} == {*PATIENT_TABLES, "patient", "therapist"}


def test_clinic_commands_refuse_what_they_cannot_do_and_change_nothing(
    clinic: Clinic, tmp_path: Path
) -> None:
    c = clinic
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    superuser = c.db.admin_url.rsplit("/", 1)[0] + "/" + c.db.name
    cases = [
        (["clinic", "init", "--db", c.db.url], "already a clinic"),
        (["clinic", "init", "--db", superuser], "superuser"),
        (["clinic", "init", "--db", str(tmp_path / "x.db")], "needs a PostgreSQL"),
        (["clinic", "add-patient", "Anna Smith", "--password-file", str(pw), "--db", c.db.url],
         "cannot be a login role"),
        (["clinic", "add-patient", c.anna, "--password-file", str(pw), "--db", c.db.url],
         "already exists"),
        (["clinic", "add-patient", "dora", "--db", c.db.url], "--password-file"),
        (["clinic", "add-patient", "dora", "--password-file", str(tmp_path / "no"),
          "--db", c.db.url], "cannot read"),
        (["clinic", "add-patient", "dora", "--password-file", str(pw), "--db", c.url(c.anna)],
         "may not create roles"),
    ]  # fmt: skip
    short = tmp_path / "short"
    short.write_text("abc\n")
    cases.append(
        (["clinic", "add-patient", "dora", "--password-file", str(short), "--db", c.db.url],
         "at least 8"),
    )  # fmt: skip
    for argv, words in cases:
        code, out = cli(*argv)
        assert code == 2 and words in out and "Traceback" not in out, (argv, out)
    assert c.db.admin("SELECT count(*) FROM patient") == [(3,)]
    assert c.db.admin("SELECT count(*) FROM pg_roles WHERE rolname = 'dora'") == [(0,)]
    assert not (tmp_path / "x.db").exists()
