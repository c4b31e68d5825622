"""Time the trend analysis on a database in a fresh process (the suite's own process holds the
generated data sets, whose heap makes later timings noisier); print, in ms: analysis only
(median, best), and with reading the store (median), then the walks read and the walks held,
then the analysis in CPU time (`time.process_time`: median, best), steadier on a loaded machine.

    python benchmarks/trend_time.py DB N
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datasets import END
from tracker.db.opening import open_store
from tracker.domain.current_trend import HISTORY_DAYS, current_trend
from tracker.domain.trend import analyse


def timed(fn: object, n: int, clock: object = time.perf_counter) -> list[float]:
    out = []
    for _ in range(n):
        t = clock()  # type: ignore[operator]
        fn()  # type: ignore[operator]
        out.append((clock() - t) * 1000)  # type: ignore[operator]
    return out


def main(db: str, n: int) -> None:
    store = open_store(db)
    total = store.count_walks()
    points = store.walk_points(date.fromordinal(END.toordinal() - HISTORY_DAYS), END)
    pure = timed(lambda: analyse(points, END), n)
    full = timed(lambda: current_trend(store, END), n)
    cpu = timed(lambda: analyse(points, END), n, time.process_time)
    print(
        f"{statistics.median(pure):.2f} {min(pure):.2f} {statistics.median(full):.2f} "
        f"{len(points)} {total} cpu {statistics.median(cpu):.2f} {min(cpu):.2f}"
    )
    store.close()


main(sys.argv[1], int(sys.argv[2]))
