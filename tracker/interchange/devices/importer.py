"""One device file imported all or nothing: read, map, skip what is known, write in one
transaction. Problems are collected per activity and reported for the file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.db.models import DeviceDraft
from tracker.db.repository import Store
from tracker.domain.walks import WalkInput
from tracker.interchange.devices.activity import Activity, DeviceFileError, Progress, no_progress
from tracker.interchange.devices.detect import Kind, apple_member
from tracker.interchange.devices.mapping import Mapped, Outcome, device_name, map_activity

DUPLICATE_WINDOW = timedelta(minutes=1)
"""Same device, start within a minute: the same activity (issue 21)."""
MAX_LISTED_ERRORS = 50


class DeviceImportFailed(Exception):
    """Nothing from the file was imported; `errors` says why."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class DeviceImportResult:
    kind: Kind
    walks: int = 0
    estimates: int = 0
    drafts: int = 0
    duplicates: int = 0
    no_distance: int = 0
    sports: Counter[str] = field(default_factory=Counter)
    """Skipped activities by sport."""


def activities(path: Path, kind: Kind, progress: Progress = no_progress) -> Iterator[Activity]:
    """Every activity of the file, read as a stream where the format allows."""
    # Each reader is imported for its own format only: their parsers are optional extras.
    if kind is Kind.FIT:
        # start-up: each format's reader (and its library) only for its files
        from tracker.interchange.devices.fit import read_fit

        yield from read_fit(path, progress)
    elif kind is Kind.TCX:
        # start-up: each format's reader only for its files
        from tracker.interchange.devices.tcx import read_tcx

        yield from read_tcx(path, progress)
    elif kind is Kind.GPX:
        # start-up: each format's reader (gpxpy) only for its files
        from tracker.interchange.devices.gpx import read_gpx

        yield from read_gpx(path, progress)
    elif kind is Kind.APPLE_XML:
        # start-up: each format's reader only for its files
        from tracker.interchange.devices.apple_health import read_apple_path

        yield from read_apple_path(path, progress)
    elif kind is Kind.APPLE_ZIP:
        # start-up: each format's reader only for its files
        from tracker.interchange.devices.apple_health import read_apple_health
        from tracker.interchange.devices.zip_guard import open_member, open_zip

        with open_zip(path) as archive, open_member(archive, apple_member(archive), progress) as fh:
            yield from read_apple_health(fh)
    elif kind is Kind.HEALTH_CONNECT_ZIP:
        # start-up: each format's reader only for its files
        from tracker.interchange.devices.health_connect import (
            read_health_connect,
            unpacked_database,
        )

        with unpacked_database(path, progress) as db:
            yield from read_health_connect(db)
    elif kind is Kind.HEALTH_CONNECT_DB:
        # start-up: each format's reader only for its files
        from tracker.interchange.devices.health_connect import read_health_connect

        yield from read_health_connect(path, progress)
    else:  # pragma: no cover - the CLI sends only device kinds here
        raise DeviceFileError(f"not a device file ({kind})")


class _Seen:
    """Activities of this file so far, by device and minute, for duplicates inside a file."""

    def __init__(self) -> None:
        self.starts: dict[tuple[str, int], list[datetime]] = {}

    def add(self, device: str, start: datetime) -> bool:
        """False when the file already had it."""
        minute = int(start.timestamp() // 60)
        for m in (minute - 1, minute, minute + 1):
            if any(abs(s - start) <= DUPLICATE_WINDOW for s in self.starts.get((device, m), [])):
                return False
        self.starts.setdefault((device, minute), []).append(start)
        return True


def import_device_file(
    store: Store, path: Path, kind: Kind, *, now: datetime, progress: Progress = no_progress
) -> DeviceImportResult:
    """`now`: the app's clock (local, naive). Raises DeviceImportFailed and writes nothing when
    anything in the file is wrong."""
    result = DeviceImportResult(kind)
    walks: list[tuple[WalkInput, DeviceDraft]] = []
    drafts: list[DeviceDraft] = []
    errors: list[str] = []
    seen = _Seen()
    try:
        for activity in activities(path, kind, progress):
            mapped = map_activity(activity, file_name=path.name, now=now)
            if mapped.errors:
                errors += mapped.errors
                continue
            if mapped.outcome is Outcome.SPORT:
                result.sports[activity.sport] += 1
                continue
            if mapped.outcome is Outcome.NO_DISTANCE:
                result.no_distance += 1
                continue
            device = device_name(activity)
            start = activity.started_utc.astimezone(UTC).replace(tzinfo=None)
            if not seen.add(device, start) or store.device_activity_known(
                device, start, within_s=DUPLICATE_WINDOW.total_seconds()
            ):
                result.duplicates += 1
                continue
            _collect(mapped, result, walks, drafts)
    except DeviceFileError as exc:
        raise DeviceImportFailed([str(exc)]) from None
    except (OSError, MemoryError) as exc:
        raise DeviceImportFailed([f"cannot be read ({exc})"]) from None
    if errors:
        more = len(errors) - MAX_LISTED_ERRORS
        listed = errors[:MAX_LISTED_ERRORS] + ([f"… and {more} more"] if more > 0 else [])
        raise DeviceImportFailed(listed)
    store.import_device_activities(walks, drafts)
    return result


def _collect(
    mapped: Mapped,
    result: DeviceImportResult,
    walks: list[tuple[WalkInput, DeviceDraft]],
    drafts: list[DeviceDraft],
) -> None:
    assert mapped.ledger is not None
    if mapped.outcome is Outcome.DRAFT:
        drafts.append(mapped.ledger)
        result.drafts += 1
        return
    assert mapped.walk is not None
    walks.append((mapped.walk, mapped.ledger))
    if mapped.outcome is Outcome.ESTIMATE:
        result.estimates += 1
    else:
        result.walks += 1


def summary_line(result: DeviceImportResult) -> str:
    """'2 walks, 1 draft waiting for its pain-free distance; skipped: 1 running, 3 already
    imported'."""

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    added = []
    if result.walks:
        added.append(n(result.walks, "walk", "walks"))
    if result.estimates:
        added.append(n(result.estimates, "6-minute walk estimate", "6-minute walk estimates"))
    if result.drafts:
        added.append(n(result.drafts, "draft", "drafts") + " waiting for the pain-free distance")
    text = "imported " + (", ".join(added) if added else "nothing new")
    skipped = [f"{count} {sport}" for sport, count in sorted(result.sports.items())]
    if result.duplicates:
        skipped.append(f"{result.duplicates} already imported")
    if result.no_distance:
        skipped.append(f"{result.no_distance} without a distance")
    if skipped:
        text += "; skipped: " + ", ".join(skipped)
    return text
