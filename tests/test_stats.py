from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sp

from tracker.domain import stats
from tracker.domain.stats import kendall_s, mad, mann_kendall, median, theil_sen


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


# --- walks without pain: right-censored values ------------------------------------------------
def censored_sets() -> list[tuple[list[float], list[bool]]]:
    rng = random.Random(11)
    out = []
    for n in (3, 7, 20, 60):
        for share in (0.0, 0.2, 0.5):
            v = [float(round(rng.lognormvariate(5.5, 0.3), -1)) for _ in range(n)]
            c = [rng.random() < share for _ in range(n)]
            out.append((v, c))
    return out


@pytest.mark.parametrize(("values", "censored"), censored_sets())
def test_kaplan_meier_quantiles_equal_scipy(values: list[float], censored: list[bool]) -> None:
    exact = [v for v, c in zip(values, censored, strict=True) if not c]
    if not exact:
        pytest.skip("no exact values")
    data = sp.CensoredData(
        uncensored=exact, right=[v for v, c in zip(values, censored, strict=True) if c]
    )
    sf = sp.ecdf(data).sf
    for q in (0.25, 0.5):
        ours, lower = stats.km_quantile(values, censored, q)
        probs = sf.evaluate(sorted(set(exact)))
        reached = [x for x, s in zip(sorted(set(exact)), probs, strict=True) if s <= 1 - q + 1e-12]
        if not reached:
            assert lower
            continue
        first = reached[0]
        if abs(sf.evaluate(first) - (1 - q)) < 1e-12:  # exactly q: midway to the next value
            later = [x for x in sorted(set(exact)) if x > first]
            expected = (first + later[0]) / 2 if later else first
        else:
            expected = first
        assert ours == pytest.approx(expected)


def test_kaplan_meier_median_without_censoring_is_the_median() -> None:
    rng = random.Random(5)
    for n in range(1, 30):
        v = [rng.uniform(0, 9) for _ in range(n)]
        assert stats.km_median(v, [False] * n) == (median(v), False)


def test_a_lower_bound_above_everything_leaves_the_median_a_lower_bound() -> None:
    assert stats.km_median([100.0, 500.0, 500.0, 500.0], [False, True, True, True]) == (500.0, True)


@pytest.mark.parametrize(("x", "y"), datasets())
def test_gehan_kendall_without_censoring_is_mann_kendall(x: list[float], y: list[float]) -> None:
    ours = stats._gehan_kendall_scored(x, y, [False] * len(x), True)  # Daniels, no censoring
    mk = mann_kendall(x, y)
    assert ours.s == mk.s
    assert ours.var_s == pytest.approx(mk.var_s, rel=1e-12)
    assert ours.p == pytest.approx(mk.p, rel=1e-9)


def test_gehan_kendall_variance_is_the_exact_permutation_variance() -> None:
    """Daniels' formula against all 7! orderings of censored values with ties."""
    import itertools

    x = [0.0, 1.0, 2.0, 3.0, 3.0, 5.0, 6.0]
    y = [4.0, 2.0, 5.0, 5.0, 1.0, 3.0, 6.0]
    c = [False, True, False, False, True, False, True]
    ss = []
    for perm in itertools.permutations(range(7)):
        ss.append(stats.gehan_kendall(x, [y[i] for i in perm], [c[i] for i in perm]).s)
    mean = sum(ss) / len(ss)
    var = sum((s - mean) ** 2 for s in ss) / len(ss)
    assert mean == pytest.approx(0.0, abs=1e-9)
    assert stats.gehan_kendall(x, y, c).var_s == pytest.approx(var, rel=1e-12)


def test_gehan_scores_order_lower_bounds_only_where_certain() -> None:
    # 300 at least vs 200 exact: certainly larger; 100 at least vs 200 exact: unknown
    assert stats.gehan_kendall([0, 1, 2], [200.0, 300.0, 100.0], [False, True, True]).s == 1


