"""PagedTable on its own: it asks for the pages it must draw, draws "…" until they come,
ignores pages of an older listing, keeps memory bounded and moves its cursor like a table."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult

from tracker.ui.widgets import paged_table
from tracker.ui.widgets.paged_table import PagedTable, Row

PAGE = 10


def rows_of(page: int, total: int) -> list[Row]:
    first = page * PAGE
    return [(i, (f"row {i}", f"{i * 3}")) for i in range(first, min(first + PAGE, total))]


class TableApp(App[None]):
    """Serves pages at once, or holds them back until `deliver()` when `hold` is set."""

    def __init__(self, total: int, *, hold: bool = False) -> None:
        super().__init__()
        self.total = total
        self.hold = hold
        self.wanted: list[tuple[int, int]] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield PagedTable([("Name", 8), ("Value", 6)], page_size=PAGE)

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.focus()
        table.reset(self.total)

    @on(PagedTable.PageWanted)
    def _wanted(self, event: PagedTable.PageWanted) -> None:
        self.wanted.append((event.generation, event.page))
        if not self.hold:
            event.table.add_page(event.generation, event.page, rows_of(event.page, self.total))

    @on(PagedTable.RowSelected)
    def _selected(self, event: PagedTable.RowSelected) -> None:
        self.selected.append(event.key)

    def deliver(self) -> None:
        table = self.query_one(PagedTable)
        for generation, page in self.wanted:
            table.add_page(generation, page, rows_of(page, self.total))


def screen_text(app: App[None]) -> str:
    return "\n".join(
        "".join(seg.text for seg in app.query_one(PagedTable).render_line(y))
        for y in range(app.query_one(PagedTable).size.height)
    )


async def test_asks_only_for_the_pages_near_the_view() -> None:
    app = TableApp(100_000, hold=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        pages = {page for _, page in app.wanted}
        assert pages == {0, 1}  # the view (page 0) and one page of margin
        assert "…" in screen_text(app) and "row 0" not in screen_text(app)
        app.deliver()
        await pilot.pause()
        text = screen_text(app)
        assert "Name" in text.splitlines()[0]
        assert "row 0" in text and "…" not in text


async def test_cursor_keys_page_through_and_load_on_the_way() -> None:
    app = TableApp(95)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        body = table.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert table.cursor_row == body
        await pilot.press("down", "down", "up")
        assert table.cursor_row == body + 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 94
        assert table.cursor_key == 94
        assert "row 94" in screen_text(app)
        await pilot.press("down", "pagedown")
        assert table.cursor_row == 94  # stays on the last row
        await pilot.press("home", "up")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("enter")
        assert app.selected == [0]


async def test_a_click_moves_the_cursor_and_a_second_click_selects() -> None:
    app = TableApp(30)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        await pilot.click(PagedTable, offset=(2, 4))  # line 4: the header, then rows 0..
        assert table.cursor_row == 3 and app.selected == []
        await pilot.click(PagedTable, offset=(2, 4))
        assert app.selected == [3]
        await pilot.click(PagedTable, offset=(2, 0))  # the header selects nothing
        assert table.cursor_row == 3 and app.selected == [3]


async def test_pages_of_an_older_listing_are_ignored() -> None:
    app = TableApp(50, hold=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        stale = table.generation
        table.reset(50)
        table.add_page(stale, 0, [(999, ("stale", "x"))] * PAGE)
        assert table.row(0) is None
        await pilot.pause()
        app.deliver()
        await pilot.pause()
        assert table.row(0) == (0, ("row 0", "0"))


async def test_reset_keeps_the_cursor_within_the_new_count() -> None:
    app = TableApp(50)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        await pilot.press("end")
        assert table.cursor_row == 49
        table.reset(20)
        assert table.cursor_row == 19
        table.reset(0)
        assert table.cursor_row == 0 and table.cursor_key is None
        await pilot.press("enter", "down", "pagedown", "end")
        assert app.selected == [] and table.cursor_row == 0


async def test_memory_stays_bounded_when_scrolling_far() -> None:
    app = TableApp(100_000)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        for _ in range(60):
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.loaded_rows <= paged_table.MAX_PAGES * PAGE
        assert (
            table.row(table.cursor_row)
            == rows_of(table.cursor_row // PAGE, 100_000)[table.cursor_row % PAGE]
        )


async def test_long_cells_are_cut_with_an_ellipsis_and_columns_stay_aligned() -> None:
    app = TableApp(3, hold=True)
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        rows: list[Row] = [(0, ("a" * 20, "1")), (1, ("≥ ü", "2")), (2, ("", ""))]
        table.add_page(table.generation, 0, rows)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert "a" * 7 + "…" in lines[1]
        header_value = lines[0].index("Value")
        assert lines[1].index("1") == header_value and lines[2].index("2") == header_value


async def test_scrolling_without_the_cursor_fills_the_view() -> None:
    app = TableApp(100_000)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        table.scroll_to(y=54_321, animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert "Name" in lines[0]
        assert lines[1].split()[-1] == str(54_321 * 3)
        body = [line.split() for line in lines[1:] if line.strip()]
        assert body and all(len(cells) == 3 and cells[-1].isdigit() for cells in body)
        assert table.cursor_row == 0  # the wheel scrolls the view, not the cursor


async def test_a_reset_with_its_first_page_asks_for_no_page_it_holds() -> None:
    app = TableApp(50, hold=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        app.wanted.clear()
        generation = table.reset(50, page=(0, rows_of(0, 50)))
        await pilot.pause()
        assert (generation, 0) not in app.wanted
        assert (generation, 1) in app.wanted  # the margin below the view
        assert "row 0" in screen_text(app)
