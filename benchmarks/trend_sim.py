"""Simulated patients for proving the trend detector's error rates (docs/trend.md).

Lognormal day-to-day scatter around a true pain-free distance; about 5 walks a week with days
skipped at random, a 14-day gap in 30 % of series, 10 % of walks ending without pain (recorded
as a lower bound below the true distance). Statuses are checked weekly, as the app does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.domain.trend import ALARMS, DECLINES, Status, weekly_statuses

START = date(2024, 1, 1)  # a Monday
WALK_PROBABILITY = 5 / 7
CENSORED_SHARE = 0.10
GAP_SHARE = 0.30


@dataclass(frozen=True)
class SimWalk:
    walked_at: datetime
    pain_free_m: float
    no_pain: bool
    max_m: float | None = None
    rest_min: float | None = None


Shape = Callable[[float], float]
"""ln-multiplier of the true distance at day t (days from START)."""


def stable(_: float) -> float:
    return 0.0


def step(drop: float, onset: int) -> Shape:
    return lambda t: math.log(1 - drop) if t >= onset else 0.0


def monthly(pct: float, onset: int) -> Shape:
    rate = math.log(1 + pct / 100) / 30.44
    return lambda t: rate * (t - onset) if t >= onset else 0.0


def seasonal(amplitude: float, phase: float = 0.0) -> Shape:
    """A yearly swing (e.g. cold winters) starting at `phase` of the year."""
    return lambda t: amplitude * math.sin(2 * math.pi * (t / 365.25 + phase))


def simulate(rng: random.Random, cv: float, shape: Shape, weeks: int) -> list[SimWalk]:
    sigma = math.sqrt(math.log(1 + cv * cv))
    base = rng.uniform(120, 500)
    gap_start = rng.randrange(0, weeks * 7 - 14) if rng.random() < GAP_SHARE else -100
    walks: list[SimWalk] = []
    for day in range(weeks * 7):
        if gap_start <= day < gap_start + 14 or rng.random() > WALK_PROBABILITY:
            continue
        at = datetime.combine(START + timedelta(days=day), datetime.min.time()) + timedelta(
            minutes=rng.randrange(7 * 60, 19 * 60)
        )
        true_pf = base * math.exp(shape(day) + rng.gauss(0, sigma))
        if rng.random() < CENSORED_SHARE:
            walks.append(SimWalk(at, true_pf * rng.uniform(0.4, 1.0), True))
        else:
            walks.append(SimWalk(at, true_pf, False, true_pf * 1.6))
    return walks


def week_ends(weeks: int) -> list[date]:
    return [START + timedelta(days=7 * k + 6) for k in range(weeks)]


def statuses(rng: random.Random, cv: float, shape: Shape, weeks: int) -> list[Status]:
    return weekly_statuses(simulate(rng, cv, shape, weeks), week_ends(weeks))


def episodes(seq: list[Status], wanted: tuple[Status, ...]) -> int:
    """How many times the status entered one of `wanted` (a continuing flag counts once)."""
    count = 0
    inside = False
    for s in seq:
        now = s in wanted
        if now and not inside:
            count += 1
        inside = now
    return count


def first_week(seq: list[Status], wanted: tuple[Status, ...], start: int) -> int | None:
    """Weeks from `start` (the onset week index) to the first check with a wanted status."""
    for i in range(start, len(seq)):
        if seq[i] in wanted:
            return i - start
    return None


@dataclass(frozen=True)
class Rates:
    name: str
    cv: float
    n: int
    value: float
    delay_median: float | None = None


def false_alarms(
    seed: int, n: int, cv: float, weeks: int = 104, swing: float = 0.0
) -> dict[str, float]:
    """Per patient-year alarm episodes on patients with no real change (optionally a seasonal
    swing of ±`swing`, random phase), and the share with any alarm in year 1."""
    rng = random.Random(seed)
    years = weeks / 52.18
    totals = {"sustained": 0, "sudden": 0, "possible": 0, "improving": 0}
    any_year1 = 0
    for _ in range(n):
        shape = seasonal(swing, rng.random()) if swing else stable
        seq = statuses(rng, cv, shape, weeks)
        totals["sustained"] += episodes(seq, (Status.SUSTAINED_DECLINE,))
        totals["sudden"] += episodes(seq, (Status.SUDDEN_DROP,))
        totals["possible"] += episodes(seq, (Status.POSSIBLE_DECLINE,))
        totals["improving"] += episodes(seq, (Status.IMPROVING,))
        any_year1 += any(s in ALARMS for s in seq[:52])
    out = {k: v / (n * years) for k, v in totals.items()}
    out["any_alarm_year1_share"] = any_year1 / n
    return out


ONSET_WEEK = 26


def detection(
    seed: int,
    n: int,
    cv: float,
    shape_for: Callable[[int], Shape],
    wanted: tuple[Status, ...],
    within_weeks: int,
) -> tuple[float, float | None]:
    """Share of series with a wanted status within `within_weeks` of the onset; median delay."""
    rng = random.Random(seed)
    onset_day = ONSET_WEEK * 7
    weeks = ONSET_WEEK + within_weeks + 1
    delays: list[int] = []
    for _ in range(n):
        seq = statuses(rng, cv, shape_for(onset_day), weeks)
        d = first_week(seq, wanted, ONSET_WEEK)
        if d is not None and d <= within_weeks:
            delays.append(d)
    share = len(delays) / n
    delays.sort()
    med = float(delays[len(delays) // 2]) if delays else None
    return share, med


def improvement(
    seed: int, n: int, cv: float, pct: float = 15.0, within: int = 26
) -> dict[str, float]:
    """An improving walking programme: share flagged improving, share ever shown as a decline."""
    rng = random.Random(seed)
    weeks = ONSET_WEEK + within + 1
    improving = declined = 0
    for _ in range(n):
        seq = statuses(rng, cv, monthly(pct, ONSET_WEEK * 7), weeks)
        after = seq[ONSET_WEEK:]
        improving += Status.IMPROVING in after
        declined += any(s in DECLINES for s in after[4:])
    return {"improving_share": improving / n, "decline_share": declined / n}
