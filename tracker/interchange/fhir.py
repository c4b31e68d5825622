"""A FHIR R4 Bundle (type collection) of Observations, codes from docs/clinical.md §7, plus the
treatment events as Procedure and MedicationStatement resources.

No standard code exists for pain-free or maximum walking distance, so those live in tracker's
own CodeSystem under a canonical URL that never changes; SNOMED 165263003 (walking distance)
is added as the broader coding.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from tracker.db.models import CalfCheck, Settings, SymptomReport
from tracker.domain.calf_check import QUESTIONS, parse_stored_answers
from tracker.domain.clinical import (
    METHOD_LABELS,
    SYMPTOMS,
    TIER_LABELS,
    EventKind,
    SmokingFrequency,
    SmokingStatus,
    Tier,
)
from tracker.domain.events import StoredEvent
from tracker.domain.smoking import StatusSpan, pack_years, quit_date, status_on
from tracker.domain.treatment import Course, courses, events_between
from tracker.domain.walks import StoredWalk, StoredWalkRow
from tracker.domain.wording import check_headline, event_summary, event_title
from tracker.interchange.json_stream import Lazy, json_chunks

LOCAL_SYSTEM = "https://tracker.invalid/fhir/CodeSystem/walking"
"""tracker's own CodeSystem: pain-free-distance, maximum-distance, relief-time, method, ..."""
LOCAL_SYMPTOMS = "https://tracker.invalid/fhir/CodeSystem/symptom"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NAMESPACE = uuid.UUID("6f1c2a52-4c39-4d55-9b52-2f1d7ad0b1e1")

SMOKING_ANSWERS: dict[tuple[str, str | None], tuple[str, str]] = {
    (SmokingStatus.CURRENT, SmokingFrequency.EVERY_DAY): ("449868002", "Smokes tobacco daily"),
    (SmokingStatus.CURRENT, SmokingFrequency.SOME_DAYS): (
        "428041000124106",
        "Occasional tobacco smoker",
    ),
    (SmokingStatus.CURRENT, None): ("77176002", "Smoker"),
    (SmokingStatus.FORMER, None): ("8517006", "Ex-smoker"),
    (SmokingStatus.NEVER, None): ("266919005", "Never smoked tobacco"),
}


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(str(p) for p in parts))}"


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def _quantity(value: float, unit: str, code: str, comparator: str | None = None) -> dict[str, Any]:
    q: dict[str, Any] = {"value": round(value, 2), "unit": unit, "system": UCUM, "code": code}
    if comparator:
        q["comparator"] = comparator
    return q


def _local(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": LOCAL_SYSTEM, "code": code, "display": display}]}


def _when(moment: datetime) -> str:
    """FHIR dateTime with a time needs an offset: the local one of this computer."""
    return moment.astimezone().isoformat(timespec="seconds")


def walk_observation(walk: StoredWalk, patient: str) -> dict[str, Any]:
    comps: list[dict[str, Any]] = [
        {
            "code": _local("pain-free-distance", "Pain-free walking distance"),
            "valueQuantity": _quantity(walk.pain_free_m, "m", "m", ">=" if walk.no_pain else None),
        }
    ]
    if walk.max_m is not None and not walk.no_pain:
        comps.append(
            {
                "code": _local("maximum-distance", "Maximum walking distance"),
                "valueQuantity": _quantity(walk.max_m, "m", "m"),
            }
        )
    if walk.total_m is not None:
        comps.append(
            {
                "code": _local("total-distance", "Total distance of the session"),
                "valueQuantity": _quantity(walk.total_m, "m", "m"),
            }
        )
    if walk.method == "6mwt":
        distance = walk.total_m or walk.max_m or walk.pain_free_m
        comps.append(
            {
                "code": {
                    "coding": [
                        {"system": LOINC, "code": "64098-7", "display": "Six minute walk test"}
                    ]
                },
                "valueQuantity": _quantity(distance, "m", "m"),
            }
        )
    if walk.rest_min is not None:
        comps.append(
            {
                "code": _local("relief-time", "Minutes of rest until the pain eased"),
                "valueQuantity": _quantity(walk.rest_min, "min", "min"),
            }
        )
    if walk.pain is not None:
        comps.append(
            {
                "code": {
                    "coding": [{"system": LOINC, "code": "72514-3", "display": "Pain severity"}]
                },
                "valueInteger": walk.pain,
            }
        )
    comps.append(
        {
            "code": _local("method", "How the walk was measured"),
            "valueCodeableConcept": _local(
                walk.method, METHOD_LABELS.get(walk.method, walk.method)
            ),
        }
    )
    comps.append(
        {
            "code": _local("ended-without-pain", "Walk ended without pain"),
            "valueBoolean": walk.no_pain,
        }
    )
    if walk.location:
        comps.append(
            {
                "code": _local("pain-location", "Where the pain was"),
                "valueString": walk.location + (f" ({walk.side})" if walk.side else ""),
            }
        )
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("activity", "Activity"),
        "code": {
            "coding": [
                {
                    "system": LOCAL_SYSTEM,
                    "code": "claudication-walk",
                    "display": "Claudication walk",
                },
                {"system": SNOMED, "code": "165263003", "display": "Walking distance"},
            ],
            "text": "Walk with pain-free and maximum distance",
        },
        "subject": {"reference": patient},
        "performer": [{"reference": patient}],
        "effectiveDateTime": _when(walk.walked_at),
        "component": comps,
    }
    if walk.notes:
        obs["note"] = [{"text": walk.notes}]
    return obs


