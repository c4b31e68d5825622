"""After a procedure the trend waits for a usual level of its own (issue 18 point 4): not
enough walks yet until the usual-level window holds SETTLED_MIN_REFERENCE_WALKS walks with pain
from after the settling period, a clear fall named all the same, then the same rules on the
later walks only. Hand-built series, one walk a day unless said otherwise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np

from benchmarks import trend_sim
from tracker.db.models import TreatmentEvent
from tracker.domain.clinical import REFERENCE_LAST_DAYS, SETTLED_MIN_REFERENCE_WALKS
from tracker.domain.current_trend import HISTORY_DAYS
from tracker.domain.treatment import ChangePoint, trend_walks
from tracker.domain.trend import ALARMS, DECLINES, Status, TrendResult, analyse, daily_rules
from tracker.domain.walks import WalkPoint
from tracker.domain.wording import trend_status_sentence

START = date(2026, 1, 5)
PROCEDURE = date(2026, 6, 2)  # a Tuesday
COUNTS_FROM = date(2026, 6, 16)


def procedure(
    day: date = PROCEDURE, event_id: int = 1, kind: str = "angioplasty"
) -> TreatmentEvent:
    return TreatmentEvent(
        id=event_id,
        kind="procedure",
        occurred_on=day,
        procedure_type=kind,
        side="left",
        name="",
        dose="",
        description="",
        notes="",
    )


def walk(day: date, pf: float, no_pain: bool = False) -> WalkPoint:
    at = datetime.combine(day, datetime.min.time()).replace(hour=10)
    return WalkPoint(at, pf, None if no_pain else pf * 1.5, no_pain, "walk", None)


def daily(
    first: date, last: date, level: Callable[[date], float], every_other_after: date | None = None
) -> list[WalkPoint]:
    """A walk a day at `level(day)`, with a ±5 % three-day wiggle; from `every_other_after` on,
    a walk every other day."""
    days = (first + timedelta(days=k) for k in range((last - first).days + 1))
    return [
        walk(d, level(d) * (1 + (d.toordinal() % 3 - 1) * 0.05))
        for d in days
        if every_other_after is None
        or d < every_other_after
        or (d - every_other_after).days % 2 == 0
    ]


def jump(day: date) -> float:
    return 150.0 if day < PROCEDURE else 300.0


def trend(walks: Sequence[WalkPoint], events: list[TreatmentEvent], as_of: date) -> TrendResult:
    """What current_trend does, on a list."""
    kept, cp = trend_walks(walks, events, as_of, HISTORY_DAYS)
    return analyse(kept, as_of, change_point=cp)


def statuses(
    walks: Sequence[WalkPoint], events: list[TreatmentEvent], first: date, last: date
) -> dict[date, Status]:
    """The status on each day, as the app reads it that day (the cut as of that day)."""
    out = {}
    for k in range((last - first).days + 1):
        day = first + timedelta(days=k)
        kept, cp = trend_walks(walks, events, day, HISTORY_DAYS)
        rules = daily_rules(kept, day, day, change_point=cp)
        out[day] = rules[0].status
    return out


def first_status_day(seq: dict[date, Status]) -> date:
    return next(d for d, s in seq.items() if s is not Status.INSUFFICIENT)


def hold_ends(counts_from: date, walks_with_pain_per_day: float = 1.0) -> date:
    """The first Sunday whose usual-level window (to 4 weeks before it) holds enough walks with
    pain from `counts_from` on."""
    needed = counts_from + timedelta(
        days=round(SETTLED_MIN_REFERENCE_WALKS / walks_with_pain_per_day) - 1
    )
    sunday = needed + timedelta(days=REFERENCE_LAST_DAYS)
    return sunday + timedelta(days=(6 - sunday.weekday()) % 7)


def test_a_jump_with_no_fall_waits_then_is_stable_and_never_rises() -> None:
    last = PROCEDURE + timedelta(days=200)
    walks = daily(START, last, jump)
    seq = statuses(walks, [procedure()], PROCEDURE, last)
    assert first_status_day(seq) == hold_ends(COUNTS_FROM) == date(2026, 7, 26)
    after = {s for d, s in seq.items() if d >= hold_ends(COUNTS_FROM)}
    assert after == {Status.STABLE}
    # and analyse says what daily_rules says, the sentence why
    held_day = hold_ends(COUNTS_FROM) - timedelta(days=1)
    r = trend(walks, [procedure()], held_day)
    assert r.status is seq[held_day] is Status.INSUFFICIENT
    # 35 days of walks up to the day asked, not yet up to the last Sunday: but the usual level
    # waits too, so no date is promised for the trend
    assert trend_status_sentence(r, "m") == (
        "Since your angioplasty on 2 Jun, walks from 16 Jun on count for the trend: not enough "
        "yet (your usual level since then needs 12 walks with pain from before the last 4 "
        "weeks, up to 21 Jun). Keep logging."
    )
    assert trend(walks, [procedure()], hold_ends(COUNTS_FROM)).status is Status.STABLE


def test_walks_that_end_without_pain_do_not_make_the_usual_level() -> None:
    # at the new level every other walk ends without pain on a short route (a lower bound)
    last = PROCEDURE + timedelta(days=120)
    walks = [
        walk(w.walked_at.date(), 250.0, no_pain=True)
        if w.walked_at.date() >= PROCEDURE and w.walked_at.toordinal() % 2
        else w
        for w in daily(START, last, jump)
    ]
    seq = statuses(walks, [procedure()], PROCEDURE, last)
    assert first_status_day(seq) == hold_ends(COUNTS_FROM, 0.5) == date(2026, 8, 9)
    # the same cut walks without the rule get a status two weeks sooner: the span and the
    # walk counts of the 12-week test count walks without pain, and 4 days make a usual level
    kept, _ = trend_walks(walks, [procedure()], last, HISTORY_DAYS)
    plain = daily_rules(kept, PROCEDURE, last)
    first_plain = next(
        date.fromordinal(d.day) for d in plain if d.status is not Status.INSUFFICIENT
    )
    assert first_plain == date(2026, 7, 26)
    r = trend(walks, [procedure()], date(2026, 8, 1))
    assert r.status is seq[date(2026, 8, 1)] is Status.INSUFFICIENT
    assert trend_status_sentence(r, "m") == (
        "Since your angioplasty on 2 Jun, walks from 16 Jun on count for the trend: not enough "
        "yet (your usual level since then needs 12 walks with pain from before the last 4 "
        "weeks, up to 28 Jun). Keep logging."
    )


def test_a_jump_then_a_fall_is_named_against_the_new_level() -> None:
    fall = PROCEDURE + timedelta(days=91)

    def level(day: date) -> float:
        return 150.0 if day < PROCEDURE else 300.0 if day < fall else 180.0

    last = fall + timedelta(days=14)
    walks = daily(START, last, level)
    seq = statuses(walks, [procedure()], PROCEDURE, last)
    assert not any(s in DECLINES for d, s in seq.items() if d < fall)
    named = next(d for d, s in seq.items() if s in ALARMS)
    assert fall <= named <= fall + timedelta(days=7)
    r = trend(walks, [procedure()], named)
    assert r.status is Status.SUDDEN_DROP
    assert r.change_usual_m is not None and 280 < r.change_usual_m < 320
    assert trend_status_sentence(r, "m").startswith(
        "Since your angioplasty on 2 Jun, your walks since"
    )


def test_a_clear_fall_while_waiting_is_still_named() -> None:
    # a walk every other day: from Sunday 2 Aug the usual-level window (to 5 Jul) holds the 8
    # days with walks the fall check needs in a new diary, but not yet 12 walks with pain
    fall = date(2026, 7, 29)

    def level(day: date) -> float:
        return 150.0 if day < PROCEDURE else 300.0 if day < fall else 150.0

    last = fall + timedelta(days=10)
    walks = daily(START, last, level, every_other_after=COUNTS_FROM)
    seq = statuses(walks, [procedure()], PROCEDURE, last)
    assert {s for d, s in seq.items() if d < fall} == {Status.INSUFFICIENT}
    named = next(d for d, s in seq.items() if s in ALARMS)
    assert named < hold_ends(COUNTS_FROM, 0.5) and seq[named] is Status.SUDDEN_DROP
    # nothing but the alarm: once it is over the status waits again
    assert set(seq.values()) <= {Status.INSUFFICIENT, *ALARMS}


def test_a_second_procedure_starts_the_wait_again() -> None:
    second = PROCEDURE + timedelta(days=120)  # a bypass at the same 300 m level
    events = [procedure(), procedure(second, 2, "bypass")]
    last = second + timedelta(days=90)
    walks = daily(START, last, jump)
    seq = statuses(walks, events, PROCEDURE, last)
    assert seq[second - timedelta(days=1)] is Status.STABLE  # judged after the first one
    second_from = second + timedelta(days=14)
    assert {s for d, s in seq.items() if second <= d < hold_ends(second_from)} == {
        Status.INSUFFICIENT
    }
    assert {s for d, s in seq.items() if d >= hold_ends(second_from)} == {Status.STABLE}
    r = trend(walks, events, hold_ends(second_from) - timedelta(days=1))
    assert trend_status_sentence(r, "m").startswith(
        "Since your bypass on 30 Sep, walks from 14 Oct on count for the trend: not enough yet"
    )


def test_a_procedure_with_no_walks_after_it_waits() -> None:
    walks = daily(START, PROCEDURE - timedelta(days=1), jump)
    as_of = PROCEDURE + timedelta(days=30)
    r = trend(walks, [procedure()], as_of)
    assert r.status is Status.INSUFFICIENT and r.n_exact == 0 and r.n_reference == 0
    assert trend_status_sentence(r, "m") == (
        "Since your angioplasty on 2 Jun, walks from 16 Jun on count for the trend: not enough "
        "yet (0 walks with pain, a trend needs 6). Keep logging."
    )
    assert analyse(walks, as_of).status is not Status.INSUFFICIENT  # the old walks would


def test_once_the_wait_is_over_the_rules_are_those_of_any_diary() -> None:
    """The change point changes no status and no figure after the wait: the same rules, on the
    walks after the procedure only (a simulated diary with a jump, scatter and no-pain walks)."""
    rng = np.random.default_rng(3)
    start = trend_sim.START
    p_day = 182

    def shape(t: np.ndarray) -> np.ndarray:
        return np.where(t >= p_day, np.log(2.0), 0.0)

    diary = trend_sim.diary(rng, p_day + 300, shape, phi=0.3, walk_rate=0.7)
    event = procedure(start + timedelta(days=p_day))
    last = start + timedelta(days=p_day + 299)
    kept, cp = trend_walks(diary.walks, [event], last, HISTORY_DAYS)
    assert cp is not None
    with_cp = daily_rules(kept, cp.procedure_on, last, change_point=cp)
    without = daily_rules(kept, cp.procedure_on, last)
    waited = [a for a, b in zip(with_cp, without, strict=True) if a != b]
    assert waited and all(a.status is Status.INSUFFICIENT for a in waited)
    end_of_wait = max(a.day for a in waited)
    assert end_of_wait < (cp.counts_from + timedelta(days=120)).toordinal()
    for k in range(0, 150, 13):
        day = date.fromordinal(end_of_wait + 7 + k)
        a, b = analyse(kept, day, change_point=cp), analyse(kept, day)
        # the history (the status 7 days before, since when, the weeks with a decline) may
        # reach back into the wait; the day's own status and figures may not
        history = {"previous_status": None, "status_since": None, "decline_weeks": ()}
        assert replace(a, change_point=None, **history) == replace(b, **history)
        assert a.change_point == cp and isinstance(cp, ChangePoint)


def test_after_a_long_break_the_sentence_names_the_whole_weeks() -> None:
    # 7 weeks of walks after the settling period, 8 weeks without, then daily walks again: the
    # usual level since the procedure has its walks, the 12 weeks to the last Sunday not yet
    # their 35 days, though those up to the day asked have
    as_of = date(2026, 11, 28)  # a Saturday; the last Sunday is 22 Nov
    back = date(2026, 10, 20)
    walks = daily(START, COUNTS_FROM + timedelta(days=48), jump) + daily(back, as_of, jump)
    r = trend(walks, [procedure()], as_of)
    assert r.status is Status.INSUFFICIENT and r.span_days < 35 <= r.span_to_date_days
    assert r.n_reference >= SETTLED_MIN_REFERENCE_WALKS
    assert trend_status_sentence(r, "m") == (
        "Since your angioplasty on 2 Jun, walks from 16 Jun on count for the trend: not enough "
        "yet (the trend is worked out on whole weeks: not before the week ending Sun 29 Nov). "
        "Keep logging."
    )
    assert trend(walks, [procedure()], date(2026, 11, 29)).status is not Status.INSUFFICIENT
