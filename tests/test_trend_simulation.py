"""A reduced, fixed-seed run of benchmarks/simulate_trend.py (docs/trend.md has the full table):
realistic diaries (autocorrelated, weekday effects, holidays, route-dependent walks without
pain, walks on 40-80 % of days), each evaluated on every day as a person opening the app daily
sees it. Bounds are issue 12's targets where the full run meets them, else the documented
figures less their Monte-Carlo margin, so that a regression fails."""

from __future__ import annotations

from functools import partial

from benchmarks import trend_sim as sim


def within(rate: sim.Rate, target: float) -> bool:
    """The target lies inside the run's Monte-Carlo band (1.5 standard errors): a reduced run
    cannot tell 0.09 from 0.11, but it does tell 0.2 from 0.1."""
    return rate.value - 1.5 * rate.error <= target


def test_stable_diaries_rarely_alarm_and_rarely_say_may_be_shorter() -> None:
    r = sim.false_alarms(seed=101, n=100, phi=0.3)
    assert within(r["alarm"], 0.10)
    assert within(r["possible"], 0.30)
    r = sim.false_alarms(seed=102, n=50, phi=0.6)
    assert within(r["alarm"], 0.20)


def test_a_40_percent_step_is_named_within_a_week_and_alarmed_within_two() -> None:
    step = partial(sim.step, 0.4)
    d = sim.detection(103, 80, step, phi=0.0, within=(7, 14), walk_rate=0.6)
    assert d.named_within[7].value >= 0.5
    assert d.named_within[14].value >= 0.9
    assert d.alarm_within[14].value >= 0.75
    d = sim.detection(104, 80, step, phi=0.3, within=(7, 14), walk_rate=0.6)
    assert d.named_within[7].value >= 0.5
    assert d.named_within[14].value >= 0.8


def test_a_fall_over_three_weeks_is_named_within_a_week_of_its_end() -> None:
    d = sim.detection(105, 60, partial(sim.fall, 0.35), phi=0.0, within=(7,), reference_offset=20)
    assert d.named_within[7].value >= 0.75


def test_an_improving_programme_shows_as_improving_and_not_as_a_decline() -> None:
    r = sim.improvement(106, 40, phi=0.3)
    assert r.improving.value >= 0.8
    assert r.decline.value <= 0.05
    assert r.censored_at_end > 0.3  # the route-dependent walks without pain are there


def test_after_a_dip_the_alarm_ends_once_the_walks_are_back() -> None:
    r = sim.dip_and_recovery(107, 60, phi=0.3)
    assert r.alarmed.value >= 0.4
    assert r.still_alarmed_after[14].value <= 0.05
