"""Calf-pain checks in every export: the JSON backup, FHIR, the doctor report."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.calf_check import parse_pairs
from tracker.domain.calf_checks import check_context, check_row
from tracker.domain.report import build_report
from tracker.interchange.backup import backup_json
from tracker.interchange.export import ExportRequest, render, run_export
from tracker.interchange.importer import ImportFailed, import_file

CHECKS = [
    (
        datetime(2026, 11, 2, 10, 0),
        [
            "ecq1=yes",
            "ecq2=no",
            "ecq3=yes",
            "ecq4=yes",
            "ecq5=within-10-min",
            "ecq6=buttock",
            "ecq6=shin",
            "emergency=none",
            "swelling=no",
            "warm_red=no",
        ],
    ),
    (datetime(2026, 11, 21, 8, 15), ["ecq1=no", "emergency=none", "swelling=yes"]),
    (datetime(2026, 11, 22, 20, 5), ["ecq1=unable", "emergency=leg_numb_tingling"]),
]


@pytest.fixture
def checked(full_store: Store) -> Store:
    from tracker.domain.calf_check import evaluate

    for at, pairs in CHECKS:
        result = evaluate(parse_pairs(pairs), check_context(full_store, at.date()))
        row = full_store.add_calf_check(check_row(result, at))
        if row.pattern == "emergency" and row.id is not None:
            full_store.acknowledge_calf_check(row.id)
    return full_store


def test_backup_round_trips_every_check(checked: Store, tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(backup_json(checked, now))
    original = json.loads(path.read_text(encoding="utf-8"))
    assert [c["pattern"] for c in original["calf_checks"]] == ["claudication", "clot", "emergency"]
    fresh = open_store(tmp_path / "fresh.db")
    import_file(fresh, path, now)
    assert json.loads(backup_json(fresh, now)) == original
    import_file(fresh, path, now)  # a second import adds nothing
    assert len(fresh.calf_checks()) == 3
    clot = original["calf_checks"][1]
    assert clot["immobility"] == ["recent_long_travel"] and clot["tier"] == "same_day"
    assert original["calf_checks"][2]["acknowledged_at"] is not None


def test_a_bad_check_in_a_backup_imports_nothing(
    checked: Store, tmp_path: Path, now: datetime
) -> None:
    doc = json.loads(backup_json(checked, now))
    doc["calf_checks"][1]["answers"]["ecq1"] = "sometimes"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = open_store(tmp_path / "fresh.db")
    with pytest.raises(ImportFailed) as info:
        import_file(fresh, path, now)
    assert any(e.startswith("calf_checks[1]: ecq1") and "allowed" in e for e in info.value.errors)
    assert fresh.calf_checks() == [] and fresh.walks() == []


def test_fhir_holds_a_questionnaire_response_and_an_ecq_observation_per_check(
    checked: Store, tmp_path: Path, now: datetime
) -> None:
    path = run_export(checked, ExportRequest("fhir", now.date()), tmp_path / "b.json", now=now)
    data = json.loads(path.read_text(encoding="utf-8"))
    Bundle.model_validate(data)
    resources = [e["resource"] for e in data["entry"]]
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == 3
    for r in responses:
        QuestionnaireResponse.model_validate(r)
        assert r["status"] == "completed"
    first = {i["linkId"]: i for i in responses[0]["item"]}
    sites = [a["valueCoding"]["code"] for a in first["ecq6"]["answer"]]
    assert sites == ["buttock", "shin"]
    assert first["ecq5"]["answer"][0]["valueCoding"]["code"] == "within-10-min"
    urls = {e["resource"]["resourceType"]: e["fullUrl"] for e in data["entry"][-2:]}
    results = [
        r
        for r in resources
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "ecq-result"
    ]
    assert len(results) == 3
    for obs in results:
        Observation.model_validate(obs)
        assert obs["category"][0]["coding"][0]["code"] == "survey"
    assert results[-1]["derivedFrom"][0]["reference"] == urls["QuestionnaireResponse"]
    positive = results[0]
    assert positive["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    comps = {c["code"]["coding"][0]["code"]: c for c in positive["component"]}
    assert comps["ecq-grade"]["valueInteger"] == 2
    assert comps["ecq-kind"]["valueCodeableConcept"]["coding"][0]["code"] == "atypical"
    assert comps["pattern"]["valueCodeableConcept"]["coding"][0]["code"] == "claudication"
    emergency = {c["code"]["coding"][0]["code"]: c for c in results[-1]["component"]}
    assert emergency["urgency"]["valueCodeableConcept"]["coding"][0]["code"] == "emergency"


def test_the_report_lists_red_flag_checks_and_the_latest_check_on_page_1(
    checked: Store, now: datetime
) -> None:
    from pypdf import PdfReader

    report = build_report(checked, date(2026, 6, 1), now.date(), now)
    flags = {f.description: f for f in report.red_flags}
    clot = flags["calf-pain check: fits the pattern of a clot in a deep vein of the leg"]
    assert clot.tier == "same_day" and "long journey recently" in clot.notes
    assert any(d.startswith("calf-pain check: signs that need urgent care") for d in flags)
    assert not any("narrowed arteries" in d for d in flags)  # no red flag, not listed
    assert report.calf_check is not None and report.calf_check.pattern == "emergency"
    pdf = render(checked, ExportRequest("pdf", now.date(), since=date(2026, 6, 1)), now)
    page1 = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    flat = " ".join(page1.split())
    assert "Latest calf-pain check (2026-11-22): signs that need urgent care" in flat
    assert "urgency shown to the patient: Seek urgent care now" in flat
    assert "calf-pain check: fits the pattern of a clot in a deep vein of the leg" in flat
