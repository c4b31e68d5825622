"""The trend around a recorded procedure, as a person who opens the app every day sees it.

.venv/bin/python benchmarks/simulate_procedure.py [--series 40] [--seed 1] [--every 1]

The path is the app's: `tracker.domain.treatment.trend_walks` (the cut at the latest procedure plus
the settling period) and then `tracker.domain.trend.analyse` with that change point (no status
until the usual level since it rests on enough walks with pain), on each evaluated day, with the
walks `tracker.domain.current_trend.current_trend` would read. Cases (one diary per series,
fixed seeds):

1. a +100 % jump at the procedure and a 40 % fall 3 months later (restenosis): the share of
   series with an alarm (sustained decline or sudden drop) within 26 weeks of the fall and the
   median delay in days; also the same diaries with the procedure not recorded;
2. the same jump with no later fall: the share ever shown a decline after the procedure, the
   share shown "improving" later than 8 weeks after it, and the share shown a rise ("improving"
   or "may be getting longer") in weeks 8-17, when the trend starts again (with and without
   the procedure);
3. a stable patient (no change at all) with a procedure recorded against the same diary
   without: alarm episodes per patient-year, and the same shares as in case 2. Without the
   procedure this row is what the detector shows any stable diary over the same days: the
   floor that case 2 is read against.

Shares carry their binomial standard error, rates their Poisson one. One process, bounded by
--series; the diaries come from `benchmarks.trend_sim` when it offers `diary(...)` (the
realistic generator), else from the small generator below with the same features.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import trend_sim
from tracker.db.models import TreatmentEvent
from tracker.domain.clinical import EventKind
from tracker.domain.current_trend import HISTORY_DAYS
from tracker.domain.treatment import trend_walks
from tracker.domain.trend import ALARMS, DECLINES, Status, analyse

START = date(2024, 1, 1)
PROCEDURE_DAY = 26 * 7
"""Half a year of diary before the procedure."""
FALL_AFTER_DAYS = 91
FOLLOW_DAYS = 26 * 7
IMPROVING_GRACE_DAYS = 8 * 7
RISE_WEEKS = (8 * 7, 17 * 7)
"""Days after the procedure over which a rise is counted when the trend starts again."""
RISES = (Status.IMPROVING, Status.POSSIBLE_IMPROVEMENT)

Shape = Callable[[np.ndarray], np.ndarray]


# --- the one adapter to the diary generator ---------------------------------------------
def diary_walks(
    rng: np.random.Generator, days: int, shape: Shape, *, cv: float, phi: float
) -> list[Any]:
    """Walks of a realistic diary of `days` days from START whose true ln-level follows
    `shape`: the shared generator when it has one, else the fallback below."""
    make = getattr(trend_sim, "diary", None)
    if make is not None:
        return list(make(rng, days, shape, cv=cv, phi=phi).walks)
    return _fallback_diary(rng, days, shape, cv=cv, phi=phi)


@dataclass(frozen=True, slots=True)
class Walk:
    walked_at: datetime
    pain_free_m: float
    no_pain: bool
    max_m: float | None = None
    rest_min: float | None = None


def _fallback_diary(
    rng: np.random.Generator, days: int, shape: Shape, *, cv: float, phi: float
) -> list[Any]:
    """AR(1) scatter of ln(distance), a weekday pattern of level and of walking, walks on
    40-80 % of days, one or two holidays a year (half without walks), a short route on which
    walks longer than it end without pain (10-25 % at the start), 1 % mistyped, 10 m rounding."""
    sigma = math.sqrt(math.log(1 + cv * cv))
    base = math.log(rng.uniform(120, 500))
    t = np.arange(days)
    weekday = (t + START.weekday()) % 7
    p = np.clip(rng.uniform(0.4, 0.8) * np.clip(1 + rng.normal(0, 0.15, 7), 0.5, 1.5), 0.02, 0.98)
    walks_today = rng.random(days) < p[weekday]
    noise = np.empty(days)
    noise[0] = rng.normal(0, sigma)
    shocks = rng.normal(0, sigma * math.sqrt(1 - phi * phi), days)
    for i in range(1, days):
        noise[i] = phi * noise[i - 1] + shocks[i]
    offset = np.zeros(days)
    for year in range(days // 365 + 1):
        for _ in range(int(rng.integers(1, 3))):
            first = year * 365 + int(rng.integers(0, 365))
            span = slice(first, min(first + int(rng.integers(7, 22)), days))
            if rng.random() < 0.5:
                walks_today[span] = False
            else:
                offset[span] = rng.normal(0, 0.08)
    true_log = base + shape(t) + rng.normal(0, 0.05, 7)[weekday] + noise + offset
    route = math.exp(base + sigma * 1.2)
    short = rng.random(days) < rng.uniform(0.35, 0.6)
    typo = np.where(rng.random(days) < 0.01, np.exp(rng.normal(0, 0.7, days)), 1.0)
    minutes = rng.integers(7 * 60, 19 * 60, days)
    out: list[Any] = []
    for day in np.flatnonzero(walks_today):
        at = datetime.combine(START + timedelta(days=int(day)), datetime.min.time())
        at += timedelta(minutes=int(minutes[day]))
        pf = math.exp(true_log[day])
        if short[day] and pf > route:
            out.append(Walk(at, round(route, -1), True))
            continue
        pf = max(10.0, round(pf * typo[day], -1))
        out.append(Walk(at, pf, False, pf * 1.6))
    return out


# --- what the app shows on a day --------------------------------------------------------
def procedure(day: int) -> TreatmentEvent:
    return TreatmentEvent(
        id=1,
        kind=EventKind.PROCEDURE,
        occurred_on=START + timedelta(days=day),
        procedure_type="angioplasty",
        name="",
        dose="",
        description="",
        notes="",
    )


def statuses(
    walks: Sequence[Any], events: Sequence[TreatmentEvent], first: int, last: int, every: int
) -> list[tuple[int, Status]]:
    """(day, status) on every `every`-th day from `first` to `last`, as current_trend makes
    it: the walks of the detector's reach, cut at the procedure, then the detector."""
    times = [w.walked_at for w in walks]
    out = []
    for day in range(first, last + 1, every):
        as_of = START + timedelta(days=day)
        lo = bisect_left(
            times, datetime.combine(as_of - timedelta(days=HISTORY_DAYS), datetime.min.time())
        )
        hi = bisect_right(times, datetime.combine(as_of, datetime.max.time()))
        kept, change_point = trend_walks(walks[lo:hi], events, as_of, HISTORY_DAYS)
        out.append((day, analyse(kept, as_of, change_point=change_point).status))
    return out


