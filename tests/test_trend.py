"""The detector's rules on hand-built series: the shapes of issue 12, the boundaries, and that
no sentence contradicts its own figures."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.domain import trend as T
from tracker.domain.stats import MannKendall
from tracker.domain.trend import (
    ALARMS,
    DECLINES,
    Rule,
    Status,
    analyse,
    daily_statuses,
    week_end_for,
)
from tracker.domain.walks import WalkInput
from tracker.domain.wording import (
    SUDDEN_FALL_IF_NONE,
    trend_figures,
    trend_lines,
    trend_status_label,
    trend_status_sentence,
    trend_summary,
)

SUNDAY = date(2026, 11, 22)
START = date(2026, 1, 5)  # a Monday


@dataclass(frozen=True)
class W:
    walked_at: datetime
    pain_free_m: float
    no_pain: bool = False
    max_m: float | None = None
    rest_min: float | None = None


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def series(days: list[int], value: object, end: date = SUNDAY, **kw: object) -> list[W]:
    """Walks `days` before `end` (0 = end itself); `value(d)` gives the distance."""
    f = value if callable(value) else (lambda _d: value)
    return [W(at(end - timedelta(days=d)), float(f(d)), **kw) for d in sorted(days, reverse=True)]


def wobble(d: int) -> float:
    """Deterministic ±10 % scatter, no trend."""
    return 250 * math.exp(0.1 * math.sin(d * 2.3))


def noisy(d: int) -> float:
    """Deterministic scatter of about ±25 % (CV of everyday walks), no trend."""
    return math.exp(0.25 * math.sin(d * 2.3) + 0.12 * math.sin(d * 0.77 + 1))


def diary(level: Callable[[int], float], days: int, *, skip: tuple[int, ...] = (2, 5)) -> list[W]:
    """Walks on days 0..days-1 from START (not on `skip` weekdays), `level(d)` times noisy(d)."""
    return [
        W(at(START + timedelta(days=d)), round(level(d) * noisy(d)))
        for d in range(days)
        if (START + timedelta(days=d)).weekday() not in skip
    ]


def on(d: int) -> date:
    return START + timedelta(days=d)


# --- basics -------------------------------------------------------------------------------
def test_week_end_is_the_last_complete_sunday() -> None:
    assert week_end_for(SUNDAY) == SUNDAY
    assert week_end_for(SUNDAY + timedelta(days=1)) == SUNDAY
    assert week_end_for(SUNDAY + timedelta(days=6)) == SUNDAY
    assert week_end_for(SUNDAY + timedelta(days=7)) == SUNDAY + timedelta(days=7)


def test_eleven_walks_are_not_enough_and_twelve_are() -> None:
    days = [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40]
    r = analyse(series(days, wobble), SUNDAY)
    assert r.status is Status.INSUFFICIENT and r.n_exact == 11
    assert "11 of 12" in trend_status_sentence(r, "m")
    r = analyse(series([*days, 44], wobble), SUNDAY)
    assert r.n_exact == 12 and r.status is Status.STABLE and r.about_the_same


def test_walks_spanning_34_days_are_not_enough_but_35_are() -> None:
    short = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 29, 31, 33, 34]
    r = analyse(series(short, wobble), SUNDAY)
    assert r.status is Status.INSUFFICIENT and r.span_days == 34
    assert "at least 35" in trend_status_sentence(r, "m")
    r = analyse(series([*short[:-1], 35], wobble), SUNDAY)
    assert r.status is Status.STABLE and r.span_days == 35


def test_a_trend_needs_walks_from_before_the_last_4_weeks() -> None:
    r = analyse(series([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 29, 35], wobble), SUNDAY)
    assert r.status is Status.INSUFFICIENT
    assert "before the last 4 weeks" in trend_status_sentence(r, "m")


def test_stable_series_is_about_the_same_with_its_figures() -> None:
    r = analyse(series(list(range(0, 200)), wobble), SUNDAY)
    assert r.status is Status.STABLE and r.about_the_same
    assert r.window_median_m == pytest.approx(250, rel=0.05)
    assert r.previous_status is Status.STABLE
    text = trend_status_sentence(r, "m")
    assert "about the same" in text and "usual 2" in text
    assert r.mk_p is not None and r.mk_p >= 0.05
    assert r.recent_vs_usual_pct is not None and abs(r.recent_vs_usual_pct) < 20


def test_only_walks_up_to_the_day_asked_count() -> None:
    walks = series(list(range(0, 200)), wobble) + series([-1, -2, -3], 10)
    r = analyse(walks, SUNDAY)
    assert r.status is Status.STABLE and r.last_walk == SUNDAY
    assert r == analyse(list(reversed(walks)), SUNDAY)


def test_the_status_on_each_day_is_the_one_analyse_gives_for_that_day() -> None:
    walks = diary(lambda d: 300 if d < 200 else 170, 240)
    days = daily_statuses(walks, on(150), on(239))
    for d in (150, 199, 200, 202, 204, 206, 210, 215, 225, 239):
        assert analyse(walks, on(d)).status is days[d - 150], d


# --- falls ----------------------------------------------------------------------------------
def issue_shape(d: int) -> float:
    """Three months at about 230 m, then a fall to about 140 m over three weeks."""
    if d < 91:
        return 230
    if d < 112:
        return 230 * math.exp(math.log(140 / 230) * (d - 90) / 21)
    return 140


def test_a_fall_over_three_weeks_is_a_decline_within_a_week_of_its_end() -> None:
    walks = diary(issue_shape, 140)
    for d in range(112, 119):
        r = analyse(walks, on(d))
        if r.status in ALARMS:
            break
    else:
        pytest.fail("no decline within 7 days of the fall's end")
    assert Rule.RECENT_FALL in r.raised_by or Rule.SUDDEN_FALL in r.raised_by
    assert r.change_pct is not None and r.change_pct < -20
    assert r.change_median_m is not None and r.change_usual_m is not None
    assert r.change_median_m < 0.8 * r.change_usual_m
    text = trend_status_sentence(r, "m")
    assert "about the same" not in text
    assert f"{r.change_walks} walks" in text


def test_about_the_same_is_never_said_beside_a_recent_median_20_percent_lower() -> None:
    walks = diary(issue_shape, 140)
    for d in range(60, 140):
        r = analyse(walks, on(d))
        if r.about_the_same:
            assert r.recent_vs_usual_pct is not None and r.recent_vs_usual_pct > -20
            assert r.mk_p is None or r.mk_p >= 0.05


def step_diary(first_low: int, drop: float = 0.45, days: int | None = None) -> list[W]:
    """Daily walks, level 300 m, then `drop` lower from day `first_low` on."""
    end = days or first_low + 30
    return [
        W(at(on(d)), round(300 * (1 - drop if d >= first_low else 1) * noisy(d)))
        for d in range(end)
    ]


@pytest.mark.parametrize("weekday", range(7))
def test_a_drop_on_any_weekday_is_seen_within_days_and_on_every_day_after(weekday: int) -> None:
    """The same walks shifted to start on each weekday: the fall is named after the same
    number of days (no waiting for Sunday) and stays named on each following day."""
    first_low = 200 + (weekday - on(200).weekday()) % 7
    assert on(first_low).weekday() == weekday
    walks = step_diary(first_low)
    days = daily_statuses(walks, on(first_low), on(first_low + 14))
    named = [i for i, s in enumerate(days) if s in DECLINES]
    assert named and named[0] <= 4
    assert all(s in DECLINES for s in days[named[0] :])
    alarms = [i for i, s in enumerate(days) if s is Status.SUDDEN_DROP]
    assert alarms and alarms[0] <= 7


def test_the_delay_does_not_depend_on_the_weekday() -> None:
    delays = set()
    for weekday in range(7):
        first_low = 200 + (weekday - on(200).weekday()) % 7
        walks = [
            W(at(on(d)), round(300 * (0.55 if d >= first_low else 1) * noisy(d - first_low)))
            for d in range(first_low + 20)
        ]
        days = daily_statuses(walks, on(first_low), on(first_low + 14))
        delays.add(next(i for i, s in enumerate(days) if s is Status.SUDDEN_DROP))
    assert len(delays) <= 2  # the weekly usual level may shift it by a day, no more


def test_a_sudden_fall_names_the_walks_since_it_began_and_comes_with_the_questions() -> None:
    walks = step_diary(200)
    r = analyse(walks, on(206))
    assert r.status is Status.SUDDEN_DROP
    assert r.episode_start == r.change_start == on(200)
    assert r.change_walks == 7 and r.change_first_walk == on(200)
    assert r.change_last_walk == on(206)
    assert r.change_median_m is not None and r.change_usual_m is not None
    assert r.change_median_m == pytest.approx(0.55 * r.change_usual_m, rel=0.15)
    lines = trend_lines(r, "m")
    assert "a median of" in lines[0] and "7 walks" in lines[0] and "Fri 24 Jul" in lines[0]
    assert any("cold, pale" in line for line in lines)
    assert SUDDEN_FALL_IF_NONE in lines
    assert "Look out for" in SUDDEN_FALL_IF_NONE  # named as something to watch, not reported
    figures = " ".join(trend_figures(r, "m"))
    assert "Walks since" in figures and "Mann-Kendall" not in figures and "p =" not in figures
    # the doctor's report leaves out what is addressed to the patient
    assert not any("cold, pale" in line for line in trend_lines(r, "m", for_patient=False))


def test_the_sudden_fall_episode_keeps_its_first_day() -> None:
    walks = step_diary(200, days=240)
    starts = {analyse(walks, on(d)).episode_start for d in range(206, 226)}
    assert starts == {on(200)}


def test_a_fall_needs_three_walks_not_one() -> None:
    walks = [*step_diary(200, drop=0.7, days=199), W(at(on(199)), 380.0), W(at(on(200)), 60.0)]
    assert analyse(walks, on(200)).status not in DECLINES
    walks.append(W(at(on(201)), 60.0))
    assert analyse(walks, on(201)).status not in DECLINES
    walks.append(W(at(on(202)), 60.0))
    assert analyse(walks, on(202)).status is Status.SUDDEN_DROP


def test_a_dip_then_recovery_ends_the_alarm_with_back_to_usual() -> None:
    walks = [
        W(at(on(d)), round(300 * (0.55 if 200 <= d < 210 else 1) * noisy(d))) for d in range(240)
    ]
    during = analyse(walks, on(207))
    assert during.status is Status.SUDDEN_DROP
    after = [analyse(walks, on(d)) for d in range(210, 225)]
    ended = next(i for i, r in enumerate(after) if r.status not in ALARMS)
    assert ended <= 4  # three walks back at the usual level end it
    r = after[ended]
    assert r.recovered_since is not None and on(210) <= r.recovered_since <= on(213)
    assert r.recovered_from == on(200)
    assert any("back to your usual level since" in line for line in trend_lines(r, "m"))
    assert all(x.status not in ALARMS for x in after[ended:])


def test_a_short_errand_without_pain_is_no_fall() -> None:
    walks = step_diary(10**6, days=240)  # no drop
    walks += [W(at(on(d), 18), 80.0, no_pain=True) for d in range(225, 240)]
    r = analyse(walks, on(239))
    assert r.status not in DECLINES


# --- walks without pain, improvement ---------------------------------------------------------
def route_diary(pct_month: float, days: int = 300, onset: int = 180) -> list[W]:
    """Improving from `onset`; every other day the 350 m route, which ends without pain once
    the pain-free distance is longer than the route."""
    rate = math.log(1 + pct_month / 100) / 30.44
    out = []
    for d in range(days):
        true = 250 * math.exp(rate * max(0, d - onset)) * noisy(d)
        if d % 2 and true > 350:
            out.append(W(at(on(d)), 350.0, no_pain=True))
        else:
            out.append(W(at(on(d)), round(true)))
    return out


def test_walks_without_pain_count_as_lower_bounds_and_an_improvement_shows() -> None:
    walks = route_diary(15)
    r = analyse(walks, on(270))
    assert r.n_censored > 10
    assert r.status is Status.IMPROVING
    assert r.status not in DECLINES
    dropped = [w for w in walks if not w.no_pain]
    r_dropped = analyse(dropped, on(270))
    # the lower bounds add what the dropped walks hide: the walks since the rise began are longer
    if r.change_median_m is not None and r_dropped.change_median_m is not None:
        assert r.change_median_m >= r_dropped.change_median_m
    assert any("ended without pain" in line for line in trend_lines(r, "m"))


def test_all_walks_without_pain_is_not_enough_for_a_trend() -> None:
    r = analyse(series(list(range(0, 80, 2)), 300, no_pain=True), SUNDAY)
    assert r.status is Status.INSUFFICIENT and r.n_exact == 0 and r.n_censored == 40
    assert "with pain" in trend_status_sentence(r, "m")


def test_growth_of_20_percent_a_month_is_getting_longer() -> None:
    rate = math.log(1.2) / 30.44
    walks = series(list(range(0, 200)), lambda d: 250 * math.exp(-rate * d))
    r = analyse(walks, SUNDAY)
    assert r.status is Status.IMPROVING
    assert r.slope_pct_month is not None and r.slope_pct_month == pytest.approx(20, abs=4)
    assert "getting longer" in trend_status_sentence(r, "m")


def test_a_slow_steady_fall_is_a_decline_on_the_12_week_trend() -> None:
    rate = math.log(0.85) / 30.44
    walks = series(list(range(0, 300)), lambda d: 250 * math.exp(-rate * d) * noisy(d))
    r = analyse(walks, SUNDAY)
    assert r.status in ALARMS
    assert r.slope_pct_month is not None and r.slope_pct_month < -5


# --- the boundaries of "about the same" ---------------------------------------------------
class _FixedWeeks(T._Engine):
    """An engine whose weekly estimates are given, to probe the weekly rules exactly."""

    def __init__(self, weeks: dict[int, T._Week]) -> None:
        super().__init__(T._Series([]))
        self.weeks = weeks


def week(end: int, *, p: float, s: int, level_pct: float) -> T._Week:
    mk = MannKendall(s, 100.0, 0.0, p)
    return T._Week(
        end, None, 5.5, 5.5, 60, 0.25, 0.1, (1.0,) * 29, True, mk, (), math.log(1 + level_pct / 100)
    )


@pytest.mark.parametrize(
    ("p", "s", "level_pct", "about", "status"),
    [
        (0.051, -20, -19.9, True, Status.STABLE),
        (0.049, -20, -19.9, False, Status.STABLE),
        (0.051, -20, -20.1, False, Status.STABLE),
        (0.051, 20, 19.9, True, Status.STABLE),
        (0.051, 20, 20.1, False, Status.POSSIBLE_IMPROVEMENT),
        (0.049, 20, 9.9, False, Status.STABLE),
        (0.049, 20, 10.1, False, Status.IMPROVING),
        (0.009, -30, -5.0, False, Status.STABLE),  # one weekly check is not yet a decline
    ],
)
def test_about_the_same_boundaries(
    p: float, s: int, level_pct: float, about: bool, status: Status
) -> None:
    end = 7 * 100_000
    engine = _FixedWeeks(
        {
            end: week(end, p=p, s=s, level_pct=level_pct),
            end - 7: week(end - 7, p=0.5, s=0, level_pct=0),
        }
    )
    base = engine.base(end)
    assert base.about_the_same is about
    assert base.status is status


def with_recent_walks(wk: T._Week, z_recent: float) -> T._Week:
    """The week with a day value on each of its 8-week check's days: z = 0 in the 26 weeks
    before, `z_recent` (in standard deviations from usual) in the last 8 weeks."""
    from dataclasses import replace
    from itertools import accumulate

    first = wk.end - T.c.SLOW_SPAN_DAYS + 1
    days = tuple(range(first, wk.end + 1))
    z = [z_recent if d > wk.end - T.c.SLOW_DAYS else 0.0 for d in days]
    return replace(wk, lv_days=days, lv_pre=(0.0, *accumulate(z)))


@pytest.mark.parametrize(("z_recent", "declines"), [(-0.5, True), (-0.05, False)])
def test_a_falling_trend_on_two_weekly_checks_is_a_decline_when_the_8_weeks_agree(
    z_recent: float, declines: bool
) -> None:
    """Two pieces of evidence under one false-alarm budget: the 12-week trend falling at
    p < 0.01 on two checks, and the walks of the last 8 weeks clearly below the weeks before."""
    end = 7 * 100_000
    engine = _FixedWeeks(
        {
            end: with_recent_walks(week(end, p=0.009, s=-30, level_pct=-5), z_recent),
            end - 7: week(end - 7, p=0.008, s=-29, level_pct=-4),
        }
    )
    slow = T._slow_at(engine.week(end), end)
    assert slow is not None and (slow.z >= T.c.TREND_CONFIRM_SLOW_Z) is declines
    expected = Status.SUSTAINED_DECLINE if declines else Status.STABLE
    assert engine.base(end).status is expected


# --- method switch, CLI text and JSON ----------------------------------------------------
def add(store_path: Path, rows: list[tuple[datetime, float, str]]) -> None:
    store = open_store(store_path)
    store.add_walks(
        [
            WalkInput(t, v, v * 1.5, None, False, None, None, None, None, m, "", "typed")
            for t, v, m in rows
        ]
    )
    store.close()


def test_the_status_follows_the_method_in_use_and_names_its_last_walk(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    end = date(2026, 11, 20)
    rows = [(at(end - timedelta(days=d)), 250 * noisy(d), "walk") for d in range(20, 220)]
    rows += [(at(end - timedelta(days=d)), 120 * noisy(d), "treadmill") for d in (1, 4, 8, 11, 15)]
    add(db, rows)
    runner = CliRunner()
    base = ["--db", str(db), "trend", "--as-of", end.isoformat()]
    data = json.loads(runner.invoke(app, [*base, "--json"]).stdout)
    assert data["method"] == "treadmill" and data["last_walk"] == "2026-11-19"
    text = runner.invoke(app, base).stdout
    assert "Trend for treadmills: not enough walks yet" in text
    assert "the last one was on Thu 19 Nov" in text
    assert "Also logged" in text and "--method walk" in text
    walk = json.loads(runner.invoke(app, [*base, "--method", "walk", "--json"]).stdout)
    assert walk["method"] == "walk" and walk["last_walk"] == "2026-10-31"


def test_one_method_among_three_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    rows = []
    for d in range(200):
        day = SUNDAY - timedelta(days=d)
        rows.append((at(day, 9), wobble(d), "walk"))
        rows.append((at(day, 11), 120.0 * (0.5 if d < 8 else 1) * noisy(d), "treadmill"))
        if d % 14 == 0:
            rows.append((at(day, 12), 300.0, "6mwt"))
    add(db, rows)
    runner = CliRunner()
    base = ["--db", str(db), "trend", "--as-of", SUNDAY.isoformat()]
    walk = json.loads(runner.invoke(app, [*base, "--method", "walk", "--json"]).stdout)
    tread = json.loads(runner.invoke(app, [*base, "--method", "treadmill", "--json"]).stdout)
    six = json.loads(runner.invoke(app, [*base, "--method", "6mwt", "--json"]).stdout)
    assert walk["status"] == "stable" and walk["about_the_same"] is True
    assert tread["status"] == "sudden-drop" and tread["episode_start"] is not None
    assert six["status"] == "insufficient-data" and six["n_exact"] == 6
    text = runner.invoke(app, [*base, "--method", "treadmill"]).stdout
    assert "Trend for treadmills: sudden fall" in text
    assert "sudden-drop" not in text  # codes are for --json only
    assert "Figures: Walks since" in text


DOCUMENTED_KEYS = [
    "schema",
    "status",
    "previous_status",
    "status_since",
    "method",
    "as_of",
    "week_end",
    "window_start",
    "n_exact",
    "n_censored",
    "censored_share",
    "span_days",
    "first_walk",
    "last_walk",
    "mk_s",
    "mk_p",
    "slope_pct_month",
    "slope_pct_month_low",
    "slope_pct_month_high",
    "window_median_m",
    "baseline_median_m",
    "early_median_m",
    "recent_median_m",
    "n_reference",
    "cusum_statistic",
    "cusum_threshold",
    "cusum_sigma",
    "weekly",
    "below_marker",
    "marker_m",
    "marker_since_week",
    "relief_over_10_min",
    "relief_checked",
    "relief_flag",
    "max_falling",
    "max_slope_pct_month",
    "cigarettes_per_day_window",
    "cigarettes_per_day_before",
    "smoking_status",
    "decline_weeks",
    "unit",
    "sentences",
]

NEW_KEYS = [
    "status_label",
    "figures",
    "raised_by",
    "about_the_same",
    "episode_start",
    "change_start",
    "change_median_m",
    "change_usual_m",
    "change_pct",
    "change_walks",
    "change_first_walk",
    "change_last_walk",
    "change_z",
    "change_z_alarm",
    "change_z_possible",
    "change_z_rise",
    "recovered_since",
    "recovered_from",
    "usual_now_m",
    "recent_vs_usual_pct",
    "n_recent",
    "reference_start",
    "reference_end",
    "trend_weeks",
    "mk_p_previous",
    "autocorrelation",
    "seasonal_adjusted",
    "seasonal_amplitude_pct",
    "data_days",
    "change_reference_start",
    "change_reference_end",
    "change_reference_walks",
    "slow_z",
    "slow_z_week_end",
    "slow_z_possible",
    "slow_z_hold",
    "slow_z_confirm",
]


def test_trend_json_has_the_documented_keys_old_and_new(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "e.db"), "trend", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(DOCUMENTED_KEYS) <= set(data)
    assert set(NEW_KEYS) <= set(data)
    assert data["status"] == "insufficient-data"
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for key in NEW_KEYS:
        assert f"`{key}`" in readme, key


def test_every_status_has_words_and_the_summary_starts_with_them() -> None:
    for status in Status:
        label = trend_status_label(status)
        assert label and "-" not in label
    r = analyse(series(list(range(0, 200)), wobble), SUNDAY)
    assert trend_summary(r, "m").startswith("No clear change: ")


# --- no sentence contradicts its figures ----------------------------------------------------
def _pct_claims(text: str) -> list[tuple[int, str]]:
    return [(int(n), word) for n, word in re.findall(r"(\d+) % (above|below|shorter)", text)]


def check_consistency(r: T.TrendResult) -> None:
    text = trend_status_sentence(r, "m")
    if "about the same" in text:
        assert r.status is Status.STABLE and r.about_the_same
        assert r.mk_p is None or r.mk_p >= 0.05
        assert r.recent_vs_usual_pct is not None and abs(r.recent_vs_usual_pct) < 20
    if r.status is Status.STABLE and r.mk_p is not None and r.mk_p < 0.05:
        assert "about the same" not in text
    for n, word in _pct_claims(text):
        pct = r.change_pct if "walks since" in text or "walk since" in text else None
        if pct is None:
            pct = r.recent_vs_usual_pct
        assert pct is not None
        assert (pct > 0) == (word == "above"), (text, pct)
        assert abs(abs(pct) - n) <= 0.5 + 1e-9, (text, pct)
    if r.status in (Status.SUDDEN_DROP, Status.POSSIBLE_DECLINE) or Rule.RECENT_FALL in r.raised_by:
        assert r.change_pct is not None and r.change_pct < 0
        assert r.change_median_m is not None and r.change_usual_m is not None
        assert r.change_median_m < r.change_usual_m
        assert f"{r.change_walks} walk" in text
    if r.status is Status.IMPROVING:
        assert (r.change_pct is not None and r.change_pct > 0) or (
            (r.slope_pct_month or 0) > 0 and (r.recent_vs_usual_pct or 0) >= 10
        )
    if r.status is Status.SUSTAINED_DECLINE and Rule.TREND in r.raised_by and "a month" in text:
        assert (r.slope_pct_month or 0) < 0
    json.loads(json.dumps(r.to_dict(), allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(60, 400),
    st.floats(0.3, 1.8),
    st.integers(0, 120),
    st.floats(0.0, 0.5),
    st.integers(0, 6),
    st.floats(0.05, 0.45),
    st.integers(0, 10_000),
)
def test_no_status_sentence_contradicts_its_figures(
    days: int, factor: float, change_at: int, censored: float, skip: int, spread: float, seed: int
) -> None:
    """Generated diaries: a level, a change by `factor` some days before the end, scatter,
    gaps and walks without pain; every day of the last weeks is checked."""
    import random

    rng = random.Random(seed)
    walks = []
    for d in range(days):
        if d % 7 == skip and rng.random() < 0.7:
            continue
        level = 250 * (factor if d >= days - change_at else 1.0)
        value = max(10.0, round(level * math.exp(rng.gauss(0, spread))))
        walks.append(W(at(on(d), 8 + d % 9), value, no_pain=rng.random() < censored))
    for d in range(max(0, days - 21), days, 3):
        check_consistency(analyse(walks, on(d)))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.integers(0, 200), st.just(100)),  # some walks cluster on one day
            st.one_of(st.integers(0, 1439), st.integers(600, 610)),
            st.floats(1, 50_000),
            st.booleans(),
            st.one_of(st.none(), st.floats(0, 60)),
        ),
        max_size=60,
    ),
    st.one_of(st.integers(-20, 250), st.just(101)),
)
def test_any_series_gives_a_status_with_finite_figures(
    rows: list[tuple[int, int, float, bool, float | None]], offset: int
) -> None:
    start = datetime(2026, 1, 5)
    walks = [
        W(start + timedelta(days=d, minutes=m), pf, no_pain, None if no_pain else pf * 1.2, rest)
        for d, m, pf, no_pain, rest in rows
    ]
    r = analyse(walks, (start + timedelta(days=offset)).date())
    data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert data["status"] in {s.value for s in Status}
    check_consistency(r)


# --- the rest of the lines ------------------------------------------------------------------
def test_marker_below_200_m_and_the_week_it_began() -> None:
    walks = series(list(range(0, 200)), lambda d: 180 if d < 21 else 260)
    r = analyse(walks, SUNDAY)
    assert r.below_marker is True
    assert r.marker_since_week == SUNDAY - timedelta(days=20)
    assert any(
        "below the 200 m mark" in line and "not a stage" in line for line in trend_lines(r, "m")
    )
    assert analyse(series(list(range(0, 84)), 260), SUNDAY).below_marker is False


def test_relief_over_10_minutes_on_2_of_the_last_5_walks_is_flagged() -> None:
    walks = series(list(range(5, 84)), wobble, rest_min=3.0)
    walks += [
        W(at(SUNDAY - timedelta(days=d)), 250, rest_min=r)
        for d, r in ((4, 12.0), (3, 3.0), (2, 15.0), (1, 2.0), (0, 4.0))
    ]
    r = analyse(walks, SUNDAY)
    assert r.relief_flag and r.relief_over_10_min == 2
    assert any("over 10 minutes" in line and "doctor" in line for line in trend_lines(r, "m"))
    walks[-3] = W(walks[-3].walked_at, 250, rest_min=5.0)
    assert not analyse(walks, SUNDAY).relief_flag


def test_falling_maximum_with_steady_pain_free_is_reported_not_alarmed() -> None:
    rate = math.log(0.8) / 30.44
    walks = [
        W(w.walked_at, w.pain_free_m, max_m=max(w.pain_free_m, 500 * math.exp(rate * (83 - d))))
        for d, w in zip(range(83, -1, -1), series(list(range(0, 84)), wobble), strict=True)
    ]
    r = analyse(walks, SUNDAY)
    assert r.status is Status.STABLE and r.max_falling
    assert any("maximum walking distance has been falling" in line for line in trend_lines(r, "m"))


def test_smoking_alongside_without_causal_words() -> None:
    cigs = {SUNDAY - timedelta(days=d): (5 if d < 84 else 15) for d in range(168)}
    r = analyse(series(list(range(84)), wobble), SUNDAY, cigarettes=cigs)
    assert r.cigarettes_per_day_window == 5 and r.cigarettes_per_day_before == 15
    text = " ".join(trend_lines(r, "m")).lower()
    assert "because" not in text and "caused by smoking" not in text


def test_cold_months_are_named_until_the_seasonal_pattern_can_be_allowed_for() -> None:
    walks = step_diary(200)
    r = analyse(walks, on(206))
    assert not r.seasonal_adjusted and r.data_days < 456
    assert any("Cold months can shorten walks" in line for line in trend_lines(r, "m"))


def seasonal_diary(days: int, amplitude: float = 0.15) -> list[W]:
    return [
        W(
            at(on(d)),
            round(300 * math.exp(amplitude * math.sin(2 * math.pi * d / 365.25)) * noisy(d)),
        )
        for d in range(days)
    ]


def test_fifteen_months_of_a_yearly_swing_are_allowed_for() -> None:
    walks = seasonal_diary(900)
    r = analyse(walks, on(899))
    assert r.seasonal_adjusted and r.data_days >= 456
    assert r.seasonal_amplitude_pct == pytest.approx(16, abs=5)
    assert any("seasonal pattern of your own walks" in line for line in trend_figures(r, "m"))
    # the autumn fall of the swing is not a decline once the pattern is known
    falls = [analyse(walks, on(d)).status for d in range(600, 900, 10)]
    assert not any(s in ALARMS for s in falls)


def test_the_same_sentence_on_the_dashboard_review_report_and_cli(tmp_path: Path) -> None:
    from tracker.domain.dashboard import summarise
    from tracker.domain.report import build_report
    from tracker.domain.review import build_review
    from tracker.domain.wording import review_lines

    db = tmp_path / "t.db"
    end = date(2026, 11, 24)
    rows = [
        (at(end - timedelta(days=d)), round(300 * (0.5 if d < 6 else 1) * noisy(d)), "walk")
        for d in range(220)
    ]
    add(db, rows)
    store = open_store(db)
    summary = summarise(store, datetime.combine(end, datetime.min.time()).replace(hour=18))
    assert summary.trend is not None and summary.trend.status is Status.SUDDEN_DROP
    expected = trend_summary(summary.trend, "m")
    review = build_review(store, end - timedelta(days=end.weekday()), end)
    assert any(expected in line for line in review_lines(review, "m"))
    report = build_report(store, end - timedelta(days=182), end, datetime(2026, 11, 24, 18))
    shown = report.methods[0].trend
    assert trend_status_sentence(shown, "m") == trend_status_sentence(summary.trend, "m")
    store.close()
    text = CliRunner().invoke(app, ["--db", str(db), "trend", "--as-of", end.isoformat()]).stdout
    assert trend_status_sentence(summary.trend, "m") in text.replace("\n  ", " ")


def test_the_weekly_rows_are_the_shared_weekly_aggregate_and_best_is_never_a_lower_bound() -> None:
    """Issue 14 point 6: `tracker trend --json`'s weekly rows are the chart's and the report's
    rows, and a walk without pain (a lower bound) is never the week's best pain-free distance."""
    from tracker.domain.walks import WalkPoint
    from tracker.domain.weekly import weekly_stats

    as_of = date(2026, 11, 24)
    walks = []
    for d in range(1, 120):
        at = datetime.combine(as_of - timedelta(days=d), datetime.min.time()) + timedelta(hours=9)
        no_pain = d % 5 == 0
        metres = 400.0 if no_pain else 200.0 + 30 * math.sin(d)
        walks.append(
            WalkPoint(at, metres, None if no_pain else metres * 1.6, no_pain, "walk", None)
        )
    r = T.analyse(walks, as_of)
    last = r.weekly[-1].week_start + timedelta(days=6)
    rows = weekly_stats(walks, "walk", first=r.weekly[0].week_start, last=last)
    assert len(r.weekly) == len(rows) == 12
    for got, want in zip(r.weekly, rows, strict=True):
        assert (got.week_start, got.n_exact, got.n_censored) == (
            want.week_start, want.with_pain, want.without_pain,
        )  # fmt: skip
        assert (got.median_m, got.best_m) == (want.median_pf_m, want.best_pf_m)
        assert got.best_m is not None and got.best_m < 400.0
    assert any(w.n_censored for w in r.weekly)


