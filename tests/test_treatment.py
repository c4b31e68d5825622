"""Walks read against treatment events: period, change point, markers, "since", programme week."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

import pytest

from tracker.db.models import TreatmentEvent
from tracker.domain.treatment import (
    ChartMarker,
    PainFreeReader,
    chart_markers,
    courses,
    events_between,
    latest_revascularisation,
    programme_week,
    since_figures,
    stopped_on,
)
from tracker.domain.walks import WalkPoint
from tracker.domain.wording import (
    describe_event,
    event_summary,
    marker_label,
    programme_line,
    since_lines,
)

TODAY = date(2026, 11, 24)


def ev(kind: str, day: str, event_id: int, **fields: object) -> TreatmentEvent:
    values: dict[str, object] = {"name": "", "dose": "", "description": "", "notes": ""}
    values.update(fields)
    return TreatmentEvent(id=event_id, kind=kind, occurred_on=date.fromisoformat(day), **values)


def walks(first: date, last: date, pf: float, *, no_pain_every: int = 0) -> list[WalkPoint]:
    out = []
    for k in range((last - first).days + 1):
        day = first + timedelta(days=k)
        censored = bool(no_pain_every) and k % no_pain_every == 0
        out.append(
            WalkPoint(
                datetime.combine(day, datetime.min.time()).replace(hour=9),
                pf * (1 + (k % 3 - 1) * 0.05),
                None,
                censored,
                "walk",
                None,
            )
        )
    return out


def reader(ws: list[WalkPoint]) -> PainFreeReader:
    """What the store's `pain_free_median` gives, over a list."""

    def read(start: date, end: date) -> tuple[float | None, int]:
        values = [w.pain_free_m for w in ws if not w.no_pain and start <= w.walked_at.date() <= end]
        return (statistics.median(values) if values else None), len(values)

    return read


ANGIOPLASTY = ev("procedure", "2026-09-03", 1, procedure_type="angioplasty", side="left")
BYPASS = ev("procedure", "2025-03-10", 2, procedure_type="bypass", side="right")
CILOSTAZOL = ev("medication-start", "2026-09-01", 3, category="cilostazol", dose="100 mg")
PROGRAMME = ev("programme-start", "2026-10-07", 4)


def test_events_between_leaves_out_deleted_events_and_keeps_both_ends() -> None:
    gone = ev("other", "2026-10-01", 5, description="hospital stay")
    gone.deleted_at = datetime(2026, 10, 2)
    events = [PROGRAMME, gone, ANGIOPLASTY, CILOSTAZOL, BYPASS]
    got = events_between(events, date(2026, 9, 1), date(2026, 10, 7))
    assert [e.id for e in got] == [3, 1, 4]


def test_latest_revascularisation_is_the_last_procedure_up_to_the_day() -> None:
    events = [CILOSTAZOL, ANGIOPLASTY, BYPASS]
    assert latest_revascularisation(events, TODAY) is ANGIOPLASTY
    assert latest_revascularisation(events, date(2026, 9, 2)) is BYPASS
    assert latest_revascularisation(events, date(2025, 3, 9)) is None
    assert latest_revascularisation([CILOSTAZOL, PROGRAMME], TODAY) is None


def test_chart_markers_have_one_word_labels_and_flag_procedures() -> None:
    stop = ev("medication-stop", "2026-11-01", 6, category="statin")
    other_med = ev("medication-start", "2026-11-02", 7, category="other", name="pentoxifylline 400")
    stay = ev("other", "2026-11-03", 8, description="hospital stay")
    end = ev("programme-end", "2026-11-04", 9)
    events = [ANGIOPLASTY, CILOSTAZOL, PROGRAMME, stop, other_med, stay, end, BYPASS]
    markers = chart_markers(events, date(2026, 8, 1), TODAY)
    assert markers == (
        ChartMarker(date(2026, 9, 1), "cilostazol", "medication-start", False),
        ChartMarker(date(2026, 9, 3), "angioplasty", "procedure", True),
        ChartMarker(date(2026, 10, 7), "programme", "programme-start", False),
        ChartMarker(date(2026, 11, 1), "statin-stop", "medication-stop", False),
        ChartMarker(date(2026, 11, 2), "pentoxifylline", "medication-start", False),
        ChartMarker(date(2026, 11, 3), "hospital", "other", False),
        ChartMarker(date(2026, 11, 4), "programme-end", "programme-end", False),
    )
    assert all(" " not in m.label for m in markers)
    assert marker_label(ev("procedure", "2026-01-01", 10, procedure_type="other")) == "procedure"


