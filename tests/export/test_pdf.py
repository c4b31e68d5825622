"""The doctor report: its text (pypdf), its weekly table recomputed here, its first page
rendered (pypdfium2), its fonts, for a 3-month and a 10-year diary, on A4 and Letter."""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import shutil
import statistics
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain import report as report_module
from tracker.domain.report import build_report
from tracker.domain.units import format_distance
from tracker.domain.walks import WalkInput
from tracker.domain.wording import method_plural
from tracker.interchange import pdf as pdf_module
from tracker.interchange.export import ExportRequest, run_export


def pdf_pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def export(store: Store, tmp_path: Path, now: datetime, since: date | None = None) -> Path:
    request = ExportRequest("pdf", now.date(), since=since)
    return run_export(store, request, tmp_path / "r.pdf", now=now, force=True)


def test_written_for_the_clinician_with_the_context_of_a_swelling(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = export(full_store, tmp_path, now, since=date(2026, 8, 1))
    pages = pdf_pages(path)
    first, everything = pages[0], "\n".join(pages)
    assert "Jürgen Müller" in first and "ID A-17" in first
    # the period starts at the first walk, not at an empty August
    assert "Period 2026-09-01 (first walk) to 2026-11-24" in first
    assert "Report dated 2026-11-24" in first
    assert "Self-recorded by the patient" in first and "not a treadmill test" in first
    assert everything.count("Self-recorded by the patient") == 1  # said once
    # third person: "you"/"your" only inside the advice quoted as shown to the patient
    unquoted = re.sub(r"“[^”]*”", "", everything.replace("\n", " "))
    assert not re.search(r"\b(you|your)\b", unquoted, re.IGNORECASE), unquoted
    # the swelling with the long flight recorded two days before it, as the advice says
    flat = " ".join(first.split())
    assert "2026-11-20: one calf, ankle or leg swollen (tier: see a doctor today)" in flat
    assert "Recorded in the 14 days before: 2026-11-18 long journey recently" in flat
    assert "“Flug”" in flat and "clot in a deep vein" in flat
    assert "former since 2026-10-01" in flat and "pack-years" in flat
    assert "Fontaine classification" in flat and "not a stage" in flat
    assert "diagnos" not in everything.lower()
    # page numbers and the patient's name on every page
    for k, text in enumerate(pages, start=1):
        assert f"Page {k} of {len(pages)}" in text and "Jürgen Müller" in text
    meta = PdfReader(io.BytesIO(path.read_bytes())).metadata
    assert meta is not None and meta.title and "Jürgen Müller" in meta.title
    assert meta.author == "Jürgen Müller"
    assert path.stat().st_mode & 0o777 == 0o600


def test_per_method_figures_are_on_page_one(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    report = build_report(full_store, date(2026, 8, 1), now.date(), now)
    until = now.date()
    walks = full_store.walks(until - timedelta(days=27), until)
    first = " ".join(pdf_pages(export(full_store, tmp_path, now, date(2026, 8, 1)))[0].split())
    assert [m.method for m in report.methods] == ["walk", "6mwt", "treadmill"]
    for m in report.methods:
        exact = [w.pain_free_m for w in walks if w.method == m.method and not w.no_pain]
        expected = statistics.median(exact) if exact else None
        assert m.current_pf_m == expected
        assert m.current_walks == len(exact)
        assert method_plural(m.method).capitalize() in first
        assert m.trend.method == m.method
        if expected is not None:
            n = len(exact)
            assert f"{format_distance(expected, 'km')} ({n} walk{'s' * (n != 1)})" in first
        if m.trend.slope_pct_month is not None:
            assert f"slope {m.trend.slope_pct_month:+.1f} % per month" in first
            low, high = m.trend.slope_pct_month_low, m.trend.slope_pct_month_high
            assert f"95 % CI {low:+.1f} to {high:+.1f}" in first


def test_weekly_table_recomputed_independently(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    since = date(2026, 8, 1)
    report = build_report(full_store, since, now.date(), now)
    walks = full_store.walks(since, now.date())
    text = " ".join(" ".join(pdf_pages(export(full_store, tmp_path, now, since))).split())
    for m in report.methods:
        mine = [w for w in walks if w.method == m.method]
        first = min(w.walked_at.date() for w in mine)
        assert m.weeks[0].week_start == first - timedelta(days=first.weekday())  # none before
        assert m.weeks[-1].week_start <= now.date() < m.weeks[-1].week_start + timedelta(7)
        assert sum(w.walks for w in m.weeks) == len(mine)
        for row in m.weeks:
            week = [w for w in mine if row.week_start <= w.walked_at.date() <= row.week_end]
            exact = [w.pain_free_m for w in week if not w.no_pain]
            lower = [w.pain_free_m for w in week if w.no_pain]
            maxima = [w.max_m for w in week if not w.no_pain and w.max_m is not None]
            assert row.walks == len(week) and row.with_pain == len(exact)
            assert row.median_pf_m == (statistics.median(exact) if exact else None)
            assert row.best_pf_m == (max(exact) if exact else None)  # only walks with pain
            assert row.longest_no_pain_m == (max(lower) if lower else None)
            assert row.median_max_m == (statistics.median(maxima) if maxima else None)
            if lower:  # the lower bound is in the table, apart and marked
                assert format_distance(max(lower), "km", at_least=True) in text
    assert "≥ " in text


def test_default_period_is_six_months_or_since_the_first_walk(
    full_store: Store, now: datetime, tmp_path: Path
) -> None:
    young = build_report(full_store, None, now.date(), now)
    assert young.requested_since == now.date() - timedelta(days=182)
    assert young.since == date(2026, 9, 1)  # the first walk: no empty half of the chart
    assert young.chart.start == date(2026, 9, 1)
    old = open_store(tmp_path / "old.db")
    old.add_walks([_walk(now.date() - timedelta(days=400 - d), 250.0) for d in range(400)])
    report = build_report(old, None, now.date(), now)
    assert report.since == report.requested_since == now.date() - timedelta(days=182)


def _walk(day: date, pf: float, *, no_pain: bool = False, notes: str = "") -> WalkInput:
    return WalkInput(
        datetime.combine(day, datetime.min.time()).replace(hour=9),
        pf,
        None if no_pain else pf * 1.6,
        None,
        no_pain,
        "calf",
        "left",
        None if no_pain else 5,
        3.0,
        "walk",
        notes,
        "typed",
        40.0,
    )


@pytest.fixture(scope="module")
def ten_year_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once for the module; each test works on its own copy."""
    from tests.conftest import FIXED_NOW

    path = tmp_path_factory.mktemp("ten") / "ten.db"
    ten_year_diary(path, FIXED_NOW.date()).close()
    return path


def ten_year_diary(path: Path, until: date) -> Store:
    store = open_store(path)
    store.add_walks(
        [
            _walk(
                until - timedelta(days=3650 - d),
                round(250 * math.exp(0.25 * math.sin(d / 200) + 0.2 * math.sin(d * 2.3)), 1),
                no_pain=d % 10 == 3,
            )
            for d in range(3650)
        ]
    )
    store.import_all(
        cigarettes={until - timedelta(days=d): (d * 7) % 15 for d in range(0, 3650, 2)}
    )
    store.add_smoking_status("current", date(1990, 1, 1), cigarettes_per_day=15)
    for k in range(0, 3650, 90):
        store.add_symptom("relief_over_10_min", until - timedelta(days=k))
    store.update_settings(patient_name="Ada Lovelace")
    return store


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("diary", ["3 months", "10 years"])
def test_first_page_is_full_and_nothing_is_cut(
    full_store: Store,
    ten_year_file: Path,
    tmp_path: Path,
    now: datetime,
    paper: str,
    diary: str,
) -> None:
    if diary == "10 years":
        shutil.copy(ten_year_file, tmp_path / "ten.db")
        store = open_store(tmp_path / "ten.db")
        since = now.date() - timedelta(days=3650)
    else:
        store, since = full_store, None
    store.update_settings(paper_size=paper)
    path = export(store, tmp_path, now, since)
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        width_pt, _ = page.get_size()
        assert round(width_pt) == (595 if paper == "A4" else 612)
        image = page.render(scale=1.5).to_pil().convert("L")
        image.save(tmp_path / f"page1-{paper}-{diary.replace(' ', '')}.png")
        rows = [
            y
            for y in range(image.height)
            if image.crop((0, y, image.width, y + 1)).getextrema()[0] < 200
        ]
        # the chart fills page 1: ink down to the footer, no tall empty band anywhere
        assert rows[-1] > 0.95 * image.height
        gaps = [b - a for a, b in itertools.pairwise(rows)]
        assert max(gaps) < 0.06 * image.height
        assert any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())
    finally:
        doc.close()
    first = PdfReader(path).pages[0].extract_text()
    assert "pain-free and maximum distance" not in first  # the chart is an image …
    for heading in ("Walking distances per method", "Red flags", "Exercise and smoking"):
        assert heading in first  # … and every section of page 1 is on page 1
    assert "Page 1 of" in first
    if diary == "10 years":  # 41 repeats of one symptom read as one line
        assert "recorded 41 times" in " ".join(first.split())


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
    assert sum(w.walks for m in report.methods for w in m.weeks) == len(walks)
    everything = "\n".join(pdf_pages(export(full_store, tmp_path, now, since)))
    assert "the newest 12 walks" in everything
    assert f"The {len(walks) - 12} older walks" in everything and "CSV export" in everything


def test_any_script_renders_or_is_named_in_a_warning(
    full_store: Store,
    tmp_path: Path,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(pdf_module, "system_fonts", list)  # this machine's fonts aside
    full_store.update_settings(patient_name="Ωμέγα Жуков 山田")
    full_store.add_walks([_walk(date(2026, 11, 23), 210, notes="שלום · مرحبا · 𝔄 fraktur · 🦵")])
    warnings: list[str] = []
    request = ExportRequest("pdf", now.date())
    with caplog.at_level(logging.DEBUG):
        path = run_export(full_store, request, tmp_path / "u.pdf", now=now, warnings=warnings)
    text = "\n".join(pdf_pages(path))
    # DejaVu Sans has these (right-to-left text is drawn, and extracted, in visual order)
    assert "Ωμέγα Жуков" in text and ("שלום" in text or "םולש" in text)
    assert "𝔄" in text  # drawn from the bundled fallback font
    assert len(warnings) == 1
    for ch in ("山", "田", "🦵"):
        assert f"'{ch}' (U+{ord(ch):04X})" in warnings[0]
    assert "Ω" not in warnings[0] and "𝔄" not in warnings[0]
    assert "\ufffd" in text  # a visible placeholder, not a silent drop
    assert not [r for r in caplog.records if r.name.startswith(("fpdf", "fontTools"))]
    assert "missing" not in capfd.readouterr().err

    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(full_store.path),
            "export",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "cli.pdf"),
        ],
    )
    assert result.exit_code == 0
    assert "Warning: The PDF could not draw 3 character(s)" in result.stderr
    assert "'山' (U+5C71)" in result.stderr and "glyphs" not in result.stderr


def test_page_one_lists_the_periods_treatment_events_newest_last(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    from tracker.domain.events import EventInput

    store = full_store
    store.add_event(EventInput("procedure", date(2025, 1, 10), procedure_type="bypass"))
    for k in range(6):  # more than page 1 lists: the oldest are counted, not listed
        store.add_event(
            EventInput("other", date(2026, 9, 10 + k), description=f"physiotherapy {k + 1}")
        )
    store.add_event(
        EventInput(
            "procedure",
            date(2026, 10, 5),
            procedure_type="angioplasty",
            side="left",
            notes="Superficial femoral artery, balloon only; walk daily from day 3 and come "
            "back in 6 weeks",
        )
    )
    store.add_event(
        EventInput(
            "medication-start",
            date(2026, 10, 20),
            category="cilostazol",
            name="Pletal",
            dose="100 mg twice daily",
        )
    )
    gone = store.add_event(EventInput("programme-start", date(2026, 11, 2)))
    assert gone.id is not None
    store.set_event_deleted(gone.id, True)
    path = export(store, tmp_path, now)
    first = " ".join(PdfReader(path).pages[0].extract_text().split())
    assert "Treatment events in the period" in first
    assert "4 earlier events (2026-09-10 to 2026-09-13) in the events CSV export." in first
    lines = [
        "2026-09-14 – physiotherapy 5",
        "2026-10-05 – angioplasty, left leg – Superficial femoral artery, balloon only; walk "
        "daily from…",
        "2026-10-20 – started Pletal (cilostazol), 100 mg twice daily",
    ]
    at = [first.index(line) for line in lines]
    assert at == sorted(at)  # newest last
    assert "physiotherapy 4" not in first and "bypass" not in first  # before page 1's list
    assert "exercise programme" not in first  # deleted
    assert "come back in 6 weeks" not in first  # notes shortened
    # the trend cell says which walks the trend uses
    assert "walks from 2026-10-19 on (angioplasty 2026-10-05)" in first
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        page.render(scale=1.5).to_pil().save(tmp_path / "page1-events.png")
        # the chart still fits on page 1
        assert any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())
    finally:
        doc.close()
    print(tmp_path / "page1-events.png")


def test_the_chart_draws_a_line_per_event_a_procedure_heavier(
    full_store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.axes import Axes

    from tracker.domain.events import EventInput

    full_store.add_event(EventInput("procedure", date(2026, 10, 5), procedure_type="stent"))
    full_store.add_event(EventInput("medication-start", date(2026, 10, 20), category="statin"))
    full_store.add_event(EventInput("other", date(2020, 1, 1), description="long ago"))
    report = build_report(full_store, None, now.date(), now)
    lines: list[tuple[object, float]] = []
    labels: list[str] = []
    real_axvline, real_annotate = Axes.axvline, Axes.annotate

    def axvline(self: Axes, x: object = 0, *args: object, **kw: object) -> object:
        lines.append((x, float(kw.get("lw", 1))))  # type: ignore[arg-type]
        return real_axvline(self, x, *args, **kw)  # type: ignore[arg-type]

    def annotate(self: Axes, text: str, *args: object, **kw: object) -> object:
        labels.append(text)
        return real_annotate(self, text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Axes, "axvline", axvline)
    monkeypatch.setattr(Axes, "annotate", annotate)
    pdf_module.chart_png(report, 180, 100)
    event_lines = [(x, lw) for x, lw in lines if x in (date(2026, 10, 5), date(2026, 10, 20))]
    assert event_lines == [(date(2026, 10, 5), 1.8), (date(2026, 10, 20), 0.8)]
    assert "stent" in labels and "statin" in labels and "long" not in labels
