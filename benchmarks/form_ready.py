"""How long keys wait in the type-ahead queue: from `l` to the log form being ready for keys
(mounted, first field focused, defaults loaded), a whole typical walk typed at once, and what
the queue costs per key. Headless; prints milliseconds (median and worst of the runs).

    python benchmarks/form_ready.py DB [--runs 20]

Wall times grow with the machine's load; the CPU time of the process beside them does less.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402

from tracker.ui.app import TrackerApp  # noqa: E402
from tracker.ui.screens.dashboard import DashboardScreen  # noqa: E402
from tracker.ui.screens.log_walk import LogWalkScreen  # noqa: E402

WALK = ("l", "1", "8", "0", "tab", "3", "2", "0", "enter")
CHARS = {"tab": "\t", "enter": "\r", "escape": "\x1b"}
PAUSE_S = 0.5
"""Between runs, as between two walks: the dashboard finishes redrawing first."""


async def until(check: object, timeout: float = 30.0) -> float:
    """Poll every millisecond; return the time it became true."""
    deadline = time.perf_counter() + timeout
    while not check():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.001)
    return time.perf_counter()


def post(app: TrackerApp, *keys: str) -> float:
    start = time.perf_counter()
    for key in keys:
        app.post_message(events.Key(key, CHARS.get(key, key)))
    return start


async def main(db: str, runs: int) -> None:
    app = TrackerApp(db=db)
    ready_ms: list[float] = []
    ready_cpu_ms: list[float] = []
    walk_ms: list[float] = []
    key_ms: list[float] = []
    async with app.run_test(size=(80, 24)):
        await until(lambda: app.store is not None and isinstance(app.screen, DashboardScreen))
        await until(lambda: app.screen.ready_for_keys.is_set())  # type: ignore[attr-defined]
        for _ in range(runs):
            start = post(app, "l")

            def form_ready() -> bool:
                screen = app.screen
                return (
                    isinstance(screen, LogWalkScreen)
                    and screen.ready_for_keys.is_set()
                    and app.focused is not None
                    and app.focused.id == "pain_free"
                )

            cpu = time.process_time()
            ready_ms.append((await until(form_ready) - start) * 1000)
            ready_cpu_ms.append((time.process_time() - cpu) * 1000)
            post(app, "escape")
            await until(lambda: isinstance(app.screen, DashboardScreen))
            await asyncio.sleep(PAUSE_S)
        store = app.store
        assert store is not None
        for _ in range(runs):
            before = store.count_walks()
            start = post(app, *WALK)
            done = await until(
                lambda: (
                    store.count_walks() > before  # noqa: B023
                    and isinstance(app.screen, DashboardScreen)
                    and not app.typeahead.pending
                )
            )
            walk_ms.append((done - start) * 1000)
            newest = store.last_walk()
            assert newest is not None and newest.id is not None
            assert (newest.pain_free_m, newest.max_m) == (180.0, 320.0)
            store.set_deleted(newest.id, True)  # the next run is not a duplicate
            await asyncio.sleep(PAUSE_S)
        for _ in range(runs):
            goal = app.typeahead.taken + 50
            start = post(app, *("x" * 50))  # bound to nothing: the queue's own cost
            await until(
                lambda: (
                    app.typeahead.taken == goal  # noqa: B023
                    and not app.typeahead.pending
                    and not app.typeahead.busy
                )
            )
            key_ms.append((time.perf_counter() - start) * 1000 / 50)

    def show(name: str, values: list[float]) -> None:
        print(
            f"{name:<46} median {statistics.median(values):7.1f} ms   worst {max(values):7.1f} ms"
        )

    show("l -> log form ready for keys", ready_ms)
    show("  of which CPU time of this process", ready_cpu_ms)
    show("l 1 8 0 tab 3 2 0 enter typed at once -> saved", walk_ms)
    show("one key through the type-ahead queue", key_ms)
    print(f"most keys held at once: {app.typeahead.held_max}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(args.db, copy)
        asyncio.run(main(str(copy), args.runs))
