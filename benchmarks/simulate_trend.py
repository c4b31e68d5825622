"""Prints the trend detector's simulated error rates as a Markdown table (docs/trend.md).

.venv/bin/python benchmarks/simulate_trend.py [--series 300] [--seed 1] [--only stable,step]

One process, rows one after another (the machine is shared); fixed seeds; each figure with its
Monte-Carlo standard error. False alarms are episodes per patient-year at risk (the days on
which the detector gave a status other than "not enough walks yet"); detections count the
first day on or after the change's onset on which the status turns to a falling one.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import trend_sim as sim

PHIS = (0.0, 0.3, 0.6)
Row = list[str]


def fa_row(label: str, r: dict[str, sim.Rate]) -> Row:
    return [
        label,
        f"alarm {r['alarm']} · may be shorter {r['possible']} · any falling {r['named']}",
        f"sudden {r['sudden']} · recent fall {r['recent_fall']} · 12-week trend {r['trend']}",
        f"improving {r['improving']}",
    ]


def stable_rows(seed: int, n: int) -> Iterator[Row]:
    for phi in PHIS:
        yield fa_row(f"stable, CV 25%, phi {phi}", sim.false_alarms(seed, n, phi=phi))


def seasonal_rows(seed: int, n: int) -> Iterator[Row]:
    for phi in PHIS:
        r = sim.false_alarms(seed, n, phi=phi, years=3.0, swing=0.15, skip_days=456)
        yield fa_row(f"seasonal ±15 %, phi {phi}, months 16-36", r)
    for phi in (0.0, 0.3):
        r = sim.false_alarms(seed + 1, n, phi=phi, years=15 / 12, swing=0.15, skip_days=182)
        yield fa_row(f"seasonal ±15 %, phi {phi}, months 7-15 (no adjustment yet)", r)


def detection_row(
    label: str,
    seed: int,
    n: int,
    make: Callable[[int], sim.Shape],
    within: tuple[int, ...],
    *,
    phis: tuple[float, ...] = PHIS,
    **kw: object,
) -> Iterator[Row]:
    for phi in phis:
        d = sim.detection(seed, n, make, phi=phi, within=within, **kw)  # type: ignore[arg-type]
        yield [
            f"{label}, phi {phi}",
            " · ".join(f"≤{w} d {d.named_within[w]}" for w in within),
            " · ".join(f"≤{w} d {d.alarm_within[w]}" for w in within),
            f"median delay to alarm {d.alarm_delay_median} d",
        ]


def fall_make(drop_low: float, drop_high: float, seed: int) -> Callable[[int], sim.Shape]:
    rng = np.random.default_rng(seed + 1000)
    return lambda onset: sim.fall(float(rng.uniform(drop_low, drop_high)), onset)


def improvement_rows(seed: int, n: int) -> Iterator[Row]:
    for phi in PHIS:
        r = sim.improvement(seed, n, phi=phi)
        yield [
            f"+15 %/month, phi {phi}",
            f"improving within 3 months {r.improving}",
            f"any falling status within 6 months {r.decline} (alarm {r.alarm})",
            f"walks without pain at the end: {r.censored_at_end:.0%}",
        ]


def recovery_rows(seed: int, n: int) -> Iterator[Row]:
    for phi in PHIS:
        r = sim.dip_and_recovery(seed, n, phi=phi)
        after = " · ".join(f"{k} d {v}" for k, v in r.still_alarmed_after.items())
        yield [
            f"10-day dip of 40 %, then back, phi {phi}",
            f"alarmed {r.alarmed}",
            f"still alarmed after recovery: {after}",
            "",
        ]


STEP = partial(sim.step, 0.4)
MINUS10 = partial(sim.monthly, -10.0)


def robustness_rows(seed: int, n: int) -> Iterator[Row]:
    """Beyond the base case, at phi 0.3: other scatter, other walking frequencies, a holiday
    gap, a short history, a new method with a short history of its own."""
    phi = 0.3
    variants: list[tuple[str, dict[str, object], dict[str, object]]] = [
        ("CV 20 %", {"cv": 0.20}, {"cv": 0.20}),
        ("CV 35 %", {"cv": 0.35}, {"cv": 0.35}),
        ("walks on 40 % of days", {"walk_rate": 0.4}, {"walk_rate": 0.4}),
        ("walks on 80 % of days", {"walk_rate": 0.8}, {"walk_rate": 0.8}),
    ]
    for k, (label, fa_kw, det_kw) in enumerate(variants):
        r = sim.false_alarms(seed + k, n, phi=phi, **fa_kw)  # type: ignore[arg-type]
        yield fa_row(f"{label}, stable, phi {phi}", r)
        step_kw = {**det_kw, "walk_rate": det_kw.get("walk_rate", 0.6), "keep_walking": True}
        yield from detection_row(
            f"{label}, 40 % step", seed + 10 + k, n, STEP, (7, 14), phis=(phi,), **step_kw
        )
        yield from detection_row(
            f"{label}, −10 %/month", seed + 20 + k, n, MINUS10, (56, 84), phis=(phi,), **det_kw
        )
    # a holiday: 14 days without walks in the middle of a stable diary; a step during it,
    # counted from the first day back
    r = sim.false_alarms(seed + 30, n, phi=phi, gap=(400, 413))
    yield fa_row(f"14 days without walks (days 400-413), stable, phi {phi}", r)
    yield from detection_row(
        "40 % step on the first day of a 14-day holiday without walks (days from its end)",
        seed + 31,
        n,
        STEP,
        (7, 14),
        phis=(phi,),
        walk_rate=0.6,
        gap=(0, 13),
        reference_offset=14,
    )
    # a short history: a 6-month diary, and changes after only 13 weeks of walks
    r = sim.false_alarms(seed + 40, n, phi=phi, years=0.5)
    yield fa_row(f"6-month diary, stable, phi {phi}", r)
    yield from detection_row(
        "40 % step after 13 weeks of walks",
        seed + 41,
        n,
        STEP,
        (7, 14),
        phis=(phi,),
        walk_rate=0.6,
        keep_walking=True,
        onset_day=91,
    )
    yield from detection_row(
        "−10 %/month after 13 weeks of walks",
        seed + 42,
        n,
        MINUS10,
        (56, 84),
        phis=(phi,),
        onset_day=91,
    )
    # a switch of method: the status follows the new method, which has its own short history
    # (treadmill tests: scatter 15 %, on 40 % of days), from its first test on
    r = sim.false_alarms(seed + 50, n, phi=phi, cv=0.15, walk_rate=0.4, years=1.0)
    yield fa_row(f"new method (treadmill, CV 15 %, 40 % of days), first year, phi {phi}", r)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    n, seed = args.series, args.seed
    groups: dict[str, Callable[[], Iterator[Row]]] = {
        "stable": lambda: stable_rows(seed, n),
        "step": lambda: detection_row(
            "40 % step, walks on 60 % of days",
            seed + 20,
            n,
            STEP,
            (7, 14),
            walk_rate=0.6,
            keep_walking=True,
        ),
        "fall": lambda: detection_row(
            "fall of 30-40 % over 3 weeks (days from its end)",
            seed + 30,
            n,
            fall_make(0.3, 0.4, seed + 30),
            (0, 7),
            reference_offset=20,
            keep_walking=True,
        ),
        "minus10": lambda: detection_row("−10 %/month", seed + 40, n, MINUS10, (56, 84)),
        "minus5": lambda: detection_row(
            "−5 %/month", seed + 50, n, partial(sim.monthly, -5.0), (84, 182)
        ),
        "plus15": lambda: improvement_rows(seed + 60, n),
        "seasonal": lambda: seasonal_rows(seed + 10, n),
        "dip": lambda: recovery_rows(seed + 70, n),
        "robust": lambda: robustness_rows(seed + 100, n),
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
