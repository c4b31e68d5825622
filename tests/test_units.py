from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.units import DistanceError, Unit, format_distance, parse_distance, to_unit


@pytest.mark.parametrize(
    ("text", "unit", "metres"),
    [
        ("180", Unit.M, 180.0),
        ("0.4km", Unit.M, 400.0),
        ("0.4 km", Unit.M, 400.0),
        ("300yd", Unit.M, 274.32),
        ("1mi", Unit.M, 1609.344),
        ("0.25 miles", Unit.M, 402.336),
        ("1.5", Unit.KM, 1500.0),
        ("200", Unit.YD, 182.88),
        ("200 M", Unit.KM, 200.0),
        (".5km", Unit.M, 500.0),
        (250, Unit.M, 250.0),
        (0.3, Unit.KM, 300.0),
    ],
)
def test_distance_parses_number_and_unit(text: str | float, unit: Unit, metres: float) -> None:
    assert parse_distance(text, unit) == pytest.approx(metres)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("abc", "cannot read"),
        ("12 furlongs", "unknown unit"),
        ("nan", "finite"),
        ("inf", "finite"),
        ("-inf km", "finite"),
        ("1,5km", "dot for decimals"),
        ("1e3", "cannot read"),
        ("1 2", "cannot read"),
    ],
)
def test_bad_distance_says_what_is_allowed(text: str, fragment: str) -> None:
    with pytest.raises(DistanceError, match=fragment):
        parse_distance(text)


def test_bool_is_not_a_distance() -> None:
    with pytest.raises(DistanceError):
        parse_distance(True)


@given(st.text(max_size=20), st.sampled_from(list(Unit)))
def test_parsing_any_text_returns_finite_metres_or_a_distance_error(text: str, unit: Unit) -> None:
    try:
        metres = parse_distance(text, unit)
    except DistanceError as exc:
        assert str(exc)
    else:
        assert math.isfinite(metres)


@given(
    st.floats(min_value=1, max_value=50_000, allow_nan=False, allow_infinity=False),
    st.sampled_from(list(Unit)),
)
def test_formatted_distance_parses_back_within_display_rounding(metres: float, unit: Unit) -> None:
    text = format_distance(metres, unit)
    back = parse_distance(text.replace(" ", ""), unit)
    step = 0.005 if unit in (Unit.KM, Unit.MI) else 0.5
    assert abs(to_unit(back, unit) - to_unit(metres, unit)) <= step + 1e-9


def test_format_marks_lower_bounds_and_missing_values() -> None:
    assert format_distance(400, "m", at_least=True) == "≥ 400 m"
    assert format_distance(None) == "–"
    assert format_distance(1234.5, "km") == "1.23 km"