def test_the_summary_does_not_say_its_label_twice() -> None:
    """A new diary's dashboard read "Not enough walks yet: Not enough walks yet for a trend"."""
    from tracker.domain.walks import WalkPoint
    from tracker.domain.wording import trend_status_label, trend_summary

    at = datetime(2026, 12, 2, 9)
    r = T.analyse([WalkPoint(at, 180.0, 320.0, False, "walk", None)], at.date())
    label = trend_status_label(r.status)
    text = trend_summary(r, "m")
    assert text.lower().count(label.lower()) == 1, text


def test_not_enough_walks_counts_the_walk_logged_today() -> None:
    """Right after a first walk on a Wednesday the sentence read "0 of 12 in the 12 weeks to
    Sun 29 Nov": it counted to the last Sunday only."""
    wednesday = date(2026, 12, 2)
    r = T.analyse([W(at(wednesday), 180.0)], wednesday)
    assert r.status is Status.INSUFFICIENT
    assert r.n_exact == 0 and r.walks_to_date == 1
    assert "(1 of 12 in the last 12 weeks)" in trend_status_sentence(r, "m")


def test_enough_walks_since_sunday_says_when_the_first_trend_is_due() -> None:
    """12 walks with pain over 6 weeks, the last three after Sunday: enough up to today, not
    yet in the whole weeks the trend test uses; the sentence says so and names the Sunday."""
    wednesday = date(2026, 12, 2)
    days = [0, 1, 2, 5, 9, 13, 17, 21, 25, 29, 33, 40]  # days before Wednesday
    walks = series(days, wobble, end=wednesday)
    r = T.analyse(walks, wednesday)
    assert r.walks_to_date == 12 and r.span_to_date_days == 40
    assert r.status is Status.INSUFFICIENT
    assert r.n_exact + r.n_censored < 12
    text = trend_status_sentence(r, "m")
    assert "enough walks for a first trend (12 in the last 12 weeks)" in text
    assert "week ending Sun 6 Dec" in text
    on_sunday = T.analyse([*walks, W(at(date(2026, 12, 6)), 250.0)], date(2026, 12, 6))
    assert on_sunday.status is not Status.INSUFFICIENT
