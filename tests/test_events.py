"""The rules for entering a treatment event, and its flat record."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.db.errors import NotFound
from tracker.db.models import TreatmentEvent
from tracker.db.repository import Store
from tracker.domain.events import (
    DETAIL_FIELDS,
    EVENT_COLUMNS,
    FIELDS_OF_KIND,
    KINDS,
    EventInput,
    event_errors,
    event_record,
    event_to_draft,
    order_errors,
    parse_kind,
    validate_event,
)
from tracker.domain.validation import ValidationError, ValidationErrors

TODAY = date(2026, 11, 24)


def fields_of(draft: dict[str, object]) -> set[str]:
    event, errors = event_errors(draft, today=TODAY)
    assert (event is None) == bool(errors)
    return {e.field for e in errors}


def stored(kind: str, day: str, event_id: int, **fields: object) -> TreatmentEvent:
    values: dict[str, object] = {"name": "", "dose": "", "description": "", "notes": ""}
    values.update(fields)
    return TreatmentEvent(id=event_id, kind=kind, occurred_on=date.fromisoformat(day), **values)


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (
            {"kind": "procedure", "date": "2026-09-03", "type": "angioplasty", "side": "left"},
            EventInput("procedure", date(2026, 9, 3), procedure_type="angioplasty", side="left"),
        ),
        (
            {"kind": "Medication_Start", "date": "2026-09-01", "category": "CILOSTAZOL"},
            EventInput("medication-start", date(2026, 9, 1), category="cilostazol"),
        ),
        (
            {
                "kind": "medication-start",
                "date": "2026-09-01",
                "category": "statin",
                "name": "  atorvastatin ",
                "dose": "40  mg",
            },
            EventInput(
                "medication-start",
                date(2026, 9, 1),
                category="statin",
                name="atorvastatin",
                dose="40 mg",
            ),
        ),
        (
            {"kind": "programme-start", "date": "2026-10-05", "notes": "Tue/Thu, St Mary's"},
            EventInput("programme-start", date(2026, 10, 5), notes="Tue/Thu, St Mary's"),
        ),
        (
            {"kind": "other", "date": "2026-10-05", "description": "hospital stay"},
            EventInput("other", date(2026, 10, 5), description="hospital stay"),
        ),
        (
            {"kind": "other", "date": "2026-10-05", "notes": "three nights in hospital"},
            EventInput("other", date(2026, 10, 5), notes="three nights in hospital"),
        ),
        (
            {"kind": "procedure", "date": "2026-11-24", "type": "bypass", "side": ""},
            EventInput("procedure", TODAY, procedure_type="bypass"),
        ),
    ],
)
def test_valid_events_are_normalised(draft: dict[str, object], expected: EventInput) -> None:
    assert event_errors(draft, today=TODAY) == (expected, [])


@pytest.mark.parametrize(
    ("draft", "fields", "words"),
    [
        ({"kind": "surgery", "date": "2026-09-03"}, {"kind"}, "procedure, medication-start"),
        ({"date": "2026-09-03"}, {"kind"}, "is required"),
        ({"kind": "procedure", "type": "stent"}, {"date"}, "YYYY-MM-DD"),
        ({"kind": "procedure", "date": "2026-11-25", "type": "stent"}, {"date"}, "future"),
        ({"kind": "procedure", "date": "3.9.2026", "type": "stent"}, {"date"}, "not a date"),
        ({"kind": "procedure", "date": "2026-09-03"}, {"type"}, "angioplasty, stent, bypass"),
        ({"kind": "procedure", "date": "2026-09-03", "type": "laser"}, {"type"}, "laser"),
        (
            {"kind": "procedure", "date": "2026-09-03", "type": "stent", "side": "up"},
            {"side"},
            "left, right, both",
        ),
        ({"kind": "medication-start", "date": "2026-09-03"}, {"category"}, "cilostazol"),
        (
            {"kind": "medication-start", "date": "2026-09-03", "category": "other"},
            {"name"},
            "category is other",
        ),
        (
            {"kind": "medication-stop", "date": "2026-09-03", "category": "statin", "dose": "4"},
            {"dose"},
            "only for medication-start",
        ),
        (
            {"kind": "medication-start", "date": "2026-09-03", "category": "statin", "side": "x"},
            {"side"},
            "only for procedure",
        ),
        ({"kind": "other", "date": "2026-09-03"}, {"description"}, "what happened"),
        (
            {"kind": "programme-end", "date": "2026-09-03", "description": "x"},
            {"description"},
            "only for other",
        ),
        (
            {"kind": "other", "date": "2026-09-03", "description": "x" * 201},
            {"description"},
            "at most 200",
        ),
        (
            {"kind": "other", "date": "2026-09-03", "description": "x", "notes": "a\x00b"},
            {"notes"},
            "NUL",
        ),
    ],
)
def test_bad_events_name_the_field_and_what_is_allowed(
    draft: dict[str, object], fields: set[str], words: str
) -> None:
    event, errors = event_errors(draft, today=TODAY)
    assert event is None
    assert {e.field for e in errors} == fields
    assert words in " ".join(str(e) for e in errors)


def test_every_problem_is_reported_at_once_in_field_order() -> None:
    draft = {"kind": "procedure", "date": "2030-01-01", "side": "up", "dose": "1 mg"}
    _, errors = event_errors(draft, today=TODAY)
    assert [e.field for e in errors] == ["date", "type", "side", "dose"]


def test_parse_kind_lists_every_allowed_kind() -> None:
    with pytest.raises(ValidationError) as info:
        parse_kind("angioplasty")
    for kind in KINDS:
        assert kind in str(info.value)


# --- the rule between events --------------------------------------------------------
CILOSTAZOL = stored("medication-start", "2026-09-01", 1, category="cilostazol")
STATIN = stored("medication-start", "2026-06-01", 2, category="statin", name="atorvastatin")
PROGRAMME = stored("programme-start", "2026-10-05", 3)


@pytest.mark.parametrize(
    ("draft", "ok"),
    [
        ({"kind": "medication-stop", "category": "cilostazol", "date": "2026-09-01"}, True),
        ({"kind": "medication-stop", "category": "cilostazol", "date": "2026-10-01"}, True),
        ({"kind": "medication-stop", "category": "cilostazol", "date": "2026-08-31"}, False),
        ({"kind": "medication-stop", "category": "naftidrofuryl", "date": "2026-08-01"}, True),
        ({"kind": "medication-stop", "category": "statin", "date": "2026-05-01"}, False),
        (
            {
                "kind": "medication-stop",
                "category": "statin",
                "name": "simvastatin",
                "date": "2026-05-01",
            },
            True,
        ),
        (
            {
                "kind": "medication-stop",
                "category": "statin",
                "name": "ATORVASTATIN",
                "date": "2026-05-01",
            },
            False,
        ),
        ({"kind": "programme-end", "date": "2026-10-04"}, False),
        ({"kind": "programme-end", "date": "2026-12-28"}, None),
        ({"kind": "programme-end", "date": "2026-10-05"}, True),
        ({"kind": "medication-start", "category": "cilostazol", "date": "2026-01-01"}, True),
    ],
)
def test_a_stop_is_not_before_its_start(draft: dict[str, object], ok: bool | None) -> None:
    existing = [CILOSTAZOL, STATIN, PROGRAMME]
    if ok is None:  # in the future: the date rule refuses it first
        with pytest.raises(ValidationErrors, match="future"):
            validate_event(draft, existing, today=TODAY)
        return
    if ok:
        validate_event(draft, existing, today=TODAY)
    else:
        with pytest.raises(ValidationErrors, match=r"before .* was started on"):
            validate_event(draft, existing, today=TODAY)


def test_a_stop_without_any_recorded_start_is_allowed() -> None:
    """The medicine may have been started long before the diary."""
    event = validate_event(
        {"kind": "medication-stop", "category": "antiplatelet", "date": "2026-03-01"},
        [CILOSTAZOL],
        today=TODAY,
    )
    assert event.category == "antiplatelet"


def test_deleted_starts_take_no_part() -> None:
    deleted = stored("medication-start", "2026-09-01", 9, category="cilostazol")
    deleted.deleted_at = datetime(2026, 9, 2)
    draft = {"kind": "medication-stop", "category": "cilostazol", "date": "2026-08-01"}
    validate_event(draft, [deleted], today=TODAY)


def test_moving_a_start_past_its_stop_is_refused() -> None:
    stop = stored("medication-stop", "2026-10-01", 4, category="cilostazol")
    draft = event_to_draft(CILOSTAZOL) | {"date": "2026-10-02"}
    errors = order_errors(
        validate_event(draft, [], today=TODAY), [CILOSTAZOL, stop], editing=CILOSTAZOL
    )
    assert [e.field for e in errors] == ["date"] and "stopped on 2026-10-01" in str(errors[0])
    fine = event_to_draft(CILOSTAZOL) | {"date": "2026-09-30"}
    assert (
        order_errors(validate_event(fine, [], today=TODAY), [CILOSTAZOL, stop], editing=CILOSTAZOL)
        == []
    )


def test_a_restart_after_a_stop_is_a_new_course() -> None:
    stop = stored("medication-stop", "2026-10-01", 4, category="cilostazol")
    restart = {"kind": "medication-start", "category": "cilostazol", "date": "2026-11-01"}
    validate_event(restart, [CILOSTAZOL, stop], today=TODAY)
    second_stop = {"kind": "medication-stop", "category": "cilostazol", "date": "2026-11-10"}
    validate_event(second_stop, [CILOSTAZOL, stop], today=TODAY)


# --- hypothesis: whatever is typed, a clear answer and never a crash -------------------------
any_text = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "procedure",
            "medication-start",
            "medication_stop",
            "OTHER",
            "angioplasty",
            "left",
            "statin",
            "2026-09-03",
            "2026-11-25",
            "1899-12-31",
            "2026-02-30",
            "x" * 250,
        ]
    ),
)


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({f: any_text for f in ("kind", "date", *DETAIL_FIELDS, "notes")}))
def test_generated_drafts_give_an_event_or_field_errors(draft: dict[str, object]) -> None:
    event, errors = event_errors(draft, today=TODAY)
    if event is None:
        assert errors and all(e.message for e in errors)
        assert all(e.field in ("kind", "date", *DETAIL_FIELDS, "notes") for e in errors)
        return
    assert errors == []
    assert event.kind in KINDS and event.occurred_on <= TODAY
    taken = FIELDS_OF_KIND[event.kind]
    given_fields = {
        "type": event.procedure_type,
        "side": event.side,
        "category": event.category,
        "name": event.name,
        "dose": event.dose,
        "description": event.description,
    }
    assert all(not value for f, value in given_fields.items() if f not in taken)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    day=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
    ).filter(str.strip),
)
def test_a_valid_event_survives_its_record(kind: str, day: date, text: str) -> None:
    """record → draft → event is the identity (the CSV, the backup and `edit` rely on it)."""
    draft: dict[str, object] = {"kind": kind, "date": day.isoformat(), "notes": text}
    draft |= {
        "procedure": {"type": "stent", "side": "both"},
        "medication-start": {"category": "other", "name": text, "dose": text},
        "medication-stop": {"category": "statin", "name": text},
        "other": {"description": text},
    }.get(kind, {})
    event = validate_event(draft, [], today=TODAY)
    row = TreatmentEvent(**event.__dict__)
    record = event_record(row)
    assert tuple(record) == EVENT_COLUMNS
    assert validate_event(event_to_draft(row), [], today=TODAY) == event


# --- the store ------------------------------------------------------------------------
def test_store_adds_edits_and_soft_deletes_events(store: Store) -> None:
    first = store.add_event(EventInput("procedure", date(2026, 9, 3), procedure_type="stent"))
    second = store.add_event(EventInput("other", date(2026, 8, 1), description="hospital stay"))
    assert first.id is not None and second.id is not None
    assert [e.id for e in store.events()] == [second.id, first.id]
    assert [e.id for e in store.events(since=date(2026, 9, 1))] == [first.id]
    store.update_event(first.id, EventInput("procedure", date(2026, 9, 4), procedure_type="bypass"))
    assert store.get_event(first.id).procedure_type == "bypass"
    store.set_event_deleted(first.id, True)
    assert [e.id for e in store.events()] == [second.id]
    assert len(store.events(include_deleted=True)) == 2
    with pytest.raises(NotFound):
        store.get_event(first.id)
    with pytest.raises(NotFound):
        store.set_event_deleted(first.id, True)
    store.set_event_deleted(first.id, False)
    assert store.get_event(first.id).occurred_on == date(2026, 9, 4)


def test_event_dates_are_whole_days(store: Store) -> None:
    store.add_event(EventInput("programme-start", TODAY - timedelta(days=3)))
    assert store.events(until=TODAY - timedelta(days=3))[0].occurred_on == date(2026, 11, 21)


@pytest.mark.parametrize("n", [1, 2, 5, 6])
def test_pain_free_median_is_one_methods_walks_with_pain_in_the_period(
    store: Store, n: int
) -> None:
    import statistics

    from tracker.domain.walks import WalkInput

    def w(day: int, pf: float, *, no_pain: bool = False, method: str = "walk") -> WalkInput:
        at = datetime(2026, 10, day, 9, 0)
        mx = None if no_pain else pf * 2
        return WalkInput(at, pf, mx, None, no_pain, None, None, None, None, method, "", "typed")

    counted = [137.0 * (k % 4 + 1) + k for k in range(n)]
    store.add_walks([w(2 + k, pf) for k, pf in enumerate(counted)])
    store.add_walks(
        [
            w(1, 9000),  # before the period
            w(20, 5000, no_pain=True),
            w(21, 5000, method="treadmill"),
            w(22, 5000),  # deleted below
            w(30, 9000),  # after the period
        ]
    )
    gone = next(x for x in store.walks() if x.walked_at.day == 22)
    assert gone.id is not None
    store.set_deleted(gone.id, True)
    got = store.pain_free_median(date(2026, 10, 2), date(2026, 10, 29), method="walk")
    assert got == (statistics.median(counted), n)
    all_methods = store.pain_free_median(date(2026, 10, 2), date(2026, 10, 29))
    assert all_methods == (statistics.median([*counted, 5000]), n + 1)
    assert store.pain_free_median(date(2026, 11, 1), date(2026, 11, 2)) == (None, 0)