def _social(patient: str, code: str, display: str, effective: date, **value: Any) -> dict[str, Any]:
    """A social-history Observation with a LOINC code (as the IPS smoking profiles have it)."""
    return {
        "resourceType": "Observation",
        "status": value.pop("status", "final"),
        "category": _category("social-history", "Social History"),
        "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
        "subject": {"reference": patient},
        "effectiveDateTime": effective.isoformat(),
        **value,
    }


def _smoking_observations(
    spans: list[StatusSpan], counts: dict[date, int], today: date, patient: str
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    now = status_on(spans, today)
    if now is not None:
        key = (now.status, now.frequency if now.status == SmokingStatus.CURRENT else None)
        code, display = SMOKING_ANSWERS.get(key, SMOKING_ANSWERS[(now.status, None)])
        answer = {"coding": [{"system": SNOMED, "code": code, "display": display}]}
        out.append(
            _social(
                patient, "72166-2", "Tobacco smoking status", now.since, valueCodeableConcept=answer
            )
        )
        if now.status != SmokingStatus.NEVER:
            py = pack_years(spans, counts, today)
            out.append(
                _social(
                    patient,
                    "8664-5",
                    "Cigarette pack-years",
                    today,
                    status="final" if py.complete else "preliminary",
                    valueQuantity=_quantity(py.value, "pack-years", "{PackYears}"),
                )
            )
    quit = quit_date(spans, today)
    if quit is not None:
        out.append(
            _social(patient, "74010-0", "Date quit smoking", today, valueDateTime=quit.isoformat())
        )
    for day, n in sorted(counts.items()):
        out.append(
            _social(
                patient,
                "64218-1",
                "How many cigarettes per day",
                day,
                valueQuantity=_quantity(float(n), "cigarettes/day", "{cigarettes}/d"),
            )
        )
    return out


def symptom_observation(report: SymptomReport, patient: str) -> dict[str, Any]:
    kind = SYMPTOMS.get(report.key)
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": {
            "coding": [
                {
                    "system": LOCAL_SYMPTOMS,
                    "code": report.key,
                    "display": kind.description if kind else report.key,
                }
            ],
            "text": kind.description if kind else report.key,
        },
        "subject": {"reference": patient},
        "effectiveDateTime": report.reported_on.isoformat(),
        "valueBoolean": True,
    }
    if kind is not None:
        obs["interpretation"] = [{"text": f"{kind.tier.value}: {kind.advice}"}]
    if report.notes:
        obs["note"] = [{"text": report.notes}]
    return obs


# --- treatment events: Procedure and MedicationStatement --------------------------------
LOCAL_TREATMENT = "https://tracker.invalid/fhir/CodeSystem/treatment"
"""tracker's codes for procedures (angioplasty, stent, bypass, other, supervised exercise
programme) and medication categories: no code is hard-coded that docs/clinical.md does not
confirm."""


def _notes(*events: StoredEvent | None) -> list[dict[str, str]]:
    return [{"text": e.notes} for e in events if e is not None and e.notes]


def _period(course: Course) -> dict[str, str]:
    """A FHIR Period; an end alone when the start predates the diary."""
    period: dict[str, str] = {}
    if course.start is not None:
        period["start"] = course.start.occurred_on.isoformat()
    if course.stop is not None:
        period["end"] = course.stop.occurred_on.isoformat()
    return period


