"""Every export of one small, full diary is byte-identical to the files the code wrote before
the exports were made to stream (`golden/`, written by the pre-streaming code on 2026-12-02).

Run with TRACKER_WRITE_GOLDEN=1 only to accept a deliberate change of a format."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.models import DeviceDraft
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.calf_check import evaluate, parse_pairs
from tracker.domain.calf_checks import check_context, check_row
from tracker.interchange.export import ExportRequest, render

from .test_calf_check_exports import CHECKS
from .test_event_exports import EVENTS

GOLDEN = Path(__file__).parent / "golden"
FROZEN = "2026-11-01 10:00:00.000000"
EXPORTS = {
    "walks.csv": ExportRequest("csv", date(2026, 11, 24)),
    "smoking.csv": ExportRequest("csv", date(2026, 11, 24), what="smoking"),
    "symptoms.csv": ExportRequest("csv", date(2026, 11, 24), what="symptoms"),
    "events.csv": ExportRequest("csv", date(2026, 11, 24), what="events"),
    "backup.json": ExportRequest("json", date(2026, 11, 24)),
    "fhir.json": ExportRequest("fhir", date(2026, 11, 24)),
    "fhir-period.json": ExportRequest("fhir", date(2026, 10, 31), since=date(2026, 9, 20)),
    "walks-period.csv": ExportRequest("csv", date(2026, 10, 31), since=date(2026, 9, 20)),
}


def golden_diary(full_store: Store) -> Path:
    """The shared full diary with events, calf checks and drafts, audit times frozen."""
    for e in EVENTS:
        full_store.add_event(e)
    for at, pairs in CHECKS:
        result = evaluate(parse_pairs(pairs), check_context(full_store, at.date()))
        full_store.add_calf_check(check_row(result, at))
    at = datetime(2026, 11, 20, 9, 0)
    full_store.import_device_activities(
        [],
        [
            DeviceDraft(
                started_at=at,
                started_utc=at.replace(hour=8),
                device="Forerunner 55",
                file_format="fit",
                file_name="walk-20.fit",
                distance_m=1200.0,
                duration_min=25.0,
                notes="Recorded by Forerunner 55",
            )
        ],
    )
    path = full_store.path
    assert path is not None
    full_store.close()
    conn = sqlite3.connect(path)
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        for column in ("created_at", "updated_at", "acknowledged_at"):
            if column in columns:
                conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} IS NOT NULL", (FROZEN,)
                )
        if "deleted_at" in columns:
            conn.execute(
                f"UPDATE {table} SET deleted_at = ? WHERE deleted_at IS NOT NULL", (FROZEN,)
            )
    conn.commit()
    conn.close()
    return path


def check(name: str, data: bytes) -> None:
    if os.environ.get("TRACKER_WRITE_GOLDEN") == "1":
        (GOLDEN / name).write_bytes(data)
    assert data == (GOLDEN / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_each_export_is_byte_identical_to_before(
    full_store: Store, now: datetime, tmp_path: Path, name: str
) -> None:
    store = open_store(golden_diary(full_store))
    out = tmp_path / name
    runner = CliRunner()
    request = EXPORTS[name]
    args = ["export", "--db", str(store.path), "--format", request.fmt, "--out", str(out)]
    args += ["--what", request.what, "--until", request.until.isoformat()]
    if request.since:
        args += ["--since", request.since.isoformat()]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    check(name, out.read_bytes())
    assert render(store, request, now) == out.read_bytes()
    store.close()


@pytest.mark.parametrize("deleted", [False, True])
def test_list_json_is_byte_identical_to_before(full_store: Store, deleted: bool) -> None:
    db = golden_diary(full_store)
    args = ["list", "--json", "--db", str(db)] + (["--deleted"] if deleted else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    check(f"list{'-deleted' if deleted else ''}.json", result.stdout_bytes)
