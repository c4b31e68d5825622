"""What the terminal chart shows, counted on plotext's own canvas: every walk in the range is a
visible point (lines never cover one), the axes read in the preferred unit, the maximum can be
hidden, a method without walks says so, and the cigarette strip tells 2 from 20."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tracker.db.opening import open_store
from tracker.domain.chart_data import ChartData
from tracker.domain.walks import WalkInput
from tracker.ui.widgets.trend_chart import BLOCKS, MARKER_CHAR, POINT_SERIES, TrendChart, cell

from ..conftest import FIXED_NOW
from .conftest import make_app, settle

POINT_MARKERS = {marker for _, marker, _ in POINT_SERIES}


def issue_diary(db: Path, *, unit: str = "m") -> None:
    """The diary of the report that started this: three months at about 230 m, then a fall
    to about 140 m over the last three weeks; a walk every 2-3 days, a few without pain."""
    store = open_store(db)
    end = FIXED_NOW.date() - timedelta(days=1)
    rows = []
    for k in range(39):
        day = end - timedelta(days=round((38 - k) * 2.35))
        back = (end - day).days
        level = 230.0 if back > 21 else 230 - 90 * (21 - back) / 21
        pf = round(level * math.exp(0.1 * math.sin(k * 1.7)), 1)
        rows.append(
            WalkInput(
                datetime.combine(day, datetime.min.time()).replace(hour=10),
                pf,
                round(pf * 1.6, 1),
                None,
                False,
                "calf",
                "left",
                5,
                3.0,
                "walk",
                "",
                "typed",
            )
        )
    for k in range(4):  # walks that ended without pain: lower bounds
        day = end - timedelta(days=10 + 17 * k)
        rows.append(
            WalkInput(
                datetime.combine(day, datetime.min.time()).replace(hour=17),
                320.0 + 10 * k,
                None,
                None,
                True,
                None,
                None,
                None,
                None,
                "walk",
                "",
                "typed",
            )
        )
    store.add_walks(rows)
    for d in range(40):
        store.set_cigarettes(end - timedelta(days=d), 2 if d < 20 else 20)
    store.add_smoking_status("current", date(1990, 1, 1), cigarettes_per_day=20)
    store.add_smoking_status("former", end - timedelta(days=12))
    store.update_settings(unit=unit)
    store.close()


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    path = tmp_path / "issue.db"
    issue_diary(path)
    return path


def canvas_cells(chart: TrendChart, data: ChartData, name: str) -> tuple[int, set[tuple[int, int]]]:
    """(walks of the series, the canvas cells plotext puts them in), by plotext's own mapping."""
    plot = chart.query_one("#trend-chart", PlotextPlot)
    matrix = plot.plt.monitor.matrix
    cols, rows = matrix.Cols_canvas, matrix.Rows_canvas
    assert chart.y is not None
    span = max((data.end - data.start).days, 1)
    series = getattr(data, name)
    cells = {
        (
            cols.start + cell(float((d - data.start).days), 0, span, len(cols)),
            rows.start + cell(v, chart.y.low, chart.y.high, len(rows)),
        )
        for d, v in series
    }
    return len(series), cells


def shown(chart: TrendChart, col: int, row: int) -> str:
    return str(chart.query_one("#trend-chart", PlotextPlot).plt.monitor.matrix.marker[row][col])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_walk_in_the_range_is_a_visible_point(
    diary: Path, size: tuple[int, int]
) -> None:
    app = make_app(diary)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        data = chart.data
        assert data is not None and data.bucket_days == 1
        later: set[tuple[int, int]] = set()  # cells of series drawn after this one
        counts = {}
        for name, marker, _ in reversed(POINT_SERIES):
            walks, cells = canvas_cells(chart, data, name)
            own = cells - later
            visible = {c for c in own if shown(chart, *c) == marker}
            # no line, marker or label covers a walk: every cell holds its point marker
            assert visible == own, (name, size)
            assert all(shown(chart, *c) in POINT_MARKERS for c in cells)
            counts[name] = (walks, len(cells), len(visible))
            later |= cells
        # every walk of the range is in the chart's data, and (one walk every 2-3 days) each
        # has a cell of its own at both sizes
        assert counts["pain_free"] == (39, 39, 39)
        assert counts["no_pain"][0] == counts["no_pain"][1] == 4
        assert counts["maximum"][0] == counts["maximum"][1] == 39
        print(size, counts)


