"""What every device format is read into, and the errors a device file can cause."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EXTRA_HINT = "pip install 'tracker[devices]'"

Progress = Callable[[int, int], None]
"""Called with (done, total) in bytes (or rows) while a file is read."""


def no_progress(done: int, total: int) -> None:
    return None


class DeviceFileError(Exception):
    """A device file that cannot be imported; the message says what is wrong with it."""


class MissingExtra(DeviceFileError):
    """The parser for this format is not installed."""

    def __init__(self, what: str, module: str) -> None:
        super().__init__(
            f"reading {what} needs the optional device support ({module}): {EXTRA_HINT}"
        )


@dataclass(frozen=True)
class Activity:
    """One recording, format-neutral. `lap_marks_m` holds the distance from the start at each
    lap the wearer pressed (never automatic laps, never the end of the activity)."""

    started_utc: datetime
    """Aware, UTC."""
    started_local: datetime
    """Naive wall-clock time where it was recorded."""
    duration_s: float | None
    distance_m: float | None
    sport: str
    """Lower-case: "walking", "hiking", "running", "cycling", or the device's own name."""
    device: str
    file_format: str
    lap_marks_m: tuple[float, ...] = ()
    marks_from_time: bool = False
    """The lap distances were estimated from the time of the mark (Apple Health keeps none)."""
    six_minute_estimate: bool = False
    """Apple Health's six-minute walk distance: an estimate, not an activity."""

    @property
    def label(self) -> str:
        """How messages name it: its local start."""
        return f"activity of {self.started_local:%Y-%m-%d %H:%M}"


def aware_or_error(moment: datetime, text: object, where: str) -> datetime:
    """Times without a zone are refused: the walk's hour would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeviceFileError(
            f"{where}: the time {text!s} has no time zone (expected e.g. "
            "2026-11-20T08:00:00Z or +01:00); re-export the file from the device's app"
        )
    return moment.astimezone(UTC)


def local_time(utc: datetime, offset: timedelta | None = None) -> datetime:
    """Wall-clock time: with the offset the device recorded, else this computer's zone."""
    if offset is not None:
        return (utc + offset).replace(tzinfo=None)
    return utc.astimezone().replace(tzinfo=None)
