"""What kind of file this is, told by its content (never by its name): magic bytes, the XML
root element, the members of a zip, the SQLite header."""

from __future__ import annotations

import sqlite3
import zipfile
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from tracker.interchange.devices.activity import DeviceFileError
from tracker.interchange.devices.zip_guard import head, open_zip

SQLITE_HEADER = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
XML_SNIFF_BYTES = 64 * 1024


class Kind(StrEnum):
    TEXT = "text"
    """CSV or JSON: the diary's own formats (tracker/interchange/importer.py)."""
    FIT = "fit"
    TCX = "tcx"
    GPX = "gpx"
    APPLE_XML = "apple-health"
    APPLE_ZIP = "apple-health-zip"
    HEALTH_CONNECT_ZIP = "health-connect"
    HEALTH_CONNECT_DB = "health-connect-db"


DEVICE_KINDS = frozenset(Kind) - {Kind.TEXT}

KIND_LABELS: dict[Kind, str] = {
    Kind.TEXT: "CSV or JSON",
    Kind.FIT: "FIT activity",
    Kind.TCX: "TCX",
    Kind.GPX: "GPX",
    Kind.APPLE_XML: "Apple Health export",
    Kind.APPLE_ZIP: "Apple Health export",
    Kind.HEALTH_CONNECT_ZIP: "Health Connect export",
    Kind.HEALTH_CONNECT_DB: "Health Connect database",
}

HEALTH_CONNECT_TABLE = "exercise_session_record_table"


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def detect(path: Path) -> Kind:
    try:
        with path.open("rb") as fh:
            start = fh.read(XML_SNIFF_BYTES)
    except OSError as exc:
        raise DeviceFileError(exc.strerror or str(exc)) from None
    except ValueError:  # a NUL in the name: no file can be called that
        raise DeviceFileError("no such file (the name contains a NUL character)") from None
    if is_fit(start):
        return Kind.FIT
    if start.startswith(ZIP_MAGIC):
        return _zip_kind(path)
    if start.startswith(SQLITE_HEADER):
        if _is_health_connect_db(path):
            return Kind.HEALTH_CONNECT_DB
        raise DeviceFileError(
            "an SQLite database, but not a Health Connect export (it has no exercise sessions)"
        )
    root = xml_root(start)
    if root is None:
        return Kind.TEXT
    kinds = {"gpx": Kind.GPX, "TrainingCenterDatabase": Kind.TCX, "HealthData": Kind.APPLE_XML}
    if root in kinds:
        return kinds[root]
    raise DeviceFileError(
        f"an XML file, but neither GPX, TCX nor an Apple Health export (its root element is "
        f"<{root}>); from Apple Health import export.xml or export.zip"
    )


def xml_root(start: bytes) -> str | None:
    """The local name of the root element, or None when this is not XML."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<"):
        return None
    i = 0
    while True:
        i = text.find(b"<", i)
        if i < 0 or i + 1 >= len(text):
            return None
        nxt = text[i + 1 : i + 2]
        if nxt in (b"?", b"!"):
            # declarations, comments and the DTD (whose internal subset may hold '<')
            end = _skip_markup(text, i)
            if end < 0:
                return None
            i = end
            continue
        name = text[i + 1 :].split(maxsplit=1)[0].split(b">")[0].split(b"/")[0]
        return name.split(b":")[-1].decode("utf-8", "replace")


def _skip_markup(text: bytes, i: int) -> int:
    if text.startswith(b"<!--", i):
        end = text.find(b"-->", i)
        return -1 if end < 0 else end + 3
    if text.startswith(b"<!DOCTYPE", i):
        bracket = text.find(b"[", i)
        close = text.find(b">", i)
        if 0 <= bracket < close:
            end = text.find(b"]", bracket)
            close = text.find(b">", end) if end >= 0 else -1
        return -1 if close < 0 else close + 1
    end = text.find(b">", i)
    return -1 if end < 0 else end + 1


def _zip_kind(path: Path) -> Kind:
    with open_zip(path) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        for info in members:
            if Path(info.filename).name == "export.xml":
                if xml_root(head(archive, info, XML_SNIFF_BYTES)) == "HealthData":
                    return Kind.APPLE_ZIP
                raise DeviceFileError(
                    f"the zip holds {info.filename!r}, but it is not an Apple Health export"
                )
        for info in members:
            if info.filename.endswith(".db") and head(archive, info, 16) == SQLITE_HEADER:
                return Kind.HEALTH_CONNECT_ZIP
    raise DeviceFileError(
        "a zip archive, but it holds neither an Apple Health export (export.xml) nor a Health "
        "Connect database"
    )


def apple_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    for info in archive.infolist():
        if Path(info.filename).name == "export.xml" and not info.is_dir():
            return info
    raise DeviceFileError("the zip holds no export.xml")


def _is_health_connect_db(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (HEALTH_CONNECT_TABLE,)
        ).fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return row is not None
