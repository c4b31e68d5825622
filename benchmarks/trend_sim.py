"""Simulated walking diaries for proving the trend detector's error rates (docs/trend.md).

Diaries are built to be harder than the detector's assumptions, as real ones are:
- day-to-day scatter of ln(pain-free distance) that is autocorrelated (AR(1), phi 0 / 0.3 /
  0.6: good and bad weeks), lognormal with CV 25 % (or 35 %), 1 % of walks mistyped;
- a weekday pattern of the level (±5 %) and of how often the person walks;
- walks on 40-80 % of days (the rate drawn per person), one or two holidays a year of 1-3
  weeks (half without walks, half with walks on other ground at another level);
- routes: on a short route of fixed length a walk ends without pain whenever the pain-free
  distance is longer than the route; its length is set so that 10-25 % of walks end without
  pain at the start (an improving person ends more and more walks without pain);
- distances rounded to 10 m, walks at random hours.
The detector is the real one (`tracker.domain.trend.daily_rules`), evaluated on every day, as a
person who opens the app each day sees it. Random numbers come from numpy with fixed seeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import NormalDist

import numpy as np

from tracker.domain.trend import ALARMS, DECLINES, DayRules, Status, daily_rules

START = date(2024, 1, 1)  # a Monday
OUTLIER_SHARE = 0.01
HOLIDAY_LEVEL_SD = 0.08
WEEKDAY_LEVEL_SD = 0.05
NORMAL = NormalDist()


@dataclass(frozen=True, slots=True)
class SimWalk:
    walked_at: datetime
    pain_free_m: float
    no_pain: bool
    max_m: float | None = None
    rest_min: float | None = None


Shape = Callable[[np.ndarray], np.ndarray]
"""ln-multiplier of the true distance on days t (days from START)."""


def stable(t: np.ndarray) -> np.ndarray:
    return np.zeros_like(t, dtype=float)


def step(drop: float, onset: int) -> Shape:
    return lambda t: np.where(t >= onset, math.log(1 - drop), 0.0)


def fall(drop: float, onset: int, over: int = 21) -> Shape:
    """Level, then a steady fall to `drop` lower over `over` days, then the lower level."""
    target = math.log(1 - drop)
    return lambda t: target * np.clip((t - onset + 1) / over, 0.0, 1.0)


def dip(drop: float, onset: int, length: int) -> Shape:
    return lambda t: np.where((t >= onset) & (t < onset + length), math.log(1 - drop), 0.0)


def monthly(pct: float, onset: int) -> Shape:
    rate = math.log(1 + pct / 100) / 30.44
    return lambda t: np.where(t >= onset, rate * (t - onset), 0.0)


def seasonal(amplitude: float, phase: float) -> Shape:
    """A yearly swing of ±amplitude (ln), starting at `phase` of the year."""
    return lambda t: amplitude * np.sin(2 * np.pi * (t / 365.25 + phase))


@dataclass(frozen=True)
class Diary:
    walks: list[SimWalk]
    walk_rate: float
    censored_share: float


def diary(
    rng: np.random.Generator,
    days: int,
    shape: Shape,
    *,
    cv: float = 0.25,
    phi: float = 0.0,
    walk_rate: float | None = None,
    walking: tuple[int, int] | None = None,
    gap: tuple[int, int] | None = None,
) -> Diary:
    """A diary of `days` days. `walking`: days first..last on which no holiday without walks
    falls (such a holiday there becomes one with walks on other ground), for changes whose
    window a holiday could cover entirely. `gap`: days first..last without any walk."""
    sigma = math.sqrt(math.log(1 + cv * cv))
    base = math.log(rng.uniform(120, 500))
    rate = walk_rate if walk_rate is not None else rng.uniform(0.4, 0.8)
    t = np.arange(days)
    weekday = (t + START.weekday()) % 7
    level_by_weekday = rng.normal(0, WEEKDAY_LEVEL_SD, 7)
    p_by_weekday = np.clip(1 + rng.normal(0, 0.15, 7), 0.5, 1.5)
    p_by_weekday = np.clip(rate * p_by_weekday / p_by_weekday.mean(), 0.02, 0.98)
    noise = np.empty(days)
    shocks = rng.normal(0, sigma * math.sqrt(1 - phi * phi), days)
    noise[0] = rng.normal(0, sigma)
    for i in range(1, days):
        noise[i] = phi * noise[i - 1] + shocks[i]
    offset = np.zeros(days)
    walks_today = rng.random(days) < p_by_weekday[weekday]
    for year in range(days // 365 + 1):
        for _ in range(int(rng.integers(1, 3))):
            first = year * 365 + int(rng.integers(0, 365))
            length = int(rng.integers(7, 22))
            span = slice(first, min(first + length, days))
            no_walks = rng.random() < 0.5
            level = rng.normal(0, HOLIDAY_LEVEL_SD)
            if no_walks and walking is not None:
                no_walks = first + length <= walking[0] or first > walking[1]
            if no_walks:
                walks_today[span] = False
            else:
                offset[span] = level
    if gap is not None:
        walks_today[gap[0] : gap[1] + 1] = False
    true_log = base + shape(t) + level_by_weekday[weekday] + noise + offset
    # the short route: long enough that `censor` of walks end without pain at the start
    censor = rng.uniform(0.10, 0.25)
    on_short = rng.uniform(0.35, 0.6)
    spread = math.sqrt(sigma * sigma + 0.05**2)
    route_m = round(math.exp(base + spread * NORMAL.inv_cdf(1 - censor / on_short)), -1)
    walks: list[SimWalk] = []
    n_censored = 0
    minutes = rng.integers(7 * 60, 19 * 60, days)
    short = rng.random(days) < on_short
    mistyped = rng.random(days) < OUTLIER_SHARE
    typo = np.exp(rng.normal(0, 0.7, days))
    for day in np.flatnonzero(walks_today):
        at = datetime.combine(START + timedelta(days=int(day)), datetime.min.time())
        at += timedelta(minutes=int(minutes[day]))
        pf = math.exp(true_log[day])
        if short[day] and pf > route_m:
            walks.append(SimWalk(at, route_m, True))
            n_censored += 1
            continue
        if mistyped[day]:
            pf *= typo[day]
        pf = max(10.0, round(pf, -1))
        walks.append(SimWalk(at, pf, False, pf * 1.6))
    return Diary(walks, rate, n_censored / max(1, len(walks)))


def evaluate(d: Diary, first: int, last: int) -> list[DayRules]:
    return daily_rules(d.walks, START + timedelta(days=first), START + timedelta(days=last))


def entries(flags: Sequence[bool]) -> int:
    """How many times a flag switched on (a continuing flag counts once)."""
    count = 0
    before = False
    for f in flags:
        if f and not before:
            count += 1
        before = f
    return count


def first_entry(days: Sequence[DayRules], wanted: Callable[[DayRules], bool]) -> int | None:
    """The first index i >= 1 on which `wanted` turns true (false on day i - 1)."""
    for i in range(1, len(days)):
        if wanted(days[i]) and not wanted(days[i - 1]):
            return i
    return None


def is_alarm(d: DayRules) -> bool:
    return d.status in ALARMS


def is_decline(d: DayRules) -> bool:
    return d.status in DECLINES


# --- scenarios ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Share:
    hits: int
    n: int

    @property
    def value(self) -> float:
        return self.hits / self.n

    @property
    def error(self) -> float:
        """Monte-Carlo standard error."""
        p = self.value
        return math.sqrt(max(p * (1 - p), 1 / self.n) / self.n)

    def __str__(self) -> str:
        return f"{self.value:.0%} ± {self.error:.0%}"


@dataclass(frozen=True)
class Rate:
    """Episodes per patient-year at risk (the years on which the detector gave a status other
    than "not enough walks yet": no rule can fire before), with the Monte-Carlo error of the
    ratio from the per-diary counts and exposures."""

    counts: tuple[int, ...]
    years: tuple[float, ...]
    """Each diary's years at risk."""

    @property
    def value(self) -> float:
        return sum(self.counts) / max(sum(self.years), 1e-9)

    @property
    def error(self) -> float:
        n = len(self.counts)
        rate = self.value
        mean_years = sum(self.years) / n
        resid = [c - rate * y for c, y in zip(self.counts, self.years, strict=True)]
        var = sum(e * e for e in resid) / max(1, n - 1)
        return math.sqrt(var / n) / max(mean_years, 1e-9)

    def __str__(self) -> str:
        return f"{self.value:.3f} ± {self.error:.3f}"


