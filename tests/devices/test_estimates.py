"""Apple Health's six-minute walk distance: an estimate in the method label, the trend and the
doctor report, never mixed with real walk tests."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from tracker.db.repository import Store
from tracker.domain.clinical import METHOD_LABELS, TYPED_METHODS, Method
from tracker.domain.report import build_report
from tracker.domain.wording import method_plural, report_data_note
from tracker.interchange.devices.detect import detect
from tracker.interchange.devices.importer import import_device_file
from tracker.interchange.pdf import report_pdf

from ..conftest import FIXED_NOW
from .builders import START, apple_export, apple_record


def test_estimates_have_their_own_method_marked_as_estimates(store: Store, tmp_path: Path) -> None:
    records = [
        apple_record(
            "HKQuantityTypeIdentifierSixMinuteWalkTestDistance",
            START - timedelta(days=7 * k),
            400 - k,
            "m",
            "iPhone",
        )
        for k in range(6)
    ]
    path = tmp_path / "export.xml"
    path.write_text(apple_export(*records))
    assert import_device_file(store, path, detect(path), now=FIXED_NOW).estimates == 6
    assert {w.method for w in store.walks()} == {"6mwt-estimate"}
    assert store.walks(method="6mwt") == []
    assert "estimate" in METHOD_LABELS[Method.SIX_MWT_ESTIMATE]
    assert Method.SIX_MWT_ESTIMATE not in TYPED_METHODS  # never offered in the log form
    assert "not a test" in method_plural("6mwt-estimate")

    report = build_report(store, date(2026, 9, 1), FIXED_NOW.date(), FIXED_NOW)
    assert [m.method for m in report.methods] == ["6mwt-estimate"]
    note = report_data_note(report)
    assert "6-minute walk estimates are computed by the patient's iPhone" in note
    assert "not a walk test" in note
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report))).pages]
    first = re.sub(r"\s+", " ", pages[0])
    assert "not a walk test" in first
    assert "6-minute walk estimates (phone, not a test)" in first