async def test_a_walk_on_the_marker_row_is_still_drawn(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    store = open_store(db)
    end = FIXED_NOW.date()
    store.add_walks(
        [
            WalkInput(
                datetime.combine(end - timedelta(days=3 * k), datetime.min.time()),
                200.0 + (k % 2),
                None,
                None,
                False,
                None,
                None,
                None,
                None,
                "walk",
                "",
                "typed",
            )
            for k in range(20)
        ]
    )
    store.close()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        assert chart.data is not None
        _, cells = canvas_cells(chart, chart.data, "pain_free")
        assert len(cells) == 20
        assert all(shown(chart, *c) == "●" for c in cells)
        row = next(iter(cells))[1]  # the marker's row: dotted wherever no walk is
        line = chart.query_one("#trend-chart", PlotextPlot).plt.monitor.matrix.marker[row]
        assert line.count(MARKER_CHAR) > 20


@pytest.mark.parametrize(
    ("unit", "label", "steps"),
    [
        ("m", "200 m", (50, 100, 200)),
        ("km", "0.2 km", (0.05, 0.1, 0.2)),
        ("yd", "219 yd", (50, 100, 200)),
        ("mi", "0.12 mi", (0.05, 0.1)),
    ],
)
async def test_axis_in_the_preferred_unit_with_the_marker_at_its_value(
    tmp_path: Path, unit: str, label: str, steps: tuple[float, ...]
) -> None:
    db = tmp_path / f"{unit}.db"
    issue_diary(db, unit=unit)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        data, y = chart.data, chart.y
        assert data is not None and y is not None and data.unit == unit
        assert y.step in steps
        for tick in y.ticks:  # round ticks, each on a whole row
            assert abs(tick / y.step - round(tick / y.step)) < 1e-6
        values = [v for _, v in (*data.pain_free, *data.maximum, *data.no_pain)]
        assert y.low <= min(values) and max(values) <= y.high
        assert y.low > 0  # spans the data, not always from 0
        assert y.high - max(values) < 2 * y.step and min(values) - y.low < y.step
        plot = chart.query_one("#trend-chart", PlotextPlot)
        matrix = plot.plt.monitor.matrix
        rows = matrix.Rows_canvas
        marker_row = rows.start + cell(data.marker, y.low, y.high, len(rows))
        text = "".join(matrix.marker[marker_row])
        assert text.strip().startswith(label) and MARKER_CHAR in text
        assert f"distance, {unit}" in "".join(matrix.marker[rows.stop + 1])  # the title
        for tick, tick_label in zip(y.ticks, y.labels, strict=True):
            row = rows.start + cell(tick, y.low, y.high, len(rows))
            if row != marker_row:
                assert "".join(matrix.marker[row]).strip().startswith(tick_label)


async def test_maximum_on_and_off_with_one_key(diary: Path) -> None:
    app = make_app(diary)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        legend = app.screen.query_one("#legend", Static)

        def canvas() -> str:
            m = chart.query_one("#trend-chart", PlotextPlot).plt.monitor.matrix
            return "".join("".join(r) for r in m.marker)

        assert "+" in canvas() and "maximum: on" in str(legend.render())
        high_with_max = chart.y.high if chart.y else 0
        await pilot.press("x")
        await settle(pilot)
        assert "+" not in canvas() and "maximum: off" in str(legend.render())
        assert "▲" in canvas()  # walks without pain stay, as lower bounds
        assert chart.y is not None and chart.y.high < high_with_max  # more room for the rest
        await pilot.press("x")
        await settle(pilot)
        assert "+" in canvas()


async def test_labels_and_a_method_without_walks(diary: Path) -> None:
    app = make_app(diary)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        legend = str(app.screen.query_one("#legend", Static).render())
        assert "[1] 4 weeks  [2] 3 months  [3] 1 year  [4] all" in legend
        await pilot.press("m")  # everyday walks -> 6-minute walk tests -> treadmill
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        note = chart.query_one("#chart-empty", Static)
        assert note.display and "No treadmill walks yet" in str(note.render())
        assert not chart.query_one("#trend-chart").display


def test_long_ranges_name_months_with_years() -> None:
    from tracker.domain.chart_data import x_ticks

    long = x_ticks(date(2016, 11, 25), date(2026, 11, 24), 8)
    assert 2 <= len(long) <= 8 and all(len(t.split()) == 2 for _, t in long)
    assert long[0][1].split()[1].isdigit() and long[0][0].day == 1
    year = x_ticks(date(2025, 11, 25), date(2026, 11, 24), 6)
    assert [t for _, t in year][:2] == ["Jan 2026", "Mar 2026"]
    short = x_ticks(date(2026, 10, 28), date(2026, 11, 24), 6)
    assert [t for _, t in short] == ["2 Nov", "9 Nov", "16 Nov", "23 Nov"]


async def test_cigarette_strip_tells_2_from_20_and_marks_quitting(diary: Path) -> None:
    app = make_app(diary)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        data = chart.data
        assert data is not None
        strip = chart.query_one("#smoke-strip", PlotextPlot)
        matrix = strip.plt.monitor.matrix
        cols = matrix.Cols_canvas
        span = (data.end - data.start).days
        bottom, middle, top = (matrix.marker[r] for r in range(3))
        by_day = dict(data.cigarettes)
        twenty = [d for d, n in by_day.items() if n == 20]
        two = [d for d, n in by_day.items() if n == 2]
        for day, expect_bottom, expect_middle in ((twenty[3], "█", "█"), (two[3], BLOCKS[2], " ")):
            col = cols.start + cell(float((day - data.start).days), 0, span, len(cols))
            assert (bottom[col], middle[col]) == (expect_bottom, expect_middle)
        assert "".join(middle[: cols.start]).strip().startswith("20")  # the scale's top
        quit_day = data.status_changes[0][0]
        col = cols.start + cell(float((quit_day - data.start).days), 0, span, len(cols))
        assert top[col] == "▼" and "former" in "".join(top[col:])


def add_events(db: Path) -> dict[str, date]:
    """A procedure, a medicine and a programme started two days apart (their labels share the
    top row only if they fit), a hospital stay; one event deleted, one before the range."""
    from tracker.domain.events import EventInput

    end = FIXED_NOW.date()
    days = {
        "angioplasty": end - timedelta(days=50),
        "cilostazol": end - timedelta(days=30),
        "programme": end - timedelta(days=28),
        "hospital": end - timedelta(days=12),
    }
    store = open_store(db)
    store.add_event(EventInput("procedure", days["angioplasty"], procedure_type="angioplasty"))
    store.add_event(
        EventInput("medication-start", days["cilostazol"], category="cilostazol", name="Pletal")
    )
    store.add_event(EventInput("programme-start", days["programme"]))
    store.add_event(EventInput("other", days["hospital"], description="hospital stay"))
    gone = store.add_event(
        EventInput("medication-start", end - timedelta(days=5), category="statin")
    )
    assert gone.id is not None
    store.set_event_deleted(gone.id, True)
    store.add_event(EventInput("procedure", end - timedelta(days=400), procedure_type="bypass"))
    store.close()
    return days


async def test_treatment_events_are_lines_with_a_label_at_80x24(diary: Path) -> None:
    days = add_events(diary)
    app = make_app(diary)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        chart = app.screen.query_one(TrendChart)
        data = chart.data
        assert data is not None and chart.y is not None
        assert [m.label for m in data.events] == [
            "angioplasty",
            "cilostazol",
            "programme",
            "hospital",
        ]
        plot = chart.query_one("#trend-chart", PlotextPlot)
        matrix = plot.plt.monitor.matrix
        cols, rows = matrix.Cols_canvas, matrix.Rows_canvas
        span = max((data.end - data.start).days, 1)
        lines = {}
        for name, day in days.items():
            col = cols.start + cell(float((day - data.start).days), 0, span, len(cols))
            lines[name] = "".join(str(matrix.marker[r][col]) for r in rows)
        # one line per event, the procedure's heavy: most of its column is the line
        assert lines["angioplasty"].count("┃") >= len(rows) // 2
        for name in ("cilostazol", "programme", "hospital"):
            assert lines[name].count("│") >= len(rows) // 2, name
        text = ["".join(str(c) for c in matrix.marker[r]) for r in rows]
        drawn = {
            t
            for t in ("angioplasty", "cilostazol", "programme", "hospital")
            if any(t in row for row in text)
        }
        assert drawn == set(chart.event_labels)
        # two days apart: the second label goes to the next row rather than over the first
        assert {"angioplasty", "cilostazol", "programme", "hospital"} == drawn
        assert "statin" not in "".join(text) and "bypass" not in "".join(text)
        heavy = sum(row.count("┃") for row in text)
        assert heavy == lines["angioplasty"].count("┃")  # only the procedure is drawn heavy
        # still every walk visible: lines go under the points
        later: set[tuple[int, int]] = set()
        for name, marker, _ in reversed(POINT_SERIES):
            _, cells = canvas_cells(chart, data, name)
            own = cells - later
            assert all(shown(chart, *c) == marker for c in own), name
            later |= cells