@pytest.mark.parametrize(("x", "y"), datasets())
def test_akritas_theil_sen_without_censoring_is_theil_sen(x: list[float], y: list[float]) -> None:
    if len(set(x)) < 2:
        pytest.skip("all x equal")
    ours = stats.akritas_theil_sen(x, y, [False] * len(x))
    theirs = sp.theilslopes(y, x)
    assert ours.slope == pytest.approx(theirs.slope, abs=1e-12)


def test_akritas_theil_sen_with_lower_bounds_zeroes_the_trend_of_the_residuals() -> None:
    rng = random.Random(8)
    x = [float(i) for i in range(40)]
    true = [5 + 0.02 * xi + rng.gauss(0, 0.2) for xi in x]
    route = 5.6
    y = [min(t, route) for t in true]
    c = [t > route for t in true]
    fit = stats.akritas_theil_sen(x, y, c)
    resid = [v - fit.slope * u for u, v in zip(x, y, strict=True)]
    assert abs(stats.gehan_kendall(x, resid, c, continuity=False).s) <= 2
    assert fit.low <= fit.slope <= fit.high
    dropped = [(u, v) for u, v, cc in zip(x, y, c, strict=True) if not cc]
    naive = theil_sen([u for u, _ in dropped], [v for _, v in dropped]).slope
    assert naive < fit.slope  # dropping the long walks flattens the rise
    assert fit.slope == pytest.approx(0.02, abs=0.008)


def test_least_squares_equals_numpy() -> None:
    import numpy as np

    rng = random.Random(4)
    rows = [(1.0, rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(50)]
    y = [2 + 0.5 * a - 0.3 * b + rng.gauss(0, 0.1) for _, a, b in rows]
    beta, se = stats.least_squares(rows, y)
    x = np.array(rows)
    ref, res, *_ = np.linalg.lstsq(x, np.array(y), rcond=None)
    s2 = float(res[0]) / (50 - 3)
    ref_se = np.sqrt(np.diag(s2 * np.linalg.inv(x.T @ x)))
    assert beta == pytest.approx(list(ref), abs=1e-10)
    assert se == pytest.approx(list(ref_se), abs=1e-10)
    with pytest.raises(ValueError):
        stats.least_squares([(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("a", [-3.0, -1.0, 0.0, 0.7, 2.5, 8.0])
def test_inverse_mills_is_the_mean_above_a_bound(a: float) -> None:
    assert stats.inverse_mills(a) == pytest.approx(sp.norm.pdf(a) / sp.norm.sf(a), rel=1e-9)


def test_lag1_autocorrelation_equals_numpy() -> None:
    import numpy as np

    rng = random.Random(2)
    v = [0.0]
    for _ in range(300):
        v.append(0.5 * v[-1] + rng.gauss(0, 1))
    center = float(np.mean(v))
    d = np.array(v) - center
    expected = float(np.sum(d[1:] * d[:-1]) / np.sum(d * d))
    assert stats.lag1_autocorrelation(v, center, math.inf) == pytest.approx(expected)
    assert 0.4 < expected < 0.6


def test_lag1_autocorrelation_over_linked_pairs_equals_numpy() -> None:
    """Pairs split by a gap drop out: the mean lagged product over the linked pairs, over the
    mean square of all values."""
    import numpy as np

    rng = random.Random(3)
    v = [0.0]
    for _ in range(400):
        v.append(0.4 * v[-1] + rng.gauss(0, 1))
    linked = [i > 0 and i % 9 != 0 for i in range(len(v))]
    center = float(np.mean(v))
    d = np.array(v) - center
    mask = np.array(linked[1:])
    expected = float(np.mean((d[1:] * d[:-1])[mask]) / np.mean(d * d))
    got = stats.lag1_autocorrelation(v, center, math.inf, linked)
    assert got == pytest.approx(expected)
    # all pairs linked is the ordinary estimate up to the n / (n - 1) of the averages
    plain = stats.lag1_autocorrelation(v, center, math.inf)
    every = stats.lag1_autocorrelation(v, center, math.inf, [True] * len(v))
    assert every == pytest.approx(plain * len(v) / (len(v) - 1))
    with pytest.raises(ValueError):
        stats.lag1_autocorrelation(v, center, math.inf, linked[:-1])
