"""The trend detector (docs/trend.md): one method's walks and a day in, a frozen result out.

Every status is for the day asked, from the walks up to and including it, as a person who
opens the app every day sees it. The work is on ln(pain-free distance), one value per day with
walks (the median of that day's walks); walks that ended without pain are lower bounds and
enter every test as such (Kaplan-Meier medians, Gehan scores, expected values given the bound).

On every day, the fall check: the latest run of walks (at least 3 days, within 4 weeks)
against the usual level (the 26 weeks before the last 4), as a z-score of its sum whose
variance allows for the correlation of consecutive days (good and bad weeks) and for the
uncertainty of the usual level. Far below: a sudden fall (raised within 14 days of the first
walk behind it) or a fall over weeks; less far: "may be getting shorter"; far above: getting
longer. A fall ends when the walks are back at the usual level.

Once a week, on the last Sunday: the usual level, the scatter, the yearly pattern (from 15
months of walks on; taken out of every value), and the 12-week trend (Gehan-Kendall test and
Akritas-Theil-Sen slope on weekly medians): falling at p < 0.01 on two checks in a row is a
decline; rising at p < 0.05 with the recent median 10 % above usual is getting longer; "about
the same" needs p >= 0.05 and the recent median within 20 % of usual.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import accumulate, islice
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from tracker.domain import clinical as c
from tracker.domain.smoking import StatusSpan, mean_per_day, status_on
from tracker.domain.stats import (
    MannKendall,
    akritas_theil_sen,
    gehan_kendall,
    inverse_mills,
    invert,
    km_median,
    km_quantiles,
    lag1_autocorrelation,
    mann_kendall,
    median,
    theil_sen,
)
from tracker.domain.weekly import weekly_stats

if TYPE_CHECKING:
    from tracker.domain.treatment import ChangePoint


class Status(StrEnum):
    INSUFFICIENT = "insufficient-data"
    STABLE = "stable"
    IMPROVING = "improving"
    POSSIBLE_IMPROVEMENT = "possible-improvement"
    POSSIBLE_DECLINE = "possible-decline"
    SUSTAINED_DECLINE = "sustained-decline"
    SUDDEN_DROP = "sudden-drop"


DECLINES = (Status.POSSIBLE_DECLINE, Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP)
ALARMS = (Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP)


class Rule(StrEnum):
    """What raised a status; each has its own figures in the result."""

    SUDDEN_FALL = "sudden-fall"
    """The fall check's alarm, raised within days of the fall (change_* figures)."""
    RECENT_FALL = "recent-fall"
    """The fall check: a fall over weeks, or "may be getting shorter" (change_* figures)."""
    RECENT_RISE = "recent-rise"
    """The 8-week check upwards (change_* figures, slow_z): getting longer."""
    SLOW_FALL = "slow-fall"
    """The 8-week check: the walks of the last 8 weeks, weighted towards the latest, lower
    than the 26 weeks before them (change_* figures, slow_z); "may be getting shorter"."""
    TREND = "12-week-trend"
    """The weekly-median trend test (slope_pct_month, mk_p, mk_p_previous)."""
    LEVEL = "recent-level"
    """The 4 weeks to the last Sunday against the usual level (recent_vs_usual_pct)."""


class _WeekRow(NamedTuple):
    """A walk as the weekly aggregate reads it (the detector's rows carry no method)."""

    walked_at: datetime
    pain_free_m: float
    max_m: float | None
    no_pain: bool
    method: str


class WalkLike(Protocol):
    """What the detector reads from a walk (the store's WalkPoint fits)."""

    @property
    def walked_at(self) -> datetime: ...
    @property
    def pain_free_m(self) -> float: ...
    @property
    def no_pain(self) -> bool: ...
    @property
    def max_m(self) -> float | None: ...
    @property
    def rest_min(self) -> float | None: ...


def week_end_for(day: date) -> date:
    """The Sunday that ends the last complete week on or before `day` (a Sunday counts)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _week_end_ordinal(day: int) -> int:
    return day - day % 7  # ordinal 7 is a Sunday (0001-01-07)


MAX_LOG_CHANGE_PER_MONTH = 50.0
"""Walks minutes apart with wildly different distances give absurd slopes; clamping keeps the
figure finite (and the JSON valid) without changing any realistic value."""


def pct_per_month(slope_per_day: float) -> float:
    exponent = max(
        -MAX_LOG_CHANGE_PER_MONTH, min(MAX_LOG_CHANGE_PER_MONTH, slope_per_day * c.DAYS_PER_MONTH)
    )
    return (math.exp(exponent) - 1) * 100


def _pct(log_ratio: float) -> float:
    return (math.exp(max(-50.0, min(50.0, log_ratio))) - 1) * 100


def _walked_at(w: WalkLike) -> datetime:
    return w.walked_at


def _walked_on(w: WalkLike) -> date:
    return w.walked_at.date()


def _t(moment: datetime) -> float:
    return moment.toordinal() + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400


QUARTILE_TO_SIGMA = 0.6744897501960817
"""The upper quartile of a standard normal: median minus lower quartile, in SDs."""

OMEGA = 2 * math.pi / 365.25
"""A yearly cycle, in radians per day."""


class _Series:
    """One method's walks as sorted arrays, and one value per day with walks."""

    def __init__(self, walks: Iterable[WalkLike], *, ordered: bool = False) -> None:
        rows = [w for w in walks if w.pain_free_m > 0]
        if not ordered:
            rows.sort(key=_walked_at)
        self.rows = rows
        walk_day = self.walk_day = [w.walked_at.toordinal() for w in rows]
        flags = [w.no_pain for w in rows]
        metres = [w.pain_free_m for w in rows]
        self.exact_cum = [0, *accumulate(not f for f in flags)]
        days: list[int] = []
        vals: list[float] = []
        cens: list[bool] = []
        n = len(rows)
        log = math.log
        i = 0
        while i < n:
            d = walk_day[i]
            j = bisect_right(walk_day, d, lo=i) if i + 1 < n and walk_day[i + 1] == d else i + 1
            days.append(d)
            if j == i + 1:
                vals.append(log(metres[i]))
                cens.append(flags[i])
            else:
                # ln of the day's median (the median of the logs but for even counts)
                day_flags = flags[i:j]
                if not any(day_flags):
                    vals.append(log(median(metres[i:j])))
                    cens.append(False)
                else:
                    v, lower = km_median(metres[i:j], day_flags)
                    vals.append(log(v))
                    cens.append(lower)
            i = j
        self.dv_day = days
        self.dv_y = vals
        self.dv_c = cens
        cos, sin = math.cos, math.sin
        self.dv_cos = [cos(OMEGA * d) for d in days]
        self.dv_sin = [sin(OMEGA * d) for d in days]
        self._weekly_raw: tuple[list[int], list[float], list[bool]] | None = None

    # --- windows ---------------------------------------------------------------------------
    def walks_in(self, first: int, last: int) -> tuple[int, int]:
        """Index range of walks with day ordinal in [first, last]."""
        return bisect_left(self.walk_day, first), bisect_right(self.walk_day, last)

    def counts(self, first: int, last: int) -> tuple[int, int]:
        """(walks with pain, walks without) in [first, last]."""
        lo, hi = self.walks_in(first, last)
        exact = self.exact_cum[hi] - self.exact_cum[lo]
        return exact, hi - lo - exact

    def days_in(self, first: int, last: int) -> tuple[int, int]:
        """Index range of day values in [first, last]."""
        return bisect_left(self.dv_day, first), bisect_right(self.dv_day, last)

    def weekly_raw(self) -> tuple[list[int], list[float], list[bool]]:
        """Kaplan-Meier median of the day values of each calendar week with walks: the weeks'
        Sundays (ordinals), medians and lower-bound flags."""
        if self._weekly_raw is None:
            sundays: list[int] = []
            meds: list[float] = []
            lower: list[bool] = []
            days, vals, cens = self.dv_day, self.dv_y, self.dv_c
            i, n = 0, len(days)
            while i < n:
                sunday = _week_end_ordinal(days[i] + 6)
                j = bisect_right(days, sunday, lo=i)
                v, low = km_median(vals[i:j], cens[i:j])
                sundays.append(sunday)
                meds.append(v)
                lower.append(low)
                i = j
            self._weekly_raw = (sundays, meds, lower)
        return self._weekly_raw

    def week(self, monday: date) -> WeekMedian:
        first = monday.toordinal()
        lo, hi = self.walks_in(first, first + 6)
        exact = [w.pain_free_m for w in self.rows[lo:hi] if not w.no_pain]
        return WeekMedian(
            week_start=monday,
            n_exact=len(exact),
            n_censored=hi - lo - len(exact),
            median_m=median(exact) if exact else None,
            best_m=max(exact) if exact else None,
        )


