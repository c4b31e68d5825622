"""The guided tests' timing and arithmetic, fed with a fake monotonic clock."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.validation import ValidationError
from tracker.domain.walk_test import (
    MINUTE_ANNOUNCEMENTS,
    DistanceFrom,
    Protocol,
    SixMinuteResult,
    SixMinuteWalk,
    Stopwatch,
    TreadmillSession,
    announcement_minute,
    clock_text,
    countdown_text,
    early_pain_warning,
    guided_tests_sentence,
    parse_course_m,
    parse_grade_pct,
    parse_laps,
    parse_partial_m,
    parse_speed_kmh,
    parse_test_setting,
    quick_laps,
    six_minute_announcement,
    six_minute_notes,
    speed_warning,
    stopwatch_notes,
    treadmill_notes,
)

T0 = 5000.0
"""A monotonic clock never starts at 0; the sessions must only use differences."""


def test_a_whole_six_minute_test_gives_the_distances_computed_by_hand() -> None:
    walk = SixMinuteWalk(30.0)
    walk.start(T0)
    laps = [28.0, 57.0, 87.0, 118.0, 150.0]
    for t in laps:
        assert walk.lap(T0 + t)
    assert walk.mark_pain(T0 + 170.0)  # 20 s into lap 6
    walk.lap(T0 + 182.0)  # lap 6 took 32 s
    assert walk.toggle_rest(T0 + 200.0)  # a rest of 40 s during lap 7
    assert not walk.toggle_rest(T0 + 240.0)
    for t in (262.0, 296.0, 330.0):
        walk.lap(T0 + t)
    assert not walk.lap(T0 + 361.0), "a lap after 6:00 does not count"
    assert walk.time_is_up(T0 + 361.0)
    r = walk.result(12.0, T0 + 361.0)
    assert r.complete and r.duration_s == 360.0
    assert r.laps == 9
    assert r.distance_m == 9 * 30 + 12 == 282
    # pain: 5 laps done; lap 6 ran from 150 to 182 s (32 s), pain at 20 s into it
    assert r.pain_m == pytest.approx(5 * 30 + 30 * 20 / 32)
    assert r.rest_total_s == 40.0
    # the rest began 18 s into lap 7 (182 -> 262 s, of which 40 s were rest: 40 s walking)
    assert r.first_rest_m == pytest.approx(6 * 30 + 30 * 18 / 40)


def test_pain_in_the_last_partial_lap_uses_the_partial_metres() -> None:
    walk = SixMinuteWalk(25.0)
    walk.start(T0)
    for t in (100.0, 200.0, 300.0):
        walk.lap(T0 + t)
    walk.mark_pain(T0 + 330.0)  # half-way through the last 60 s
    r = walk.result(20.0, T0 + 400.0)
    assert r.pain_m == pytest.approx(75 + 20 * 0.5)


def test_rest_time_is_left_out_of_the_share_of_the_lap() -> None:
    walk = SixMinuteWalk(30.0)
    walk.start(T0)
    walk.toggle_rest(T0 + 10.0)
    walk.toggle_rest(T0 + 50.0)  # 40 s standing still
    walk.mark_pain(T0 + 60.0)  # 10 + 10 s walking
    walk.lap(T0 + 80.0)  # 40 s walking for the whole lap
    r = walk.result(0.0, T0 + 360.0)
    assert r.pain_m == pytest.approx(30 * 20 / 40)


def test_a_rest_under_way_at_six_minutes_ends_at_six_minutes() -> None:
    walk = SixMinuteWalk(30.0)
    walk.start(T0)
    walk.toggle_rest(T0 + 300.0)
    r = walk.result(5.0, T0 + 500.0)
    assert r.rest_total_s == 60.0
    assert not walk.toggle_rest(T0 + 400.0) or walk.resting  # nothing changes after the end


def test_a_lap_ends_a_rest_and_undo_takes_back_a_lap() -> None:
    walk = SixMinuteWalk(30.0)
    walk.start(T0)
    walk.toggle_rest(T0 + 5.0)
    walk.lap(T0 + 40.0)
    assert not walk.resting and walk.rests[0].duration_s == 35.0
    walk.lap(T0 + 41.0)
    assert walk.undo_lap(T0 + 42.0)
    assert walk.lap_times == [40.0]


def test_round_trip_laps_count_twice_the_course() -> None:
    walk = SixMinuteWalk(15.0, round_trip=True)
    walk.start(T0)
    walk.lap(T0 + 30.0)
    assert walk.result(7.0, T0 + 360.0).distance_m == 37.0


def test_an_early_stop_is_incomplete_and_keeps_its_time() -> None:
    walk = SixMinuteWalk(30.0)
    walk.start(T0)
    walk.lap(T0 + 30.0)
    walk.stop(T0 + 200.0)
    assert not walk.lap(T0 + 210.0)
    r = walk.result(10.0, T0 + 999.0)
    assert not r.complete and r.duration_s == 200.0 and r.distance_m == 40.0
    assert six_minute_notes(r, "m").startswith("Incomplete 6-minute walk test, stopped at 3:20")


def test_only_the_first_pain_mark_counts_and_none_before_the_start() -> None:
    walk = SixMinuteWalk(30.0)
    assert not walk.mark_pain(T0)
    walk.start(T0)
    assert walk.mark_pain(T0 + 50.0)
    assert not walk.mark_pain(T0 + 90.0)
    assert walk.pain_s == 50.0


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0.0, "6:00"),
        (0.4, "6:00"),
        (1.0, "5:59"),
        (59.5, "5:01"),
        (300.0, "1:00"),
        (359.9, "0:01"),
        (360.0, "0:00"),
    ],
)
def test_countdown_reads_six_minutes_at_the_start_and_zero_only_at_the_end(
    elapsed: float, expected: str
) -> None:
    assert countdown_text(360.0 - elapsed) == expected


def test_clock_text_never_shows_time_not_yet_passed() -> None:
    assert clock_text(59.99) == "0:59"
    assert clock_text(605.0) == "10:05"


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (30.0, None),
        (60.0, MINUTE_ANNOUNCEMENTS[1]),
        (179.0, MINUTE_ANNOUNCEMENTS[2]),
        (180.0, "You are doing well. You are halfway done."),
        (300.0, MINUTE_ANNOUNCEMENTS[5]),
        (346.0, "In a moment the test ends"),
        (360.0, "Stop!"),
    ],
)
def test_minute_announcements_follow_the_ats_protocol(elapsed: float, expected: str | None) -> None:
    text = six_minute_announcement(elapsed)
    if expected is None:
        assert text not in MINUTE_ANNOUNCEMENTS.values()
    else:
        assert text.startswith(expected)


def test_a_new_announcement_is_due_once_a_minute() -> None:
    steps = [announcement_minute(t) for t in range(0, 361)]
    changes = sum(1 for a, b in pairwise(steps) if a != b)
    assert changes == 7  # minutes 1-5, the final warning, the stop


def test_graded_treadmill_session() -> None:
    mill = TreadmillSession(3.2, Protocol.GRADED, 10.0)
    mill.start(T0)
    assert mill.grade_pct(T0 + 119.9) == 0.0
    assert mill.grade_pct(T0 + 120.0) == 2.0
    assert mill.grade_pct(T0 + 610.0) == 10.0
    assert mill.mark_pain(T0 + 250.0)
    mill.stop(T0 + 610.0)
    r = mill.result()
    speed = 3200 / 3600
    assert r.pain_m == pytest.approx(speed * 250)
    assert r.max_m == pytest.approx(speed * 610)
    assert r.grade_pct(250.0) == 4.0
    notes = treadmill_notes(r, "m")
    assert "graded protocol, 3.2 km/h, 0 % grade rising 2 % every 2 minutes" in notes
    assert "pain began at 4:10 (4 % grade, 222 m)" in notes
    assert "stopped at 10:10 (10 % grade, 542 m)" in notes


def test_constant_load_keeps_its_grade() -> None:
    mill = TreadmillSession(3.2, Protocol.CONSTANT, 12.0)
    mill.start(T0)
    mill.stop(T0 + 900.0)
    r = mill.result()
    assert r.grade_pct(800.0) == 12.0 and r.pain_m is None
    assert "constant load, 3.2 km/h at 12 % grade" in treadmill_notes(r, "m")
    assert "no pain marked" in treadmill_notes(r, "m")


@pytest.mark.parametrize(
    ("mode", "route", "speed", "pain", "stop"),
    [
        (DistanceFrom.ROUTE, 800.0, None, 800.0 * 300 / 600, 800.0),
        (DistanceFrom.SPEED, None, 3.6, 300.0, 600.0),
        (DistanceFrom.ASK, 800.0, 3.6, None, None),
    ],
)
def test_stopwatch_distances(
    mode: DistanceFrom,
    route: float | None,
    speed: float | None,
    pain: float | None,
    stop: float | None,
) -> None:
    watch = Stopwatch(mode, route_m=route, speed_kmh=speed)
    watch.start(T0)
    watch.mark_pain(T0 + 300.0)
    watch.stop(T0 + 600.0)
    r = watch.result()
    assert r.stop_s == 600.0
    assert r.pain_m == (None if pain is None else pytest.approx(pain))
    assert r.max_m == (None if stop is None else pytest.approx(stop))
    assert "stopped at 10:00" in stopwatch_notes(r, "m")


def test_the_clock_is_only_differences_of_readings() -> None:
    """A monotonic clock can start anywhere; a long gap between readings (a suspended
    terminal) is time that passed, not lost."""
    for start in (0.0, 1e9):
        walk = SixMinuteWalk(30.0)
        walk.start(start)
        walk.lap(start + 45.0)
        assert walk.elapsed(start + 200.0) == 200.0
        assert walk.result(0.0, start + 1e6).duration_s == 360.0


@pytest.mark.parametrize(
    ("metres", "seconds", "flagged"),
    [(900.0, 360.0, False), (901.0, 360.0, True), (30.0, 11.0, True), (None, 10.0, False)],
)
def test_speed_over_two_and_a_half_metres_a_second_asks(
    metres: float | None, seconds: float, flagged: bool
) -> None:
    assert (speed_warning(metres, seconds, "A distance") is not None) is flagged


def test_quick_laps_find_a_double_press() -> None:
    assert quick_laps((30.0, 31.0, 60.0, 72.0, 83.0), 30.0) == [2, 5]


@pytest.mark.parametrize(
    ("pain", "flagged"), [(None, False), (3.0, True), (9.9, True), (10, False)]
)
def test_pain_in_the_first_ten_seconds_asks(pain: float | None, flagged: bool) -> None:
    assert (early_pain_warning(pain) is not None) is flagged


@pytest.mark.parametrize(
    ("text", "metres"), [("30", 30.0), ("10", 10.0), ("100m", 100.0), ("33yd", 33 * 0.9144)]
)
def test_course_lengths_from_ten_to_a_hundred_metres(text: str, metres: float) -> None:
    assert parse_course_m(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["9", "101", "", "abc", "-30", "0.1km5"])
def test_course_length_outside_the_range_names_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_course_m(text)
    assert info.value.field == "course"


@given(st.text(max_size=12))
def test_the_setup_parsers_only_ever_raise_validation_errors(text: str) -> None:
    for parse in (
        parse_course_m,
        parse_grade_pct,
        parse_laps,
        lambda t: parse_speed_kmh("speed", t),
        lambda t: parse_partial_m(t, 30.0),
    ):
        try:
            value = parse(text)
        except ValidationError:
            continue
        assert math.isfinite(value)


def test_speeds_in_kmh_or_mph() -> None:
    assert parse_speed_kmh("speed", "3.2") == 3.2
    assert parse_speed_kmh("speed", "2 mph") == pytest.approx(3.219)
    with pytest.raises(ValidationError, match="outside"):
        parse_speed_kmh("speed", "12")


def test_partial_lap_is_required_and_at_most_one_lap() -> None:
    assert parse_partial_m("0", 30.0) == 0.0
    with pytest.raises(ValidationError, match="0 if you stopped"):
        parse_partial_m(" ", 30.0)
    with pytest.raises(ValidationError, match="one lap"):
        parse_partial_m("31", 30.0)


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("walk_test_course_m", 25.0, True),
        ("walk_test_course_m", 5, False),
        ("walk_test_round_trip", True, True),
        ("walk_test_round_trip", "yes", False),
        ("treadmill_speed_kmh", 3.2, True),
        ("treadmill_protocol", "constant", True),
        ("treadmill_protocol", "uphill", False),
        ("treadmill_grade_pct", 12, True),
        ("stopwatch_mode", "route", True),
        ("stopwatch_route_m", None, True),
        ("stopwatch_route_m", 1200.0, True),
        ("stopwatch_speed_kmh", "fast", False),
    ],
)
def test_remembered_settings_are_checked_on_import(key: str, value: object, ok: bool) -> None:
    if ok:
        parse_test_setting(key, value)
    else:
        with pytest.raises(ValidationError):
            parse_test_setting(key, value)


def test_report_sentence_names_what_the_guided_tests_measured() -> None:
    assert guided_tests_sentence({}) == ""
    text = guided_tests_sentence({"6mwt": 2, "treadmill": 1, "walk": 1})
    assert "2 6-minute walk tests (laps counted)" in text
    assert "1 treadmill session (speed × time)" in text
    assert "1 everyday walk was timed" in text


def test_notes_state_the_estimate_and_the_rests() -> None:
    r = SixMinuteResult(
        course_m=30.0,
        round_trip=False,
        lap_times_s=(60.0, 120.0),
        partial_m=10.0,
        duration_s=360.0,
        pain_s=90.0,
    )
    notes = six_minute_notes(r, "m")
    assert notes.startswith("6-minute walk test, timed in the app: 2 laps of 30 m + 10 m = 70 m")
    assert "pain began at 1:30, about 45 m (estimated from the lap times)" in notes