@pytest.mark.parametrize(
    ("monday", "week", "line"),
    [
        (date(2026, 9, 28), None, None),
        (date(2026, 10, 5), 1, "Exercise programme: week 1 of 12 (started Wed 07 Oct 2026)."),
        (date(2026, 11, 2), 5, "Exercise programme: week 5 of 12 (started Wed 07 Oct 2026)."),
        (date(2026, 12, 21), 12, "Exercise programme: week 12 of 12 (started Wed 07 Oct 2026)."),
        (
            date(2027, 1, 4),
            14,
            "Exercise programme: week 14, past the planned 12 weeks (started Wed 07 Oct 2026); "
            "the guidelines advise keeping the walking up.",
        ),
    ],
)
def test_a_programme_start_gives_the_review_its_week(
    monday: date, week: int | None, line: str | None
) -> None:
    p = programme_week([ANGIOPLASTY, PROGRAMME], monday)
    assert (p.week if p else None) == week
    assert (programme_line(p) if p else None) == line


def test_a_programme_that_ended_shows_its_end_that_week_and_nothing_after() -> None:
    end = ev("programme-end", "2026-12-04", 11)
    events = [PROGRAMME, end]
    p = programme_week(events, date(2026, 11, 30))
    assert p is not None and p.week == 9 and p.ended_on == date(2026, 12, 4)
    assert programme_line(p) == (
        "Exercise programme: week 9, ended on Fri 04 Dec (started Wed 07 Oct 2026)."
    )
    assert programme_week(events, date(2026, 12, 7)) is None
    restart = ev("programme-start", "2027-01-06", 12)
    again = programme_week([*events, restart], date(2027, 1, 11))
    assert again is not None and again.week == 2 and again.ended_on is None


def test_courses_pair_starts_with_their_stops() -> None:
    stop = ev("medication-stop", "2026-10-01", 20, category="cilostazol")
    restart = ev("medication-start", "2026-11-01", 21, category="cilostazol")
    orphan = ev("medication-stop", "2026-02-01", 22, category="statin", name="simvastatin")
    statin = ev("medication-start", "2026-03-01", 23, category="statin", name="atorvastatin")
    events = [restart, stop, CILOSTAZOL, orphan, statin, PROGRAMME]
    pairs = [(c.start and c.start.id, c.stop and c.stop.id) for c in courses(events)]
    assert pairs == [(None, 22), (23, None), (3, 20), (4, None), (21, None)]
    assert stopped_on(CILOSTAZOL, events) == date(2026, 10, 1)
    assert stopped_on(restart, events) is None


# --- the dashboard's "since" line ---------------------------------------------------------
def test_since_a_procedure_the_median_of_the_walks_after_it() -> None:
    before = walks(date(2026, 8, 1), date(2026, 9, 2), 150)
    on_the_day = walks(date(2026, 9, 3), date(2026, 9, 3), 5000)
    after = walks(date(2026, 9, 4), TODAY, 420, no_pain_every=4)
    figures = since_figures([ANGIOPLASTY], reader(before + on_the_day + after), TODAY, "walk")
    assert len(figures) == 1
    f = figures[0]
    exact_after = [w.pain_free_m for w in after if not w.no_pain]
    assert f.after_walks == len(exact_after)
    assert f.after_median_m == pytest.approx(420)
    assert f.before_walks == 28 and f.before_median_m == pytest.approx(150)
    assert since_lines(figures, "m", TODAY) == [
        f"Since your angioplasty on 3 Sep: median pain-free 420 m ({f.after_walks} walks; "
        "150 m in the 4 weeks before)."
    ]


def test_since_a_procedure_without_walks_after_it() -> None:
    figures = since_figures(
        [ANGIOPLASTY], reader(walks(date(2026, 8, 1), date(2026, 9, 3), 150)), TODAY, "walk"
    )
    assert since_lines(figures, "m", TODAY) == [
        "Since your angioplasty on 3 Sep: no walks with pain logged yet."
    ]


