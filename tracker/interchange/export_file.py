"""Writing exports safely: temporary file in the same folder, fsync, then rename.

A failed export never leaves a half-written file; an existing file is replaced only when asked;
files are readable by the owner only (health data), whatever the umask. The data comes as
chunks (the exports stream), written as they come; the temporary file is named by
`partial_files`, so a run killed meanwhile leaves nothing the next export does not remove.

What is not a regular file is never replaced: `-` and `/dev/stdout` mean standard output; an
existing character device, named pipe or socket, and anything under /dev or /proc, is written
to directly. A symlink is followed: with `--force` its target is replaced and the link stays.
Every OS error (a full disk, a read-only folder) becomes an `ExportError` naming the file and
the cause.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from tracker.db.partial_files import partial_name, remove_leftovers, signals_unwind

FILE_MODE = 0o600
STANDARD_OUTPUT = ("-", "/dev/stdout")
SPECIAL_FOLDERS = ("/dev", "/proc")
"""Files in these are streams, not documents: written to, never renamed over."""


Chunks = bytes | Iterable[bytes]
"""A whole file, or its pieces in order (written as they come)."""


class ExportError(Exception):
    """A problem the user can fix (file exists, folder missing); the message says what."""


def _cause(exc: OSError) -> str:
    name = errno.errorcode.get(exc.errno or 0)
    reason = exc.strerror or str(exc)
    return f"{reason} ({name})" if name else reason


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(Path(path).expanduser()))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{path!s} cannot be used as a file name ({exc}).") from None


def _is_stream(path: Path, real: Path) -> bool:
    """Written to directly: an existing file that is not a regular one, or one named in /dev or
    /proc (`/dev/fd/3`, `/dev/null`; a regular file reached so is an open stream too)."""
    given = Path(os.path.abspath(path))
    if any(given.is_relative_to(folder) for folder in SPECIAL_FOLDERS) and os.path.exists(path):
        return True
    try:
        mode = real.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_target(path: Path, *, force: bool = False) -> None:
    """Refuse, before anything is rendered, a target the export could not or must not write."""
    try:
        _check_target(Path(path).expanduser(), force)
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {_cause(exc)}.") from None


def _check_target(path: Path, force: bool) -> None:
    real = _real(path)
    if _is_stream(path, real):
        return
    if real.is_dir():
        raise ExportError(f"{path} is a folder; give a file name.")
    if real.exists() and not force:
        raise ExportError(
            f"{path} exists already; use --force (in the app: tick Replace file) to replace it."
        )
    if not real.parent.is_dir():
        raise ExportError(f"The folder {real.parent} does not exist.")


def write_atomic(path: Path, data: Chunks, *, force: bool = False) -> Path:
    """Write `data` to `path` whole or not at all (returns `path`)."""
    path = Path(path).expanduser()
    check_target(path, force=force)
    real = _real(path)
    if _is_stream(path, real):
        _write_stream(path, real, data)
        return path
    remove_leftovers(real.parent)
    tmp = partial_name(real)
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except OSError as exc:
        raise ExportError(f"Cannot write in {real.parent}: {_cause(exc)}.") from None
    try:
        with signals_unwind(), os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            _write_all(fh.fileno(), data)
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(
            f"Could not write {path}: {_cause(exc)}. Nothing was written"
            + (f"; {path} is as it was." if real.exists() else ".")
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _write_all(fd: int, data: Chunks) -> None:
    for chunk in [data] if isinstance(data, bytes) else data:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


def _write_stream(path: Path, real: Path, data: Chunks) -> None:
    try:
        fd = os.open(real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ExportError(f"Could not open {path} for writing: {_cause(exc)}.") from None
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise ExportError(f"Could not write {path}: {_cause(exc)}.") from None
    finally:
        os.close(fd)


def write_stdout(data: Chunks, stream: BinaryIO) -> None:
    """Standard output (`--out -`)."""
    try:
        for chunk in [data] if isinstance(data, bytes) else data:
            stream.write(chunk)
        stream.flush()
    except OSError as exc:
        raise ExportError(f"Could not write to standard output: {_cause(exc)}.") from None
