"""The few statistics the trend needs, in plain Python.

They sit on the start-up path and importing scipy costs over a second; the tests check each
against `scipy.stats` on random and tied data.
"""

from __future__ import annotations

import math
import operator
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise

MAD_TO_SIGMA = 1.4826
"""Scales the median absolute deviation to a normal standard deviation."""

Z_975 = 1.959963984540054
"""The 97.5 % normal quantile, for 95 % two-sided intervals."""


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    s = sorted(values)
    n = len(s)
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def mad(values: Sequence[float]) -> float:
    """Median absolute deviation from the median (unscaled)."""
    m = median(values)
    return median([abs(v - m) for v in values])


def _tie_sums(values: Sequence[float]) -> tuple[int, int, int]:
    """Σt(t-1)(2t+5), Σt(t-1)(t-2), Σt(t-1) over groups of tied values."""
    a = b = c = 0
    for t in Counter(values).values():
        if t > 1:
            a += t * (t - 1) * (2 * t + 5)
            b += t * (t - 1) * (t - 2)
            c += t * (t - 1)
    return a, b, c


class _Fenwick:
    def __init__(self, n: int) -> None:
        self.tree = [0] * (n + 1)

    def add(self, i: int) -> None:
        i += 1
        while i < len(self.tree):
            self.tree[i] += 1
            i += i & -i

    def prefix(self, i: int) -> int:
        """How many added indices are < i."""
        total = 0
        while i > 0:
            total += self.tree[i]
            i -= i & -i
        return total


def _y_by_tied_x(x: Sequence[float], y: Sequence[float]) -> Iterator[list[float]]:
    """The y values grouped by equal x, in ascending x: pairs within a group count 0."""
    order = sorted(range(len(x)), key=x.__getitem__)
    for _, group in groupby(order, key=x.__getitem__):
        yield [y[k] for k in group]


def kendall_s(x: Sequence[float], y: Sequence[float]) -> int:
    """S = Σ sign(xj − xi)·sign(yj − yi) over all pairs; ties count 0.

    Walks in order of x, counting how many earlier y lie below and above each y in a sorted
    list (bisect and insort run in C). The inserts move memory, O(n²) in theory, but for the
    few hundred points a trend window holds they are far cheaper than a Python-level tree;
    above LARGE_N the Fenwick tree keeps it O(n log n)."""
    if len(x) > LARGE_N:
        return _kendall_s_fenwick(x, y)
    seen: list[float] = []
    s = 0
    for group in _y_by_tied_x(x, y):
        for v in group:  # compare with strictly earlier x only
            s += bisect_left(seen, v) - (len(seen) - bisect_right(seen, v))
        for v in group:
            insort(seen, v)
    return s


LARGE_N = 20_000


def _kendall_s_fenwick(x: Sequence[float], y: Sequence[float]) -> int:
    ranks = sorted(set(y))
    tree = _Fenwick(len(ranks))
    seen = 0
    s = 0
    for group in _y_by_tied_x(x, y):
        for v in group:  # compare with strictly earlier x only
            below = tree.prefix(bisect_left(ranks, v))
            above = seen - tree.prefix(bisect_right(ranks, v))
            s += below - above
        for v in group:
            tree.add(bisect_left(ranks, v))
        seen += len(group)
    return s


@dataclass(frozen=True)
class MannKendall:
    s: int
    var_s: float
    z: float
    p: float
    """Two-sided p-value, normal approximation."""


def mann_kendall(x: Sequence[float], y: Sequence[float], *, continuity: bool = True) -> MannKendall:
    """Mann-Kendall trend test with the tie correction (ties in time and in values).

    The detector uses the continuity correction, as in its simulation (pymannkendall does too);
    `continuity=False` equals `scipy.stats.kendalltau(method="asymptotic")`.
    """
    n = len(x)
    if n != len(y):
        raise ValueError("x and y differ in length")
    if n < 3:
        return MannKendall(0, 0.0, 0.0, 1.0)
    s = kendall_s(x, y)
    xa, xb, xc = _tie_sums(x)
    ya, yb, yc = _tie_sums(y)
    var = (n * (n - 1) * (2 * n + 5) - xa - ya) / 18
    var += xb * yb / (9 * n * (n - 1) * (n - 2))
    var += xc * yc / (2 * n * (n - 1))
    if var <= 0:
        return MannKendall(s, 0.0, 0.0, 1.0)
    num = s - (1 if s > 0 else -1 if s < 0 else 0) if continuity else s
    z = num / math.sqrt(var)
    return MannKendall(s, var, z, math.erfc(abs(z) / math.sqrt(2)))


