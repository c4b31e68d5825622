"""A revascularisation as the trend's change point, on hand-built series (domain.md §11)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.models import TreatmentEvent
from tracker.db.opening import open_store
from tracker.domain.clinical import SETTLING_DAYS
from tracker.domain.current_trend import HISTORY_DAYS, current_trend
from tracker.domain.events import EventInput
from tracker.domain.treatment import trend_walks
from tracker.domain.trend import Status, TrendResult, analyse
from tracker.domain.walks import WalkInput, WalkPoint
from tracker.domain.wording import trend_lines, trend_status_sentence

AS_OF = date(2026, 11, 24)
PROCEDURE = date(2026, 9, 3)


def ev(kind: str, day: date, event_id: int, **fields: str) -> TreatmentEvent:
    values = {"name": "", "dose": "", "description": "", "notes": "", **fields}
    return TreatmentEvent(id=event_id, kind=kind, occurred_on=day, **values)


def angioplasty(day: date = PROCEDURE, event_id: int = 1) -> TreatmentEvent:
    return ev("procedure", day, event_id, procedure_type="angioplasty", side="left")


def point(day: date, pf: float) -> WalkPoint:
    return WalkPoint(
        datetime.combine(day, datetime.min.time()).replace(hour=9), pf, None, False, "walk", None
    )


def series(first: date, last: date, level: Callable[[date], float]) -> list[WalkPoint]:
    """A walk a day; `level(day)` gives the distance, with a ±5 % three-day wiggle."""
    out = []
    for k in range((last - first).days + 1):
        day = first + timedelta(days=k)
        out.append(point(day, level(day) * (1 + (k % 3 - 1) * 0.05)))
    return out


def trend(walks: list[WalkPoint], events: list[TreatmentEvent], as_of: date = AS_OF) -> TrendResult:
    """What `current_trend` does, on a list."""
    kept, cp = trend_walks(walks, events, as_of, HISTORY_DAYS)
    return analyse(kept, as_of, change_point=cp)


def jump(day: date) -> float:
    return 150.0 if day < PROCEDURE else 300.0


START = date(2026, 3, 1)


def test_the_cut_keeps_walks_from_the_end_of_the_settling_period() -> None:
    walks = series(START, AS_OF, jump)
    kept, cp = trend_walks(walks, [angioplasty()], AS_OF, HISTORY_DAYS)
    assert cp is not None and cp.procedure == "angioplasty" and cp.event_id == 1
    assert cp.counts_from == PROCEDURE + timedelta(days=SETTLING_DAYS) == date(2026, 9, 17)
    assert kept[0].walked_at.date() == cp.counts_from
    assert len(kept) == (AS_OF - cp.counts_from).days + 1
    assert len(walks) > len(kept)  # the input is left as it was


def test_walks_on_the_procedure_day_do_not_count() -> None:
    walks = [point(PROCEDURE, 150), point(PROCEDURE, 600), point(date(2026, 9, 16), 400)]
    kept, cp = trend_walks(walks, [angioplasty()], AS_OF, HISTORY_DAYS)
    assert cp is not None and kept == []


def test_a_jump_with_no_later_fall_waits_for_the_new_level_then_is_stable() -> None:
    # 27 Oct: the usual level's window (to 27 Sep, 4 weeks before the last Sunday) holds 11
    # walks with pain since the settling period, one short of a usual level
    early = date(2026, 10, 27)
    walks = series(START, early, jump)
    assert analyse(walks, early).status is Status.IMPROVING  # the old level mixed in
    held = trend(walks, [angioplasty()], early)
    assert held.status is Status.INSUFFICIENT and held.n_exact == 39 and held.n_reference == 11
    assert trend_status_sentence(held, "m") == (
        "Since your angioplasty on 3 Sep, walks from 17 Sep on count for the trend: not "
        "enough yet (your usual level since then needs 12 walks with pain from before the "
        "last 4 weeks, up to 27 Sep). Keep logging."
    )
    # a week later the window holds 18 of them: judged on the walks after the procedure only
    as_of = date(2026, 11, 3)  # the 12 weeks hold walks from before and after it
    walks = series(START, as_of, jump)
    mixed = analyse(walks, as_of)
    r = trend(walks, [angioplasty()], as_of)
    assert mixed.status is Status.IMPROVING  # the old level mixed in reads as improvement
    assert r.status is Status.STABLE
    assert r.first_walk is not None and r.first_walk >= date(2026, 9, 17)
    assert 280 < (r.window_median_m or 0) < 320
    sentence = trend_status_sentence(r, "m")
    assert sentence.startswith("Since your angioplasty on 3 Sep, your pain-free distance has")
    assert "about the same (median 300 m;" in sentence
    assert "last 12 weeks" not in sentence  # only the walks after 17 Sep count
    assert r.to_dict()["change_point"] == {
        "procedure_on": "2026-09-03",
        "counts_from": "2026-09-17",
        "procedure": "angioplasty",
        "event_id": 1,
    }


def test_a_later_fall_is_a_sudden_drop_against_the_post_procedure_baseline() -> None:
    # 150 m before; 300 m from the procedure; 150 m again in the last two weeks checked. The
    # baseline's weeks (-12..-4) hold walks from before and after the procedure.
    procedure = date(2026, 10, 1)

    def level(day: date) -> float:
        return 150.0 if day < procedure or day >= date(2026, 11, 9) else 300.0

    walks = series(START, AS_OF, level)
    r = trend(walks, [angioplasty(procedure)])
    mixed = analyse(walks, AS_OF)
    assert r.status is Status.SUDDEN_DROP
    assert r.baseline_median_m is not None and 280 < r.baseline_median_m < 320
    assert mixed.baseline_median_m is not None and mixed.baseline_median_m < 280
    # baseline (and noise) walks: 15 Oct (settled) to 25 Oct (4 weeks before the week end)
    assert r.n_reference == (date(2026, 10, 25) - date(2026, 10, 15)).days + 1
    assert mixed.n_reference > r.n_reference
    # the walks since the fall began against the post-procedure level (issue 12 point 6)
    assert trend_status_sentence(r, "m") == (
        "Since your angioplasty on 1 Oct, your walks since Mon 9 Nov are shorter than usual: a "
        "median of 150 m over 16 walks (Mon 9 Nov – Tue 24 Nov), against your usual 300 m "
        "before (50 % shorter)."
    )
    assert r.recent_median_m is not None and r.recent_median_m < 240


def test_a_slow_fall_after_the_procedure_names_it() -> None:
    def level(day: date) -> float:
        if day < PROCEDURE:
            return 150.0
        return 300.0 * 0.97 ** max(0, (day - date(2026, 9, 17)).days / 7)

    r = trend(series(START, AS_OF, level), [angioplasty()])
    assert r.status in (Status.POSSIBLE_DECLINE, Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP)
    assert trend_status_sentence(r, "m").startswith("Since your angioplasty on 3 Sep, ")


def test_two_procedures_the_latest_counts() -> None:
    second = date(2026, 10, 20)
    events = [angioplasty(), ev("procedure", second, 2, procedure_type="bypass")]
    kept, cp = trend_walks(series(START, AS_OF, jump), events, AS_OF, HISTORY_DAYS)
    assert cp is not None and cp.procedure == "bypass" and cp.procedure_on == second
    assert kept[0].walked_at.date() == second + timedelta(days=SETTLING_DAYS)
    # as of a day before the second, the first one still counts
    _, earlier = trend_walks([], events, second - timedelta(days=1), HISTORY_DAYS)
    assert earlier is not None and earlier.procedure == "angioplasty"


def test_a_procedure_with_no_walks_after_it_says_why_there_is_no_trend() -> None:
    walks = series(START, PROCEDURE - timedelta(days=1), jump)
    as_of = date(2026, 9, 22)
    r = trend(walks, [angioplasty()], as_of)
    assert r.status is Status.INSUFFICIENT and r.n_exact == 0
    assert trend_status_sentence(r, "m") == (
        "Since your angioplasty on 3 Sep, walks from 17 Sep on count for the trend: not "
        "enough yet (0 walks with pain, a trend needs 6). Keep logging."
    )
    # without the procedure the old walks would still give a trend
    assert analyse(walks, as_of).status is not Status.INSUFFICIENT


def test_too_short_a_span_after_the_procedure_says_so() -> None:
    procedure = date(2026, 10, 14)
    r = trend(series(START, AS_OF, jump), [angioplasty(procedure)])
    assert r.status is Status.INSUFFICIENT and r.n_exact >= 12
    assert (
        "walks from 28 Oct on count for the trend: not enough yet (28 walks with pain over "
        "27 days, a trend needs 35)" in trend_status_sentence(r, "m")  # up to the day asked
    )


def test_medication_and_programme_starts_never_cut() -> None:
    events = [
        ev("medication-start", PROCEDURE, 1, category="cilostazol"),
        ev("programme-start", PROCEDURE, 2),
        ev("other", PROCEDURE, 3, description="hospital stay"),
    ]
    walks = series(START, AS_OF, jump)
    kept, cp = trend_walks(walks, events, AS_OF, HISTORY_DAYS)
    assert cp is None and kept == walks
    assert not trend_status_sentence(trend(walks, events), "m").startswith("Since")


def test_deleted_future_and_long_past_procedures_do_not_cut() -> None:
    walks = series(START, AS_OF, jump)
    deleted = angioplasty()
    deleted.deleted_at = datetime(2026, 10, 1)
    future = angioplasty(AS_OF + timedelta(days=3))
    old = angioplasty(AS_OF - timedelta(days=HISTORY_DAYS + SETTLING_DAYS))
    for e in (deleted, future, old):
        kept, cp = trend_walks(walks, [e], AS_OF, HISTORY_DAYS)
        assert cp is None and kept == walks
    recent_enough = angioplasty(AS_OF - timedelta(days=HISTORY_DAYS + SETTLING_DAYS - 1))
    assert trend_walks(walks, [recent_enough], AS_OF, HISTORY_DAYS)[1] is not None


def test_current_trend_and_the_cli_json_carry_the_change_point(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    store = open_store(db)
    rows = []
    for w in series(date(2026, 7, 1), AS_OF, jump):
        rows.append(
            WalkInput(
                w.walked_at,
                w.pain_free_m,
                None,
                None,
                False,
                None,
                None,
                None,
                None,
                "walk",
                "",
                "typed",
            )
        )
    store.add_walks(rows)
    store.add_event(EventInput("procedure", PROCEDURE, procedure_type="angioplasty"))
    r = current_trend(store, AS_OF)
    assert r.change_point is not None and r.change_point.counts_from == date(2026, 9, 17)
    assert r.status is Status.STABLE
    assert trend_lines(r, "m")[0].startswith("Since your angioplasty on 3 Sep, ")
    store.close()
    out = CliRunner().invoke(app, ["trend", "--json", "--as-of", "2026-11-24", "--db", str(db)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["change_point"]["procedure_on"] == "2026-09-03"
    assert data["change_point"]["counts_from"] == "2026-09-17"
    assert data["sentences"][0].startswith("Since your angioplasty on 3 Sep, ")
    text = CliRunner().invoke(app, ["trend", "--as-of", "2026-11-24", "--db", str(db)]).output
    assert "Since your angioplasty on 3 Sep, your pain-free distance" in text
