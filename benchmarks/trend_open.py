"""The trend screen's opening on a long diary, headless: from the `t` key until the first
frame with its chart drawn from data is handed to the terminal driver (`App._display`),
against the floor of a key bound to nothing through the same Pilot round trip (median ms of
each over the runs, and the difference). It starts once the dashboard shows its trend;
between runs the screen is left and every worker finished, so each opening is a new screen.

    .venv/bin/python benchmarks/trend_open.py DB [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from tracker.ui.app import TrackerApp
from tracker.ui.screens.trend import TrendScreen

TIMEOUT_S = 120.0


async def settle(pilot: object, app: TrackerApp) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


class Probe(TrackerApp):
    drawn: float | None = None

    def _display(self, screen: Any, renderable: Any) -> None:
        if (
            renderable is not None
            and self.drawn is None
            and isinstance(screen, TrendScreen)
            and screen.cache is not None
        ):
            self.drawn = time.perf_counter()
        super()._display(screen, renderable)


async def opened(pilot: object, app: Probe) -> float:
    """ms from the key until a frame of the trend screen with its data."""
    app.drawn = None
    t = time.perf_counter()
    await pilot.press("t")  # type: ignore[attr-defined]
    while app.drawn is None:
        if time.perf_counter() - t > TIMEOUT_S:
            raise SystemExit("the trend screen never drew its data")
        await asyncio.sleep(0.005)
    return (app.drawn - t) * 1000


async def dashboard_done(pilot: object, app: TrackerApp) -> None:
    """Until the dashboard shows its trend (its worker may start after a first settle)."""
    t = time.perf_counter()
    while app.kept_trend(app.now().date(), None) is None:
        if time.perf_counter() - t > TIMEOUT_S:
            raise SystemExit("the dashboard never showed its trend")
        await asyncio.sleep(0.01)
    await settle(pilot, app)


async def main(db: str, runs: int) -> None:
    app = Probe(db=db)
    async with app.run_test(size=(100, 30)) as pilot:
        await dashboard_done(pilot, app)
        floor, opens = [], []
        for _ in range(runs):
            t = time.perf_counter()
            await pilot.press("x")
            await pilot.pause()
            floor.append((time.perf_counter() - t) * 1000)
            opens.append(await opened(pilot, app))
            await settle(pilot, app)
            await pilot.press("escape")
            await settle(pilot, app)
    base = statistics.median(floor)
    med = statistics.median(opens)
    print(
        f"trend screen open: {med:.0f} ms (slowest {max(opens):.0f}; floor {base:.1f} ms, "
        f"step {med - base:.0f} ms; {runs} runs)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.db, args.runs))
