"""The detector's rules on hand-built series: one per status, and the boundaries."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.domain.trend import Status, analyse, week_end_for
from tracker.domain.walks import WalkInput
from tracker.domain.wording import trend_lines, trend_status_sentence

SUNDAY = date(2026, 11, 22)


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
    assert r.n_exact == 12 and r.status is Status.STABLE


def test_twelve_walks_spanning_34_days_are_not_enough_but_35_are() -> None:
    short = [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 34]
    r = analyse(series(short, wobble), SUNDAY)
    assert r.status is Status.INSUFFICIENT and r.span_days == 34
    assert "at least 35" in trend_status_sentence(r, "m")
    r = analyse(series([*short[:-1], 35], wobble), SUNDAY)
    assert r.status is Status.STABLE and r.span_days == 35


def test_walks_without_pain_are_counted_but_never_tested() -> None:
    walks = series(list(range(0, 80, 2)), 300, no_pain=True)
    r = analyse(walks, SUNDAY)
    assert r.status is Status.INSUFFICIENT
    assert r.n_exact == 0 and r.n_censored == 40 and r.censored_share == 1.0
    assert any("40 of your 40 walks" in line for line in trend_lines(r, "m"))
    # lower bounds far below the exact walks must not create a decline
    mixed = series(list(range(0, 80, 2)), wobble) + series(list(range(1, 20, 2)), 50, no_pain=True)
    assert analyse(mixed, SUNDAY).status is Status.STABLE


def test_stable_series_is_stable_with_its_median() -> None:
    r = analyse(series(list(range(0, 84)), wobble), SUNDAY)
    assert r.status is Status.STABLE
    assert r.window_median_m == pytest.approx(250, rel=0.05)
    assert r.previous_status is Status.STABLE
    assert "about the same" in trend_status_sentence(r, "m")


def grow(pct: float, noise: float = 0.03):  # type: ignore[no-untyped-def]
    rate = math.log(1 + pct / 100) / 30.44
    return lambda d: 250 * math.exp(-rate * d + noise * math.sin(d * 2.3))


def test_growth_of_20_percent_a_month_is_improving() -> None:
    r = analyse(series(list(range(0, 84)), grow(20)), SUNDAY)
    assert r.status is Status.IMPROVING
    assert r.slope_pct_month == pytest.approx(20, abs=2)
    assert r.slope_pct_month_low is not None and r.slope_pct_month_low > 10
    assert "getting longer, about +20 % a month" in trend_status_sentence(r, "m")


def test_growth_of_5_percent_a_month_is_stable_though_significant() -> None:
    r = analyse(series(list(range(0, 84)), grow(5, noise=0.01)), SUNDAY)
    assert r.mk_p is not None and r.mk_p < 0.01
    assert r.status is Status.STABLE


def test_decline_is_possible_first_and_sustained_a_week_later() -> None:
    first_week = SUNDAY
    walks = series(list(range(0, 36)), grow(-15, noise=0.01), end=first_week)
    r = analyse(walks, first_week)
    assert r.status is Status.POSSIBLE_DECLINE
    assert r.previous_status is Status.INSUFFICIENT
    assert "may be getting shorter (about −15 % a month" in trend_status_sentence(r, "m")
    later = series(list(range(0, 43)), grow(-15, noise=0.01), end=first_week + timedelta(days=7))
    r2 = analyse(later, first_week + timedelta(days=7))
    assert r2.status is Status.SUSTAINED_DECLINE
    text = trend_status_sentence(r2, "m")
    assert "kept falling" in text and "Please talk it over with your doctor." in text
    assert first_week + timedelta(days=7) in r2.decline_weeks


def test_sustained_needs_only_a_negative_slope_not_the_10_percent() -> None:
    walks = series(list(range(0, 84)), grow(-6, noise=0.005))
    r = analyse(walks, SUNDAY)
    assert r.status is Status.SUSTAINED_DECLINE
    assert -10 < (r.slope_pct_month or 0) < 0


def step_values(drop_days: int, factor: float = 0.6):  # type: ignore[no-untyped-def]
    return lambda d: wobble(d) * (factor if d < drop_days else 1.0)


def test_sudden_drop_fires_on_a_40_percent_step_and_wins() -> None:
    walks = series(list(range(0, 120)), step_values(10))
    r = analyse(walks, SUNDAY)
    assert r.status is Status.SUDDEN_DROP
    assert r.cusum_statistic is not None and r.cusum_statistic > r.cusum_threshold
    lines = trend_lines(r, "m")
    assert "much shorter than usual" in lines[0]
    assert any("cold, pale" in line for line in lines)
    assert any("next few days" in line for line in lines)


def test_sudden_drop_needs_8_walks_in_its_reference_window() -> None:
    recent = list(range(0, 27))
    seven_ref = [*recent, 29, 31, 33, 35, 37, 39, 41]
    r = analyse(series(seven_ref, step_values(27, 0.4)), SUNDAY)
    assert r.n_reference == 7 and r.status is not Status.SUDDEN_DROP
    r = analyse(series([*seven_ref, 43], step_values(27, 0.4)), SUNDAY)
    assert r.n_reference == 8 and r.status is Status.SUDDEN_DROP


def test_cusum_has_its_own_gate_and_wins_over_insufficient_data() -> None:
    days = [0, 2, 4, 6, 8, 10, 12, 14, 28, 29, 30, 31, 32, 33, 33, 33]
    walks = series(days, step_values(27, 0.3))
    r = analyse(walks, SUNDAY)
    assert r.span_days < 35
    assert r.status is Status.SUDDEN_DROP


def test_only_walks_up_to_the_evaluation_date_count() -> None:
    walks = series(list(range(0, 84)), wobble) + series([-1, -2, -3], 10)
    assert analyse(walks, SUNDAY).status is Status.STABLE
    assert analyse(walks, SUNDAY) == analyse(list(reversed(walks)), SUNDAY)


def test_marker_below_200_m_and_the_week_it_began() -> None:
    walks = series(list(range(0, 84)), lambda d: 180 if d < 21 else 260)
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
    mx = grow(-20, noise=0.01)
    walks = [
        W(w.walked_at, w.pain_free_m, max_m=max(w.pain_free_m, 2 * mx(d)))
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


def test_one_method_among_three_through_the_cli(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    rows = []
    for d in range(84):
        day = SUNDAY - timedelta(days=d)
        for method, value in (
            ("walk", wobble(d)),
            ("treadmill", 120.0 * (0.6 if d < 14 else 1)),
            ("6mwt", 300.0),
        ):
            if method == "6mwt" and d % 14:
                continue
            rows.append(
                WalkInput(
                    at(day),
                    value,
                    value * 1.5,
                    None,
                    False,
                    None,
                    None,
                    None,
                    None,
                    method,
                    "",
                    "typed",
                )
            )
    store.add_walks(rows)
    store.close()
    runner = CliRunner()
    base = ["--db", str(tmp_path / "t.db"), "trend", "--as-of", SUNDAY.isoformat()]
    walk = runner.invoke(app, [*base, "--method", "walk", "--json"])
    tread = runner.invoke(app, [*base, "--method", "treadmill", "--json"])
    six = runner.invoke(app, [*base, "--method", "6mwt", "--json"])
    assert walk.exit_code == tread.exit_code == six.exit_code == 0
    assert json.loads(walk.stdout)["status"] == "stable"
    assert json.loads(tread.stdout)["status"] == "sudden-drop"
    six_data = json.loads(six.stdout)
    assert six_data["status"] == "insufficient-data" and six_data["n_exact"] == 6
    text = runner.invoke(app, base)
    assert text.exit_code == 0 and "Also logged" in text.stdout


def test_trend_json_has_the_documented_keys(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "e.db"), "trend", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in (
        "schema",
        "status",
        "method",
        "as_of",
        "week_end",
        "n_exact",
        "n_censored",
        "slope_pct_month",
        "slope_pct_month_low",
        "slope_pct_month_high",
        "mk_p",
        "baseline_median_m",
        "weekly",
        "status_since",
        "below_marker",
        "marker_since_week",
        "relief_flag",
        "max_falling",
        "cigarettes_per_day_window",
        "cigarettes_per_day_before",
        "smoking_status",
        "sentences",
    ):
        assert key in data
    assert data["status"] == "insufficient-data"


def test_dense_windows_use_daily_medians_and_keep_the_verdict() -> None:
    """Ten walks a day: the tests run on daily medians, the counts stay per walk."""
    walks = [
        W(
            at(SUNDAY - timedelta(days=d), hour=8 + k),
            250 * math.exp(-d * 0.007) * math.exp(0.05 * math.sin(d * 7 + k)),
        )
        for d in range(84)
        for k in range(10)
    ]
    r = analyse(walks, SUNDAY)
    assert r.n_exact == 840
    assert r.status is Status.IMPROVING
    assert r.slope_pct_month == pytest.approx((math.exp(0.007 * 30.44) - 1) * 100, abs=3)


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
