"""A progress bar on the terminal for a file that takes longer than a second to read; quiet
when the output is not a terminal. For the CLI (rich comes with typer and textual)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from tracker.interchange.devices.activity import Progress, no_progress

SHOW_AFTER_S = 1.0


@contextmanager
def terminal_progress(
    label: str,
    *,
    stream: IO[str] | None = None,
    delay_s: float = SHOW_AFTER_S,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Progress]:
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        yield no_progress
        return
    started = clock()
    bar: dict[str, Any] = {}

    def report(done: int, total: int) -> None:
        if "progress" not in bar:
            if clock() - started < delay_s:
                return
            from rich.console import Console  # start-up: only a slow file shows a bar

            # start-up: rich's progress bars only when a terminal shows them
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                console=Console(file=out),
                transient=True,
            )
            progress.start()
            bar["progress"] = progress
            bar["task"] = progress.add_task(label, total=max(total, 1))
        bar["progress"].update(bar["task"], completed=done, total=max(total, done, 1))

    try:
        yield report
    finally:
        if "progress" in bar:
            bar["progress"].stop()
