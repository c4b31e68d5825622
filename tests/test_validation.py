from __future__ import annotations

from datetime import datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.validation import (
    FIELD_LABELS,
    ValidationErrors,
    parse_count,
    validate_walk,
    walk_errors,
)

NOW = datetime(2026, 11, 24, 18, 30)


def fields_of(draft: dict[str, object], unit: str = "m") -> set[str]:
    _, errors = walk_errors(draft, unit=unit, now=NOW)
    return {e.field for e in errors}


def test_typical_walk_is_valid_with_defaults() -> None:
    walk = validate_walk({"pain_free": "180", "max": "0.32km"}, unit="m", now=NOW)
    assert walk.pain_free_m == 180 and walk.max_m == pytest.approx(320)
    assert walk.walked_at == NOW and walk.method == "walk" and walk.source == "typed"
    assert walk.no_pain is False


def test_walk_without_pain_is_a_lower_bound_without_maximum() -> None:
    walk = validate_walk({"pain_free": "500", "no_pain": True}, unit="m", now=NOW)
    assert walk.no_pain and walk.max_m is None and walk.pain_free_m == 500


def test_bare_numbers_use_the_preferred_unit() -> None:
    walk = validate_walk({"pain_free": "0.2", "max": "0.3"}, unit="mi", now=NOW)
    assert walk.pain_free_m == pytest.approx(321.8688)


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        ({"pain_free": "-5", "max": "100"}, "pain_free"),
        ({"pain_free": "0", "max": "100"}, "pain_free"),
        ({"pain_free": "0.5", "max": "100"}, "pain_free"),
        ({"pain_free": "300", "max": "200"}, "pain_free"),
        ({"pain_free": "100", "max": "60km"}, "max"),
        ({"pain_free": "100", "max": "nan"}, "max"),
        ({"pain_free": "inf", "max": "200"}, "pain_free"),
        ({"pain_free": "100", "max": "200 parsecs"}, "max"),
        ({"pain_free": "100"}, "max"),
        ({"max": "100"}, "pain_free"),
        ({"pain_free": "100", "max": "200", "date": "2026-11-25"}, "date"),
        ({"pain_free": "100", "max": "200", "date": "24.11.2026"}, "date"),
        ({"pain_free": "100", "max": "200", "time": "23:59"}, "time"),
        ({"pain_free": "100", "max": "200", "time": "25:00"}, "time"),
        ({"pain_free": "100", "max": "200", "pain": "11"}, "pain"),
        ({"pain_free": "100", "max": "200", "pain": "-1"}, "pain"),
        ({"pain_free": "100", "max": "200", "pain": "2.5"}, "pain"),
        ({"pain_free": "100", "max": "200", "pain": "nan"}, "pain"),
        ({"pain_free": "100", "max": "200", "rest": "-3"}, "rest"),
        ({"pain_free": "100", "max": "200", "rest": "inf"}, "rest"),
        ({"pain_free": "100", "max": "200", "location": "knee"}, "location"),
        ({"pain_free": "100", "max": "200", "side": "middle"}, "side"),
        ({"pain_free": "100", "max": "200", "method": "swim"}, "method"),
        ({"pain_free": "100", "max": "200", "total": "150"}, "total"),
        ({"pain_free": "100", "max": "200", "notes": "x" * 2001}, "notes"),
        ({"pain_free": "100", "max": "200", "no_pain": True}, "max"),
        ({"pain_free": "100", "no_pain": True, "pain": "4"}, "pain"),
    ],
)
def test_each_rule_names_its_field(draft: dict[str, object], field: str) -> None:
    assert field in fields_of(draft)
    with pytest.raises(ValidationErrors) as info:
        validate_walk(draft, unit="m", now=NOW)
    assert any(e.field == field and e.message for e in info.value.errors)


def test_all_errors_are_reported_together() -> None:
    assert fields_of({"pain_free": "x", "max": "y", "pain": "12"}) == {"pain_free", "max", "pain"}


def test_earlier_today_is_fine_but_later_today_is_the_future() -> None:
    ok = validate_walk({"pain_free": "100", "max": "200", "time": "18:00"}, unit="m", now=NOW)
    assert ok.walked_at.time() == time(18, 0)
    assert "time" in fields_of({"pain_free": "100", "max": "200", "time": "19:00"})


def test_cigarette_count_bounds() -> None:
    assert parse_count("12") == 12
    for bad in ("-1", "201", "2.5", "many", "nan"):
        with pytest.raises(ValueError, match="cigarette count"):
            parse_count(bad)


text_or_none = st.one_of(st.none(), st.text(max_size=12), st.floats(), st.integers(-50, 100))


@settings(max_examples=600, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "pain_free": text_or_none,
            "max": text_or_none,
            "total": text_or_none,
            "no_pain": st.booleans(),
            "date": st.one_of(st.none(), st.text(max_size=12)),
            "time": st.one_of(st.none(), st.text(max_size=6)),
            "location": text_or_none,
            "side": text_or_none,
            "pain": text_or_none,
            "rest": text_or_none,
            "method": text_or_none,
            "notes": st.one_of(st.none(), st.text(max_size=30)),
        },
    )
)
def test_any_draft_gives_a_consistent_walk_or_named_errors(draft: dict[str, object]) -> None:
    walk, errors = walk_errors(draft, unit="m", now=NOW)
    if errors:
        assert walk is None
        for e in errors:
            assert e.field in FIELD_LABELS and e.message
        return
    assert walk is not None
    assert 1 <= walk.pain_free_m <= 50_000
    assert walk.walked_at <= NOW
    if walk.no_pain:
        assert walk.max_m is None
    else:
        assert walk.max_m is not None and walk.pain_free_m <= walk.max_m <= 50_000
    assert walk.pain is None or 0 <= walk.pain <= 10