FALSE_ALARM_KEYS = ("alarm", "sudden", "recent_fall", "trend", "possible", "named", "improving")


def false_alarms(
    seed: int,
    n: int,
    *,
    phi: float,
    cv: float = 0.25,
    years: float = 2.0,
    swing: float = 0.0,
    skip_days: int = 0,
    walk_rate: float | None = None,
    gap: tuple[int, int] | None = None,
) -> dict[str, Rate]:
    """Episodes per patient-year at risk on diaries with no real change (or only a seasonal
    swing of ±`swing`, random phase), counted from `skip_days` on: any alarm, each rule alone,
    the "may be getting shorter" state, any falling status, and improving. An episode is a
    run of days with the status, as a person opening the app daily sees it: one that ends and
    comes back counts twice."""
    rng = np.random.default_rng(seed)
    days = round(years * 365.25)
    counts: dict[str, list[int]] = {k: [] for k in FALSE_ALARM_KEYS}
    exposure: list[float] = []
    for _ in range(n):
        shape = seasonal(swing, rng.random()) if swing else stable
        d = diary(rng, days, shape, cv=cv, phi=phi, walk_rate=walk_rate, gap=gap)
        seq = evaluate(d, skip_days, days - 1)
        exposure.append(sum(x.status is not Status.INSUFFICIENT for x in seq) / 365.25)
        counts["alarm"].append(entries([is_alarm(x) for x in seq]))
        counts["sudden"].append(entries([x.sudden_fall for x in seq]))
        counts["recent_fall"].append(entries([x.recent_fall for x in seq]))
        counts["trend"].append(entries([x.trend_confirmed for x in seq]))
        counts["possible"].append(entries([x.status is Status.POSSIBLE_DECLINE for x in seq]))
        counts["named"].append(entries([is_decline(x) for x in seq]))
        counts["improving"].append(entries([x.status is Status.IMPROVING for x in seq]))
    return {k: Rate(tuple(v), tuple(exposure)) for k, v in counts.items()}