@dataclass(frozen=True)
class TheilSen:
    slope: float
    intercept: float
    low: float
    high: float
    """95 % interval of the slope (Sen 1968), as scipy.stats.theilslopes computes it."""


def theil_sen(x: Sequence[float], y: Sequence[float]) -> TheilSen:
    """Median of pairwise slopes; pairs with the same x are skipped."""
    n = len(x)
    if n < 2:
        raise ValueError("Theil-Sen needs at least 2 points")
    if any(b < a for a, b in pairwise(x)):
        order = sorted(range(n), key=lambda i: x[i])
        x, y = [x[i] for i in order], [y[i] for i in order]
    slopes: list[float] = []
    for i in range(n - 1):  # x ascending: each pair once, later minus earlier
        xi, yi = x[i], y[i]
        later = zip(x[i + 1 :], y[i + 1 :], strict=True)
        slopes += [(yj - yi) / (xj - xi) for xj, yj in later if xj != xi]
    slopes.sort()
    if not slopes:
        raise ValueError("all x are the same")
    b = median(slopes)
    a = median(y) - b * median(x)
    xa, _, _ = _tie_sums(x)
    ya, _, _ = _tie_sums(y)
    sigma = math.sqrt(max((n * (n - 1) * (2 * n + 5) - xa - ya) / 18, 0.0))
    nt = len(slopes)
    upper = min(round((nt + Z_975 * sigma) / 2), nt - 1)
    lower = max(round((nt - Z_975 * sigma) / 2) - 1, 0)
    return TheilSen(b, a, slopes[lower], slopes[upper])


# --- walks that ended without pain: right-censored values ----------------------------------
def km_median(values: Sequence[float], censored: Sequence[bool]) -> tuple[float, bool]:
    """Kaplan-Meier median of right-censored values (a censored value v means "at least v").

    Without censoring it equals `median`. Returns (value, is_lower_bound): when the censored
    values keep the survival curve above one half, the median is only known to be at least the
    largest value."""
    if not any(censored):
        return median(values), False
    return km_quantile(values, censored, 0.5)


def km_quantile(values: Sequence[float], censored: Sequence[bool], q: float) -> tuple[float, bool]:
    """The q-quantile of right-censored values from the Kaplan-Meier curve: the smallest value
    where the share at or below it reaches q (midway to the next one when it hits q exactly,
    as the ordinary median does). (largest value, True) when the curve never gets there."""
    if not values:
        raise ValueError("quantile of no values")
    exact, bounds = _split(values, censored)
    return _km_quantile_split(exact, bounds, q)


def km_quantiles(
    values: Sequence[float], censored: Sequence[bool], qs: Sequence[float]
) -> list[float]:
    """Several Kaplan-Meier quantiles from one sort (the values only)."""
    if not values:
        raise ValueError("quantile of no values")
    exact, bounds = _split(values, censored)
    return [_km_quantile_split(exact, bounds, q)[0] for q in qs]


def _split(values: Sequence[float], censored: Sequence[bool]) -> tuple[list[float], list[float]]:
    exact = sorted(v for v, c in zip(values, censored, strict=True) if not c)
    bounds = sorted(v for v, c in zip(values, censored, strict=True) if c)
    return exact, bounds


def _km_quantile_split(exact: list[float], bounds: list[float], q: float) -> tuple[float, bool]:
    """Kaplan-Meier by Efron's redistribution to the right: each value that is only a lower
    bound passes its weight on, equally, to the values above it (a value equal to it counts as
    below). Between two bounds all weights are equal, so the survival curve after the i-th value
    of the combined order is (n - i - 1) times that weight and its crossing is found by index:
    one step per bound, not per value. `exact` and `bounds` are sorted."""
    n = len(exact) + len(bounds)
    goal = 1.0 - q
    weight = 1.0 / n
    start = 0  # combined index where this stretch of exact values begins
    for m in range(len(bounds) + 1):
        end = bisect_right(exact, bounds[m]) + m if m < len(bounds) else n
        first = max(start, math.ceil(n - 1 - goal / weight - 1e-9))
        if first < end:
            e = first - m  # exact[e] sits at combined index `first`
            v = exact[e]
            last = e
            while last + 1 < len(exact) and exact[last + 1] == v:
                last += 1
            if abs((n - (last + m) - 1) * weight - goal) <= 1e-12:  # exactly at q
                if last + 1 < len(exact):
                    return (v + exact[last + 1]) / 2, False
                return v, True
            return v, False
        if m == len(bounds):
            break
        at_risk = n - end
        if at_risk <= 1:
            break
        weight *= at_risk / (at_risk - 1)
        start = end + 1
    return max(exact[-1] if exact else -math.inf, bounds[-1] if bounds else -math.inf), True


