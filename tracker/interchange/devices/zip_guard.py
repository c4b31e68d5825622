"""Zip archives read without trusting them: a zip bomb is refused from its headers, and again
while it unpacks, since headers can lie."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

from tracker.interchange.devices.activity import DeviceFileError, Progress, no_progress

MAX_COMPRESSION_RATIO = 100
"""Real exports (XML, SQLite) compress 5-30x; more than 100x is a bomb."""
MAX_UNPACKED_BYTES = 4 * 1024**3
"""4 GB unpacked, per member."""
_SMALL_MEMBER_BYTES = 64 * 1024
"""Tiny members may compress beyond the ratio (a run of zeros); they cannot hurt."""


def _limit(info: zipfile.ZipInfo) -> int:
    return min(
        MAX_UNPACKED_BYTES,
        max(_SMALL_MEMBER_BYTES, info.compress_size * MAX_COMPRESSION_RATIO),
    )


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, every member's header checked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DeviceFileError(f"a damaged zip archive ({exc})") from None
    for info in archive.infolist():
        if info.file_size > MAX_UNPACKED_BYTES:
            archive.close()
            raise DeviceFileError(
                f"refused: zip member {info.filename!r} unpacks to {info.file_size / 2**30:.1f} "
                f"GB (at most {MAX_UNPACKED_BYTES // 2**30} GB)"
            )
        if info.file_size > _limit(info):
            archive.close()
            raise DeviceFileError(
                f"refused: zip member {info.filename!r} is compressed "
                f"{info.file_size / max(info.compress_size, 1):.0f}x (a zip bomb? at most "
                f"{MAX_COMPRESSION_RATIO}x)"
            )
    return archive


class GuardedMember(io.RawIOBase):
    """A member's bytes, refused as soon as more come out than the header promised or than
    the limits allow; reports progress against the unpacked size."""

    def __init__(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, progress: Progress = no_progress
    ) -> None:
        self._inner: IO[bytes] = archive.open(info)
        self._info = info
        self._limit = min(_limit(info), info.file_size)
        self._done = 0
        self._progress = progress
        self._next_report = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise DeviceFileError(
                f"zip member {self._info.filename!r} is damaged ({exc})"
            ) from None
        n = len(data)
        self._done += n
        if self._done > self._limit:
            raise DeviceFileError(
                f"refused: zip member {self._info.filename!r} unpacks to more than its header "
                f"says ({self._info.file_size} bytes) or than {MAX_COMPRESSION_RATIO}x its "
                "packed size (a zip bomb?)"
            )
        buffer[:n] = data
        if self._done >= self._next_report:
            self._progress(self._done, self._info.file_size)
            self._next_report = self._done + (1 << 20)
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


def open_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, progress: Progress = no_progress
) -> io.BufferedReader:
    return io.BufferedReader(GuardedMember(archive, info, progress), buffer_size=1 << 16)


def head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, n: int) -> bytes:
    """The first bytes of a member (to tell its kind by content)."""
    with open_member(archive, info) as fh:
        return fh.read(n)
