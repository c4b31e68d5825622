"""Peak memory of `tracker import` on a generated Apple Health export (issue 21: a 1 GB export
imports with peak RSS under 300 MB). Prints figures; not a test.

    .venv/bin/python benchmarks/apple_health_memory.py [--gb 1.0] [--zip] [--keep DIR]

The export is written in a temporary folder (removed afterwards unless --keep): records as an
iPhone and a watch write them (heart rate, steps, walking distance, each with metadata, values
varied so it compresses like a real export), a walking workout every day with a segment mark
on most, other workouts, and a six-minute walk estimate every week. The import runs as a
child process; its peak RSS is `ru_maxrss` of the children (`resource.getrusage`), next to a
floor: a child that only imports the CLI and opens the database.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

PY = sys.executable
TRACKER = str(Path(PY).parent / "tracker")
TARGET_MB = 300.0
START = datetime(2016, 1, 1, 7, 0)

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n'
    "<!-- HealthKit Export Version: 13 -->\n"
    "<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>\n"
    "<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n"
    '<HealthData locale="de_DE">\n <ExportDate value="2026-11-24 18:00:00 +0100"/>\n'
    ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1950-03-01" '
    'HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n'
)
DEVICE = (
    "&lt;&lt;HKDevice: 0x28{n:07x}&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.1&gt;"
)


def stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} +0100"


def record(rng: random.Random, kind: str, unit: str, value: str, at: datetime) -> str:
    end = at + timedelta(seconds=rng.randint(5, 300))
    return (
        f' <Record type="HKQuantityTypeIdentifier{kind}" sourceName="Apple Watch von Anna" '
        f'sourceVersion="10.1" device="{DEVICE.format(n=rng.getrandbits(28))}" unit="{unit}" '
        f'creationDate="{stamp(end)}" startDate="{stamp(at)}" endDate="{stamp(end)}" '
        f'value="{value}">\n'
        '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" '
        f'value="{rng.randint(0, 2)}"/>\n'
        " </Record>\n"
    )


def workout(rng: random.Random, day: datetime, kind: str, mark: bool) -> str:
    minutes = rng.uniform(15, 45)
    km = minutes * rng.uniform(0.045, 0.075)
    end = day + timedelta(minutes=minutes)
    events = ""
    if mark:
        at = day + timedelta(minutes=minutes * rng.uniform(0.2, 0.6))
        events = (
            f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{stamp(day)}" '
            f'duration="{(at - day).total_seconds() / 60:.4f}" durationUnit="min"/>\n'
        )
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes:.4f}" '
        f'durationUnit="min" sourceName="Apple Watch von Anna" sourceVersion="10.1" '
        f'creationDate="{stamp(end)}" startDate="{stamp(day)}" endDate="{stamp(end)}">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
        + events
        + '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
        f'startDate="{stamp(day)}" endDate="{stamp(end)}" sum="{km:.5f}" unit="km"/>\n'
        " </Workout>\n"
    )


def generate(path: Path, target_bytes: int) -> dict[str, int]:
    """Records first, then workouts (the order Apple writes them), until the size is reached."""
    rng = random.Random(21)
    counts = {"records": 0, "workouts": 0, "estimates": 0}
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        at = START
        written = len(HEAD)
        budget = target_bytes * 0.985  # the workouts follow
        while written < budget:
            chunk = []
            for _ in range(2000):
                at += timedelta(seconds=rng.randint(20, 240))
                kind = rng.random()
                if kind < 0.5:
                    chunk.append(
                        record(rng, "HeartRate", "count/min", str(rng.randint(55, 140)), at)
                    )
                elif kind < 0.8:
                    chunk.append(record(rng, "StepCount", "count", str(rng.randint(5, 400)), at))
                else:
                    metres = f"{rng.uniform(0.001, 0.3):.6f}"
                    chunk.append(record(rng, "DistanceWalkingRunning", "km", metres, at))
            text = "".join(chunk)
            out.write(text)
            written += len(text)
            counts["records"] += len(chunk)
        days = (at - START).days or 1
        for d in range(days):
            day = START + timedelta(days=d, hours=rng.randint(0, 9))
            out.write(workout(rng, day, "Walking", rng.random() < 0.8))
            counts["workouts"] += 1
            if d % 5 == 0:
                out.write(workout(rng, day + timedelta(hours=5), "Cycling", False))
                counts["workouts"] += 1
            if d % 7 == 0:
                out.write(
                    record(
                        rng,
                        "SixMinuteWalkTestDistance",
                        "m",
                        f"{rng.uniform(300, 480):.1f}",
                        day + timedelta(hours=9),
                    )
                )
                counts["estimates"] += 1
        out.write("</HealthData>\n")
    return counts


def child_peak_mb(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(peak RSS in MB, seconds, output) of one child, which must be the only one so far."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {done.stderr[-2000:]}")
    if peak <= before:
        print("  (peak not above an earlier child's; run the floor after the import)")
    return peak / 1024, seconds, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of export.xml (default 1)")
    parser.add_argument("--zip", action="store_true", help="import it as export.zip")
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="tracker-bench-apple-"))
    folder.mkdir(parents=True, exist_ok=True)
    xml = folder / "export.xml"
    try:
        t = time.perf_counter()
        counts = generate(xml, int(args.gb * 1e9))
        size = xml.stat().st_size
        print(
            f"generated {size / 1e9:.2f} GB ({counts['records']:,} records, "
            f"{counts['workouts']:,} workouts, {counts['estimates']:,} six-minute estimates) "
            f"in {time.perf_counter() - t:.0f} s"
        )
        target = xml
        if args.zip:
            target = folder / "export.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
                z.write(xml, "apple_health_export/export.xml")
            ratio = size / target.stat().st_size
            print(f"zipped to {target.stat().st_size / 1e6:.0f} MB ({ratio:.1f}x)")
            xml.unlink()
        env = {**os.environ, "TRACKER_NOW": "2026-11-24T18:30"}
        db = folder / "bench.db"
        peak, seconds, out = child_peak_mb([TRACKER, "--db", str(db), "import", str(target)], env)
        print(f"  {out}")
        verdict = "ok" if peak < TARGET_MB else "MISSED"
        print(
            f"  tracker import {target.name}: peak RSS {peak:.0f} MB (target < {TARGET_MB:.0f} MB) "
            f"{verdict}; {seconds:.0f} s, {size / 1e6 / seconds:.0f} MB/s of XML"
        )
    finally:
        if args.keep is None:
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()


if __name__ == "__main__":
    main()