def inverse_mills(a: float) -> float:
    """E[Z | Z > a] for a standard normal Z: the expected value of a walk known only to be
    above a bound, in standard deviations."""
    tail = 0.5 * math.erfc(a / math.sqrt(2))
    if tail < 1e-300:
        return a
    return math.exp(-0.5 * a * a) / math.sqrt(2 * math.pi) / tail


def _gehan_scores(y: Sequence[float], censored: Sequence[bool]) -> list[tuple[int, int]]:
    """For each value: how many others are certainly above it and certainly below it.

    Exact y_j is above exact y_i when larger; a censored c_j is above an exact y_i when
    c_j >= y_i; nothing is certainly above a censored value, and two censored values are
    never ordered (Gehan 1965)."""
    exact = sorted(v for v, c in zip(y, censored, strict=True) if not c)
    cens = sorted(v for v, c in zip(y, censored, strict=True) if c)
    n_exact = len(exact)
    out = []
    for v, c in zip(y, censored, strict=True):
        if c:
            out.append((0, bisect_right(exact, v)))
        else:
            above = n_exact - bisect_right(exact, v) + len(cens) - bisect_left(cens, v)
            out.append((above, bisect_left(exact, v)))
    return out


def _gehan_sign(yi: float, ci: bool, yj: float, cj: bool) -> int:
    """+1 when the j-th value is certainly larger, −1 certainly smaller, 0 undetermined."""
    if not ci and not cj:
        return (yj > yi) - (yj < yi)
    if not ci:  # j censored: at least yj
        return 1 if yj >= yi else 0
    if not cj:  # i censored
        return -1 if yj <= yi else 0
    return 0


def gehan_kendall(
    x: Sequence[float], y: Sequence[float], censored: Sequence[bool], *, continuity: bool = True
) -> MannKendall:
    """Mann-Kendall trend test for values some of which are lower bounds.

    Pairs are scored by Gehan's rule (undetermined pairs count 0) and S is referred to its
    exact permutation variance (Daniels 1944, for any antisymmetric scores); without
    censoring this is the tie-corrected Mann-Kendall test."""
    n = len(x)
    if not n == len(y) == len(censored):
        raise ValueError("x, y and censored differ in length")
    if n < 3:
        return MannKendall(0, 0.0, 0.0, 1.0)
    if not any(censored):  # the same test, counted faster
        return mann_kendall(x, y, continuity=continuity)
    return _gehan_kendall_scored(x, y, censored, continuity)


def _gehan_kendall_scored(
    x: Sequence[float], y: Sequence[float], censored: Sequence[bool], continuity: bool
) -> MannKendall:
    n = len(x)
    s = 0
    for i in range(n - 1):
        xi, yi, ci = x[i], y[i], censored[i]
        for j in range(i + 1, n):
            dx = x[j] - xi
            if dx:
                g = _gehan_sign(yi, ci, y[j], censored[j])
                s += g if dx > 0 else -g
    # a_ij = sign(x_j − x_i): row sums and the number of ordered pairs that differ in x
    xs = sorted(x)
    a3 = a2 = 0
    for v in x:
        lo, hi = bisect_left(xs, v), bisect_right(xs, v)
        row = (n - hi) - lo
        a3 += row * row
        a2 += n - (hi - lo)
    b3 = b2 = 0
    for above, below in _gehan_scores(y, censored):
        row = above - below
        b3 += row * row
        b2 += above + below
    var = (2 * a2 * b2 / (n * (n - 1)) + 4 * (a3 - a2) * (b3 - b2) / (n * (n - 1) * (n - 2))) / 4
    if var <= 0:
        return MannKendall(s, 0.0, 0.0, 1.0)
    num = s - (1 if s > 0 else -1 if s < 0 else 0) if continuity else s
    z = num / math.sqrt(var)
    return MannKendall(s, var, z, math.erfc(abs(z) / math.sqrt(2)))


