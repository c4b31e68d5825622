"""The doctor report as PDF (fpdf2), readable in one minute; chart drawn with matplotlib.

Page 1 holds everything a vascular doctor needs; then weekly summaries and every walk.
Text is real text (DejaVu Sans, shipped with matplotlib, so umlauts and ≥ print).
"""

from __future__ import annotations

import io
from importlib.resources import files
from typing import Any

from tracker.report import DoctorReport
from tracker.units import format_distance
from tracker.wording import pain_site, status_label, trend_figures, trend_lines

FONT_DIR = files("matplotlib") / "mpl-data" / "fonts" / "ttf"


def chart_png(report: DoctorReport, width_mm: float) -> bytes:
    """Pain-free and maximum distance (daily points, weekly median, 200 m line), smoking below."""
    import matplotlib

    matplotlib.use("Agg")
    from datetime import timedelta

    import matplotlib.pyplot as plt
    from matplotlib import dates as mdates

    from tracker.units import to_unit

    data = report.chart
    unit = report.unit

    def u(v: float) -> float:
        return to_unit(v, unit)

    has_smoke = bool(data.cigarettes)
    fig, axes = plt.subplots(
        2 if has_smoke else 1,
        1,
        figsize=(width_mm / 25.4, 3.3 if has_smoke else 2.7),
        sharex=True,
        gridspec_kw={"height_ratios": [3, 1]} if has_smoke else None,
        squeeze=False,
    )
    ax = axes[0][0]
    for week_end in data.decline_weeks:
        ax.axvspan(
            week_end - timedelta(days=6),
            week_end + timedelta(days=1),
            color="#f4c7c3",
            lw=0,
            label="_decline",
        )
    for series, style in (
        (data.maximum, {"s": 8, "marker": "+", "color": "#e67e22", "label": "maximum"}),
        (data.pain_free, {"s": 7, "color": "#1f77b4", "label": "pain-free"}),
        (
            data.no_pain,
            {
                "s": 12,
                "marker": "^",
                "facecolors": "none",
                "edgecolors": "#2ca02c",
                "label": "no pain (at least)",
            },
        ),
    ):
        if series:
            ax.scatter([d for d, _ in series], [u(v) for _, v in series], **style)
    if len(data.weekly_median) > 1:
        ax.plot(
            [d for d, _ in data.weekly_median],
            [u(v) for _, v in data.weekly_median],
            color="#1f77b4",
            lw=1.6,
            label="weekly median pain-free",
        )
    ax.axhline(u(data.marker), color="#c0392b", ls="--", lw=1, label="200 m")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, loc="upper left", ncol=3, frameon=False)
    ax.tick_params(labelsize=7)
    if has_smoke:
        sx = axes[1][0]
        sx.bar(
            [d for d, _ in data.cigarettes],
            [n for _, n in data.cigarettes],
            width=1.0,
            color="#8e44ad",
        )
        sx.set_ylabel("cig/day", fontsize=7)
        sx.tick_params(labelsize=7)
        sx.grid(alpha=0.3)
    last = axes[-1][0]
    last.set_xlim(data.start, data.end + timedelta(days=1))
    last.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %y"))  # type: ignore[no-untyped-call]
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=160)
    plt.close(fig)
    return buf.getvalue()


def report_pdf(report: DoctorReport) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4" if report.paper == "A4" else "Letter")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Walking diary report")
    pdf.set_creator("tracker")
    width = pdf.w - pdf.l_margin - pdf.r_margin
    unit = report.unit

    def dist(m: float | None, at_least: bool = False) -> str:
        return format_distance(m, unit, at_least=at_least)

    def para(text: str, size: float = 9, bold: bool = False, h: float = 4.4) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(width, h, text, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    para("Walking diary – report for the vascular consultation", 14, bold=True, h=7)
    who = " · ".join(
        x for x in (report.patient_name, report.patient_id and f"ID {report.patient_id}") if x
    )
    para(
        f"{who + ' · ' if who else ''}Period {report.since} to {report.until} · "
        f"generated {report.generated:%Y-%m-%d %H:%M} · self-recorded data",
        8,
    )
    pdf.ln(1)

    if report.red_flags:
        pdf.set_fill_color(253, 226, 226)
        pdf.set_draw_color(192, 57, 43)
        para("Symptoms reported in this period (advice shown to the patient):", 9.5, bold=True)
        for f in report.red_flags:
            pdf.set_font("DejaVu", "B", 8.5)
            line = f"{f.day}: {f.description} – {f.tier_label}"
            if f.notes:
                line += f" (note: {f.notes})"
            pdf.multi_cell(width, 4.2, line, border="LTR", fill=True, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 8)
            pdf.multi_cell(
                width, 4, f.advice, border="LBR", fill=True, new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(1.5)

    pdf.image(io.BytesIO(chart_png(report, width)), w=width)
    pdf.ln(1)

    t = report.trend
    para(f"Pain-free walking distance trend: {status_label(t.status)}", 10.5, bold=True, h=5.5)
    for line in trend_lines(t, unit, for_patient=False):
        para(line, 8.5, h=4.1)
    for line in trend_figures(t, unit):
        para(line, 8.5, h=4.1)
    pdf.ln(1)
    share = report.no_pain_count / report.walk_count if report.walk_count else 0.0
    para(
        f"{report.walk_count} walks in the period; {report.no_pain_count} ({share:.0%}) ended "
        "without pain (their distance is a lower bound). " + report.method_note,
        8.5,
        h=4.1,
    )
    smoking = f"Smoking: {report.smoking_status or 'not recorded'}"
    if report.smoking_since:
        smoking += f" since {report.smoking_since}"
    if report.quit:
        smoking += f"; quit {report.quit}"
    if report.pack_years is not None:
        smoking += f"; {report.pack_years:.1f} pack-years"
    if t.cigarettes_per_day_window is not None or t.cigarettes_per_day_before is not None:

        def fmt(v: float | None) -> str:
            return "–" if v is None else f"{v:.1f}"

        smoking += (
            f"; cigarettes per logged day {fmt(t.cigarettes_per_day_window)} (last 12 weeks) vs "
            f"{fmt(t.cigarettes_per_day_before)} (12 weeks before)"
        )
    para(smoking + ".", 8.5, h=4.1)

    pdf.add_page()
    para("Weekly summary", 11, bold=True, h=6)
    _table(
        pdf,
        ["Week of", "Walks", "Median pain-free", "Best pain-free", "Median maximum", "Cigarettes"],
        [
            [
                str(w.week_start),
                str(w.walks),
                dist(w.median_pf_m),
                dist(w.best_pf_m),
                dist(w.median_max_m),
                "–" if w.cigarettes is None else str(w.cigarettes),
            ]
            for w in reversed(report.weeks)
        ],
        [24, 14, 34, 30, 32, 24],
    )
    pdf.ln(3)
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
                dist(w.pain_free_m, w.no_pain),
                "no pain" if w.no_pain else dist(w.max_m),
                pain_site(w),
                "" if w.pain is None else str(w.pain),
                "" if w.rest_min is None else f"{w.rest_min:g}",
                w.method,
                w.notes[:60],
            ]
            for w in report.appendix
        ],
        [20, 10, 20, 18, 22, 9, 9, 17, 55],
    )
    out: Any = pdf.output()
    return bytes(out)


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
