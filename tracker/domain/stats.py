"""The few statistics the trend needs, in plain Python.

They sit on the start-up path and importing scipy costs over a second; the tests check each
against `scipy.stats` on random and tied data.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterator, Sequence
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


@dataclass(frozen=True)
class Cusum:
    statistic: float
    alarm: bool
    alarm_index: int | None
    """Index of the first value at which S exceeded h."""


def lower_cusum(values: Sequence[float], ref: float, sigma: float, k: float, h: float) -> Cusum:
    """One-sided CUSUM for a fall below `ref`: S = max(0, S + (ref − v)/σ − k), alarm at S > h."""
    s = 0.0
    first: int | None = None
    for i, v in enumerate(values):
        s = s + (ref - v) / sigma - k
        if s < 0.0:
            s = 0.0
        elif s > h and first is None:
            first = i
    return Cusum(s, first is not None, first)