def test_a_medication_start_is_context_with_both_medians_side_by_side() -> None:
    ws = walks(date(2026, 7, 1), date(2026, 8, 31), 180) + walks(date(2026, 9, 2), TODAY, 240)
    figures = since_figures([CILOSTAZOL], reader(ws), TODAY, "walk")
    (f,) = figures
    assert f.before_median_m == pytest.approx(180) and f.after_median_m == pytest.approx(240)
    assert f.after_from == TODAY - timedelta(days=27)
    (line,) = since_lines(figures, "m", TODAY)
    assert line == (
        "Since starting cilostazol on 1 Sep the median pain-free distance went from 180 m to "
        "240 m (28 walks in the 4 weeks before, 28 in the last 4 weeks)."
    )
    for causal in ("because", "thanks", "due to", "effect", "worked", "helped"):
        assert causal not in line


def test_since_line_in_another_unit_and_year() -> None:
    ws = walks(date(2025, 12, 1), date(2025, 12, 31), 180) + walks(
        date(2026, 1, 2), date(2026, 1, 31), 240
    )
    start = ev("medication-start", "2026-01-01", 3, category="naftidrofuryl")
    figures = since_figures([start], reader(ws), date(2026, 2, 10), "walk")
    (line,) = since_lines(figures, "yd", date(2027, 1, 1))
    assert "starting naftidrofuryl on 1 Jan 2026" in line and "197 yd to 262 yd" in line


def test_context_after_a_procedure_uses_only_walks_after_the_procedure() -> None:
    statin = ev("medication-start", "2026-09-20", 6, category="statin", name="atorvastatin")
    ws = walks(date(2026, 8, 1), date(2026, 9, 2), 150) + walks(date(2026, 9, 4), TODAY, 400)
    figures = since_figures([ANGIOPLASTY, statin, CILOSTAZOL], reader(ws), TODAY, "walk")
    assert [f.event.id for f in figures] == [1, 6]
    assert figures[1].before_median_m == pytest.approx(400)
    assert figures[1].before_walks == 16
    line = since_lines(figures, "m", TODAY)[1]
    assert line.startswith("Since starting atorvastatin (statin) on 20 Sep the median")
    assert line.endswith("(16 walks in the 16 days before, 28 in the last 4 weeks).")


@pytest.mark.parametrize(
    ("extra", "today", "expected_ids"),
    [
        ([ev("medication-stop", "2026-11-01", 9, category="cilostazol")], TODAY, []),
        ([], date(2027, 3, 3), []),
        ([], TODAY, [3]),
        (
            [
                ev(
                    "medication-start",
                    "2026-09-01",
                    9,
                    category="cilostazol",
                    deleted_at=datetime(2026, 9, 2),
                )
            ],
            TODAY,
            [3],
        ),
    ],
)
def test_which_start_is_context(
    extra: list[TreatmentEvent], today: date, expected_ids: list[int]
) -> None:
    ws = walks(date(2026, 7, 1), today, 200)
    figures = since_figures([CILOSTAZOL, *extra], reader(ws), today, "walk")
    assert [f.event.id for f in figures] == expected_ids


def test_too_few_walks_to_compare_says_so() -> None:
    ws = walks(date(2026, 11, 20), TODAY, 240)
    start = ev("programme-start", "2026-11-19", 5)
    figures = since_figures([start], reader(ws), TODAY, "walk")
    assert since_lines(figures, "m", TODAY) == [
        "Started the exercise programme on 19 Nov; too few walks with pain around it to "
        "compare yet (0 in the 4 weeks before, 5 since)."
    ]


# --- wording ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("event", "text"),
    [
        (ANGIOPLASTY, "2026-09-03: angioplasty, left leg"),
        (
            ev("procedure", "2026-09-03", 1, procedure_type="stent", side="both"),
            "2026-09-03: stent, both legs",
        ),
        (CILOSTAZOL, "2026-09-01: started cilostazol, 100 mg"),
        (
            ev("medication-start", "2026-09-01", 1, category="cilostazol", name="Pletal"),
            "2026-09-01: started Pletal (cilostazol)",
        ),
        (ev("medication-stop", "2026-09-01", 1, category="statin"), "2026-09-01: stopped statin"),
        (PROGRAMME, "2026-10-07: started a supervised exercise programme"),
        (
            ev("programme-end", "2026-12-30", 1, notes="done"),
            '2026-12-30: ended the supervised exercise programme – "done"',
        ),
        (
            ev("other", "2026-10-01", 1, description="hospital stay", notes="3\nnights"),
            '2026-10-01: hospital stay – "3 nights"',
        ),
        (ev("other", "2026-10-01", 1, notes="hospital stay"), "2026-10-01: hospital stay"),
    ],
)
def test_events_are_described_in_one_line(event: TreatmentEvent, text: str) -> None:
    assert describe_event(event) == text
    assert "\n" not in event_summary(event)