def first_day(
    seq: Sequence[tuple[int, Status]], wanted: tuple[Status, ...], start: int
) -> int | None:
    return next((d - start for d, s in seq if d >= start and s in wanted), None)


def episodes(seq: Sequence[tuple[int, Status]], wanted: tuple[Status, ...]) -> int:
    n, inside = 0, False
    for _, s in seq:
        now = s in wanted
        n += now and not inside
        inside = now
    return n


def share(k: int, n: int) -> str:
    p = k / n
    return f"{p:.0%} ± {math.sqrt(p * (1 - p) / n):.0%} ({k}/{n})"


def rate(k: int, patient_years: float) -> str:
    return (
        f"{k / patient_years:.2f} ± {math.sqrt(k) / patient_years:.2f} /patient-year ({k} episodes)"
    )


def median(xs: list[int]) -> str:
    if not xs:
        return "–"
    xs = sorted(xs)
    return f"{xs[len(xs) // 2]} days (quartiles {xs[len(xs) // 4]}–{xs[3 * len(xs) // 4]})"


# --- cases ------------------------------------------------------------------------------
def jump_then_fall(fall: bool) -> Shape:
    up, down = math.log(2.0), math.log(0.6)
    p, f = PROCEDURE_DAY, PROCEDURE_DAY + FALL_AFTER_DAYS

    def shape(t: np.ndarray) -> np.ndarray:
        level = np.where(t >= p, up, 0.0)
        return level + (np.where(t >= f, down, 0.0) if fall else 0.0)

    return shape


def stable(t: np.ndarray) -> np.ndarray:
    return np.zeros_like(t, dtype=float)


def late_improving(seq: Sequence[tuple[int, Status]]) -> bool:
    return any(
        s is Status.IMPROVING for day, s in seq if day > PROCEDURE_DAY + IMPROVING_GRACE_DAYS
    )


