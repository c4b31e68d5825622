from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from tracker.export.service import ExportRequest, run_export
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
