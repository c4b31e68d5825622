"""Bad device files: each gets a message naming the file and what is wrong, and nothing from
that file is imported (the other files of the command are)."""

from __future__ import annotations

import io
import os
import sqlite3
import struct
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.interchange.devices import zip_guard
from tracker.interchange.devices.activity import DeviceFileError
from tracker.interchange.devices.detect import detect
from tracker.interchange.devices.importer import DeviceImportFailed, import_device_file

from ..conftest import FIXED_NOW
from .builders import (
    START,
    apple_export,
    apple_workout,
    apple_zip,
    fit_bytes,
    gpx_text,
    one_lap,
    pressed,
    tcx_text,
)

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        walks = conn.execute("SELECT count(*) FROM walk").fetchone()[0]
        drafts = conn.execute("SELECT count(*) FROM walk_draft").fetchone()[0]
        return int(walks), int(drafts)
    finally:
        conn.close()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.fit"
    path.write_bytes(fit_bytes(pressed((180, 150), (140, 120), start=START - timedelta(days=3))))
    return path


def damaged_fit(tmp_path: Path) -> Path:
    data = bytearray(fit_bytes(pressed((180, 150), (140, 120))))
    data[len(data) // 2] ^= 0xFF
    path = tmp_path / "damaged.fit"
    path.write_bytes(bytes(data))
    return path


def truncated_fit(tmp_path: Path) -> Path:
    data = fit_bytes(pressed((180, 150), (140, 120)))
    path = tmp_path / "truncated.fit"
    path.write_bytes(data[: len(data) - 40])
    return path


def gpx_without_points(tmp_path: Path) -> Path:
    path = tmp_path / "empty.gpx"
    path.write_text(gpx_text(points=0))
    return path


def not_apple_xml(tmp_path: Path) -> Path:
    path = tmp_path / "export_cda.xml"
    path.write_text('<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>\n')
    return path


def zip_with_wrong_export(tmp_path: Path) -> Path:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", "<NotHealth/>")
    return path


def zip_bomb(tmp_path: Path) -> Path:
    """10 MB of zeros packs about 1000x."""
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", b"\0" * (10 << 20))
    return path


def tcx_without_zone(tmp_path: Path) -> Path:
    path = tmp_path / "nozone.tcx"
    path.write_text(tcx_text(pressed((180, 150), (140, 120)), zone=False))
    return path


def gpx_without_zone(tmp_path: Path) -> Path:
    path = tmp_path / "nozone.gpx"
    path.write_text(gpx_text(zone=False))
    return path


def apple_without_zone(tmp_path: Path) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(apple_export(apple_workout(zone=False)))
    return path


def fit_in_the_future(tmp_path: Path) -> Path:
    """Two walks, one of them tomorrow: neither is imported."""
    path = tmp_path / "future.fit"
    path.write_bytes(
        fit_bytes(one_lap(start=START), pressed((200, 100), (100, 80), start=START + timedelta(5)))
    )
    return path


def unknown_zip(tmp_path: Path) -> Path:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    return path


CASES = [
    (damaged_fit, "damaged FIT file"),
    (truncated_fit, "damaged FIT file"),
    (gpx_without_points, "no track points"),
    (not_apple_xml, "root element is <ClinicalDocument>"),
    (zip_with_wrong_export, "not an Apple Health export"),
    (zip_bomb, "a zip bomb"),
    (tcx_without_zone, "has no time zone"),
    (gpx_without_zone, "has no time zone"),
    (apple_without_zone, "has no time zone"),
    (fit_in_the_future, "starts in the future"),
    (unknown_zip, "neither an Apple Health export"),
]


@pytest.mark.parametrize(("make", "problem"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_bad_file_is_named_with_its_problem_and_nothing_from_it_is_imported(
    tmp_path: Path, good: Path, make: object, problem: str
) -> None:
    db = tmp_path / "t.db"
    bad = make(tmp_path)  # type: ignore[operator]
    code, out, err = run(db, "import", str(bad), str(good))
    assert code == 2
    lines = [line for line in err.splitlines() if problem in line]
    assert lines and all(line.startswith(f"Error: {bad}: ") for line in lines), err
    assert f"Error: {bad}: nothing was imported from it" in err or "nothing was imported" in err
    assert f"{good} (FIT activity): imported 1 walk" in out
    assert counts(db) == (1, 1)  # only the good file's walk and its ledger row


def test_the_tracker_database_itself_is_not_a_health_connect_export(
    tmp_path: Path, good: Path
) -> None:
    db = tmp_path / "t.db"
    run(db, "import", str(good))
    code, _, err = run(db, "import", str(db))
    assert code == 2 and "not a Health Connect export" in err
    assert counts(db) == (1, 1)


def test_a_member_over_the_unpacked_limit_is_refused_from_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zip_guard, "MAX_UNPACKED_BYTES", 1 << 20)
    path = apple_zip(tmp_path / "export.zip", apple_export(apple_workout()) + " " * (2 << 20))
    with pytest.raises(DeviceFileError, match="unpacks to"):
        detect(path)


def test_a_member_that_unpacks_to_more_than_its_header_says_is_refused_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headers can lie: the guard counts what actually comes out."""
    path = apple_zip(tmp_path / "export.zip", apple_export(apple_workout()))
    archive = zipfile.ZipFile(path)
    info = archive.getinfo("apple_health_export/export.xml")
    monkeypatch.setattr(archive, "open", lambda _info: io.BytesIO(b"<" * (info.file_size + 10)))
    with pytest.raises(DeviceFileError, match="more than its header says"):
        zip_guard.open_member(archive, info).read()


def test_a_zip_whose_header_understates_the_size_is_refused(tmp_path: Path) -> None:
    """The central directory claims 100 bytes for a bigger member: refused, not trusted."""
    path = apple_zip(tmp_path / "export.zip", apple_export(apple_workout(), apple_workout()))
    data = bytearray(path.read_bytes())
    name = b"apple_health_export/export.xml"
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(sig + b"")
        while at >= 0:
            if name in data[at : at + 80]:
                struct.pack_into("<I", data, at + size_at, 100)
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))
    store = open_store(tmp_path / "t.db")
    with pytest.raises((DeviceImportFailed, DeviceFileError)) as exc:
        import_device_file(store, path, detect(path), now=FIXED_NOW)
    assert "zip" in str(exc.value)
    assert store.count_walks() == 0 and store.drafts(status=None) == []


def test_without_the_device_extra_the_import_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good: Path
) -> None:
    monkeypatch.setitem(sys.modules, "fitdecode", None)
    db = tmp_path / "t.db"
    code, _, err = run(db, "import", str(good))
    assert code == 2
    assert "pip install 'tracker[devices]'" in err and str(good) in err


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "t.db", "import", str(tmp_path / "missing.fit"))
    assert code == 2 and "missing.fit" in err


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cuts=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), min_size=1, max_size=6))
def test_a_corrupted_fit_file_never_crashes(tmp_path: Path, cuts: list[tuple[int, int]]) -> None:
    data = bytearray(fit_bytes(pressed((180, 150), (140, 120))))
    for at, value in cuts:
        data[at % len(data)] = value
    path = tmp_path / f"fuzz-{os.getpid()}.fit"
    path.write_bytes(bytes(data))
    store = open_store(tmp_path / "fuzz.db")
    try:
        kind = detect(path)
        import_device_file(store, path, kind, now=FIXED_NOW)
    except (DeviceFileError, DeviceImportFailed):
        pass
    finally:
        store.close()


def test_a_file_name_with_a_nul_is_refused_by_name(db_path: Path, good: Path) -> None:
    """No file can have a NUL in its name; the other files of the command are imported."""
    code, _, err = run(db_path, "import", "a\x00b", str(good))
    assert code == 2
    assert "a\\x00b: no such file (the name contains a NUL character)" in err
    assert counts(db_path)[0] >= 1  # the good file's walks