# --- the weekly estimates --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Season:
    cos: float
    sin: float
    amplitude: float
    weeks: int


def _fit_season(series: _Series, end: int) -> _Season | None:
    """A yearly pattern fitted to the patient's own earlier year: the weekly medians of the 52
    weeks before the last 4, as level + cos + sin by least squares. None until 15 months of
    walks, or when the pattern is not clearly there (amplitude under SEASON_MIN_Z standard
    errors, the errors widened for the correlation of neighbouring weeks)."""
    if not series.dv_day or series.dv_day[0] > end - c.SEASON_MIN_DAYS:
        return None
    last = end - c.REFERENCE_LAST_DAYS
    sundays, meds, lower = series.weekly_raw()
    lo, hi = bisect_left(sundays, last - c.SEASON_FIT_DAYS), bisect_right(sundays, last)
    xs: list[tuple[float, float]] = []
    ys: list[float] = []
    for k in range(lo, hi):
        if not lower[k]:
            mid = OMEGA * (sundays[k] - 3)
            xs.append((math.cos(mid), math.sin(mid)))
            ys.append(meds[k])
    n = len(ys)
    if n < c.SEASON_MIN_WEEKS:
        return None
    sc = sum(x[0] for x in xs)
    ss = sum(x[1] for x in xs)
    scc = sum(x[0] * x[0] for x in xs)
    scs = sum(x[0] * x[1] for x in xs)
    sss = sum(x[1] * x[1] for x in xs)
    sy = sum(ys)
    syc = sum(x[0] * y for x, y in zip(xs, ys, strict=True))
    sys_ = sum(x[1] * y for x, y in zip(xs, ys, strict=True))
    try:
        inv = invert([[n, sc, ss], [sc, scc, scs], [ss, scs, sss]])
    except ValueError:
        return None
    b0, b1, b2 = (row[0] * sy + row[1] * syc + row[2] * sys_ for row in inv)
    resid = [y - b0 - b1 * x[0] - b2 * x[1] for x, y in zip(xs, ys, strict=True)]
    s2 = sum(e * e for e in resid) / (n - 3)
    se = [math.sqrt(max(s2 * inv[i][i], 0.0)) for i in range(3)]
    rw = min(max(lag1_autocorrelation(resid, 0.0, math.inf), 0.0), 0.9)
    widen = math.sqrt((1 + rw) / (1 - rw))
    amplitude = math.hypot(b1, b2)
    if amplitude == 0:
        return None
    se_amp = widen * math.hypot(b1 * se[1], b2 * se[2]) / amplitude
    z = amplitude / max(se_amp, 1e-12)
    if z < c.SEASON_MIN_Z:
        return None
    shrink = 1 - c.SEASON_SHRINK / (z * z)  # a pattern fitted to noise is mostly noise
    b1, b2, amplitude = b1 * shrink, b2 * shrink, amplitude * shrink
    if amplitude > c.SEASON_MAX_AMPLITUDE:
        b1, b2 = b1 * c.SEASON_MAX_AMPLITUDE / amplitude, b2 * c.SEASON_MAX_AMPLITUDE / amplitude
        amplitude = c.SEASON_MAX_AMPLITUDE
    return _Season(b1, b2, amplitude, n)


def _adjusted(series: _Series, season: _Season | None, lo: int, hi: int) -> list[float]:
    """Day values lo..hi with the yearly pattern taken out (as they are without one)."""
    if season is None:
        return series.dv_y[lo:hi]
    cs, sn = season.cos, season.sin
    return [
        y - cs * a - sn * b
        for y, a, b in zip(
            series.dv_y[lo:hi], series.dv_cos[lo:hi], series.dv_sin[lo:hi], strict=True
        )
    ]


def _ar_inflation(r: float, m: int) -> float:
    """Variance of the sum of m consecutive AR(1) values with lag-1 correlation r, over that of
    m independent ones (good and bad weeks make runs of short walks more likely)."""
    if m <= 1 or r == 0:
        return 1.0
    # 1 + 2 Σ_{k=1}^{m-1} (1 - k/m) r^k, summed in closed form
    return 1 + 2 * (r / (1 - r) - r * (1 - r**m) / (m * (1 - r) ** 2))


def _sum_variances(r: float, n_ref: int) -> tuple[float, ...]:
    """Var(Σ z) for runs of m = 0..RECENT_DAYS day values below the usual level, in units of
    one day's variance: the correlation of consecutive days, plus the uncertainty of the usual
    level itself (a median of n_ref day values), which every value of the run shares."""
    v_ref = (math.pi / 2) * _ar_inflation(r, n_ref) / max(n_ref, 1)
    return (1.0, *(m * _ar_inflation(r, m) + m * m * v_ref for m in range(1, c.RECENT_DAYS + 1)))


@dataclass(frozen=True, slots=True)
class _Week:
    """The estimates refreshed on each Sunday `end` (ordinal)."""

    end: int
    season: _Season | None
    ref: float | None
    """Usual level (adjusted for the season), ln metres."""
    ref_raw: float | None
    n_ref: int
    sigma: float | None
    r: float
    sum_sd: tuple[float, ...]
    """Standard deviation of the sum of z over runs of m = 0..28 days (see _sum_variances)."""
    gate: bool
    mk: MannKendall | None
    bins: tuple[tuple[float, float, bool], ...]
    """(week index, weekly median, lower bound) for the trend's slope."""
    level: float | None
    """ln(median of the 4 weeks up to `end` / usual level), the season allowed for."""
    lv_days: tuple[int, ...] = ()
    """Days with walks from SLOW_SPAN_DAYS before `end` to the Saturday after it..."""
    lv_pre: tuple[float, ...] = (0.0,)
    """...and the prefix sums of their z-scores against the usual level (see _level_span)..."""
    lv_vals: tuple[float, ...] = ()
    lv_cens: tuple[bool, ...] = ()
    """...and their values, the season allowed for, and whether each is a lower bound."""

    def adjusted(self, series: _Series, lo: int, hi: int) -> list[float]:
        return _adjusted(series, self.season, lo, hi)

    @property
    def trend_down(self) -> bool:
        return self.mk is not None and self.mk.s < 0

    @property
    def trend_up(self) -> bool:
        return self.mk is not None and self.mk.s > 0

    def p_below(self, p: float) -> bool:
        return self.mk is not None and self.mk.p < p

    @property
    def can_scan(self) -> bool:
        return (
            self.ref is not None and self.sigma is not None and self.n_ref >= c.SCAN_MIN_REFERENCE
        )


