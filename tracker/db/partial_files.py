"""Files being written: a hidden temporary name beside the target, renamed only when whole.

Exports and the copy made before a schema update are written under a name that says what it
is (`.<target>.tracker-<random>.part`, SQLite's `-journal` of it included) and renamed to
their real name only when complete and checked. A process killed meanwhile (SIGKILL, power
loss) cannot remove its file; the next run that writes into the same folder removes the
app's own leftovers by that name once they are older than `LEFTOVER_AGE_S` (a younger one may
belong to a run still writing). SIGTERM and SIGHUP while writing unwind like Ctrl-C, so the
temporary file is removed at once.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

LEFTOVER_AGE_S = 60.0
"""A partial file older than this belongs to no running writer (a write takes seconds)."""
MARK = ".tracker-"
SUFFIX = ".part"
_LEFTOVER = re.compile(r"^\..+\.tracker-[0-9a-f]{12}\.part(-journal|-wal|-shm)?$")


def partial_name(target: Path) -> Path:
    """A fresh hidden name beside `target` that `remove_leftovers` recognises."""
    return target.with_name(f".{target.name}{MARK}{secrets.token_hex(6)}{SUFFIX}")


def is_partial(name: str) -> bool:
    return _LEFTOVER.match(name) is not None


def remove_leftovers(folder: Path, *, older_than_s: float = LEFTOVER_AGE_S) -> list[Path]:
    """Remove the app's partial files in `folder` older than `older_than_s`; returns them.

    Only regular files named by `partial_name` are touched; anything else is left alone, and
    a folder that cannot be listed is simply not cleaned."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_partial(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than_s:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while a file was being written."""


@contextlib.contextmanager
def signals_unwind() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise `Interrupted` (so `finally` blocks remove the
    partial file) instead of ending the process on the spot. Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signal.Signals(signum).name)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, _raise)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