ONSET = 26 * 7
"""Changes begin after half a year of diary (on a random weekday: ONSET + 0..6)."""


@dataclass(frozen=True)
class Detection:
    alarm_within: dict[int, Share]
    """Share with an alarm within N days (day 0 = the change's reference day)."""
    named_within: dict[int, Share]
    """Share with any falling status (including "may be getting shorter") within N days."""
    alarm_delay_median: float | None


def detection(
    seed: int,
    n: int,
    make_shape: Callable[[int], Shape],
    *,
    phi: float,
    within: Sequence[int],
    cv: float = 0.25,
    walk_rate: float | None = None,
    reference_offset: int = 0,
    onset_day: int = ONSET,
    keep_walking: bool = False,
    gap: tuple[int, int] | None = None,
) -> Detection:
    """Changes starting on day `onset_day` + 0..6; delays counted from the onset plus
    `reference_offset` (e.g. the end of a three-week fall). A change counts as found on the
    first day on or after its onset on which the status turns to an alarm (or any falling
    status): a status already shown the day before the onset was raised by something else.
    `keep_walking`: no holiday without walks from 4 weeks before the onset to the last day
    counted (the person walks on the stated share of days). `gap`: days without walks,
    counted from the onset."""
    rng = np.random.default_rng(seed)
    horizon = max(within)
    alarm_delays: list[int | None] = []
    named_delays: list[int | None] = []
    for _ in range(n):
        onset = onset_day + int(rng.integers(0, 7))
        ref_day = onset + reference_offset
        d = diary(
            rng,
            ref_day + horizon + 1,
            make_shape(onset),
            cv=cv,
            phi=phi,
            walk_rate=walk_rate,
            walking=(onset - 28, ref_day + horizon) if keep_walking else None,
            gap=None if gap is None else (onset + gap[0], onset + gap[1]),
        )
        seq = evaluate(d, onset - 1, ref_day + horizon)
        a = first_entry(seq, is_alarm)
        nm = first_entry(seq, is_decline)
        alarm_delays.append(None if a is None else a - 1 - reference_offset)
        named_delays.append(None if nm is None else nm - 1 - reference_offset)

    def share(delays: list[int | None], days: int) -> Share:
        return Share(sum(1 for x in delays if x is not None and x <= days), n)

    found = sorted(x for x in alarm_delays if x is not None)
    med = float(found[len(found) // 2]) if len(found) > n // 2 else None
    return Detection(
        {w: share(alarm_delays, w) for w in within},
        {w: share(named_delays, w) for w in within},
        med,
    )


@dataclass(frozen=True)
class Improvement:
    improving: Share
    decline: Share
    alarm: Share
    censored_at_end: float


def improvement(
    seed: int, n: int, *, phi: float, pct: float = 15.0, within: int = 91, watch: int = 182
) -> Improvement:
    """A walking programme working at +pct % a month from ONSET: shown as improving within
    `within` days (the status turning to improving on or after the onset, as for detections:
    one already shown the day before was raised by something else); ever shown as falling (any
    decline status; alarms apart) within `watch`."""
    rng = np.random.default_rng(seed)
    improving = decline = alarm = 0
    censored = 0.0
    for _ in range(n):
        onset = ONSET + int(rng.integers(0, 7))
        d = diary(rng, onset + watch + 1, monthly(pct, onset), phi=phi)
        before = evaluate(d, onset - 1, onset + watch)
        seq = before[1:]
        first = first_entry(before, lambda x: x.status is Status.IMPROVING)
        improving += first is not None and first - 1 <= within
        decline += any(is_decline(x) for x in seq)
        alarm += any(is_alarm(x) for x in seq)
        last = d.walks[-60:]
        censored += sum(w.no_pain for w in last) / max(1, len(last))
    return Improvement(Share(improving, n), Share(decline, n), Share(alarm, n), censored / n)


@dataclass(frozen=True)
class Recovery:
    alarmed: Share
    """Diaries alarmed during or just after the dip."""
    still_alarmed_after: dict[int, Share]
    """Of all diaries: still alarmed N days after the walks were back to normal."""


def dip_and_recovery(
    seed: int, n: int, *, phi: float, drop: float = 0.4, length: int = 10
) -> Recovery:
    rng = np.random.default_rng(seed)
    alarmed = 0
    after = {3: 0, 7: 0, 14: 0}
    for _ in range(n):
        onset = ONSET + int(rng.integers(0, 7))
        back = onset + length
        d = diary(rng, back + 30, dip(drop, onset, length), phi=phi)
        seq = evaluate(d, onset, back + 29)
        alarmed += any(is_alarm(x) for x in seq)
        for k in after:
            after[k] += is_alarm(seq[length + k])
    return Recovery(Share(alarmed, n), {k: Share(v, n) for k, v in after.items()})
