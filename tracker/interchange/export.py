"""One entry point for every export, shared by the CLI and the TUI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from tracker.db.repository import Store
from tracker.interchange.export_file import (
    STANDARD_OUTPUT,
    check_target,
    write_atomic,
    write_stdout,
)

FORMATS = ("pdf", "csv", "json", "fhir")
CSV_WHAT = ("walks", "smoking", "symptoms", "events")


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    until: date
    since: date | None = None
    what: str = "walks"

    def problem(self) -> str | None:
        if self.fmt not in FORMATS:
            return f"--format: {self.fmt!r} is not one of {', '.join(FORMATS)}"
        if self.what not in CSV_WHAT:
            return f"--what: {self.what!r} is not one of {', '.join(CSV_WHAT)}"
        if self.what != "walks" and self.fmt != "csv":
            return "--what: only with --format csv"
        return None


def render(
    store: Store, request: ExportRequest, now: datetime, warnings: list[str] | None = None
) -> bytes:
    """The whole file's bytes (tests, small files); exports write `render_chunks`."""
    return b"".join(render_chunks(store, request, now, warnings))


def render_chunks(
    store: Store, request: ExportRequest, now: datetime, warnings: list[str] | None = None
) -> Iterator[bytes]:
    """The file's bytes as they are produced (the expensive part); the CSV, JSON and FHIR
    exports read the walks a batch at a time, so memory stays flat whatever the diary's
    length. What the user should know about the file (characters a PDF could not draw) is
    added to `warnings`."""
    since, until = request.since, request.until
    # Each format's writer is imported when it is asked for (the PDF brings fpdf2 and
    # matplotlib, the CLI's and the app's start-up never pays for them).
    if request.fmt == "pdf":
        # start-up: the report and its PDF writer (fpdf, matplotlib) only for a PDF
        from tracker.domain.report import build_report
        from tracker.interchange.pdf import report_pdf

        return iter([report_pdf(build_report(store, since, until, now), warnings)])
    if request.fmt == "json":
        # start-up: each format's writer only when chosen
        from tracker.interchange.backup import backup_chunks

        return backup_chunks(store, now)
    if request.fmt == "fhir":
        # start-up: the FHIR writer only when chosen
        from tracker.interchange.fhir import fhir_lazy_bundle
        from tracker.interchange.json_stream import json_chunks

        bundle = fhir_lazy_bundle(
            store.iter_walks(since, until),
            store.smoking_history(),
            store.cigarettes(since, until),
            store.symptoms(since, until),
            store.settings(),
            now,
            reversed(store.calf_checks(since, until)),
            events=store.events(),
            since=since,
            until=until,
        )
        return json_chunks(bundle)
    # start-up: each format's writer only when chosen
    from tracker.interchange import csv_io

    if request.what == "smoking":
        return iter([csv_io.smoking_csv(store.cigarettes(since, until), store.smoking_history())])
    if request.what == "symptoms":
        return iter([csv_io.symptoms_csv(reversed(store.symptoms(since, until)))])
    if request.what == "events":
        return iter([csv_io.events_csv(store.events(since, until))])
    return csv_io.walks_csv_chunks(store.iter_walks(since, until))


def run_export(
    store: Store,
    request: ExportRequest,
    out: Path,
    *,
    now: datetime,
    force: bool = False,
    stdout: BinaryIO | None = None,
    warnings: list[str] | None = None,
) -> Path:
    """Render and write; `out` "-" (or /dev/stdout) writes to `stdout` when one is given.
    The target is checked before rendering, so a refused file costs no PDF."""
    if stdout is not None and str(out) in STANDARD_OUTPUT:
        write_stdout(render_chunks(store, request, now, warnings), stdout)
        return Path(out)
    target = Path(out).expanduser()
    check_target(target, force=force)
    return write_atomic(target, render_chunks(store, request, now, warnings), force=force)