def akritas_theil_sen(x: Sequence[float], y: Sequence[float], censored: Sequence[bool]) -> TheilSen:
    """Slope for values some of which are lower bounds (Akritas, Murphy & LaValley 1995): the
    slope b at which the residuals y − b·x have no Gehan-Kendall trend, with the interval of
    slopes the test does not reject at 5 %. Without censoring it is Theil-Sen."""
    if not any(censored):
        return theil_sen(x, y)
    n = len(x)
    pair_slopes = [
        (y[j] - y[i]) / (x[j] - x[i]) for i in range(n) for j in range(i + 1, n) if x[j] != x[i]
    ]
    if not pair_slopes:
        raise ValueError("all x are the same")
    lo0, hi0 = min(pair_slopes) - 1.0, max(pair_slopes) + 1.0

    def mk(b: float) -> MannKendall:
        return gehan_kendall(x, [v - b * u for u, v in zip(x, y, strict=True)], censored)

    def boundary(pred: Callable[[MannKendall], bool]) -> float:
        """The smallest b for which `pred` holds (it holds for large b and fails for small)."""
        lo, hi = lo0, hi0
        for _ in range(60):
            mid = (lo + hi) / 2
            if pred(mk(mid)):
                hi = mid
            else:
                lo = mid
        return (lo + hi) / 2

    below = boundary(lambda r: r.s <= 0)  # S(b) falls as b grows
    above = boundary(lambda r: r.s < 0)
    slope = (below + above) / 2
    low = boundary(lambda r: r.s <= Z_975 * math.sqrt(r.var_s))
    high = boundary(lambda r: r.s < -Z_975 * math.sqrt(r.var_s))
    residual = [v - slope * u for u, v in zip(x, y, strict=True)]
    intercept = km_median(residual, censored)[0]
    return TheilSen(slope, intercept, min(low, slope), max(high, slope))


def lag1_autocorrelation(
    values: Sequence[float], center: float, clip: float, linked: Sequence[bool] | None = None
) -> float:
    """Lag-1 autocorrelation of consecutive values around `center`, deviations clipped at
    ±`clip` so that one typing error does not decide it.

    `linked[i]` says whether values i - 1 and i are neighbours (by default all are). Then the
    lagged products are averaged over the linked pairs only and divided by the mean square:
    a pair split by a gap or by a value left out drops out instead of counting as
    uncorrelated and pulling the estimate towards zero."""
    if len(values) < 3:
        return 0.0
    if linked is not None and len(linked) != len(values):
        raise ValueError("values and linked differ in length")
    dev = [max(-clip, min(clip, v - center)) for v in values]
    den: float = sum(map(operator.mul, dev, dev))
    if den <= 0:
        return 0.0
    if linked is None:
        lagged: float = sum(map(operator.mul, dev, dev[1:]))
        return lagged / den
    pairs = [a * b for a, b, ok in zip(dev, dev[1:], linked[1:], strict=False) if ok]
    if not pairs:
        return 0.0
    return (sum(pairs) / len(pairs)) / (den / len(dev))


def least_squares(
    rows: Sequence[Sequence[float]], y: Sequence[float]
) -> tuple[list[float], list[float]]:
    """Ordinary least squares by the normal equations (a handful of columns): coefficients and
    their standard errors. Raises ValueError when the columns are collinear."""
    p = len(rows[0])
    n = len(rows)
    if n <= p:
        raise ValueError("fewer rows than columns")
    xtx = [[sum(r[i] * r[j] for r in rows) for j in range(p)] for i in range(p)]
    xty = [sum(r[i] * v for r, v in zip(rows, y, strict=True)) for i in range(p)]
    inv = invert(xtx)
    beta = [sum(inv[i][j] * xty[j] for j in range(p)) for i in range(p)]
    resid = [
        v - sum(b * c for b, c in zip(beta, r, strict=True)) for r, v in zip(rows, y, strict=True)
    ]
    s2 = sum(e * e for e in resid) / (n - p)
    return beta, [math.sqrt(max(s2 * inv[i][i], 0.0)) for i in range(p)]


def invert(m: Sequence[Sequence[float]]) -> list[list[float]]:
    """Gauss-Jordan inverse of a small matrix, with partial pivoting; ValueError if singular."""
    p = len(m)
    a = [[*row, *(1.0 if i == j else 0.0 for j in range(p))] for i, row in enumerate(m)]
    for col in range(p):
        pivot = max(range(col, p), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12 * max(1.0, max(abs(v) for v in a[pivot])):
            raise ValueError("collinear columns")
        a[col], a[pivot] = a[pivot], a[col]
        div = a[col][col]
        a[col] = [v / div for v in a[col]]
        for r in range(p):
            if r != col and a[r][col]:
                f = a[r][col]
                a[r] = [v - f * w for v, w in zip(a[r], a[col], strict=True)]
    return [row[p:] for row in a]
