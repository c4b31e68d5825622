"""The therapist's kept cohort lines (migration 0010): a kept line is the line computed from
the same rows on the same day, and any change to a patient's rows, or a new day, has that
line computed again. Who may read and write the kept lines is the server's to enforce."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import pytest

import tracker.db.programme as programme_mod
from tests.conftest import FIXED_NOW, PostgresDb, plain_walk
from tests.test_cohort import PASSWORD, cli
from tests.test_cohort import programme as programme
from tracker.db.clinic import TherapistView, cohort, open_therapist_view
from tracker.db.opening import open_store
from tracker.domain.cohort import CohortLine, line_facts, line_from_facts


@pytest.fixture
def view(programme: dict[str, str]) -> Iterator[TherapistView]:
    v = open_therapist_view(programme["thea"])
    yield v
    v.close()


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> list[list[int] | None]:
    """The patients each cohort read and computed (None: all, without the cache)."""
    calls: list[list[int] | None] = []
    real = programme_mod.ProgrammeReads

    def reads(store: Any, narrowed: Any, today: date, only: Any = None) -> Any:
        calls.append(None if only is None else sorted(only))
        return real(store, narrowed, today, only)

    monkeypatch.setattr(programme_mod, "ProgrammeReads", reads)
    return calls


def ids(view: TherapistView, *names: str) -> list[int]:
    return sorted(p.id for p in view.patients if p.name in names)


def computed(view: TherapistView, now: datetime = FIXED_NOW) -> list[CohortLine]:
    return cohort(view, now, cached=False)


def test_a_kept_line_is_the_line_computed_from_the_same_rows(
    view: TherapistView, recomputed: list[list[int] | None]
) -> None:
    first = cohort(view, FIXED_NOW)
    assert recomputed == [ids(view, *(p.name for p in view.patients))]  # nothing kept yet
    kept = cohort(view, FIXED_NOW)
    assert recomputed[1:] == []  # every line was kept: nothing read, nothing computed
    assert kept == first == computed(view) and len(kept) == 5
    assert {line.trend_status for line in kept} >= {"sudden-drop", "sustained-decline"}


def test_a_line_survives_its_own_text(view: TherapistView) -> None:
    for line in computed(view):
        assert (
            line_from_facts(
                line.patient_id, line.name, line.identifier, line.programme, line_facts(line)
            )
            == line
        )
    assert line_from_facts(1, "a", "", "", "not json") is None
    assert line_from_facts(1, "a", "", "", '{"urgency": 1}') is None


def test_a_new_walk_an_edit_a_delete_and_an_acknowledgement_recompute_that_line_only(
    view: TherapistView,
    programme: dict[str, str],
    recomputed: list[list[int] | None],
) -> None:
    cohort(view, FIXED_NOW)
    steady = open_store(programme["steady"])
    flagged = open_store(programme["flagged"])
    try:
        changes = [
            ("steady", lambda: steady.add_walk(plain_walk(FIXED_NOW - timedelta(hours=2), 99))),
            ("steady", lambda: steady.update_walk(newest.id, plain_walk(newest.walked_at, 40))),
            ("steady", lambda: steady.set_deleted(newest.id, True)),
            ("flagged", lambda: flagged.acknowledge_symptom(flagged.symptoms()[0].id)),
            ("steady", lambda: steady.set_cigarettes(FIXED_NOW.date(), 3)),
        ]
        before = cohort(view, FIXED_NOW)
        for name, change in changes:
            newest = steady.walks(newest_first=True, limit=1)[0]
            recomputed.clear()
            change()
            after = cohort(view, FIXED_NOW)
            assert recomputed == [ids(view, name)], name
            assert after == computed(view), name
            if change is changes[0][1]:
                line = next(x for x in after if x.name == "steady")
                assert line.last_walk == FIXED_NOW.date() and line not in before
            before = after
    finally:
        steady.close()
        flagged.close()
    recomputed.clear()
    assert cohort(view, FIXED_NOW) == before and recomputed == []


def test_a_new_day_recomputes_every_line(
    view: TherapistView, recomputed: list[list[int] | None]
) -> None:
    cohort(view, FIXED_NOW)
    recomputed.clear()
    tomorrow = FIXED_NOW + timedelta(days=1)
    lines = cohort(view, tomorrow)
    assert recomputed == [sorted(p.id for p in view.patients)]
    assert lines == computed(view, tomorrow)
    recomputed.clear()
    assert cohort(view, FIXED_NOW + timedelta(days=1, hours=3)) == lines and recomputed == []


def test_a_kept_line_that_cannot_be_read_is_computed_again(
    view: TherapistView,
    programme: dict[str, str],
    recomputed: list[list[int] | None],
) -> None:
    cohort(view, FIXED_NOW)
    with psycopg.connect(_plain(programme["thea"]), autocommit=True) as thea:
        changed = thea.execute(
            "UPDATE cohort_line SET line = 'garbled' WHERE patient_id = %s", (ids(view, "drop")[0],)
        ).rowcount
    assert changed == 1
    recomputed.clear()
    lines = cohort(view, FIXED_NOW)
    assert recomputed == [ids(view, "drop")]
    assert lines == computed(view)


def test_who_the_patient_is_is_read_afresh_not_kept(
    view: TherapistView,
    programme: dict[str, str],
    postgres_db: PostgresDb,
) -> None:
    cohort(view, FIXED_NOW)
    postgres_db.admin("UPDATE patient SET display_name = 'Dora Drop' WHERE display_name = 'drop'")
    fresh = open_therapist_view(programme["thea"])
    try:
        lines = {line.name: line for line in cohort(fresh, FIXED_NOW)}
    finally:
        fresh.close()
    assert "drop" not in lines
    assert replace(lines["Dora Drop"], name="drop") in computed(view)


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_only_the_therapist_reads_and_writes_its_kept_lines_of_its_programme(
    view: TherapistView,
    programme: dict[str, str],
    postgres_db: PostgresDb,
    tmp_path: Any,
) -> None:
    cohort(view, FIXED_NOW)
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    owner = postgres_db.url
    outsider = postgres_db.role("olga")
    code, out = cli(
        "clinic", "add-patient", outsider, "--programme", "arms",
        "--password-file", str(pw), "--db", owner,
    )  # fmt: skip
    assert code == 0, out
    tom = postgres_db.role("tom")
    code, out = cli(
        "clinic", "add-therapist", tom, "--programme", "arms",
        "--password-file", str(pw), "--db", owner,
    )  # fmt: skip
    assert code == 0, out
    olga_id = postgres_db.admin("SELECT id FROM patient WHERE role_name = %s", outsider)[0][0]
    drop_id = ids(view, "drop")[0]
    theirs = postgres_db.admin("SELECT count(*) FROM cohort_line")
    assert theirs == [(5,)]
    proof: list[str] = []

    def run(conn: psycopg.Connection[Any], who: str, sql: str) -> str:
        try:
            cur = conn.execute(sql)
            seen = cur.fetchall() if cur.description else f"{cur.rowcount} rows changed"
        except psycopg.Error as exc:
            seen = f"refused: {str(exc).splitlines()[0]}"
        proof.append(f"{who}: {sql}\n  -> {seen}")
        return str(seen)

    for name in ("steady", "drop"):  # a patient: no access at all, not even to their own line
        with psycopg.connect(_plain(programme[name]), autocommit=True) as patient:
            for sql in (
                "SELECT count(*) FROM cohort_line",
                f"UPDATE cohort_line SET line = '{{}}' WHERE patient_id = {drop_id}",
                f"DELETE FROM cohort_line WHERE patient_id = {drop_id}",
                "INSERT INTO cohort_line VALUES (current_user, "
                f"{drop_id}, current_date, 'x', '{{}}', now())",
            ):
                assert "permission denied" in run(patient, name, sql)
    with psycopg.connect(_plain(postgres_db.role_url(tom, PASSWORD)), autocommit=True) as other:
        # another programme's therapist: none of Thea's lines, no line of her patients
        assert run(other, "tom", "SELECT count(*) FROM cohort_line") == "[(0,)]"
        assert run(other, "tom", "UPDATE cohort_line SET line = 'x'") == "0 rows changed"
        assert run(other, "tom", "DELETE FROM cohort_line") == "0 rows changed"
        assert "row-level security" in run(
            other, "tom", "INSERT INTO cohort_line VALUES (current_user, "
            f"{drop_id}, current_date, 'x', '{{}}', now())",
        )  # fmt: skip
        assert run(
            other, "tom", "INSERT INTO cohort_line VALUES (current_user, "
            f"{olga_id}, current_date, 'x', '{{}}', now())",
        ) == "1 rows changed"  # fmt: skip
    with psycopg.connect(_plain(programme["thea"]), autocommit=True) as thea:
        assert run(thea, "thea", "SELECT count(*) FROM cohort_line") == "[(5,)]"
        assert "row-level security" in run(
            thea, "thea", "INSERT INTO cohort_line VALUES (current_user, "
            f"{olga_id}, current_date, 'x', '{{}}', now())",
        )  # fmt: skip
        assert "row-level security" in run(
            thea, "thea", f"UPDATE cohort_line SET therapist_role = '{tom}'"
        )
        assert run(thea, "thea", f"DELETE FROM cohort_line WHERE patient_id = {olga_id}") == (
            "0 rows changed"
        )
    print("\n".join(proof))  # the proof's transcript (pytest -s shows it)
    assert postgres_db.admin("SELECT count(*) FROM cohort_line") == [(6,)]
    assert cohort(view, FIXED_NOW) == computed(view)


def test_lines_kept_by_other_code_are_computed_again(
    view: TherapistView, recomputed: list[list[int] | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort(view, FIXED_NOW)
    monkeypatch.setattr(programme_mod, "code_stamp", lambda: "another release")
    recomputed.clear()
    lines = cohort(view, FIXED_NOW)
    assert recomputed == [sorted(p.id for p in view.patients)]
    assert lines == computed(view)
