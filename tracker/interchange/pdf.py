"""The doctor report as PDF (fpdf2), written for the clinician and readable in one minute.

Page 1 answers the one-minute questions per method (current medians, change, trend with its
interval, the 200 m marker), red flags with their context, exercise, smoking, and a chart that
fills the rest of the page; then a weekly table per method and every walk. Text is real text
in DejaVu Sans (shipped with matplotlib); characters it lacks are drawn from a fallback font
when one on this machine has them, else replaced by "�" and named in a warning.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from tracker.domain.chart_data import marker_label, y_axis
from tracker.domain.report import DoctorReport
from tracker.domain.units import format_distance
from tracker.domain.wording import (
    check_report_line,
    method_plural,
    pain_site,
    report_change_cell,
    report_data_note,
    report_event_line,
    report_exercise,
    report_flag_lines,
    report_fontaine,
    report_more_flags,
    report_smoking,
    report_trend_cell,
)

FONT_DIR = Path(str(files("matplotlib") / "mpl-data" / "fonts" / "ttf"))
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
BUNDLED_FALLBACKS = (FONT_DIR / "STIXGeneral.ttf",)
PLACEHOLDER = "\ufffd"
RED_FLAGS_IN_FULL = 4
EVENTS_ON_PAGE_1 = 4
"""Page 1 lists the period's latest events, newest last; older ones are counted."""
"""The most urgent (then newest) red flags shown with context and advice; any others of the
period follow as one line each, so page 1 keeps its chart."""
MIN_CHART_MM = 55.0
"""Less room than this left on page 1: the chart opens page 2 instead of being squeezed."""
MAX_CHART_MM = 190.0


def system_fonts() -> list[Path]:
    """TrueType/OpenType fonts installed on this machine (only read when DejaVu lacks a
    character of a name or note)."""
    from matplotlib import font_manager  # loading it reads (or builds) the font cache

    return [
        Path(p)
        for p in font_manager.findSystemFonts()
        if p.lower().endswith((".ttf", ".otf")) and "dejavu" not in p.lower()
    ]


def _cmap(path: Path) -> set[int]:
    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            best = font["cmap"].getBestCmap()
            return set(best) if best else set()
    except Exception:  # a damaged or unusual font file is simply not a fallback
        return set()


class Glyphs:
    """Which characters the report's fonts can draw; remembers the ones they could not."""

    def __init__(self) -> None:
        self.covered = _cmap(REGULAR)
        self.fallbacks: list[Path] = []
        self.missing: dict[str, None] = {}

    def prepare(self, texts: Iterable[str]) -> None:
        """Find fallback fonts for the characters of `texts` DejaVu Sans lacks."""
        wanted = {ord(ch) for t in texts for ch in t if ch.isprintable()} - self.covered
        if not wanted:
            return
        for path in (*BUNDLED_FALLBACKS, *system_fonts()):
            has = _cmap(path) & wanted
            if has:
                self.fallbacks.append(path)
                self.covered |= has
                wanted -= has
            if not wanted:
                break

    def clean(self, text: str) -> str:
        """`text` with every character no font has replaced by "�" (and remembered)."""
        out = []
        for ch in text:
            if ch in "\n\t":
                out.append(" ")
            elif not ch.isprintable():
                continue
            elif ord(ch) in self.covered:
                out.append(ch)
            else:
                self.missing[ch] = None
                out.append(PLACEHOLDER)
        return "".join(out)

    def warning(self) -> str | None:
        if not self.missing:
            return None
        chars = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in self.missing)
        return (
            f"The PDF could not draw {len(self.missing)} character(s) of names or notes, "
            f"no font on this machine has them: {chars}. They show as '{PLACEHOLDER}' in the "
            "PDF; the CSV and JSON exports keep them."
        )


