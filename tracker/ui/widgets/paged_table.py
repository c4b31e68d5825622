"""A table over many rows that holds only the pages near the view and draws lines on demand.

Textual's DataTable keeps every added row and re-measures and re-lays-out the table whenever a
page is added: on 100,000 walks that stalled page-down by up to 200 ms. This widget knows only
how many rows exist; it asks its owner for a page (a message) when a line it has to draw is not
loaded, draws "…" meanwhile, and forgets pages far from the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Row = tuple[int, tuple[str, ...]]
"""A row's key (the walk id) and its cells, already formatted."""

MAX_PAGES = 30
"""Pages kept in memory; the ones farthest from the cursor go first."""
MARGIN_PAGES = 1
"""Pages fetched ahead of and behind the view, so paging rarely shows "…"."""


class PagedTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    DEFAULT_CSS = """
    PagedTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .paged-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: bold reverse;
            }
        }
        & > .paged-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .paged-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .paged-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .paged-table--loading {
            color: $text-muted;
        }
    }
    """
    COMPONENT_CLASSES = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--even-row",
        "paged-table--loading",
    }

    cursor_row: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class PageWanted(Message):
        """Load rows [page * page_size, …) and hand them to `add_page` with this generation."""

        table: PagedTable
        generation: int
        page: int

    @dataclass
    class RowSelected(Message):
        table: PagedTable
        index: int
        key: int

    def __init__(
        self, columns: Sequence[tuple[str, int]], *, page_size: int = 100, id: str | None = None
    ) -> None:
        """`columns`: (label, width) pairs; the last column's width is a minimum: it takes the
        width left over."""
        super().__init__(id=id)
        self.columns = list(columns)
        self.page_size = page_size
        self.total = 0
        self.generation = 0
        self._pages: dict[int, list[Row]] = {}
        self._pending: set[int] = set()
        self._widths = [w for _, w in self.columns]

    # --- data -------------------------------------------------------------------------
    def reset(
        self, total: int, *, keep_cursor: bool = True, page: tuple[int, list[Row]] | None = None
    ) -> int:
        """Forget every page (the rows changed), keeping `page` (number, rows) if given, read
        with the count so the view refills at once; returns the generation pages must carry."""
        self.generation += 1
        self.total = total
        self._pages.clear()
        self._pending.clear()
        if page is not None:
            self._pages[page[0]] = page[1]
        self.virtual_size = Size(self._fit_columns(), total + 1)
        row = min(self.cursor_row, max(total - 1, 0)) if keep_cursor else 0
        self.cursor_row = row
        self.refresh()
        return self.generation

    def add_page(self, generation: int, page: int, rows: list[Row]) -> None:
        if generation != self.generation:
            return  # a page of an older listing
        self._pending.discard(page)
        self._pages[page] = rows
        self._forget_far_pages()
        self.refresh()

    def row(self, index: int) -> Row | None:
        """The row at `index` if its page is loaded."""
        page = self._pages.get(index // self.page_size)
        offset = index % self.page_size
        if page is None or offset >= len(page):
            return None
        return page[offset]

    @property
    def cursor_key(self) -> int | None:
        found = self.row(self.cursor_row) if self.total else None
        return found[0] if found else None

    @property
    def loaded_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    def _want_visible(self) -> None:
        """Ask for the pages of the view and a margin around it that are not here yet."""
        if not self.total or not self.is_mounted:
            return
        top = int(self.scroll_y)
        first = max(top // self.page_size - MARGIN_PAGES, 0)
        last = min((top + self._body_height()) // self.page_size + MARGIN_PAGES, self._last_page())
        for page in range(first, last + 1):
            if page not in self._pages and page not in self._pending:
                self._pending.add(page)
                self.post_message(self.PageWanted(self, self.generation, page))

    def _forget_far_pages(self) -> None:
        here = self.cursor_row // self.page_size
        while len(self._pages) > MAX_PAGES:
            del self._pages[max(self._pages, key=lambda p: abs(p - here))]

    def _last_page(self) -> int:
        return max(self.total - 1, 0) // self.page_size

    # --- cursor -----------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.total - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        body = self._body_height()
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + body:
            self.scroll_to(y=new - body + 1, animate=False, immediate=True)
        self._want_visible()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_visible()

    def on_resize(self) -> None:
        self.virtual_size = Size(self._fit_columns(), self.total + 1)
        self._want_visible()

    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_cursor(self, step: int) -> None:
        self.cursor_row += step

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * self._body_height()

    def action_jump(self, where: int) -> None:
        self.cursor_row = self.total - 1 if where < 0 else 0

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = int(self.scroll_y) + offset.y - 1
        if index >= self.total:
            return
        if index == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = index

    # --- drawing ----------------------------------------------------------------------
    def _fit_columns(self) -> int:
        """Widen the last column to the space left beside a vertical scrollbar (reserved even
        when absent, so the width never feeds back into the scrollbars); returns the width of a
        whole line."""
        fixed = sum(w + 1 for w in self._widths[:-1])
        room = self.size.width - self.styles.scrollbar_size_vertical - fixed - 2
        self._widths[-1] = max(self.columns[-1][1], room)
        return fixed + self._widths[-1] + 2

    def _cells(self, cells: Sequence[str], style: Style) -> list[Segment]:
        """One segment per cell, a space before each and one at the end of the line."""
        segments = []
        for text, width in zip(cells, self._widths, strict=False):
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            segments.append(Segment(" " + set_cell_size(text, width), style))
        segments.append(Segment(" ", style))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x = int(self.scroll_x)
        if y == 0:
            style = self.rich_style + self.get_component_rich_style("paged-table--header")
            segments = self._cells([label for label, _ in self.columns], style)
        else:
            index = int(self.scroll_y) + y - 1
            if index >= self.total:
                return Strip.blank(width, self.rich_style)
            found = self.row(index)
            style = self.rich_style
            if index % 2:
                style += self.get_component_rich_style("paged-table--even-row")
            if index == self.cursor_row:
                style += self.get_component_rich_style("paged-table--cursor")
            if found is None:
                loading = style + self.get_component_rich_style("paged-table--loading")
                segments = self._cells(["…"], loading)
                self._want_visible()
            else:
                segments = self._cells(found[1], style)
        strip = Strip(segments)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, style)
