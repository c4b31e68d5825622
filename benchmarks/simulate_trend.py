"""Prints the trend detector's simulated error rates (the targets are in docs/trend.md).

.venv/bin/python benchmarks/simulate_trend.py [--series 500] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import trend_sim as sim
from tracker.domain.trend import ALARMS, Status


def _row(job: tuple[str, float, int, int]) -> tuple[str, float, str]:
    name, cv, n, seed = job
    if name == "stable":
        r = sim.false_alarms(seed, n, cv)
        return (
            name,
            cv,
            (
                f"sustained {r['sustained']:.3f}/yr  sudden-drop {r['sudden']:.3f}/yr  "
                f"possible {r['possible']:.3f}/yr  improving {r['improving']:.3f}/yr  "
                f"any alarm in year 1: {r['any_alarm_year1_share']:.0%}"
            ),
        )
    if name == "step40":
        share, med = sim.detection(seed, n, cv, partial(sim.step, 0.4), (Status.SUDDEN_DROP,), 4)
        either, med2 = sim.detection(seed, n, cv, partial(sim.step, 0.4), ALARMS, 4)
        return (
            name,
            cv,
            (
                f"sudden-drop within 4 wk {share:.0%} (median {med} wk); "
                f"either alarm {either:.0%} (median {med2} wk)"
            ),
        )
    if name in ("minus10", "minus5"):
        pct = -10.0 if name == "minus10" else -5.0
        share, med = sim.detection(seed, n, cv, partial(sim.monthly, pct), ALARMS, 26)
        return name, cv, f"caught within 26 wk {share:.0%} (median delay {med} wk)"
    if name == "plus15":
        r = sim.improvement(seed, n, cv)
        return (
            name,
            cv,
            (
                f"improving within 26 wk {r['improving_share']:.0%}; "
                f"shown as any decline {r['decline_share']:.0%}"
            ),
        )
    if name == "seasonal15":
        r = sim.false_alarms(seed, n, cv, weeks=52, swing=0.15)
        return (
            name,
            cv,
            (
                f"±15 % seasonal swing, stable otherwise: sustained {r['sustained']:.2f}/yr, "
                f"any alarm in the year {r['any_alarm_year1_share']:.0%}"
            ),
        )
    raise ValueError(name)


LABELS = {
    "stable": "stable patient, false alarms per patient-year (2 years)",
    "step40": "40 % step drop",
    "minus10": "decline −10 %/month",
    "minus5": "decline −5 %/month (known weakness)",
    "plus15": "improvement +15 %/month",
    "seasonal15": "seasonal swing ±15 % (known weakness)",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    jobs = [
        (name, cv, args.series, args.seed + i)
        for i, name in enumerate(LABELS)
        for cv in (0.25, 0.35)
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        rows = list(pool.map(_row, jobs))
    print(f"Trend detector simulation: {args.series} series per row, seed {args.seed}")
    print(f"{'scenario':<42} {'CV':>4}  result")
    for name, cv, text in rows:
        print(f"{LABELS[name]:<42} {cv:>4.0%}  {text}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