@contextmanager
def _quiet_font_libraries() -> Iterator[None]:
    """Font problems are reported by our own warning, never as library log lines."""
    loggers = [logging.getLogger(n) for n in ("fpdf", "fontTools")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def chart_png(report: DoctorReport, width_mm: float, height_mm: float) -> bytes:
    """The main method's walks: lines first (dotted 200 m marker, weekly median), walks on top,
    walks without pain as open triangles; cigarettes a day below, smoking-status changes."""
    import matplotlib  # Agg must be chosen before pyplot is imported, and only the chart needs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import dates as mdates

    data = report.chart
    has_smoke = bool(data.cigarettes or data.status_changes)
    fig, axes = plt.subplots(
        2 if has_smoke else 1,
        1,
        figsize=(width_mm / 25.4, height_mm / 25.4),
        sharex=True,
        gridspec_kw={"height_ratios": [5, 1]} if has_smoke else None,
        squeeze=False,
    )
    ax = axes[0][0]
    for week_end in data.decline_weeks:
        ax.axvspan(
            week_end - timedelta(days=6), week_end + timedelta(days=1), color="#f4c7c3", lw=0
        )
    y = y_axis(
        [v for _, v in (*data.pain_free, *data.maximum, *data.no_pain)],
        data.marker,
        data.unit,
        rows=max(8, round(height_mm / 6)),
    )
    if y.marker_shown:
        ax.axhline(data.marker, color="#c0392b", ls=(0, (2, 2)), lw=0.9, zorder=1)
        ax.annotate(
            f"{marker_label(data.marker, data.unit)} (Fontaine mark)",
            xy=(1, data.marker),
            xycoords=("axes fraction", "data"),
            xytext=(-2, 2),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=6,
            color="#c0392b",
            zorder=4,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    if len(data.weekly_median) > 1:
        ax.plot(
            [d for d, _ in data.weekly_median],
            [v for _, v in data.weekly_median],
            color="#5b7fbf",
            lw=1.1,
            zorder=2,
            label="weekly median pain-free",
        )
    for series, style in (
        (data.maximum, {"s": 9, "marker": "+", "color": "#e67e22", "label": "maximum"}),
        (data.pain_free, {"s": 8, "color": "#1f4e9c", "label": "pain-free"}),
        (
            data.no_pain,
            {
                "s": 14,
                "marker": "^",
                "facecolors": "none",
                "edgecolors": "#2ca02c",
                "label": "ended without pain (at least)",
            },
        ),
    ):
        if series:
            ax.scatter([d for d, _ in series], [v for _, v in series], zorder=3, **style)
    for m in data.events:  # under the walks; a procedure (a new level) drawn heavy
        ax.axvline(
            m.day,
            color="#222222" if m.change_point else "#7f7f7f",
            lw=1.8 if m.change_point else 0.8,
            ls="-" if m.change_point else (0, (3, 2)),
            zorder=1.5,
        )
        ax.annotate(
            m.label,
            xy=(m.day, 1),
            xycoords=("data", "axes fraction"),
            xytext=(2, -2),
            textcoords="offset points",
            rotation=90,
            ha="left",
            va="top",
            fontsize=6,
            fontweight="bold" if m.change_point else "normal",
            color="#222222" if m.change_point else "#555555",
            zorder=4,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    pad = (y.high - y.low) * 0.03  # a walk on the range's edge is drawn whole
    ax.set_ylim(y.low - pad, y.high + pad)
    ax.set_yticks(list(y.ticks))
    ax.set_ylabel(f"distance ({data.unit})", fontsize=7)
    ax.set_title(
        f"{method_plural(report.main.method if report.main else 'walk').capitalize()}: "
        "pain-free and maximum distance"
        + (f" (medians of {data.bucket_days} days)" if data.bucket_days > 1 else ""),
        fontsize=8,
        loc="left",
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, loc="upper right", ncol=4, frameon=False)
    ax.tick_params(labelsize=7)
    if has_smoke:
        sx = axes[1][0]
        if data.cigarettes:
            sx.bar(
                [d for d, _ in data.cigarettes],
                [n for _, n in data.cigarettes],
                width=max(1, data.bucket_days),
                color="#8e44ad",
            )
        for day, status in data.status_changes:
            sx.axvline(day, color="#b7950b", lw=1)
            sx.annotate(status, (day, 1), xycoords=("data", "axes fraction"), fontsize=6, va="top")
        sx.set_ylabel("cig/day", fontsize=7)
        sx.tick_params(labelsize=7)
        sx.grid(alpha=0.3)
    last = axes[-1][0]
    last.set_xlim(data.start, data.end + timedelta(days=1))
    span = (data.end - data.start).days
    last.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))  # type: ignore[no-untyped-call]
    last.xaxis.set_major_formatter(
        mdates.DateFormatter("%d %b" if span <= 124 else "%b %Y")  # type: ignore[no-untyped-call]
    )
    fig.tight_layout(pad=0.4)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=160)
    plt.close(fig)
    return buf.getvalue()


def _user_texts(report: DoctorReport) -> Iterator[str]:
    yield report.patient_name
    yield report.patient_id
    for f in report.red_flags:
        yield f.notes
        for c in f.context:
            yield c.notes
    yield from report.to_discuss
    for w in report.appendix:
        yield w.notes
    for e in report.events:
        yield from (e.notes, e.name, e.dose, e.description)


def report_pdf(report: DoctorReport, warnings: list[str] | None = None) -> bytes:
    """The PDF's bytes; characters that could not be drawn are named in `warnings`."""
    with _quiet_font_libraries():
        return _render(report, warnings)