def _gate(series: _Series, end: int) -> bool:
    """Enough walks in the 12 weeks up to `end` for any statement about a trend."""
    lo, hi = series.walks_in(end - c.TREND_WINDOW_DAYS + 1, end)
    exact = series.exact_cum[hi] - series.exact_cum[lo]
    if hi - lo < c.TREND_MIN_WALKS or exact < c.TREND_MIN_EXACT_WALKS:
        return False
    return series.walk_day[hi - 1] - series.walk_day[lo] >= c.TREND_MIN_SPAN_DAYS


@dataclass(frozen=True, slots=True)
class _Scatter:
    """The slowly changing estimates, refreshed every 4 weeks: the yearly pattern, the
    day-to-day scatter and the correlation of consecutive days."""

    season: _Season | None
    sigma: float | None
    r: float


def _scatter_end(end: int) -> int:
    """The Sunday on or before `end` that starts a 4-week block (ordinal / 7 divisible by 4)."""
    return end - 7 * ((end // 7) % 4)


def _make_scatter(series: _Series, end: int) -> _Scatter:
    season = _fit_season(series, end)
    lo, hi = series.days_in(end - c.NOISE_FIRST_DAYS, end - c.REFERENCE_LAST_DAYS)
    noise = _adjusted(series, season, lo, hi)
    noise_c = series.dv_c[lo:hi]
    exact = [v for v, cen in zip(noise, noise_c, strict=True) if not cen]
    if len(exact) < c.SCAN_MIN_REFERENCE:
        return _Scatter(season, None, c.AUTOCORR_DEFAULT)
    sigma, center = _lower_scatter(noise, noise_c)
    n = len(noise)
    sigma = math.sqrt(
        (n * sigma * sigma + c.SIGMA_PRIOR_WEIGHT * c.SIGMA_PRIOR**2) / (n + c.SIGMA_PRIOR_WEIGHT)
    )
    sigma = min(max(sigma, c.SIGMA_MIN), c.SIGMA_MAX)
    r = c.AUTOCORR_DEFAULT
    if len(exact) >= c.AUTOCORR_MIN_DAYS:
        # neighbours: consecutive days with walks, both with pain, at most a week apart
        days = series.dv_day[lo:hi]
        linked = [
            i > 0 and not noise_c[i - 1] and days[i] - days[i - 1] <= c.AUTOCORR_MAX_GAP_DAYS
            for i in range(len(noise))
            if not noise_c[i]
        ]
        r = lag1_autocorrelation(exact, center, 3 * sigma, linked)
        pairs = sum(linked)
        if pairs:  # the estimate runs low by about (1 + 3r)/n (Marriott & Pope 1954)
            r += (1 + 3 * max(r, 0.0)) / pairs
    return _Scatter(season, sigma, min(max(r, 0.0), c.AUTOCORR_MAX))


def _make_week(series: _Series, end: int, scatter: _Scatter) -> _Week:
    season, sigma, r = scatter.season, scatter.sigma, scatter.r
    # one adjusted copy of the day values of the 30 weeks up to `end`, sliced per window
    first_all, last_all = series.days_in(end - c.REFERENCE_FIRST_DAYS, end)
    vals = _adjusted(series, season, first_all, last_all)
    cens = series.dv_c[first_all:last_all]

    def window(first: int, last: int) -> tuple[list[float], list[bool]]:
        lo, hi = series.days_in(first, last)
        lo, hi = max(lo, first_all) - first_all, hi - first_all
        return vals[lo:hi], cens[lo:hi]

    ref_v, ref_c = window(end - c.REFERENCE_FIRST_DAYS, end - c.REFERENCE_LAST_DAYS)
    n_ref = len(ref_v)
    ref = ref_raw = None
    if ref_v:
        ref = km_median(ref_v, ref_c)[0]
        ref_raw = ref
        if season is not None:
            lo, hi = series.days_in(end - c.REFERENCE_FIRST_DAYS, end - c.REFERENCE_LAST_DAYS)
            ref_raw = km_median(series.dv_y[lo:hi], series.dv_c[lo:hi])[0]
    gate = n_ref >= c.RECENT_MIN_DAYS and _gate(series, end)
    mk = None
    bins: list[tuple[float, float, bool]] = []
    if gate:
        first = end - c.TREND_WINDOW_DAYS + 1
        for k in range(c.TREND_WINDOW_DAYS // 7):
            b_v, b_c = window(first + 7 * k, first + 7 * k + 6)
            if b_v:
                v, lower = km_median(b_v, b_c)
                bins.append((float(k), v, lower))
        if len(bins) >= c.TREND_MIN_WEEKS:
            mk = gehan_kendall([b[0] for b in bins], [b[1] for b in bins], [b[2] for b in bins])
    level = None
    if ref is not None:
        rec_v, rec_c = window(end - c.RECENT_DAYS + 1, end)
        if len(rec_v) >= c.RECENT_MIN_DAYS:
            level = km_median(rec_v, rec_c)[0] - ref
    span: tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...], tuple[bool, ...]] = (
        (),
        (0.0,),
        (),
        (),
    )
    if ref is not None and sigma is not None:
        span = _level_span(series, season, end, ref, sigma)
    return _Week(
        end,
        season,
        ref,
        ref_raw,
        n_ref,
        sigma,
        r,
        tuple(math.sqrt(v) for v in _sum_variances(r, n_ref)),
        gate,
        mk,
        tuple(bins),
        level,
        *span,
    )


def _level_span(
    series: _Series, season: _Season | None, end: int, ref: float, sigma: float
) -> tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...], tuple[bool, ...]]:
    """The day values the level check of the days after Sunday `end` reads, as z-scores
    against the usual level (clipped at ±Z_CAP so that a typing error weighs at most that;
    a day whose walks all ended without pain counts with its expected value given the bound,
    were the level the usual one), with their prefix sums: any window's mean is two look-ups."""
    lo, hi = series.days_in(end - c.SLOW_SPAN_DAYS, end + 6)
    vals = _adjusted(series, season, lo, hi)
    cap = c.Z_CAP
    total = 0.0
    pre = [0.0]
    for v, cen in zip(vals, series.dv_c[lo:hi], strict=True):
        z = (v - ref) / sigma
        if cen:
            z = inverse_mills(z)
        total += cap if z > cap else -cap if z < -cap else z
        pre.append(total)
    return tuple(series.dv_day[lo:hi]), tuple(pre), tuple(vals), tuple(series.dv_c[lo:hi])


def _lower_scatter(values: Sequence[float], censored: Sequence[bool]) -> tuple[float, float]:
    """(standard deviation, center) of the day values from the lower half of their
    Kaplan-Meier curve (walks without pain cut the upper half short): the root mean square
    distance below the median of the values below it, outliers clipped at 3 robust SDs."""
    q25, center = km_quantiles(values, censored, (0.25, 0.5))
    robust = max((center - q25) / QUARTILE_TO_SIGMA, 1e-6)
    below = [
        min(center - v, 3 * robust)
        for v, cen in zip(values, censored, strict=True)
        if not cen and v < center
    ]
    if len(below) < 4:
        return robust, center
    return math.sqrt(sum(d * d for d in below) / len(below)), center


