"""Prints the trend detector's simulated error rates as a Markdown table (docs/trend.md).

.venv/bin/python benchmarks/simulate_trend.py [--series 300] [--seed 1] [--only stable,step]

One process, rows one after another (the machine is shared); fixed seeds; each figure with its
Monte-Carlo standard error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import trend_sim as sim

PHIS = (0.0, 0.3, 0.6)


def stable_rows(seed: int, n: int) -> Iterator[list[str]]:
    for cv in (0.25, 0.35):
        for phi in PHIS if cv == 0.25 else (0.3,):
            r = sim.false_alarms(seed, n, phi=phi, cv=cv)
            yield [
                f"stable, CV {cv:.0%}, phi {phi}",
                f"alarm {r['alarm']}",
                f"sudden {r['sudden']} · recent fall {r['recent_fall']} · "
                f"12-week trend {r['trend']}",
                f"may be shorter {r['possible']} · improving {r['improving']}",
            ]


def seasonal_rows(seed: int, n: int) -> Iterator[list[str]]:
    for phi in (0.0, 0.3):
        r = sim.false_alarms(seed, n, phi=phi, years=3.0, swing=0.15, skip_days=456)
        yield [
            f"seasonal ±15 %, phi {phi}, months 16-36",
            f"alarm {r['alarm']}",
            f"sudden {r['sudden']} · recent fall {r['recent_fall']} · 12-week trend {r['trend']}",
            f"may be shorter {r['possible']}",
        ]
        r = sim.false_alarms(seed + 1, n, phi=phi, years=15 / 12, swing=0.15, skip_days=182)
        yield [
            f"seasonal ±15 %, phi {phi}, months 7-15 (no adjustment yet)",
            f"alarm {r['alarm']}",
            f"sudden {r['sudden']} · recent fall {r['recent_fall']} · 12-week trend {r['trend']}",
            f"may be shorter {r['possible']}",
        ]


def detection_row(
    label: str,
    seed: int,
    n: int,
    make: Callable[[int], sim.Shape],
    within: tuple[int, ...],
    *,
    walk_rate: float | None = None,
    offset: int = 0,
) -> Iterator[list[str]]:
    for phi in PHIS:
        d = sim.detection(
            seed, n, make, phi=phi, within=within, walk_rate=walk_rate, reference_offset=offset
        )
        yield [
            f"{label}, phi {phi}",
            " · ".join(f"≤{w} d {d.named_within[w]}" for w in within),
            " · ".join(f"≤{w} d {d.alarm_within[w]}" for w in within),
            f"median delay to alarm {d.alarm_delay_median} d",
        ]


def fall_make(drop_low: float, drop_high: float, seed: int) -> Callable[[int], sim.Shape]:
    import numpy as np

    rng = np.random.default_rng(seed + 1000)
    return lambda onset: sim.fall(float(rng.uniform(drop_low, drop_high)), onset)


def improvement_rows(seed: int, n: int) -> Iterator[list[str]]:
    for phi in PHIS:
        r = sim.improvement(seed, n, phi=phi)
        yield [
            f"+15 %/month, phi {phi}",
            f"improving within 3 months {r.improving}",
            f"any decline within 6 months {r.decline} (alarm {r.alarm})",
            f"walks without pain at the end: {r.censored_at_end:.0%}",
        ]


def recovery_rows(seed: int, n: int) -> Iterator[list[str]]:
    for phi in PHIS:
        r = sim.dip_and_recovery(seed, n, phi=phi)
        after = " · ".join(f"{k} d {v}" for k, v in r.still_alarmed_after.items())
        yield [
            f"10-day dip of 40 %, then back, phi {phi}",
            f"alarmed {r.alarmed}",
            f"still alarmed after recovery: {after}",
            "",
        ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    n, seed = args.series, args.seed
    groups: dict[str, Callable[[], Iterator[list[str]]]] = {
        "stable": lambda: stable_rows(seed, n),
        "seasonal": lambda: seasonal_rows(seed + 10, n),
        "step": lambda: detection_row(
            "40 % step, walks on 60 % of days",
            seed + 20,
            n,
            partial(sim.step, 0.4),
            (7, 14),
            walk_rate=0.6,
        ),
        "fall": lambda: detection_row(
            "fall of 30-40 % over 3 weeks (days from its end)",
            seed + 30,
            n,
            fall_make(0.3, 0.4, seed + 30),
            (0, 7),
            offset=20,
        ),
        "minus10": lambda: detection_row(
            "−10 %/month", seed + 40, n, partial(sim.monthly, -10.0), (56, 84)
        ),
        "minus5": lambda: detection_row(
            "−5 %/month", seed + 50, n, partial(sim.monthly, -5.0), (84, 182)
        ),
        "plus15": lambda: improvement_rows(seed + 60, n),
        "dip": lambda: recovery_rows(seed + 70, n),
    }
    wanted = [g for g in args.only.split(",") if g] or list(groups)
    started = time.perf_counter()
    print(f"Trend detector simulation: {n} diaries per row, seed {seed}; ± is one Monte-Carlo SE")
    print()
    print("| scenario | shown (any falling status) / rate | alarm | notes |")
    print("|---|---|---|---|")
    for name in wanted:
        t = time.perf_counter()
        for row in groups[name]():
            print("| " + " | ".join(row) + " |", flush=True)
        print(f"<!-- {name}: {time.perf_counter() - t:.0f} s -->", flush=True)
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