def _render(report: DoctorReport, warnings: list[str] | None) -> bytes:
    glyphs = Glyphs()
    glyphs.prepare(_user_texts(report))
    clean = glyphs.clean
    name = clean(report.patient_name.strip())
    pid = clean(report.patient_id.strip())
    who = " ".join(x for x in (name, pid and f"(ID {pid})") if x) or "name not set in the app"
    unit = report.unit

    class ReportPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-11)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(90, 90, 90)
            self.cell(
                0,
                4,
                f"{who} · walking diary {report.since} to {report.until} · "
                f"Page {self.page_no()} of {{nb}}",
                align="C",
            )
            self.set_text_color(0, 0, 0)

    pdf = ReportPDF(format="A4" if report.paper == "A4" else "Letter")
    pdf.set_margins(12, 11, 12)
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("DejaVu", "", str(REGULAR))
    pdf.add_font("DejaVu", "B", str(BOLD))
    fallback_names = []
    for i, path in enumerate(glyphs.fallbacks):
        pdf.add_font(f"Fallback{i}", "", str(path))
        fallback_names.append(f"Fallback{i}")
    if fallback_names:
        pdf.set_fallback_fonts(fallback_names, exact_match=False)
    title = "Walking diary report for the vascular consultation"
    pdf.set_title(f"{title}: {name}" if name else title)
    pdf.set_author(name or "tracker")
    pdf.set_subject(f"Self-recorded walks, {report.since} to {report.until}")
    pdf.set_creator("tracker")
    pdf.set_lang("en")
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 8.5, bold: bool = False, h: float = 4.0) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(width, h, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def heading(text: str) -> None:
        pdf.ln(1.2)
        para(text, 9.5, bold=True, h=5)

    pdf.add_page()
    para(title, 13, bold=True, h=6.5)
    since = f"{report.since}"
    if report.since > report.requested_since:
        since += " (first walk)"
    para(
        f"Patient: {who} · Period {since} to {report.until} · "
        f"Report dated {report.generated:%Y-%m-%d %H:%M}",
        8.5,
    )
    pdf.ln(0.8)
    para(report_data_note(report), 8)
    if report.guided_tests:
        para(report.guided_tests, 8)

    heading("Walking distances per method")
    if report.methods:
        pdf.set_font("DejaVu", "", 7.5)
        with pdf.table(
            col_widths=(17, 10, 15, 15, 24, 39),
            text_align="LEFT",
            line_height=3.6,
            padding=0.8,
            headings_style=_bold_style(),
        ) as table:
            head = table.row()
            for text in (
                "Method",
                "Walks (without pain)",
                "Pain-free, median last 4 weeks",
                "Maximum, median last 4 weeks",
                "Pain-free vs 3 and 6 months before",
                "Trend of the pain-free distance, last 12 weeks",
            ):
                head.cell(text)
            for m in report.methods:
                row = table.row()
                row.cell(method_plural(m.method).capitalize())
                row.cell(f"{m.walks} ({m.without_pain})")
                current = format_distance(m.current_pf_m, unit)
                if m.current_pf_m is not None:
                    current += f" ({m.current_walks} walk{'s' if m.current_walks != 1 else ''})"
                if m.current_no_pain_m is not None:
                    lower = format_distance(m.current_no_pain_m, unit, at_least=True)
                    current += f"; longest without pain {lower}"
                row.cell(current)
                row.cell(format_distance(m.current_max_m, unit))
                row.cell(report_change_cell(m, unit))
                row.cell(report_trend_cell(m.trend))
        for m in report.methods:
            sentence = report_fontaine(m, unit)
            if sentence:
                para(sentence, 7.8, h=3.7)
    else:
        para("No walks were recorded in the period.")

    heading("Red flags reported in the period")
    if report.red_flags:
        pdf.set_fill_color(253, 232, 232)
        for f in report.red_flags[:RED_FLAGS_IN_FULL]:
            head_line, lines = report_flag_lines(f)
            pdf.set_font("DejaVu", "B", 8.2)
            pdf.multi_cell(width, 4, clean(head_line), fill=True, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 7.8)
            for line in lines:
                pdf.multi_cell(width, 3.7, clean(line), fill=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.6)
        rest = report.red_flags[RED_FLAGS_IN_FULL:]
        if rest:
            para(report_more_flags(rest), 7.8, h=3.7)
    else:
        para("None reported.")

    heading("Marked for this appointment")
    if report.to_discuss:
        for item in report.to_discuss:
            para(f"• {clean(item)}", 8.2, h=3.9)
    else:
        para("Nothing recorded for the next appointment.", 8.2)

    if report.events:
        heading("Treatment events in the period")
        shown = report.events[-EVENTS_ON_PAGE_1:]
        earlier = len(report.events) - len(shown)
        if earlier:
            para(
                f"{earlier} earlier event{'s' if earlier != 1 else ''} "
                f"({report.events[0].occurred_on} to {report.events[earlier - 1].occurred_on}) "
                "in the events CSV export.",
                7.8,
                h=3.7,
            )
        for e in shown:
            para(clean(report_event_line(e)), 7.8, h=3.6)

    heading("Exercise and smoking")
    para(report_exercise(report.exercise), 8.2, h=3.9)
    para(report_smoking(report), 8.2, h=3.9)
    if (check := calf_check_line(report)) is not None:
        para(clean(check), 8.2, h=3.9)

    if report.methods:
        pdf.ln(1.5)
        room = pdf.h - pdf.b_margin - pdf.get_y() - 1
        if room < MIN_CHART_MM:
            pdf.add_page()
            room = 100.0
        height = min(room, MAX_CHART_MM)
        pdf.image(io.BytesIO(chart_png(report, width, height)), w=width, h=height)

    for k, m in enumerate(report.methods):
        if k == 0 or pdf.get_y() > pdf.h - pdf.b_margin - 40:
            pdf.add_page()
        else:
            pdf.ln(5)
        para(f"Weekly summary: {method_plural(m.method)} (newest week first)", 11, True, 6)
        para(
            "Median and best pain-free distance are from walks that ended in pain only; "
            "“without pain” is the longest walk that ended without pain, a lower bound (≥).",
            7.8,
        )
        pdf.ln(1)
        _table(
            pdf,
            [
                "Week of",
                "Walks",
                "With pain",
                "Median pain-free",
                "Best pain-free",
                "Without pain",
                "Median maximum",
                "Cigarettes",
            ],
            [
                [
                    str(w.week_start),
                    str(w.walks),
                    str(w.with_pain),
                    format_distance(w.median_pf_m, unit),
                    format_distance(w.best_pf_m, unit),
                    format_distance(w.longest_no_pain_m, unit, at_least=True)
                    if w.longest_no_pain_m is not None
                    else "–",
                    format_distance(w.median_max_m, unit),
                    str(report.cigarettes_by_week.get(w.week_start, "–")),
                ]
                for w in reversed(m.weeks)
            ],
            [22, 12, 14, 26, 24, 24, 26, 18],
        )

    pdf.add_page()
    if report.appendix_omitted:
        para(f"Appendix: the newest {len(report.appendix)} walks", 11, bold=True, h=6)
        para(
            f"The {report.appendix_omitted} older walks of the period are left out here; the "
            "CSV export lists every walk. ≥ = ended without pain, a lower bound.",
            8.5,
            h=4.1,
        )
    else:
        para("Appendix: every walk (≥ = ended without pain, a lower bound)", 11, bold=True, h=6)
    _table(
        pdf,
        ["Date", "Time", "Pain-free", "Maximum", "Where", "Pain", "Rest", "Method", "Notes"],
        [
            [
                f"{w.walked_at:%Y-%m-%d}",
                f"{w.walked_at:%H:%M}",
                format_distance(w.pain_free_m, unit, at_least=w.no_pain),
                "no pain" if w.no_pain else format_distance(w.max_m, unit),
                pain_site(w),
                "" if w.pain is None else str(w.pain),
                "" if w.rest_min is None else f"{w.rest_min:g}",
                w.method,
                clean(w.notes[:60]),
            ]
            for w in report.appendix
        ],
        [20, 10, 20, 18, 22, 9, 9, 17, 55],
    )
    out: Any = pdf.output()
    warning = glyphs.warning()
    if warning and warnings is not None:
        warnings.append(warning)
    return bytes(out)


def calf_check_line(report: DoctorReport) -> str | None:
    """Page 1's line on the latest calf-pain check, or None when the patient never did one."""
    return None if report.calf_check is None else check_report_line(report.calf_check)


def _bold_style() -> Any:
    return FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def _table(pdf: Any, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    scale = (pdf.w - pdf.l_margin - pdf.r_margin) / sum(widths)
    widths = [w * scale for w in widths]

    def head() -> None:
        pdf.set_font("DejaVu", "B", 7.5)
        pdf.set_fill_color(230, 230, 230)
        for text, w in zip(header, widths, strict=True):
            pdf.cell(w, 5, text, border=1, fill=True)
        pdf.ln()
        pdf.set_font("DejaVu", "", 7.5)

    head()
    for row in rows:
        if pdf.get_y() > pdf.h - pdf.b_margin - 5:
            pdf.add_page()
            head()
        for text, w in zip(row, widths, strict=True):
            while text and pdf.get_string_width(text) > w - 1.5:
                text = text[:-2] + "…"
            pdf.cell(w, 4.4, text, border=1)
        pdf.ln()
