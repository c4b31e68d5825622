"""The trend detector of docs/trend.md: walks in, a frozen result out.

A pure function of one method's walks and the evaluation date. Works on ln(pain-free distance);
walks that ended without pain are lower bounds, so they are counted but never enter a test.
Evaluated on the last complete week (Monday–Sunday) ending on or before the evaluation date.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from tracker.domain import clinical as c
from tracker.domain.smoking import StatusSpan, mean_per_day, status_on
from tracker.domain.stats import (
    MAD_TO_SIGMA,
    Cusum,
    lower_cusum,
    mad,
    mann_kendall,
    median,
    theil_sen,
)

if TYPE_CHECKING:
    from tracker.domain.treatment import ChangePoint


class Status(StrEnum):
    INSUFFICIENT = "insufficient-data"
    STABLE = "stable"
    IMPROVING = "improving"
    POSSIBLE_DECLINE = "possible-decline"
    SUSTAINED_DECLINE = "sustained-decline"
    SUDDEN_DROP = "sudden-drop"


DECLINES = (Status.POSSIBLE_DECLINE, Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP)
ALARMS = (Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP)


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


MAX_LOG_CHANGE_PER_MONTH = 50.0
"""Walks minutes apart with wildly different distances give absurd slopes; clamping keeps the
figure finite (and the JSON valid) without changing any realistic value."""


def pct_per_month(slope_per_day: float) -> float:
    exponent = max(
        -MAX_LOG_CHANGE_PER_MONTH, min(MAX_LOG_CHANGE_PER_MONTH, slope_per_day * c.DAYS_PER_MONTH)
    )
    return (math.exp(exponent) - 1) * 100


def _walked_at(w: WalkLike) -> datetime:
    return w.walked_at


def _walked_on(w: WalkLike) -> date:
    return w.walked_at.date()


def _t(moment: datetime) -> float:
    return moment.toordinal() + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400


class _Series:
    """One method's walks as sorted arrays, so each weekly check only slices."""

    def __init__(self, walks: Iterable[WalkLike]) -> None:
        rows = list(walks)
        rows.sort(key=_walked_at)  # usually sorted already (the store's order): one pass
        exact = [w for w in rows if not w.no_pain and w.pain_free_m > 0]
        times = [w.walked_at for w in exact]
        self.day = [at.toordinal() for at in times]
        self.t = [
            d + (at.hour * 3600 + at.minute * 60 + at.second) / 86400
            for d, at in zip(self.day, times, strict=True)
        ]  # = _t(at), inlined: this runs for every walk of the last 13 months
        self.exact_m = [w.pain_free_m for w in exact]
        self.y = list(map(math.log, self.exact_m))
        censored = [w for w in rows if w.no_pain]
        self.censored_day = [w.walked_at.toordinal() for w in censored]
        self.censored_m = [w.pain_free_m for w in censored]
        self.rows = rows
        self.daily_day = sorted(set(self.day))
        self.daily_t = [d + 0.5 for d in self.daily_day]
        day, y = self.day, self.y
        self.daily_y = [
            median(y[bisect_left(day, d) : bisect_right(day, d)]) for d in self.daily_day
        ]

    def exact_range(self, first: int, last: int) -> tuple[int, int]:
        """Index range of exact walks with day ordinal in [first, last]."""
        return bisect_left(self.day, first), bisect_right(self.day, last)

    def censored_count(self, first: int, last: int) -> int:
        return bisect_right(self.censored_day, last) - bisect_left(self.censored_day, first)

    def week(self, monday: date) -> WeekMedian:
        first, last = monday.toordinal(), monday.toordinal() + 6
        lo, hi = self.exact_range(first, last)
        c_lo = bisect_left(self.censored_day, first)
        c_hi = bisect_right(self.censored_day, last)
        exact, cens = self.exact_m[lo:hi], self.censored_m[c_lo:c_hi]
        return WeekMedian(
            week_start=monday,
            n_exact=len(exact),
            n_censored=len(cens),
            median_m=median(exact) if exact else None,
            best_m=max(exact + cens) if exact or cens else None,
        )


@dataclass(frozen=True)
class _Check:
    """One weekly evaluation: the numbers behind a status."""

    week_end: date
    status: Status
    n_exact: int
    n_censored: int
    span_days: float
    mk_s: int | None = None
    mk_p: float | None = None
    slope: float | None = None
    slope_low: float | None = None
    slope_high: float | None = None
    negative_significant: bool = False
    cusum: Cusum | None = None
    cusum_ref: float | None = None
    cusum_sigma: float | None = None
    n_reference: int = 0


