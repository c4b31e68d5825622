"""All walks, newest first: edit (enter), delete (d) with undo (u), filter by dates (f).

The table knows how many walks there are and asks for a page of 100 when it needs one to
draw, so ten years of daily walks (or 100,000) open at once and page without waiting.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Label, Static

from tracker.db.errors import StoreError
from tracker.domain import wording
from tracker.domain.units import format_distance
from tracker.domain.validation import ValidationError, parse_date
from tracker.domain.wording import count, pain_site
from tracker.terminal_text import printable
from tracker.ui.screens.base import TrackerScreen, tells_store_errors
from tracker.ui.widgets.paged_table import PagedTable, Row

if TYPE_CHECKING:
    from tracker.db.models import Walk

PAGE = 100
WalkKey = tuple[datetime, int]
COLUMNS = (
    ("Date", 10),
    ("Time", 5),
    ("Pain-free", 9),
    ("Max", 8),
    ("Where", 10),
    ("Pain", 4),
    ("Method", 10),
    ("Notes", 8),
)
"""Fixed widths (Notes takes the rest of the line): the layout does not depend on which
rows have loaded yet."""
SHORT_METHOD = {
    "walk": "walk",
    "6mwt": "6-min test",
    "6mwt-stopped": "6-min stop",
    "treadmill": "treadmill",
}


def walk_row(w: Walk, unit: str) -> Row:
    return (
        w.id or 0,
        (
            w.walked_at.strftime("%Y-%m-%d"),
            w.walked_at.strftime("%H:%M"),
            format_distance(w.pain_free_m, unit, at_least=w.no_pain),
            "no pain" if w.no_pain else format_distance(w.max_m, unit),
            pain_site(w) or "–",
            "–" if w.pain is None else str(w.pain),
            SHORT_METHOD.get(w.method, w.method),
            printable(" ".join(w.notes.split()), one_line=True),
        ),
    )


class Listing(NamedTuple):
    """What a generation of the table lists: its dates, and the unit its rows are shown in."""

    since: date | None
    until: date | None
    unit: str


class WalkTable(PagedTable):
    """The table's enter opens the walk: say so in the footer."""

    BINDINGS = [Binding("enter", "select", "Edit")]