def procedure_resource(event: StoredEvent, patient: str) -> dict[str, Any]:
    """A revascularisation the patient reported (so the Patient is subject and asserter)."""
    code = event.procedure_type or "other"
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": {
            "coding": [{"system": LOCAL_TREATMENT, "code": code, "display": event_title(event)}],
            "text": event_summary(event, notes=False),
        },
        "subject": {"reference": patient},
        "asserter": {"reference": patient},
        "performedDateTime": event.occurred_on.isoformat(),
    }
    if event.side:
        leg = "both legs" if event.side == "both" else f"{event.side} leg"
        resource["bodySite"] = [{"text": leg}]
    if event.notes:
        resource["note"] = _notes(event)
    return resource


def programme_resource(course: Course, patient: str) -> dict[str, Any]:
    """A supervised exercise programme as a Procedure over its period."""
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "in-progress" if course.stop is None else "completed",
        "code": {
            "coding": [
                {
                    "system": LOCAL_TREATMENT,
                    "code": "supervised-exercise-programme",
                    "display": "Supervised exercise programme",
                }
            ],
            "text": "Supervised exercise programme",
        },
        "subject": {"reference": patient},
        "asserter": {"reference": patient},
        "performedPeriod": _period(course),
    }
    notes = _notes(course.start, course.stop)
    if notes:
        resource["note"] = notes
    return resource


def medication_statement(course: Course, patient: str) -> dict[str, Any]:
    """One course of a medicine, as the patient reported it: active until a stop is recorded."""
    first = course.first
    category = first.category or "other"
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "active" if course.stop is None else "stopped",
        "medicationCodeableConcept": {
            "coding": [{"system": LOCAL_TREATMENT, "code": category, "display": category}],
            "text": event_title(first),
        },
        "subject": {"reference": patient},
        "informationSource": {"reference": patient},
        "effectivePeriod": _period(course),
    }
    if course.start is not None and course.start.dose:
        resource["dosage"] = [{"text": course.start.dose}]
    notes = _notes(course.start, course.stop)
    if notes:
        resource["note"] = notes
    return resource


def treatment_resources(
    events: Sequence[StoredEvent], since: date | None, until: date, patient: str
) -> list[tuple[str, dict[str, Any]]]:
    """(fullUrl, resource) for the procedures in the period and the courses overlapping it.
    "Other" events (a hospital stay) have no resource here; the CSV and the backup keep them."""
    low = since or date.min
    out: list[tuple[str, dict[str, Any]]] = []
    for e in events_between(events, low, until):
        if e.kind == EventKind.PROCEDURE:
            out.append((_urn("procedure", e.id, e.occurred_on), procedure_resource(e, patient)))
    for c in courses(events):
        begin = c.start.occurred_on if c.start is not None else date.min
        end = c.stop.occurred_on if c.stop is not None else date.max
        if begin > until or end < low:
            continue
        key = _urn("course", c.first.id, c.first.occurred_on)
        if c.first.kind in (EventKind.PROGRAMME_START, EventKind.PROGRAMME_END):
            out.append((key, programme_resource(c, patient)))
        else:
            out.append((key, medication_statement(c, patient)))
    return out


# --- calf-pain check: a QuestionnaireResponse and the ECQ result as an Observation ---------
CHECK_QUESTIONNAIRE = "https://tracker.invalid/fhir/Questionnaire/calf-pain-check"
CHECK_SYSTEM = "https://tracker.invalid/fhir/CodeSystem/calf-check"
"""Local codes for the result: ecq-result, ecq-grade, ecq-kind, pattern, urgency."""
CHECK_ANSWERS = "https://tracker.invalid/fhir/CodeSystem/calf-check-answer"
"""Local answer codes: the check's answer values (yes, no, within-10-min, calf, ...)."""


