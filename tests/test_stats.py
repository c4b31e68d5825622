from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sp

from tracker.domain import stats
from tracker.domain.stats import kendall_s, lower_cusum, mad, mann_kendall, median, theil_sen


def datasets() -> list[tuple[list[float], list[float]]]:
    rng = random.Random(7)
    out = []
    for n in (3, 5, 12, 40, 90):
        x = sorted(rng.uniform(0, 80) for _ in range(n))
        y = [rng.gauss(0, 1) - 0.01 * xi for xi in x]
        out.append((x, y))
        # ties in values and in time: rounded distances, several walks on one day
        xt = [float(int(v) // 3) for v in x]
        yt = [float(round(v, 0)) for v in y]
        out.append((xt, yt))
        # walks handed over in no particular order
        shuffled = list(zip(xt, y, strict=True))
        rng.shuffle(shuffled)
        out.append(([a for a, _ in shuffled], [b for _, b in shuffled]))
    return out


@pytest.mark.parametrize(("x", "y"), datasets())
def test_mann_kendall_equals_scipy_kendalltau_asymptotic(x: list[float], y: list[float]) -> None:
    ours = mann_kendall(x, y, continuity=False)
    theirs = sp.kendalltau(x, y, method="asymptotic")
    if math.isnan(theirs.pvalue):
        assert ours.p == 1.0
    else:
        assert ours.p == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("x", "y"), datasets())
def test_kendall_s_equals_the_pairwise_definition(x: list[float], y: list[float]) -> None:
    def sign(v: float) -> int:
        return (v > 0) - (v < 0)

    n = len(x)
    brute = sum(sign(x[j] - x[i]) * sign(y[j] - y[i]) for i in range(n) for j in range(i + 1, n))
    assert kendall_s(x, y) == brute


def _brute_s(x: list[float], y: list[float]) -> int:
    def sign(v: float) -> int:
        return (v > 0) - (v < 0)

    n = len(x)
    return sum(sign(x[j] - x[i]) * sign(y[j] - y[i]) for i in range(n) for j in range(i + 1, n))


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 8)), max_size=50))
def test_both_ways_of_counting_s_agree_with_the_definition(pairs: list[tuple[int, int]]) -> None:
    x = [float(a) for a, _ in pairs]
    y = [float(b) for _, b in pairs]
    brute = _brute_s(x, y)
    assert kendall_s(x, y) == brute
    assert stats._kendall_s_fenwick(x, y) == brute


def test_continuity_correction_makes_p_larger() -> None:
    x = list(range(20))
    y = [v + (v % 3) for v in x]
    assert mann_kendall(x, y).p > mann_kendall(x, y, continuity=False).p


@pytest.mark.parametrize(("x", "y"), datasets())
def test_theil_sen_equals_scipy_theilslopes(x: list[float], y: list[float]) -> None:
    if len(set(x)) < 2:
        pytest.skip("all x equal")
    ours = theil_sen(x, y)
    theirs = sp.theilslopes(y, x)
    assert ours.slope == pytest.approx(theirs.slope, abs=1e-12)
    assert ours.intercept == pytest.approx(theirs.intercept, abs=1e-9)
    assert ours.low == pytest.approx(theirs.low_slope, abs=1e-12)
    assert ours.high == pytest.approx(theirs.high_slope, abs=1e-12)


def test_median_and_mad_match_scipy() -> None:
    rng = random.Random(3)
    values = [rng.lognormvariate(5, 0.3) for _ in range(37)] + [200.0] * 4
    assert median(values) == pytest.approx(sorted(values)[len(values) // 2])
    assert mad(values) == pytest.approx(sp.median_abs_deviation(values))
    assert median([1.0, 3.0]) == 2.0


def test_cusum_alarms_after_a_sustained_fall_only() -> None:
    steady = [5.0, 5.1, 4.9, 5.0, 5.05, 4.95] * 3
    assert not lower_cusum(steady, ref=5.0, sigma=0.25, k=0.75, h=8).alarm
    dropped = [5.0 + math.log(0.6)] * 10
    result = lower_cusum(dropped, ref=5.0, sigma=0.25, k=0.75, h=8)
    assert result.alarm and result.alarm_index == 6  # (0.51/0.25 − 0.75) × 7 > 8
