"""A reduced, fixed-seed run of benchmarks/simulate_trend.py: the issue's targets at CV 25 %."""

from __future__ import annotations

from functools import partial

from benchmarks import trend_sim as sim
from tracker.domain.trend import ALARMS, Status


def test_stable_patients_rarely_alarm() -> None:
    rates = sim.false_alarms(seed=11, n=120, cv=0.25)
    assert rates["sustained"] <= 0.10
    assert rates["sudden"] <= 0.10


def test_a_40_percent_step_drop_is_caught_by_sudden_drop_within_4_weeks() -> None:
    share, delay = sim.detection(12, 80, 0.25, partial(sim.step, 0.4), (Status.SUDDEN_DROP,), 4)
    assert share >= 0.95
    assert delay is not None and delay <= 2


def test_a_decline_of_10_percent_a_month_is_caught_within_26_weeks() -> None:
    share, _ = sim.detection(13, 80, 0.25, partial(sim.monthly, -10.0), ALARMS, 26)
    assert share >= 0.90


def test_an_improving_programme_is_never_called_a_decline() -> None:
    result = sim.improvement(14, 60, 0.25)
    assert result["improving_share"] >= 0.9
    assert result["decline_share"] == 0.0