class HistoryScreen(TrackerScreen):
    READY_ON_MOUNT = False
    HELP_TITLE = "History (h)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo delete"),
        Binding("f", "filter", "Filter dates"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "edit the walk under the cursor"),
        ("↑ ↓ PgUp PgDn Home End", "move through the walks"),
        ("Esc (in the filter)", "close the filter"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.since: date | None = None
        self.until: date | None = None
        self.undo_stack: list[int] = []
        self.listing = Listing(None, None, "m")
        self.total = 0
        self._page_keys: dict[Listing, dict[int, tuple[WalkKey, WalkKey]]] = {}
        """Per listing, each page read: the (time, id) of its first and last walk."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("History", classes="title", id="history-title")
        with Horizontal(id="filter-bar"):
            yield Label("From")
            yield Input(placeholder="YYYY-MM-DD", id="since", compact=True)
            yield Label("To")
            yield Input(placeholder="YYYY-MM-DD", id="until", compact=True)
        yield Static("", id="filter-error", classes="error")
        yield WalkTable(COLUMNS, page_size=PAGE, id="history-table")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#filter-error").display = False
        self.query_one(PagedTable).focus()

    def reload(self, *, keep_cursor: bool = True) -> None:
        """Count the walks and read the cursor's page in one go, so the rows on screen are
        replaced without a frame of "…" after an edit."""
        table = self.query_one(PagedTable)
        cursor = table.cursor_row if keep_cursor else 0
        self.load_listing(self.since, self.until, cursor // PAGE, keep_cursor)

    @work(thread=True, group="history", exclusive=True)
    def load_listing(
        self, since: date | None, until: date | None, page: int, keep_cursor: bool
    ) -> None:
        store = self.store
        if store is None:
            return
        total = store.count_walks(since, until)
        page = min(page, max(total - 1, 0) // PAGE)
        listing = Listing(since, until, store.settings().unit)
        self._page_keys = {}  # a new listing (or an edit): the keys read so far may be stale
        rows = self._read_page(listing, page, total)
        self.app.call_from_thread(self._show_listing, listing, total, page, rows, keep_cursor)

    def _read_page(self, listing: Listing, page: int, total: int | None = None) -> list[Row]:
        """One page of the listing (newest first), formatted (in a worker). Read by key from
        the nearer neighbour already read or from the nearer end of the listing, never by
        skipping rows: the End key on a million walks reads a hundred."""
        store = self.store
        if store is None:
            return []
        total = self.total if total is None else total
        keys = self._page_keys.get(listing, {})
        since, until = listing.since, listing.until
        first = page * PAGE
        size = max(min(PAGE, total - first), 0)
        if page - 1 in keys:  # the next page down: after the last row of the one above
            walks = store.walk_page(
                since, until, newest_first=True, limit=PAGE, after=keys[page - 1][1]
            )
        elif page + 1 in keys:  # the next page up: the rows newer than the one below, oldest first
            walks = store.walk_page(
                since, until, newest_first=False, limit=size, after=keys[page + 1][0]
            )[::-1]
        elif first >= total - first - size:  # nearer the oldest end
            older = total - first - size  # walks older than this page
            walks = self._from_oldest(listing, older, size)
        else:
            walks = self._from_newest(listing, first)
        if walks:
            key_first = (walks[0].walked_at, walks[0].id or 0)
            key_last = (walks[-1].walked_at, walks[-1].id or 0)
            self._page_keys.setdefault(listing, {})[page] = (key_first, key_last)
        return [walk_row(w, listing.unit) for w in walks]

    def _from_oldest(self, listing: Listing, older: int, size: int) -> list[Walk]:
        """`size` walks after the `older` oldest ones, newest first (a jump towards the end)."""
        assert self.store is not None
        if older == 0:
            rows = self.store.walk_page(
                listing.since, listing.until, newest_first=False, limit=size
            )
            return rows[::-1]
        rows = self.store.walks(listing.since, listing.until, limit=size, offset=older)
        return rows[::-1]

    def _from_newest(self, listing: Listing, first: int) -> list[Walk]:
        assert self.store is not None
        return self.store.walks(
            listing.since, listing.until, newest_first=True, limit=PAGE, offset=first
        )

    def _show_listing(
        self, listing: Listing, total: int, page: int, rows: list[Row], keep_cursor: bool
    ) -> None:
        self.listing = listing  # every page of this generation is read with it
        self.total = total
        self.query_one(PagedTable).reset(total, keep_cursor=keep_cursor, page=(page, rows))
        span = ""
        if self.since or self.until:
            span = f" from {self.since or 'the start'} to {self.until or 'today'}"
        self.query_one("#history-title", Static).update(f"History: {count(total, 'walk')}{span}")
        if total == 0:
            self.notify(wording.NO_WALKS_YET)
        self.mark_ready()

    @on(PagedTable.PageWanted)
    def _page_wanted(self, event: PagedTable.PageWanted) -> None:
        self.load_page(event.table, event.generation, event.page, self.listing)

    @work(thread=True, group="history-pages")
    def load_page(self, table: PagedTable, generation: int, page: int, listing: Listing) -> None:
        rows = self._read_page(listing, page)
        self.app.call_from_thread(table.add_page, generation, page, rows)
        self.app.call_from_thread(self.tracker.settle_memory)

    @on(PagedTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    @tells_store_errors
    def action_edit(self) -> None:
        walk_id = self.query_one(PagedTable).cursor_key
        store = self.store
        if walk_id is None or store is None:
            return
        # start-up: that screen loads when first opened
        from tracker.ui.screens.log_walk import LogWalkScreen

        self.app.push_screen(LogWalkScreen(store.get_walk(walk_id)))

    def action_delete(self) -> None:
        table = self.query_one(PagedTable)
        row = table.row(table.cursor_row) if table.total else None
        if row is None or self.store is None:
            return
        walk_id, cells = row
        self.undo_stack.append(walk_id)
        told = wording.walk_deleted(cells[0], cells[1])
        self._set_deleted(walk_id, True, told)

    def action_undo(self) -> None:
        if not self.undo_stack or self.store is None:
            self.notify(wording.NOTHING_TO_UNDO)
            return
        self._set_deleted(self.undo_stack.pop(), False, wording.WALK_RESTORED)

    @work(thread=True, group="history-write")
    def _set_deleted(self, walk_id: int, deleted: bool, told: str) -> None:
        store = self.store
        if store is None:
            return
        try:
            with self.tracker.write_lock:
                store.set_deleted(walk_id, deleted)
        except StoreError as exc:  # busy, or a file problem: nothing was changed
            self.app.call_from_thread(self._not_changed, str(exc), walk_id, deleted)
            return
        self.app.call_from_thread(self._changed, told)

    def _not_changed(self, message: str, walk_id: int, deleted: bool) -> None:
        if deleted and self.undo_stack and self.undo_stack[-1] == walk_id:
            self.undo_stack.pop()  # nothing to undo
        elif not deleted:
            self.undo_stack.append(walk_id)  # still deleted: u can try again

        self.notify(printable(message), severity="error", timeout=12, markup=False)

    def _changed(self, told: str) -> None:
        self.notify(told, timeout=8)
        self.tracker.data_changed()

    def action_filter(self) -> None:
        bar = self.query_one("#filter-bar")
        bar.add_class("visible")
        self.query_one("#since", Input).focus()

    def action_back(self) -> None:
        """Esc in the filter closes the filter; elsewhere it goes back."""
        bar = self.query_one("#filter-bar")
        if bar.has_class("visible"):
            self._close_filter()
            return
        super().action_back()

    def _close_filter(self) -> None:
        self.query_one("#filter-bar").remove_class("visible")
        self._filter_error("")
        self.query_one(PagedTable).focus()

    def _filter_error(self, text: str) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(text)
        error.display = bool(text)

    @on(Input.Submitted)
    def _apply_filter(self) -> None:
        values: list[date | None] = []
        for field, label in (("since", "From"), ("until", "To")):
            text = self.query_one(f"#{field}", Input).value.strip()
            try:
                day = self.tracker.now().date()
                values.append(parse_date(text, today=day, field=field) if text else None)
            except ValidationError as exc:
                self._filter_error(f"{label}: {exc.message}")
                self.query_one(f"#{field}", Input).focus()
                return
        if values[0] and values[1] and values[0] > values[1]:
            self._filter_error(f"From ({values[0]}) is after To ({values[1]})")
            return
        self._filter_error("")
        self.since, self.until = values
        self.query_one("#filter-bar").remove_class("visible")
        self.query_one(PagedTable).focus()
        self.reload(keep_cursor=False)
