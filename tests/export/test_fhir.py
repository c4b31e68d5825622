from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

from tracker.db.repository import Store
from tracker.interchange.export import ExportRequest, run_export
from tracker.interchange.fhir import LOCAL_SYSTEM, fhir_bundle


def test_bundle_validates_against_the_fhir_r4_models(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = run_export(full_store, ExportRequest("fhir", now.date()), tmp_path / "b.json", now=now)
    data = json.loads(path.read_text(encoding="utf-8"))
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds.count("Patient") == 1
    assert kinds.count("Observation") == len(data["entry"]) - 1


def codes(resource: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(c["system"], c["code"]) for c in resource["code"]["coding"]}


def test_codes_units_and_lower_bounds(full_store: Store, now: datetime) -> None:
    walks = full_store.walks()
    bundle = fhir_bundle(
        walks,
        full_store.smoking_history(),
        full_store.cigarettes(),
        full_store.symptoms(),
        full_store.settings(),
        now,
    )
    obs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    walk_obs = [o for o in obs if ("http://snomed.info/sct", "165263003") in codes(o)]
    assert len(walk_obs) == len(walks)
    for o, w in zip(walk_obs, walks, strict=True):
        assert o["category"][0]["coding"][0]["code"] == "activity"
        pf = next(
            c for c in o["component"] if c["code"]["coding"][0]["code"] == "pain-free-distance"
        )
        assert pf["code"]["coding"][0]["system"] == LOCAL_SYSTEM
        assert pf["valueQuantity"]["system"] == "http://unitsofmeasure.org"
        assert pf["valueQuantity"]["code"] == "m"
        has_max = any(c["code"]["coding"][0]["code"] == "maximum-distance" for c in o["component"])
        if w.no_pain:
            assert pf["valueQuantity"]["comparator"] == ">=" and not has_max
        else:
            assert "comparator" not in pf["valueQuantity"] and has_max
    smoking = [o for o in obs if ("http://loinc.org", "72166-2") in codes(o)]
    assert len(smoking) == 1
    assert smoking[0]["valueCodeableConcept"]["coding"][0]["code"] == "8517006"  # ex-smoker
    assert smoking[0]["category"][0]["coding"][0]["code"] == "social-history"
    assert "component" not in smoking[0]
    assert any(("http://loinc.org", "8664-5") in codes(o) for o in obs)
    assert any(("http://loinc.org", "74010-0") in codes(o) for o in obs)
    assert sum(("http://loinc.org", "64218-1") in codes(o) for o in obs) == 30
    surveys = [o for o in obs if o["category"][0]["coding"][0]["code"] == "survey"]
    assert {o["code"]["coding"][0]["code"] for o in surveys} == {
        "leg_swelling_one_side",
        "recent_long_travel",
    }
    six = [o for o, w in zip(walk_obs, walks, strict=True) if w.method == "6mwt"]
    assert six and all(
        any(c["code"]["coding"][0]["code"] == "64098-7" for c in o["component"]) for o in six
    )
