"""Drive the TUI headless on a database; print the slowest history page-down and chart redraw
(ms), the process's peak memory (MB), and the floor: a key press bound to nothing, which is
what the Pilot's own round trip costs in this run.

    python benchmarks/tui_steps.py DB
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time

from tracker.ui.app import TrackerApp


async def settle(pilot: object, app: TrackerApp) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def main(db: str) -> None:
    app = TrackerApp(db=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        floor = []
        for _ in range(20):  # a key bound to nothing: what the Pilot itself costs per step
            t = time.perf_counter()
            await pilot.press("x")
            await settle(pilot, app)
            floor.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        await pilot.press("h")
        await settle(pilot, app)
        open_ms = (time.perf_counter() - t) * 1000
        steps = []
        for _ in range(100):
            t = time.perf_counter()
            await pilot.press("pagedown")
            await settle(pilot, app)
            steps.append((time.perf_counter() - t) * 1000)
        await pilot.press("escape", "t")
        await settle(pilot, app)
        redraws = []
        for key in "12341234":
            t = time.perf_counter()
            await pilot.press(key)
            await settle(pilot, app)
            redraws.append((time.perf_counter() - t) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = sorted(floor)[len(floor) // 2]
    print(
        f"{open_ms:.1f} {max(steps):.1f} {sorted(steps)[50]:.1f} {max(redraws):.1f} {peak:.0f} "
        f"{base:.1f}"
    )


asyncio.run(main(sys.argv[1]))
