"""Writing exports safely: temporary file in the same folder, fsync, then rename.

A failed export never leaves a half-written file; an existing file is replaced only when asked;
files are readable by the owner only (health data).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600


class ExportError(Exception):
    """A problem the user can fix (file exists, folder missing); the message says what."""


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> Path:
    path = Path(path).expanduser()
    if path.exists() and not force:
        raise ExportError(
            f"{path} exists already; use --force (in the app: tick Replace file) to replace it."
        )
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
