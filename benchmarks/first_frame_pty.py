"""The first frames the terminal actually receives: the app runs in a pseudo-terminal
(100x30), and the bytes it writes are read as they come.

    .venv/bin/python benchmarks/first_frame_pty.py DB [DB ...] [--runs 5]

For each diary it times, from just before the process starts, (1) the first frame sent (the
first bytes that draw the dashboard's "Opening your diary…"), (2) the first frame with
data (the "Latest walk" card: the walks, the week, smoking, red flags) and (3) the frame with
the trend (the start of its card's sentence, `--trend-marker`: by default the status the
generated diaries get), against the floor: a bare Textual app showing one label, in the
same pseudo-terminal, timed to the bytes that draw it. Runs alternate (floor, ours) and the
median of the per-pair ratios is printed, so the machine's drift cancels out.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Label\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Label('hello, bare app')\n"
    "Bare().run()\n"
)
TIMEOUT_S = 60.0


def watch(argv: list[str], markers: list[bytes]) -> list[float]:
    """Seconds from start until each marker has appeared in the output (in order)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True
    )
    os.close(slave)
    seen: list[float] = []
    data = b""
    try:
        while len(seen) < len(markers) and time.perf_counter() - start < TIMEOUT_S:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            data += chunk
            while len(seen) < len(markers) and markers[len(seen)] in data:
                seen.append(time.perf_counter() - start)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    if len(seen) < len(markers):
        raise SystemExit(f"{argv} never drew {markers[len(seen)]!r}")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dbs", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--trend-marker", default="No clear change")
    args = parser.parse_args()
    python = sys.executable
    tracker = str(Path(python).with_name("tracker"))
    for db in args.dbs:
        first, data, trend, floors = [], [], [], []
        markers = [b"Opening your diary", b"Latest walk", args.trend_marker.encode()]
        for _ in range(args.runs):
            (floor,) = watch([python, "-c", BARE], [b"hello, bare app"])
            sent, with_data, with_trend = watch([tracker, "--db", db], markers)
            floors.append(floor)
            first.append(sent / floor)
            data.append(with_data / floor)
            trend.append(with_trend / floor)
        print(
            f"{Path(db).name}: bare app {statistics.median(floors) * 1000:.0f} ms; first frame "
            f"sent {statistics.median(first):.2f}x; first frame with data "
            f"{statistics.median(data):.2f}x; with the trend {statistics.median(trend):.2f}x "
            f"(median of {args.runs} pairs)",
            flush=True,
        )


if __name__ == "__main__":
    main()
