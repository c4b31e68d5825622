"""The history End and Home keys on a long diary, headless, against the floor of a key bound to
nothing through the same Pilot round trip (median ms of each, and the difference).

    .venv/bin/python benchmarks/history_end.py DB
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from tracker.ui.app import TrackerApp


async def settle(pilot: object, app: TrackerApp) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def timed(pilot: object, app: TrackerApp, key: str) -> float:
    t = time.perf_counter()
    await pilot.press(key)  # type: ignore[attr-defined]
    await settle(pilot, app)
    return (time.perf_counter() - t) * 1000


async def main(db: str) -> None:
    app = TrackerApp(db=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("h")
        await settle(pilot, app)
        floor, end, home = [], [], []
        for _ in range(7):
            floor.append(await timed(pilot, app, "x"))
            end.append(await timed(pilot, app, "end"))
            home.append(await timed(pilot, app, "home"))
    base = statistics.median(floor)
    for name, values in (("End", end), ("Home", home)):
        med = statistics.median(values)
        print(f"{name}: {med:.1f} ms (floor {base:.1f} ms, step {med - base:.1f} ms)")


asyncio.run(main(sys.argv[1]))