# --- the fall checks, on every day -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Fall:
    statistic: float
    """The largest standardised fall of a run of walks up to the last one (0 when none)."""
    alarm: bool
    sudden: bool
    """The alarm came within SUDDEN_MAX_DAYS of the first walk behind it."""
    possible: bool
    start: int | None
    """Ordinal of the first day of the walks behind the alarm or the possible fall."""
    recovered_on: int | None
    """The first of the days with walks back at the usual level, when a fall in the window ended."""
    recovered_from: int | None


_NO_FALL = _Fall(0.0, False, False, False, None, None, None)


def _scan(
    days: Sequence[int],
    vals: Sequence[float],
    cens: Sequence[bool],
    ref: float,
    sigma: float,
    sum_sd: Sequence[float],
) -> _Fall:
    """Walk by walk over the window: the run of the latest walks that lies furthest below the
    usual level, as a z-score of its sum (a change-point scan; the sum's variance allows for
    correlated days and for the uncertainty of the usual level). An alarm needs z > ALARM_Z,
    at least FALL_MIN_WALKS days below usual and the run's median FALL_MIN_DROP_PCT below it;
    it lasts until the median of the latest RECOVERY_WALKS days is back near the usual level,
    or the walks since the fall began are no longer clearly below it. A day that ended without
    pain counts with its expected value given its lower bound, were the level the usual one:
    walks on a short route that end without pain would otherwise leave only the shorter walks
    and look like a fall."""
    n = len(vals)
    prefix = [0.0] * (n + 1)
    below = [0] * (n + 1)  # how many of the first i values lie below the usual level
    low = [0] * (n + 1)  # ...and at least FALL_MIN_DROP_PCT below it
    total = 0.0
    n_below = n_low = 0
    alarm_drop = ref + math.log(1 - c.FALL_MIN_DROP_PCT / 100)
    cap = c.Z_CAP
    for i in range(n):
        v = vals[i]
        if cens[i]:
            z = -inverse_mills((v - ref) / sigma)
        else:
            z = (ref - v) / sigma
            if z > cap:
                z = cap
        total += z
        n_below += z > 0
        n_low += v <= alarm_drop
        prefix[i + 1] = total
        below[i + 1] = n_below
        low[i + 1] = n_low
    possible_drop = ref + math.log(1 - c.POSSIBLE_MIN_DROP_PCT / 100)
    sq = sum_sd
    base = 0  # runs start at or after this walk (after a recovery)
    alarmed = sudden = False
    start = -1
    alarm_k = -1
    rec_on: int | None = None
    rec_from: int | None = None
    best = 0.0
    best_j = -1
    shortest = c.FALL_MIN_WALKS
    lowest = math.inf  # the lowest prefix a run may start from: bounds every run's z
    for k in range(n):
        if alarmed:
            first = k - c.RECOVERY_WALKS + 1
            if first > alarm_k:
                zs = sorted(prefix[i + 1] - prefix[i] for i in range(first, k + 1))
                if zs[len(zs) // 2] <= c.RECOVERY_Z:  # the latest walks are back near usual
                    rec_on, rec_from = days[first], start
                    alarmed, base, lowest = False, k + 1, math.inf
            continue
        newest = k - shortest + 1  # the latest start of a run of `shortest` walks
        if newest < base:
            best, best_j = 0.0, -1
            continue
        if prefix[newest] < lowest:
            lowest = prefix[newest]
        end_sum = prefix[k + 1]
        if k < n - 1 and (end_sum - lowest) / sq[shortest] <= c.ALARM_Z:
            continue  # no run ending here can raise an alarm
        best, best_j = 0.0, -1
        for j in range(base, newest + 1):
            t = (end_sum - prefix[j]) / sq[k - j + 1]
            if t > best:
                best, best_j = t, j
        if (
            best > c.ALARM_Z
            and below[k + 1] - below[best_j] >= shortest
            # the median can be that low only if half the run is (lower bounds only rise)
            and 2 * (low[k + 1] - low[best_j]) >= k + 1 - best_j
            and km_median(vals[best_j : k + 1], cens[best_j : k + 1])[0] <= alarm_drop
        ):
            alarmed, start, alarm_k = True, days[best_j], k
            head = best_j + c.FALL_MIN_WALKS
            sudden = (
                best_j > base  # it began inside the window, not before it
                and km_median(vals[best_j:head], cens[best_j:head])[0] <= alarm_drop
                and days[k] - start <= c.SUDDEN_MAX_DAYS
            )
    if alarmed:  # it holds while the walks since it began stay clearly below usual
        first = bisect_left(days, start)
        hold_level = ref + math.log(1 - c.HOLD_MIN_DROP_PCT / 100)
        held = km_median(vals[first:], cens[first:])[0] <= hold_level
        return _Fall(best, held, sudden and held, False, start if held else None, rec_on, rec_from)
    # "may be getting shorter": a run of at least POSSIBLE_MIN_WALKS of the latest walks, one
    # that short above a higher bar (a bad few days is no sign: shorter runs raised most of
    # the false "may be" and found little that longer runs and the alarm did not)
    p_best, p_j = 0.0, -1
    for j in range(base, n - c.POSSIBLE_MIN_WALKS + 1):
        t = (total - prefix[j]) / sq[n - j]
        bar = c.POSSIBLE_Z_SHORT if n - j == c.POSSIBLE_MIN_WALKS else c.POSSIBLE_Z
        if (
            t > max(bar, p_best)
            and below[n] - below[j] >= shortest
            and km_median(vals[j:], cens[j:])[0] <= possible_drop
        ):
            p_best, p_j = t, j
    if p_j >= 0:
        return _Fall(max(best, p_best), False, False, True, days[p_j], rec_on, rec_from)
    return _Fall(best, False, False, False, None, rec_on, rec_from)


@dataclass(frozen=True, slots=True)
class _Slow:
    """The 8-week check of one day: the walks of the last SLOW_DAYS days, each weighted by how
    far into those days it lies (from near 0 at their start to 1 on the day asked), against
    the mean of the SLOW_REFERENCE_DAYS before them. A fall or rise that builds up over weeks
    weighs most in the latest walks; the weights make the check answer to such a slope and
    to a step alike. `z` is the weighted difference over its standard error, which allows for
    the correlation of consecutive days and for the reference's own uncertainty. Positive:
    the later walks lie lower."""

    z: float
    start: int
    """First day of the 8 weeks (ordinal)."""
    n_recent: int
    n_reference: int


def _slow_at(wk: _Week, d: int) -> _Slow | None:
    """The 8-week check on day `d` (None with too few days with walks in either window)."""
    days, pre, r = wk.lv_days, wk.lv_pre, wk.r
    a = d - c.SLOW_DAYS + 1
    i_d = bisect_right(days, d)
    i_a = bisect_left(days, a, hi=i_d)
    i_r = bisect_left(days, a - c.SLOW_REFERENCE_DAYS, hi=i_a)
    n_rec, n_ref = i_d - i_a, i_a - i_r
    if n_rec < c.SLOW_MIN_DAYS or n_ref < c.SCAN_MIN_REFERENCE:
        return None
    ref_mean = (pre[i_a] - pre[i_r]) / n_ref
    span = float(c.SLOW_DAYS)
    total = weights = var = 0.0
    carry = 0.0  # Σ_{j<i} w_j r^(i-j), for the AR(1) variance of the weighted sum
    prev = 0.0
    for i in range(i_a, i_d):
        w = (days[i] - a + 1) / span
        carry = r * (carry + prev)
        total += w * (pre[i + 1] - pre[i] - ref_mean)
        weights += w
        var += w * w + 2 * w * carry
        prev = w
    var += weights * weights * _ar_inflation(r, n_ref) / n_ref
    return _Slow(-total / math.sqrt(var), a, n_rec, n_ref)


@dataclass(frozen=True, slots=True)
class _Base:
    """The status the weekly rules give for the days after Sunday `week.end`."""

    week: _Week
    status: Status
    confirmed: bool
    """A falling 12-week trend at p < 0.01 on this weekly check and the one before."""
    about_the_same: bool
    improving: bool
    """A rising trend (p < 0.05) with the recent median 10 % above usual."""
    rising: bool
    """The recent median 20 % above usual."""


@dataclass(frozen=True, slots=True)
class _Day:
    """One day's evaluation: the status and the numbers behind it."""

    day: int
    status: Status
    base: _Base
    fall: _Fall
    slow: _Slow | None = None
    """The 8-week check behind a slow fall ("may be getting shorter") or a rise, when one
    holds."""

    @property
    def week(self) -> _Week:
        return self.base.week


class _Engine:
    """Evaluates consecutive days: the fall check on each day, the weekly rules once per
    Sunday (cached)."""

    def __init__(self, series: _Series) -> None:
        self.series = series
        self.weeks: dict[int, _Week] = {}
        self.bases: dict[int, _Base] = {}
        self.scatters: dict[int, _Scatter] = {}
        self.slows: dict[int, _Slow | None] = {}
        self.days: dict[int, _Day] = {}
        self.raws: dict[int, _Day] = {}
        self.states: dict[tuple[int, int], _Slow | None] = {}

    def week(self, end: int) -> _Week:
        wk = self.weeks.get(end)
        if wk is None:
            block = _scatter_end(end)
            scatter = self.scatters.get(block)
            if scatter is None:
                scatter = self.scatters[block] = _make_scatter(self.series, block)
            if scatter.sigma is None and block != end:
                # too few walks at the block's start (a new diary, walks cut at a procedure):
                # this week's own estimate rather than none until the next block
                scatter = self.scatters.get(end) or _make_scatter(self.series, end)
                self.scatters[end] = scatter
            wk = self.weeks[end] = _make_week(self.series, end, scatter)
        return wk

    def base(self, end: int) -> _Base:
        got = self.bases.get(end)
        if got is not None:
            return got
        wk, prev = self.week(end), self.week(end - 7)
        falling = wk.gate and wk.trend_down and wk.p_below(c.TREND_P_CONFIRMED)
        confirmed = falling and prev.gate and prev.trend_down and prev.p_below(c.TREND_P_CONFIRMED)
        if confirmed:  # and the walks of the last 8 weeks clearly below the weeks before
            sl = _slow_at(wk, end) if wk.can_scan else None
            confirmed = sl is not None and sl.z >= c.TREND_CONFIRM_SLOW_Z
        improving = (
            wk.gate
            and wk.trend_up
            and wk.p_below(c.TREND_P_SIGNIFICANT)
            and wk.level is not None
            and wk.level >= LOG_UP_TREND
        )
        rising = wk.gate and wk.level is not None and wk.level >= LOG_UP
        about = (
            wk.gate
            and not wk.p_below(c.TREND_P_SIGNIFICANT)
            and wk.level is not None
            and LOG_DOWN < wk.level < LOG_UP
        )
        if confirmed:
            status = Status.SUSTAINED_DECLINE
        elif not wk.gate:
            status = Status.INSUFFICIENT
        elif improving:
            status = Status.IMPROVING
        elif rising:
            status = Status.POSSIBLE_IMPROVEMENT
        else:
            status = Status.STABLE
        got = self.bases[end] = _Base(wk, status, confirmed, about, improving, rising)
        return got

    def slow(self, d: int) -> _Slow | None:
        if d in self.slows:
            return self.slows[d]
        got = self.slows[d] = _slow_at(self.week(_week_end_ordinal(d)), d)
        return got

    def slow_change(self, d: int) -> float:
        """ln(KM median of the 8 weeks up to `d` / that of the weeks before them), the season
        allowed for: the figures the status sentence quotes."""
        wk = self.week(_week_end_ordinal(d))
        days, vals, cens = wk.lv_days, wk.lv_vals, wk.lv_cens
        a = d - c.SLOW_DAYS + 1
        lo = bisect_left(days, a - c.SLOW_REFERENCE_DAYS)
        mid = bisect_left(days, a)
        hi = bisect_right(days, d)
        ref = km_median(vals[lo:mid], cens[lo:mid])[0]
        return km_median(vals[mid:hi], cens[mid:hi])[0] - ref

    def slow_state(self, d: int, sign: int) -> _Slow | None:
        """The slow fall (sign 1) or rise (sign -1) on day `d`, with hysteresis so that a
        state read every day does not flicker: it begins when the 8-week check passes its
        threshold with the 8 weeks' median far enough from the weeks before, and holds while
        the check stays past SLOW_HOLD_Z with the median on the same side."""
        key = (d, sign)
        if key in self.states:
            return self.states[key]
        enter_z, enter_log = (c.SLOW_POSSIBLE_Z, LOG_SLOW_DROP) if sign > 0 else (c.RISE_Z, LOG_UP)
        chain: list[tuple[int, _Slow]] = []
        got: _Slow | None = None
        day = d
        while day > d - c.SLOW_HOLD_MAX_DAYS:
            if (day, sign) in self.states:
                got = self.states[(day, sign)]
                break
            sl = self.slow(day)
            if sl is None or sign * sl.z < c.SLOW_HOLD_Z:
                got = self.states[(day, sign)] = None
                break
            change = -sign * self.slow_change(day)  # positive: on the side of the check
            if change <= 0:
                got = self.states[(day, sign)] = None
                break
            if sign * sl.z >= enter_z and change >= abs(enter_log):
                got = self.states[(day, sign)] = sl
                break
            chain.append((day, sl))
            day -= 1
        for day, sl in reversed(chain):  # held from the day before
            got = sl if got is not None else None
            self.states[(day, sign)] = got
        return self.states[key]

    def day(self, d: int) -> _Day:
        """The day's status, "may be getting shorter" not raised again within
        MAY_BE_AGAIN_DAYS of the end of the last one (that day then keeps the weekly
        rules' status)."""
        got = self.days.get(d)
        if got is not None:
            return got
        raw = self.raw(d)
        if raw.status is Status.POSSIBLE_DECLINE:
            # the first day of this run, looked for only as far back as it matters: a run
            # that began more than MAY_BE_AGAIN_DAYS ago is shown whatever came before it
            gap = d - c.MAY_BE_AGAIN_DAYS - 1
            start = d
            while start > gap and self.raw(start - 1).status is raw.status:
                start -= 1
            if any(self.raw(x).status is raw.status for x in range(gap, start - 1)):
                fall = replace(raw.fall, possible=False, start=None)
                raw = _Day(d, raw.base.status, raw.base, fall)
        self.days[d] = raw
        return raw

    def raw(self, d: int) -> _Day:
        got = self.raws.get(d)
        if got is None:
            got = self.raws[d] = self._evaluate(d)
        return got

    def _evaluate(self, d: int) -> _Day:
        series = self.series
        base = self.base(_week_end_ordinal(d))
        wk = base.week
        fall = _NO_FALL
        if wk.can_scan:
            assert wk.ref is not None and wk.sigma is not None
            lo, hi = series.days_in(d - c.RECENT_DAYS + 1, d)
            if hi > lo:
                fall = _scan(
                    series.dv_day[lo:hi],
                    wk.adjusted(series, lo, hi),
                    series.dv_c[lo:hi],
                    wk.ref,
                    wk.sigma,
                    wk.sum_sd,
                )
        status = base.status
        slow = None
        if fall.alarm:
            status = Status.SUDDEN_DROP if fall.sudden else Status.SUSTAINED_DECLINE
        elif status is Status.SUSTAINED_DECLINE:
            pass
        elif fall.possible or (wk.can_scan and (slow := self.slow_state(d, 1)) is not None):
            status = Status.POSSIBLE_DECLINE
        elif status is Status.IMPROVING:
            pass
        elif wk.can_scan and (slow := self.slow_state(d, -1)) is not None:
            status = Status.IMPROVING
        return _Day(d, status, base, fall, slow)

    def run(self, first: int, last: int) -> list[_Day]:
        return [self.day(d) for d in range(first, last + 1)]


LOG_SLOW_DROP = math.log(1 - c.SLOW_MIN_DROP_PCT / 100)
LOG_DOWN = math.log(1 - c.LEVEL_CHANGE_PCT / 100)
LOG_UP = math.log(1 + c.LEVEL_CHANGE_PCT / 100)
LOG_UP_TREND = math.log(1 + c.IMPROVING_MIN_PCT / 100)


class DayRules(NamedTuple):
    """One day's status and which rules held (the simulation counts what each rule costs)."""

    day: int
    """Date ordinal."""
    status: Status
    sudden_fall: bool
    recent_fall: bool
    trend_confirmed: bool
    possible_fall: bool
    slow_fall: bool


def daily_rules(walks: Iterable[WalkLike], first: date, last: date) -> list[DayRules]:
    """The status on each day first..last, as a person opening the app each day sees it;
    `analyse` gives the same status for each of these days."""
    rows = [w for w in walks if w.walked_at.date() <= last]
    engine = _Engine(_Series(rows))
    return [
        DayRules(
            d.day,
            d.status,
            d.fall.alarm and d.fall.sudden,
            d.fall.alarm and not d.fall.sudden,
            d.base.confirmed,
            d.status is Status.POSSIBLE_DECLINE and d.fall.possible,
            d.status is Status.POSSIBLE_DECLINE and not d.fall.possible,
        )
        for d in engine.run(first.toordinal(), last.toordinal())
    ]


def daily_statuses(walks: Iterable[WalkLike], first: date, last: date) -> list[Status]:
    return [d.status for d in daily_rules(walks, first, last)]


# --- the result --------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeekMedian:
    week_start: date
    n_exact: int
    n_censored: int
    median_m: float | None
    best_m: float | None
    """Longest pain-free distance of the week among walks with pain (a walk without pain is a
    lower bound, not a distance at which pain began)."""


@dataclass(frozen=True)
class TrendResult:
    """Every number behind the status sentences; the CLI JSON, the TUI, the review and the PDF
    read this (sentences come from tracker.domain.wording)."""

    method: str
    as_of: date
    week_end: date
    """The last Sunday on or before as_of: the 12-week trend test ends there."""
    window_start: date
    """First day of the 12 weeks up to as_of that the walk counts cover."""
    status: Status
    previous_status: Status | None
    """The status 7 days before as_of."""
    status_since: date | None
    """First day of the current run of this status: to the day within the last 4 weeks, to
    the week before (the history is daily for 4 weeks, weekly for 26)."""
    n_exact: int
    n_censored: int
    censored_share: float | None
    span_days: int
    first_walk: date | None
    last_walk: date | None
    """The last walk of this method up to as_of (with or without pain)."""
    mk_s: int | None
    mk_p: float | None
    slope_pct_month: float | None
    slope_pct_month_low: float | None
    slope_pct_month_high: float | None
    window_median_m: float | None
    baseline_median_m: float | None
    """The usual level: median of weeks −16..−5 before week_end."""
    early_median_m: float | None
    recent_median_m: float | None
    """Median of the last 4 weeks up to as_of."""
    n_reference: int
    cusum_statistic: float | None
    cusum_threshold: float
    cusum_sigma: float | None
    weekly: tuple[WeekMedian, ...]
    below_marker: bool | None
    marker_m: float
    marker_since_week: date | None
    relief_over_10_min: int
    relief_checked: int
    relief_flag: bool
    max_falling: bool
    max_slope_pct_month: float | None
    cigarettes_per_day_window: float | None
    cigarettes_per_day_before: float | None
    smoking_status: str | None
    decline_weeks: tuple[date, ...] = field(default=())
    """Ends of the 7-day blocks (counted back from as_of, 26 of them) holding a day with a
    decline status; for chart shading."""
    # --- added in the second version ---
    raised_by: tuple[Rule, ...] = ()
    """The rules behind the status (empty for stable and insufficient data)."""
    about_the_same: bool = False
    """Neither a trend with p < 0.05 nor the recent median 20 % or more from the usual level:
    only then is the pain-free distance worded "about the same"."""
    episode_start: date | None = None
    """For a fall alarm (sudden or over weeks): the day of the first walk behind it. It
    identifies the episode: the emergency questions are asked once per sudden-fall episode."""
    change_start: date | None = None
    """For a status raised by the walks of the last weeks (a fall, a possible fall, a rise):
    the day of the first walk behind it..."""
    change_median_m: float | None = None
    """...the median of the walks since then..."""
    change_usual_m: float | None = None
    """...against the usual level before (for the same time of year, when the season is
    allowed for)..."""
    change_pct: float | None = None
    change_walks: int = 0
    """...from this many walks, on these days:"""
    change_first_walk: date | None = None
    change_last_walk: date | None = None
    change_z: float | None = None
    """How far the walks since then lie from usual, in standard deviations of their sum: an
    alarm above change_z_alarm, "may be getting shorter" above change_z_possible, getting
    longer above change_z_rise."""
    change_z_alarm: float = c.ALARM_Z
    change_z_possible: float = c.POSSIBLE_Z
    change_z_rise: float = c.RISE_Z
    recovered_since: date | None = None
    """A fall that ended within the last 14 days: the first day back at the usual level..."""
    recovered_from: date | None = None
    """...and the day that fall had begun."""
    usual_now_m: float | None = None
    """The usual level for the recent 4 weeks (the season allowed for, when it is)."""
    recent_vs_usual_pct: float | None = None
    n_recent: int = 0
    """Walks in the 4 weeks up to week_end (recent_median_m)."""
    reference_start: date | None = None
    reference_end: date | None = None
    """The usual-level window (baseline_median_m, n_reference)."""
    trend_weeks: int = 0
    """Weeks with walks among the 12 of the trend test."""
    mk_p_previous: float | None = None
    """The trend's p one weekly check earlier (a decline is confirmed on two)."""
    autocorrelation: float | None = None
    """Lag-1 correlation of consecutive days with walks, as used by the fall check."""
    seasonal_adjusted: bool = False
    seasonal_amplitude_pct: float | None = None
    """The yearly pattern allowed for (from 15 months of walks): ± this many % around the
    year's level."""
    data_days: int = 0
    """Days from this method's first walk to as_of (15 months allow the seasonal adjustment)."""
    # --- added with the 8-week check ---
    change_reference_start: date | None = None
    change_reference_end: date | None = None
    change_reference_walks: int = 0
    """The walks the change is compared with: the usual-level window for the fall check, the
    26 weeks before the 8 weeks for the 8-week check."""
    slow_z: float | None = None
    """The 8-week check on as_of: the walks of the last 8 weeks, weighted towards the latest,
    against the 26 weeks before them, in standard errors (positive: lower, negative: higher).
    "May be getting shorter" from slow_z_possible on (held down to slow_z_hold), getting
    longer from -change_z_rise on."""
    slow_z_week_end: float | None = None
    """The same check on week_end: a falling 12-week trend is confirmed only from
    slow_z_confirm on."""
    slow_z_possible: float = c.SLOW_POSSIBLE_Z
    slow_z_hold: float = c.SLOW_HOLD_Z
    slow_z_confirm: float = c.TREND_CONFIRM_SLOW_Z
    change_point: ChangePoint | None = None
    """The procedure the walks were cut at (set by the caller, current_trend)."""
    walks_to_date: int = 0
    exact_to_date: int = 0
    span_to_date_days: int = 0
    """The walks of the 12 weeks up to as_of itself (n_exact and span_days end on week_end):
    "not enough walks yet" counts the walk logged today, not only those to the last Sunday."""

    def to_dict(self) -> dict[str, Any]:
        return {k: plain(v) for k, v in asdict(self).items()}


def plain(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, floats rounded to 6 places."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: plain(x) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [plain(x) for x in value]
    return value


def _exp(v: float | None) -> float | None:
    return None if v is None else math.exp(v)


def _km_exp(series: _Series, first: int, last: int) -> float | None:
    lo, hi = series.days_in(first, last)
    if hi <= lo:
        return None
    return math.exp(km_median(series.dv_y[lo:hi], series.dv_c[lo:hi])[0])


def analyse(
    walks: Iterable[WalkLike],
    as_of: date,
    *,
    method: str = c.Method.WALK,
    cigarettes: Mapping[date, int] | None = None,
    smoking: Sequence[StatusSpan] = (),
) -> TrendResult:
    """The trend of one method's walks as of `as_of`, from walks up to that date only."""
    rows = sorted(walks, key=_walked_at)
    all_rows = rows[: bisect_right(rows, as_of, key=_walked_on)]
    series = _Series(all_rows, ordered=True)
    end = as_of.toordinal()
    engine = _Engine(series)
    first_day = series.walk_day[0] if series.walk_day else end
    history_first = max(end - 7 * c.STATUS_HISTORY_WEEKS + 1, min(first_day, end))
    evaluated: dict[int, _Day] = {}

    def at(day: int) -> _Day:
        got = evaluated.get(day)
        if got is None:
            got = evaluated[day] = engine.day(day)
        return got

    now = at(end)
    wk = now.week
    base = now.base
    fall = now.fall

    # the history: every day of the last 4 weeks, one day a week before that
    since = end
    while since > history_first:
        step = 1 if end - since < c.RECENT_DAYS else 7
        earlier = max(since - step, history_first)
        if at(earlier).status is not now.status:
            break
        since = earlier
    previous = at(end - 7).status if end - 7 >= history_first else None
    decline_weeks = []
    for k in range(c.STATUS_HISTORY_WEEKS):
        block_end = end - 7 * k
        if block_end < history_first:
            break
        block = range(max(block_end - 6, history_first), block_end + 1)
        sampled = block if k < c.RECENT_DAYS // 7 else (block_end,)
        if any(at(d).status in DECLINES for d in sampled):
            decline_weeks.append(date.fromordinal(block_end))

    # the 12 weeks of the trend test, up to the last Sunday
    window_first = wk.end - c.TREND_WINDOW_DAYS + 1
    n_exact, n_cens = series.counts(window_first, wk.end)
    w_lo, w_hi = series.walks_in(window_first, wk.end)
    span = series.walk_day[w_hi - 1] - series.walk_day[w_lo] if w_hi > w_lo else 0
    total = n_exact + n_cens
    d_exact, d_cens = series.counts(end - c.TREND_WINDOW_DAYS + 1, end)
    d_lo, d_hi = series.walks_in(end - c.TREND_WINDOW_DAYS + 1, end)
    d_span = series.walk_day[d_hi - 1] - series.walk_day[d_lo] if d_hi > d_lo else 0
    slope = low = high = None
    if wk.mk is not None and len(wk.bins) >= 2:
        xs, ys, cs = (list(v) for v in zip(*wk.bins, strict=True))
        ts = akritas_theil_sen(xs, ys, cs) if any(cs) else theil_sen(xs, ys)
        slope, low, high = (pct_per_month(v / 7) for v in (ts.slope, ts.low, ts.high))
    prev_week = engine.week(wk.end - 7)

    # the level: the 4 weeks up to the last Sunday against the usual level
    recent = _km_exp(series, wk.end - c.RECENT_DAYS + 1, wk.end)
    usual_now = recent / math.exp(wk.level) if recent is not None and wk.level is not None else None
    ref_first = wk.end - c.REFERENCE_FIRST_DAYS
    ref_last = wk.end - c.REFERENCE_LAST_DAYS

    raised: list[Rule] = []
    status = now.status
    start = None  # first day of the walks behind a change the status names
    slow = now.slow  # the 8-week check behind a slow fall or a rise
    if fall.alarm:  # the day the fall began, from the first day of this run of alarm days
        first_alarm = end
        while first_alarm > history_first and at(first_alarm - 1).fall.alarm:
            first_alarm -= 1
        start = at(first_alarm).fall.start
    if status is Status.SUDDEN_DROP:
        raised.append(Rule.SUDDEN_FALL)
    elif status is Status.SUSTAINED_DECLINE:
        if fall.alarm:
            raised.append(Rule.RECENT_FALL)
        if base.confirmed:
            raised.append(Rule.TREND)
    elif status is Status.POSSIBLE_DECLINE:
        if fall.possible:
            raised.append(Rule.RECENT_FALL)
            start = fall.start
        else:
            raised.append(Rule.SLOW_FALL)
    elif status is Status.IMPROVING:
        if slow is not None:
            raised.append(Rule.RECENT_RISE)
        if base.improving:
            raised.append(Rule.TREND)
    elif status is Status.POSSIBLE_IMPROVEMENT:
        raised.append(Rule.LEVEL)
    if slow is not None and start is None:  # the 8 weeks, from their first walk
        start = series.dv_day[series.days_in(slow.start, end)[0]]

    # the walks since the change began, against the usual level before: for the fall check
    # the usual level, for the 8-week check the 26 weeks before its 8 weeks
    ch_m = ch_usual = ch_pct = None
    ch_walks = ch_ref_walks = 0
    ch_first = ch_last = ch_ref_first = ch_ref_last = None
    if start is not None and wk.ref is not None:
        f_lo, f_hi = series.days_in(start, end)
        raw = km_median(series.dv_y[f_lo:f_hi], series.dv_c[f_lo:f_hi])[0]
        adj = km_median(wk.adjusted(series, f_lo, f_hi), series.dv_c[f_lo:f_hi])[0]
        usual = wk.ref
        ch_ref_first, ch_ref_last = ref_first, ref_last
        if slow is not None:
            ch_ref_first, ch_ref_last = slow.start - c.SLOW_REFERENCE_DAYS, slow.start - 1
            r_lo, r_hi = series.days_in(ch_ref_first, ch_ref_last)
            usual = km_median(wk.adjusted(series, r_lo, r_hi), series.dv_c[r_lo:r_hi])[0]
        ch_m = math.exp(raw)
        ch_usual = math.exp(raw - adj + usual)
        ch_pct = _pct(adj - usual)
        lo, hi = series.walks_in(start, end)
        ch_walks = hi - lo
        ch_first = date.fromordinal(series.walk_day[lo])
        ch_last = date.fromordinal(series.walk_day[hi - 1])
        ch_ref_walks = sum(series.counts(ch_ref_first, ch_ref_last))
    ch_z = None
    if start is not None:
        ch_z = abs(slow.z) if slow is not None else fall.statistic
    slow_now = engine.slow(end) if wk.can_scan else None
    slow_sunday = engine.slow(wk.end) if wk.can_scan else None

    recovered_on = recovered_from = None
    back = fall.recovered_on
    if status not in ALARMS and back is not None and back > end - c.RECOVERED_NOTE_DAYS:
        recovered_on = date.fromordinal(back)
        recovered_from = date.fromordinal(fall.recovered_from) if fall.recovered_from else None

    # the weekly rows through the one weekly aggregate the chart, report and review use
    weeks = [
        WeekMedian(s.week_start, s.with_pain, s.without_pain, s.median_pf_m, s.best_pf_m)
        for s in weekly_stats(
            (_WeekRow(w.walked_at, w.pain_free_m, w.max_m, w.no_pain, method) for w in
             series.rows[w_lo:w_hi]),
            method,
            first=date.fromordinal(window_first),
            last=date.fromordinal(wk.end),
        )
    ]  # fmt: skip
    marker_since = _marker_since(series, as_of) if recent is not None else None

    relief_rows = list(
        islice((w for w in reversed(all_rows) if w.rest_min is not None), c.RELIEF_FLAG_LAST_WALKS)
    )
    relief_over = sum(1 for w in relief_rows if (w.rest_min or 0) > c.RELIEF_ATYPICAL_MIN)
    window_first_date = date.fromordinal(window_first)
    max_falling, max_slope = _max_falling(
        all_rows, date.fromordinal(end - c.TREND_WINDOW_DAYS + 1), as_of, status
    )

    cig_window = cig_before = None
    if cigarettes:
        cig_days = [as_of - timedelta(days=i) for i in range(c.TREND_WINDOW_DAYS)]
        before = [d - timedelta(days=c.TREND_WINDOW_DAYS) for d in cig_days]
        cig_window = mean_per_day(cigarettes, cig_days)
        cig_before = mean_per_day(cigarettes, before)
    smoke_now = status_on(smoking, as_of)

    return TrendResult(
        method=str(method),
        as_of=as_of,
        week_end=date.fromordinal(wk.end),
        window_start=window_first_date,
        status=status,
        previous_status=previous,
        status_since=date.fromordinal(since),
        n_exact=n_exact,
        n_censored=n_cens,
        censored_share=(n_cens / total) if total else None,
        span_days=span,
        first_walk=date.fromordinal(series.walk_day[w_lo]) if w_hi > w_lo else None,
        last_walk=date.fromordinal(series.walk_day[-1]) if series.walk_day else None,
        mk_s=wk.mk.s if wk.mk else None,
        mk_p=wk.mk.p if wk.mk else None,
        slope_pct_month=slope,
        slope_pct_month_low=low,
        slope_pct_month_high=high,
        window_median_m=_km_exp(series, window_first, wk.end),
        baseline_median_m=_exp(wk.ref_raw),
        early_median_m=_km_exp(series, window_first, window_first + 27),
        recent_median_m=recent,
        n_reference=sum(series.counts(ref_first, ref_last)),
        cusum_statistic=fall.statistic if wk.can_scan else None,
        cusum_threshold=c.ALARM_Z,
        cusum_sigma=wk.sigma,
        weekly=tuple(weeks),
        below_marker=(recent < c.PAIN_FREE_MARKER_M) if recent is not None else None,
        marker_m=c.PAIN_FREE_MARKER_M,
        marker_since_week=marker_since,
        relief_over_10_min=relief_over,
        relief_checked=len(relief_rows),
        relief_flag=relief_over >= c.RELIEF_FLAG_MIN_WALKS,
        max_falling=max_falling,
        max_slope_pct_month=max_slope,
        cigarettes_per_day_window=cig_window,
        cigarettes_per_day_before=cig_before,
        smoking_status=smoke_now.status if smoke_now else None,
        decline_weeks=tuple(reversed(decline_weeks)),
        raised_by=tuple(raised),
        about_the_same=status is Status.STABLE and base.about_the_same,
        episode_start=date.fromordinal(start) if start is not None and status in ALARMS else None,
        change_start=date.fromordinal(start) if start is not None else None,
        change_median_m=ch_m,
        change_usual_m=ch_usual,
        change_pct=ch_pct,
        change_walks=ch_walks,
        change_first_walk=ch_first,
        change_last_walk=ch_last,
        change_z=ch_z,
        change_reference_start=date.fromordinal(ch_ref_first) if ch_ref_first else None,
        change_reference_end=date.fromordinal(ch_ref_last) if ch_ref_last else None,
        change_reference_walks=ch_ref_walks,
        slow_z=slow_now.z if slow_now is not None else None,
        slow_z_week_end=slow_sunday.z if slow_sunday is not None else None,
        recovered_since=recovered_on,
        recovered_from=recovered_from,
        usual_now_m=usual_now,
        recent_vs_usual_pct=_pct(wk.level) if wk.level is not None else None,
        n_recent=sum(series.counts(wk.end - c.RECENT_DAYS + 1, wk.end)),
        reference_start=date.fromordinal(ref_first),
        reference_end=date.fromordinal(ref_last),
        trend_weeks=len(wk.bins) if wk.mk else 0,
        mk_p_previous=prev_week.mk.p if prev_week.mk else None,
        autocorrelation=wk.r if wk.sigma else None,
        seasonal_adjusted=wk.season is not None,
        seasonal_amplitude_pct=_pct(wk.season.amplitude) if wk.season else None,
        data_days=end - first_day if series.walk_day else 0,
        walks_to_date=d_exact + d_cens,
        exact_to_date=d_exact,
        span_to_date_days=d_span,
    )


def _marker_since(series: _Series, day: date) -> date | None:
    """First week of the current run of weeks whose median is below the 200 m marker
    (weeks without walks with pain are passed over)."""
    if not series.walk_day:
        return None
    first_monday = date.fromordinal(series.walk_day[0])
    first_monday -= timedelta(days=first_monday.weekday())
    monday = day - timedelta(days=day.weekday())
    since = None
    while monday >= first_monday:
        wk = series.week(monday)
        if wk.median_m is not None:
            if wk.median_m >= c.PAIN_FREE_MARKER_M:
                break
            since = monday
        monday -= timedelta(days=7)
    return since


def _max_falling(
    rows: Sequence[WalkLike], first: date, last: date, status: Status
) -> tuple[bool, float | None]:
    """Maximum distance falling significantly while the pain-free distance is not declining."""
    start, stop = (
        datetime.combine(first, datetime.min.time()),
        datetime.combine(last, datetime.max.time()),
    )
    lo = bisect_left(rows, start, key=_walked_at)  # rows are sorted: read only the window
    hi = bisect_right(rows, stop, key=_walked_at)
    pts = [(_t(w.walked_at), math.log(w.max_m)) for w in rows[lo:hi] if not w.no_pain and w.max_m]
    if len(pts) < c.TREND_MIN_WALKS or pts[-1][0] - pts[0][0] < c.TREND_MIN_SPAN_DAYS:
        return False, None
    if len(pts) > c.TREND_MAX_PAIRWISE_WALKS:
        by_day: dict[int, list[float]] = {}
        for t, v in pts:
            by_day.setdefault(int(t), []).append(v)
        pts = [(d + 0.5, median(vs)) for d, vs in sorted(by_day.items())]
    x, y = [p[0] for p in pts], [p[1] for p in pts]
    mk = mann_kendall(x, y)
    slope = pct_per_month(theil_sen(x, y).slope)
    falling = mk.p < c.TREND_P_THRESHOLD and slope <= -c.TREND_SLOPE_PCT_PER_MONTH
    return falling and status not in DECLINES, slope