def _check_coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def calf_check_resources(check: CalfCheck, patient: str) -> list[dict[str, Any]]:
    """A completed QuestionnaireResponse (answers as coded items) and the questionnaire's result
    as a survey Observation derived from it; the pattern is an interpretation, never a
    Condition."""
    answers = parse_stored_answers(check.answers)
    items = []
    for key, value in answers.items():
        q = QUESTIONS[key]
        values = (value,) if isinstance(value, str) else value
        items.append(
            {
                "linkId": key,
                "text": q.text,
                "answer": [
                    {
                        "valueCoding": {
                            "system": LOCAL_SYMPTOMS if v in SYMPTOMS else CHECK_ANSWERS,
                            "code": v,
                            "display": q.label_of(v),
                        }
                    }
                    for v in values
                ],
            }
        )
    response_ref = _urn("calf-check", check.id, check.checked_at)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": CHECK_QUESTIONNAIRE,
        "status": "completed",
        "subject": {"reference": patient},
        "author": {"reference": patient},
        "source": {"reference": patient},
        "authored": _when(check.checked_at),
        "item": items,
    }
    components: list[dict[str, Any]] = []
    if check.ecq_grade is not None:
        components.append(
            {
                "code": _check_coding(CHECK_SYSTEM, "ecq-grade", "Claudication grade (ECQ)"),
                "valueInteger": check.ecq_grade,
            }
        )
    if check.ecq_kind is not None:
        components.append(
            {
                "code": _check_coding(CHECK_SYSTEM, "ecq-kind", "Definite or atypical (ECQ)"),
                "valueCodeableConcept": _check_coding(CHECK_SYSTEM, check.ecq_kind, check.ecq_kind),
            }
        )
    components.append(
        {
            "code": _check_coding(CHECK_SYSTEM, "pattern", "Pattern the answers fit"),
            "valueCodeableConcept": _check_coding(
                CHECK_SYSTEM, check.pattern, check_headline(check.pattern)
            ),
        }
    )
    if check.tier is not None:
        components.append(
            {
                "code": _check_coding(CHECK_SYSTEM, "urgency", "Urgency shown to the patient"),
                "valueCodeableConcept": _check_coding(
                    CHECK_SYSTEM, check.tier, TIER_LABELS[Tier(check.tier)]
                ),
            }
        )
    positive = "positive" if check.ecq_positive else "negative"
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _check_coding(
            CHECK_SYSTEM, "ecq-result", "Edinburgh Claudication Questionnaire result"
        ),
        "subject": {"reference": patient},
        "effectiveDateTime": _when(check.checked_at),
        "derivedFrom": [{"reference": response_ref}],
        "valueCodeableConcept": _check_coding(CHECK_SYSTEM, positive, positive),
        "component": components,
    }
    if check.result:
        observation["note"] = [{"text": check.result}]
    return [response, observation]


def fhir_bundle(
    walks: Iterable[StoredWalkRow],
    spans: list[StatusSpan],
    counts: dict[date, int],
    symptoms: Iterable[SymptomReport],
    settings: Settings,
    generated: datetime,
    checks: Iterable[CalfCheck] = (),
    *,
    events: Sequence[StoredEvent] = (),
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """`events`: all of them (a course is paired over its whole length); `since`/`until` pick
    the procedures and courses of the period. The bundle in memory; exports stream it
    (`fhir_chunks`)."""
    bundle = fhir_lazy_bundle(
        walks,
        spans,
        counts,
        symptoms,
        settings,
        generated,
        checks,
        events=events,
        since=since,
        until=until,
    )
    bundle["entry"] = list(bundle["entry"].items)
    return bundle


def fhir_lazy_bundle(
    walks: Iterable[StoredWalkRow],
    spans: list[StatusSpan],
    counts: dict[date, int],
    symptoms: Iterable[SymptomReport],
    settings: Settings,
    generated: datetime,
    checks: Iterable[CalfCheck] = (),
    *,
    events: Sequence[StoredEvent] = (),
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """The bundle with its entries as a `Lazy` list: each walk's Observation is built when it
    is written."""
    patient_ref = _urn("patient", settings.patient_id or settings.patient_name or "me")
    patient: dict[str, Any] = {"resourceType": "Patient"}
    if settings.patient_name:
        patient["name"] = [{"text": settings.patient_name}]
    if settings.patient_id:
        patient["identifier"] = [{"value": settings.patient_id}]

    def entries() -> Iterator[dict[str, Any]]:
        yield {"fullUrl": patient_ref, "resource": patient}
        for w in walks:
            yield {
                "fullUrl": _urn("walk", w.id, w.walked_at),
                "resource": walk_observation(w, patient_ref),
            }
        for obs in _smoking_observations(spans, counts, generated.date(), patient_ref):
            yield {"fullUrl": _urn("smoking", json.dumps(obs, sort_keys=True)), "resource": obs}
        for r in symptoms:
            yield {
                "fullUrl": _urn("symptom", r.id, r.key, r.reported_on),
                "resource": symptom_observation(r, patient_ref),
            }
        period_end = until or generated.date()
        for url, resource in treatment_resources(events, since, period_end, patient_ref):
            yield {"fullUrl": url, "resource": resource}
        for c in checks:
            response, observation = calf_check_resources(c, patient_ref)
            yield {"fullUrl": _urn("calf-check", c.id, c.checked_at), "resource": response}
            yield {"fullUrl": _urn("calf-check-ecq", c.id, c.checked_at), "resource": observation}

    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": generated.astimezone().isoformat(timespec="seconds"),
        "entry": Lazy(entries()),
    }


def fhir_json(bundle: dict[str, Any]) -> bytes:
    return b"".join(json_chunks(bundle))