def early_rise(seq: Sequence[tuple[int, Status]]) -> bool:
    first, last = (PROCEDURE_DAY + d for d in RISE_WEEKS)
    return any(s in RISES for day, s in seq if first <= day < last)


def run(n: int, seed: int, cv: float, phi: float, every: int) -> None:
    rng = np.random.default_rng(seed)
    events = [procedure(PROCEDURE_DAY)]
    fall_day = PROCEDURE_DAY + FALL_AFTER_DAYS
    end_fall = fall_day + FOLLOW_DAYS
    end_year = PROCEDURE_DAY + 365
    caught: dict[str, list[int]] = {"recorded": [], "not recorded": []}
    early: dict[str, int] = {"recorded": 0, "not recorded": 0}
    decline = {"recorded": 0, "not recorded": 0}
    improving = {"recorded": 0, "not recorded": 0}
    alarms = {"recorded": 0, "not recorded": 0}
    rise = {"recorded": 0, "not recorded": 0}
    s_decline = {"recorded": 0, "not recorded": 0}
    s_improving = {"recorded": 0, "not recorded": 0}
    s_rise = {"recorded": 0, "not recorded": 0}
    for _ in range(n):
        walks = diary_walks(rng, end_fall + 1, jump_then_fall(True), cv=cv, phi=phi)
        for label, evs in (("recorded", events), ("not recorded", [])):
            seq = statuses(walks, evs, PROCEDURE_DAY, end_fall, every)
            d = first_day(seq, ALARMS, fall_day)
            if d is not None:
                caught[label].append(d)
            early[label] += any(s in ALARMS for day, s in seq if day < fall_day)
        walks = diary_walks(rng, end_year + 1, jump_then_fall(False), cv=cv, phi=phi)
        for label, evs in (("recorded", events), ("not recorded", [])):
            seq = statuses(walks, evs, PROCEDURE_DAY, end_year, every)
            decline[label] += any(s in DECLINES for _, s in seq)
            improving[label] += late_improving(seq)
            rise[label] += early_rise(seq)
        walks = diary_walks(rng, end_year + 1, stable, cv=cv, phi=phi)
        for label, evs in (("recorded", events), ("not recorded", [])):
            seq = statuses(walks, evs, PROCEDURE_DAY, end_year, every)
            alarms[label] += episodes(seq, ALARMS)
            s_decline[label] += any(s in DECLINES for _, s in seq)
            s_improving[label] += late_improving(seq)
            s_rise[label] += early_rise(seq)
    years = n * 365 / 365.25
    print(f"\nCV {cv:.0%}, AR(1) phi {phi}, {n} series per case, evaluated every {every} day(s)")
    for label in ("recorded", "not recorded"):
        print(f"  procedure {label}:")
        print(
            f"    jump +100 %, fall −40 % after 3 months: alarm within 26 weeks of the fall "
            f"{share(len(caught[label]), n)}, median delay {median(caught[label])}; "
            f"an alarm before the fall {share(early[label], n)}"
        )
        print(
            f"    jump +100 %, no fall (1 year): any decline status {share(decline[label], n)}; "
            f"'improving' later than 8 weeks after the procedure {share(improving[label], n)}; "
            f"a rise in weeks 8-17 {share(rise[label], n)}"
        )
        print(
            "    stable patient (1 year after the procedure date): alarms "
            + rate(alarms[label], years)
            + f"; any decline status {share(s_decline[label], n)}; 'improving' later than "
            f"8 weeks {share(s_improving[label], n)}; a rise in weeks 8-17 "
            f"{share(s_rise[label], n)}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--every", type=int, default=1, help="evaluate every N days (1: daily)")
    ap.add_argument("--cv", type=float, nargs="*", default=[0.25])
    ap.add_argument("--phi", type=float, nargs="*", default=[0.3])
    args = ap.parse_args()
    source = "benchmarks.trend_sim.diary" if hasattr(trend_sim, "diary") else "the fallback"
    print(
        f"diaries from {source}; detector tracker.domain.trend.analyse "
        "after tracker.domain.treatment.trend_walks"
    )
    t0 = time.perf_counter()
    for cv in args.cv:
        for phi in args.phi:
            run(args.series, args.seed, cv, phi, args.every)
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