def _check(series: _Series, week_end: date, prev: _Check | None, *, want_slope: bool) -> _Check:
    end = week_end.toordinal()
    lo, hi = series.exact_range(end - c.TREND_WINDOW_DAYS + 1, end)
    n = hi - lo
    n_cens = series.censored_count(end - c.TREND_WINDOW_DAYS + 1, end)
    span = series.t[hi - 1] - series.t[lo] if n else 0.0

    # CUSUM against the person's own baseline: its own gate, and it wins.
    cusum = ref = sigma = None
    r_lo, r_hi = series.exact_range(end - c.CUSUM_REFERENCE_DAYS + 1, end - c.CUSUM_RECENT_DAYS)
    n_ref = r_hi - r_lo
    if n_ref >= c.CUSUM_MIN_REFERENCE_WALKS:
        ref = median(series.y[r_lo:r_hi])
        s_lo, s_hi = series.exact_range(end - c.CUSUM_SIGMA_DAYS + 1, end - c.CUSUM_RECENT_DAYS)
        noise = series.y[s_lo:s_hi]
        if len(noise) > c.CUSUM_MAX_SIGMA_SAMPLE:  # very dense logs: an even thinning suffices
            noise = noise[:: len(noise) // c.CUSUM_MAX_SIGMA_SAMPLE + 1]
        raw = MAD_TO_SIGMA * mad(noise)
        sigma = min(max(raw, c.CUSUM_SIGMA_MIN), c.CUSUM_SIGMA_MAX)
        c_lo, c_hi = series.exact_range(end - c.CUSUM_RECENT_DAYS + 1, end)
        cusum = lower_cusum(series.y[c_lo:c_hi], ref, sigma, c.CUSUM_K, c.CUSUM_H)
    base = {
        "week_end": week_end,
        "n_exact": n,
        "n_censored": n_cens,
        "span_days": span,
        "cusum": cusum,
        "cusum_ref": ref,
        "cusum_sigma": sigma,
        "n_reference": n_ref,
    }
    gate_ok = n >= c.TREND_MIN_EXACT_WALKS and span >= c.TREND_MIN_SPAN_DAYS
    if n > c.TREND_MAX_PAIRWISE_WALKS:
        d_lo = bisect_left(series.daily_day, end - c.TREND_WINDOW_DAYS + 1)
        d_hi = bisect_right(series.daily_day, end)
        xs, ys = series.daily_t[d_lo:d_hi], series.daily_y[d_lo:d_hi]
    else:
        xs, ys = series.t[lo:hi], series.y[lo:hi]
    mk = mann_kendall(xs, ys) if len(xs) >= 3 else None
    ts = None
    significant = mk is not None and mk.p < c.TREND_P_THRESHOLD
    if len(xs) >= 2 and (significant or want_slope) and xs[-1] > xs[0]:
        ts = theil_sen(xs, ys)
    negative = bool(gate_ok and significant and ts is not None and ts.slope < 0)
    extra = {
        "mk_s": mk.s if mk else None,
        "mk_p": mk.p if mk else None,
        "slope": ts.slope if ts else None,
        "slope_low": ts.low if ts else None,
        "slope_high": ts.high if ts else None,
        "negative_significant": negative,
    }
    if cusum is not None and cusum.alarm:
        status = Status.SUDDEN_DROP
    elif not gate_ok:
        status = Status.INSUFFICIENT
    elif negative and prev is not None and prev.negative_significant:
        status = Status.SUSTAINED_DECLINE
    elif significant and ts is not None and pct_per_month(ts.slope) <= -c.TREND_SLOPE_PCT_PER_MONTH:
        status = Status.POSSIBLE_DECLINE
    elif significant and ts is not None and pct_per_month(ts.slope) > c.TREND_SLOPE_PCT_PER_MONTH:
        status = Status.IMPROVING
    else:
        status = Status.STABLE
    return _Check(status=status, **base, **extra)  # type: ignore[arg-type]


def weekly_statuses(walks: Iterable[WalkLike], week_ends: Sequence[date]) -> list[Status]:
    """Statuses at consecutive weekly checks (used by the simulation and the history)."""
    series = _Series(walks)
    out: list[Status] = []
    prev = None
    if week_ends:
        prev = _check(series, week_ends[0] - timedelta(days=7), None, want_slope=False)
    for we in week_ends:
        prev = _check(series, we, prev, want_slope=False)
        out.append(prev.status)
    return out


@dataclass(frozen=True)
class WeekMedian:
    week_start: date
    n_exact: int
    n_censored: int
    median_m: float | None
    best_m: float | None
    """Longest pain-free distance of the week, lower bounds included."""


@dataclass(frozen=True)
class TrendResult:
    """Every number behind the status sentence; the CLI JSON, the TUI and the PDF read this."""

    method: str
    as_of: date
    week_end: date
    window_start: date
    status: Status
    previous_status: Status | None
    status_since: date | None
    n_exact: int
    n_censored: int
    censored_share: float | None
    span_days: int
    first_walk: date | None
    last_walk: date | None
    mk_s: int | None
    mk_p: float | None
    slope_pct_month: float | None
    slope_pct_month_low: float | None
    slope_pct_month_high: float | None
    window_median_m: float | None
    baseline_median_m: float | None
    early_median_m: float | None
    recent_median_m: float | None
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
    """Week ends (within the status history) whose status was a decline; for chart shading."""
    change_point: ChangePoint | None = None
    """The procedure the walks were cut at (set by the caller, analysis.current_trend)."""

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


def _pct(slope: float | None) -> float | None:
    return None if slope is None else pct_per_month(slope)


def _exp_median(values: Sequence[float]) -> float | None:
    return math.exp(median(values)) if values else None


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
    series = _Series(all_rows)
    week_end = week_end_for(as_of)
    end = week_end.toordinal()

    # Status history, oldest first, so "sustained" sees the week before and "since" is known.
    first_day = series.rows[0].walked_at.date() if series.rows else week_end
    weeks_back = min(c.STATUS_HISTORY_WEEKS, max(0, (week_end - first_day).days // 7 + 1))
    history: list[_Check] = []
    prev: _Check | None = None
    for k in range(weeks_back + 1, 0, -1):
        prev = _check(series, week_end - timedelta(days=7 * k), prev, want_slope=False)
        history.append(prev)
    now = _check(series, week_end, prev, want_slope=True)
    since = week_end
    for past in reversed(history):
        if past.status != now.status:
            break
        since = past.week_end
    if len(history) and all(h.status == now.status for h in history) and weeks_back > 0:
        since = history[0].week_end

    window_first = date.fromordinal(end - c.TREND_WINDOW_DAYS + 1)
    lo, hi = series.exact_range(window_first.toordinal(), end)
    window_y = series.y[lo:hi]
    first_walk = date.fromordinal(series.day[lo]) if hi > lo else None
    last_walk = date.fromordinal(series.day[hi - 1]) if hi > lo else None
    e_lo, e_hi = series.exact_range(window_first.toordinal(), window_first.toordinal() + 27)
    r_lo, r_hi = series.exact_range(end - c.CUSUM_RECENT_DAYS + 1, end)
    recent = _exp_median(series.y[r_lo:r_hi])
    total = now.n_exact + now.n_censored

    weeks = [series.week(window_first + timedelta(days=7 * k)) for k in range(12)]
    marker_since = _marker_since(series, week_end) if recent is not None else None

    relief_rows = list(
        islice((w for w in reversed(all_rows) if w.rest_min is not None), c.RELIEF_FLAG_LAST_WALKS)
    )
    relief_over = sum(1 for w in relief_rows if (w.rest_min or 0) > c.RELIEF_ATYPICAL_MIN)

    max_falling, max_slope = _max_falling(all_rows, window_first, week_end, now)

    cig_window = cig_before = None
    if cigarettes:
        days = [window_first + timedelta(days=i) for i in range(c.TREND_WINDOW_DAYS)]
        before = [d - timedelta(days=c.TREND_WINDOW_DAYS) for d in days]
        cig_window = mean_per_day(cigarettes, days)
        cig_before = mean_per_day(cigarettes, before)
    smoke_now = status_on(smoking, as_of)

    return TrendResult(
        method=str(method),
        as_of=as_of,
        week_end=week_end,
        window_start=window_first,
        status=now.status,
        previous_status=history[-1].status if history else None,
        status_since=since,
        n_exact=now.n_exact,
        n_censored=now.n_censored,
        censored_share=(now.n_censored / total) if total else None,
        span_days=round(now.span_days),
        first_walk=first_walk,
        last_walk=last_walk,
        mk_s=now.mk_s,
        mk_p=now.mk_p,
        slope_pct_month=_pct(now.slope),
        slope_pct_month_low=_pct(now.slope_low),
        slope_pct_month_high=_pct(now.slope_high),
        window_median_m=_exp_median(window_y),
        baseline_median_m=math.exp(now.cusum_ref) if now.cusum_ref is not None else None,
        early_median_m=_exp_median(series.y[e_lo:e_hi]),
        recent_median_m=recent,
        n_reference=now.n_reference,
        cusum_statistic=now.cusum.statistic if now.cusum else None,
        cusum_threshold=c.CUSUM_H,
        cusum_sigma=now.cusum_sigma,
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
        decline_weeks=tuple(h.week_end for h in [*history, now] if h.status in DECLINES),
    )


def _marker_since(series: _Series, week_end: date) -> date | None:
    """First week of the current run of weeks whose median is below the 200 m marker
    (weeks without walks with pain are passed over)."""
    if not series.day:
        return None
    first_monday = date.fromordinal(series.day[0])
    first_monday -= timedelta(days=first_monday.weekday())
    monday = week_end - timedelta(days=6)
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
    rows: Sequence[WalkLike], first: date, last: date, now: _Check
) -> tuple[bool, float | None]:
    """Maximum distance falling significantly while the pain-free distance is not declining."""
    start, stop = (
        datetime.combine(first, datetime.min.time()),
        datetime.combine(last, datetime.max.time()),
    )
    lo = bisect_left(rows, start, key=_walked_at)  # rows are sorted: read only the window
    hi = bisect_right(rows, stop, key=_walked_at)
    pts = [(_t(w.walked_at), math.log(w.max_m)) for w in rows[lo:hi] if not w.no_pain and w.max_m]
    if len(pts) < c.TREND_MIN_EXACT_WALKS or pts[-1][0] - pts[0][0] < c.TREND_MIN_SPAN_DAYS:
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
    pain_free_holds = now.status not in DECLINES and not now.negative_significant
    return falling and pain_free_holds, slope
