"""Treatment events in the JSON backup, their CSV and the FHIR bundle, and back in."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.procedure import Procedure
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.events import EVENT_COLUMNS, EventInput, event_record
from tracker.interchange.backup import backup_json
from tracker.interchange.csv_io import events_csv
from tracker.interchange.export import ExportRequest, run_export
from tracker.interchange.fhir import LOCAL_TREATMENT
from tracker.interchange.importer import ImportFailed, import_file

EVENTS = [
    EventInput("procedure", date(2026, 9, 3), procedure_type="angioplasty", side="left"),
    EventInput("medication-start", date(2026, 9, 1), category="cilostazol", dose="100 mg 2x"),
    EventInput(
        "medication-start",
        date(2026, 6, 1),
        category="statin",
        name="Atorvastatin",
        dose="40 mg",
        notes="=from the GP",
    ),
    EventInput("medication-stop", date(2026, 10, 20), category="statin"),
    EventInput("medication-stop", date(2026, 3, 1), category="antiplatelet", name="clopidogrel"),
    EventInput("programme-start", date(2026, 10, 5), notes="Tue, Thu – Gefäßsport"),
    EventInput("other", date(2026, 10, 12), description="hospital stay", notes="3\nnights"),
    EventInput("procedure", date(2026, 11, 2), procedure_type="stent", side="both"),
]


@pytest.fixture
def event_store(full_store: Store) -> Store:
    for e in EVENTS:
        full_store.add_event(e)
    gone = full_store.events()[-1]
    assert gone.id is not None
    full_store.set_event_deleted(gone.id, True)
    return full_store


def event_table(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM treatment_event ORDER BY id").fetchall()
    finally:
        conn.close()


def test_backup_round_trip_is_exact_with_deleted_events(
    event_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(backup_json(event_store, now))
    original = json.loads(path.read_text(encoding="utf-8"))
    assert len(original["events"]) == len(EVENTS)
    assert sum(e["deleted_at"] is not None for e in original["events"]) == 1
    assert set(original["events"][0]) == {*EVENT_COLUMNS, "created_at", "updated_at", "deleted_at"}

    fresh = open_store(tmp_path / "fresh.db")
    result = import_file(fresh, path, now)
    assert result.events_added == len(EVENTS)
    assert json.loads(backup_json(fresh, now)) == original
    again = import_file(fresh, path, now)
    assert again.events_added == 0 and again.events_skipped == len(EVENTS)
    assert json.loads(backup_json(fresh, now)) == original


def test_events_csv_has_the_documented_columns_and_reads_back(
    event_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = run_export(
        event_store, ExportRequest("csv", now.date(), what="events"), tmp_path / "e.csv", now=now
    )
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert tuple(table[0]) == EVENT_COLUMNS
    assert len(table) == 1 + len(EVENTS) - 1  # the deleted one is not exported
    assert "'=from the GP" in [c for row in table for c in row]  # no formula in a spreadsheet

    fresh = open_store(tmp_path / "fresh.db")
    result = import_file(fresh, path, now)
    assert (result.kind, result.events_added, result.walks_added) == ("events csv", 7, 0)
    assert [event_record(e) for e in fresh.events()] == [
        event_record(e) for e in event_store.events()
    ]
    assert import_file(fresh, path, now).events_added == 0


def test_events_csv_of_a_period(event_store: Store) -> None:
    data = events_csv(event_store.events(date(2026, 9, 1), date(2026, 9, 30))).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert [(r["date"], r["kind"]) for r in rows] == [
        ("2026-09-01", "medication-start"),
        ("2026-09-03", "procedure"),
    ]


@pytest.mark.parametrize(
    ("lines", "problems"),
    [
        (
            ["date,kind,type", "2026-09-03,procedur,angioplasty", "2027-01-01,procedure,"],
            [
                "line 2: kind: 'procedur' is not one of procedure",
                "line 3: date: 2027-01-01 is in the future",
                "line 3: type: is required for procedure",
            ],
        ),
        (
            [
                "date,kind,category",
                "2026-09-01,medication-start,statin",
                "2026-08-01,medication-stop,statin",
            ],
            ["line 3: date: 2026-08-01 is before statin was started on 2026-09-01"],
        ),
        (["date,kind,colour", "2026-09-01,other,red"], ["line 1: not a tracker events CSV"]),
        (["date,kind,notes", "2026-09-01,other,a,b"], ["line 2: more cells than columns"]),
    ],
)
def test_bad_events_csv_imports_nothing_and_names_each_line(
    tmp_path: Path, now: datetime, lines: list[str], problems: list[str]
) -> None:
    db = tmp_path / "t.db"
    store = open_store(db)
    store.add_event(EventInput("other", date(2026, 1, 1), description="kept"))
    before = event_table(db)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, now)
    for problem in problems:
        assert any(e.startswith(problem) for e in info.value.errors), info.value.errors
    assert event_table(db) == before


def test_a_bad_event_in_a_backup_imports_nothing(
    event_store: Store, tmp_path: Path, now: datetime
) -> None:
    doc = json.loads(backup_json(event_store, now))
    doc["events"][2]["kind"] = "surgery"
    doc["events"][3]["created_at"] = "yesterday"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh_db = tmp_path / "fresh.db"
    fresh = open_store(fresh_db)
    with pytest.raises(ImportFailed) as info:
        import_file(fresh, path, now)
    assert any(e.startswith("events[2]: kind: 'surgery'") for e in info.value.errors)
    assert any(e.startswith("events[3]: created_at:") for e in info.value.errors)
    assert event_table(fresh_db) == [] and fresh.walks() == []


def test_fhir_procedures_and_medication_statements_reference_the_patient(
    event_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = run_export(event_store, ExportRequest("fhir", now.date()), tmp_path / "b.json", now=now)
    data = json.loads(path.read_text(encoding="utf-8"))
    Bundle.model_validate(data)
    patient = next(
        e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    resources = [e["resource"] for e in data["entry"]]
    procedures = [r for r in resources if r["resourceType"] == "Procedure"]
    statements = [r for r in resources if r["resourceType"] == "MedicationStatement"]
    for r in procedures:
        Procedure.model_validate(r)
        assert r["subject"]["reference"] == patient and r["asserter"]["reference"] == patient
    for r in statements:
        MedicationStatement.model_validate(r)
        assert r["subject"]["reference"] == patient
        assert r["informationSource"]["reference"] == patient
    codes = sorted(r["code"]["coding"][0]["code"] for r in procedures)
    assert codes == ["angioplasty", "supervised-exercise-programme"]  # the stent was deleted
    assert all(r["code"]["coding"][0]["system"] == LOCAL_TREATMENT for r in procedures)
    angioplasty = next(r for r in procedures if r["code"]["coding"][0]["code"] == "angioplasty")
    assert angioplasty["performedDateTime"] == "2026-09-03"
    assert angioplasty["bodySite"] == [{"text": "left leg"}]
    programme = next(r for r in procedures if "performedPeriod" in r)
    assert programme["status"] == "in-progress"
    assert programme["performedPeriod"] == {"start": "2026-10-05"}
    by_category = {r["medicationCodeableConcept"]["coding"][0]["code"]: r for r in statements}
    assert set(by_category) == {"cilostazol", "statin", "antiplatelet"}
    assert by_category["cilostazol"]["status"] == "active"
    assert by_category["cilostazol"]["dosage"] == [{"text": "100 mg 2x"}]
    statin = by_category["statin"]
    assert statin["status"] == "stopped"
    assert statin["effectivePeriod"] == {"start": "2026-06-01", "end": "2026-10-20"}
    assert statin["medicationCodeableConcept"]["text"] == "Atorvastatin (statin)"
    assert by_category["antiplatelet"]["effectivePeriod"] == {"end": "2026-03-01"}


def test_fhir_of_a_period_has_only_what_overlaps_it(event_store: Store, now: datetime) -> None:
    from tracker.interchange.fhir import treatment_resources

    got = treatment_resources(event_store.events(), date(2026, 10, 1), date(2026, 10, 31), "p")
    kinds = sorted(
        r["resourceType"]
        + ":"
        + (r.get("code") or r["medicationCodeableConcept"])["coding"][0]["code"]
        for _, r in got
    )
    assert kinds == [
        "MedicationStatement:cilostazol",
        "MedicationStatement:statin",
        "Procedure:supervised-exercise-programme",
    ]


def test_csv_export_accepts_events_only_as_csv() -> None:
    assert ExportRequest("csv", date(2026, 11, 24), what="events").problem() is None
    problem = ExportRequest("pdf", date(2026, 11, 24), what="events").problem()
    assert problem is not None and "only with --format csv" in problem


cell = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        ["", "procedure", "medication-stop", "other", "statin", "stent", "2026-09-01", "2030-01-01"]
    ),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(cell, cell, cell, cell), min_size=1, max_size=4))
def test_generated_events_csv_never_crashes_and_never_half_imports(
    tmp_path: Path, now: datetime, cells: list[tuple[str, str, str, str]]
) -> None:
    db = tmp_path / "h.db"
    store = open_store(db)
    before = event_table(db)
    lines = ["date,kind,type,category"]
    for row in cells:
        lines.append(
            ",".join(c.replace(",", " ").replace("\n", " ").replace("\r", " ") for c in row)
        )
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        result = import_file(store, path, now)
    except ImportFailed as exc:
        assert exc.errors and all(exc.errors)
        assert event_table(db) == before
    else:
        assert len(event_table(db)) == len(before) + result.events_added
    store.close()
