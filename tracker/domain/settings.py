"""The settings a person can change, and their rules: one set for `tracker settings`, the
settings screen and the backup import, so the three refuse the same values with the same words.

The guided walking tests remember their own settings (course, speed, protocol); their rules are
the tests' (`walk_test.parse_test_setting`) and are applied here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from tracker.domain.units import DistanceError, parse_unit
from tracker.domain.validation import ValidationError, parse_text
from tracker.domain.walk_test import TEST_SETTINGS, parse_test_setting

WEEKLY_GOAL_SESSIONS = (1, 14)
"""Walking sessions a week the goal may ask for (docs/clinical.md §3: at least 3)."""
SESSION_GOAL_MINUTES = (5, 240)
PAPER_SIZES = ("A4", "Letter")
PATIENT_TEXT_MAX_CHARS = 100
"""The name and identifier printed on the doctor report."""
THEME_MAX_CHARS = 40
RISK_FACTORS = ("diabetes", "hormonal_contraception", "pregnancy", "obesity")
"""Clot risk factors the calf-pain check names (docs/clinical.md §5)."""

SETTINGS_FIELDS: tuple[str, ...] = (
    "unit",
    "weekly_goal_sessions",
    "session_goal_minutes",
    "patient_name",
    "patient_id",
    "paper_size",
    "theme",
    *RISK_FACTORS,
    *TEST_SETTINGS,
)
"""Every setting a person can change (and the JSON backup keeps), in this order."""

_WHOLE_NUMBERS = {
    "weekly_goal_sessions": WEEKLY_GOAL_SESSIONS,
    "session_goal_minutes": SESSION_GOAL_MINUTES,
}


class DiarySettings(Protocol):
    """What the domain reads from the stored settings."""

    @property
    def unit(self) -> str: ...
    @property
    def weekly_goal_sessions(self) -> int: ...
    @property
    def session_goal_minutes(self) -> int: ...
    @property
    def patient_name(self) -> str: ...
    @property
    def patient_id(self) -> str: ...
    @property
    def paper_size(self) -> str: ...
    @property
    def diabetes(self) -> bool: ...
    @property
    def hormonal_contraception(self) -> bool: ...
    @property
    def pregnancy(self) -> bool: ...
    @property
    def obesity(self) -> bool: ...


def _whole_number(key: str, value: object) -> int:
    low, high = _WHOLE_NUMBERS[key]
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text.isascii() and text.isdigit() and len(text) <= 4:
        value = int(text)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(key, f"a whole number from {low} to {high}")
    return value


def parse_setting(key: str, value: object) -> object:
    """One setting's value as it is stored, or `ValidationError(key, what is allowed)`."""
    if key == "unit":
        try:
            return parse_unit(str(value)).value
        except DistanceError as exc:
            raise ValidationError(key, str(exc)) from None
    if key in _WHOLE_NUMBERS:
        return _whole_number(key, value)
    if key == "paper_size":
        for size in PAPER_SIZES:
            if isinstance(value, str) and value.strip().lower() == size.lower():
                return size
        raise ValidationError(key, " or ".join(PAPER_SIZES))
    if key in ("patient_name", "patient_id", "theme"):
        if not isinstance(value, str):
            raise ValidationError(key, "expected text")
        limit = THEME_MAX_CHARS if key == "theme" else PATIENT_TEXT_MAX_CHARS
        return parse_text(key, value.strip(), max_chars=limit)
    if key in RISK_FACTORS:
        if not isinstance(value, bool):
            raise ValidationError(key, "true or false")
        return value
    if key in TEST_SETTINGS:
        try:
            return parse_test_setting(key, value)
        except ValidationError as exc:  # the tests' parsers name their screen's field
            raise ValidationError(key, exc.message) from None
    raise ValidationError(key, f"unknown setting {key!r}")


def settings_errors(
    changes: Mapping[str, object],
) -> tuple[dict[str, object], list[ValidationError]]:
    """Every change checked; the values to store and every problem, in `changes`' order."""
    values: dict[str, object] = {}
    errors: list[ValidationError] = []
    for key, value in changes.items():
        try:
            values[key] = parse_setting(key, value)
        except ValidationError as exc:
            errors.append(exc)
    return values, errors
