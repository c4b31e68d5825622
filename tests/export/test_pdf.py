from __future__ import annotations

import io
import statistics
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from tracker import report as report_module
from tracker.export.service import ExportRequest, run_export
from tracker.report import build_report
from tracker.store import Store


def test_report_text_is_real_and_says_what_a_doctor_needs(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    request = ExportRequest("pdf", now.date(), since=date(2026, 8, 1))
    path = run_export(full_store, request, tmp_path / "r.pdf", now=now)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    first = reader.pages[0].extract_text()
    everything = "\n".join(p.extract_text() for p in reader.pages)
    assert "Jürgen Müller" in first and "ID A-17" in first
    assert "2026-08-01 to 2026-11-24" in first
    assert "Pain-free walking distance trend" in first
    assert "one calf, ankle or leg swollen" in first and "clot in a deep vein" in first
    assert "ended without pain" in first
    assert "not a treadmill test" in first
    assert "pack-years" in first and "former" in first
    assert "Weekly summary" in everything and "Appendix" in everything
    assert "Grüße aus München" in everything
    assert "≥" in everything
    assert "diagnos" not in everything.lower()
    assert path.stat().st_mode & 0o777 == 0o600


def test_first_page_renders_to_an_image(full_store: Store, tmp_path: Path, now: datetime) -> None:
    path = run_export(full_store, ExportRequest("pdf", now.date()), tmp_path / "r.pdf", now=now)
    doc = pdfium.PdfDocument(str(path))
    try:
        image = doc[0].render(scale=1).to_pil()
        assert image.size[0] > 500
        dark = sum(image.convert("L").histogram()[:128])
        assert dark > 5000  # text and a chart were drawn, not a blank page
        image.save(tmp_path / "page1.png")
    finally:
        doc.close()


def test_a_long_log_lists_only_the_newest_walks_and_says_so(
    full_store: Store, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "APPENDIX_MAX_WALKS", 12)
    since = date(2026, 8, 1)
    report = build_report(full_store, since, now.date(), now)
    walks = full_store.walks(since, now.date())
    assert report.walk_count == len(walks) > 12
    newest = sorted(walks, key=lambda w: (w.walked_at, w.id), reverse=True)[:12]
    assert [w.id for w in report.appendix] == [w.id for w in newest]
    assert report.appendix_omitted == len(walks) - 12
    # the weekly table still counts every walk of the period
    assert sum(w.walks for w in report.weeks) == len(walks)
    for row in report.weeks:
        week = [
            w
            for w in walks
            if row.week_start <= w.walked_at.date() <= row.week_start + timedelta(days=6)
        ]
        exact = [w.pain_free_m for w in week if not w.no_pain]
        assert row.walks == len(week)
        assert row.median_pf_m == (statistics.median(exact) if exact else None)

    path = run_export(
        full_store, ExportRequest("pdf", now.date(), since=since), tmp_path / "r.pdf", now=now
    )
    everything = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "the newest 12 walks" in everything
    assert f"The {len(walks) - 12} older walks" in everything and "CSV export" in everything
