"""All walks, newest first: edit (enter), delete (d) with undo (u), filter by dates (f).

Rows are read a page at a time, so ten years of daily walks (or 100,000) open at once and
scroll smoothly; the next page loads as the cursor nears the end.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from tracker.ui.screens.base import TrackerScreen

if TYPE_CHECKING:
    from tracker.models import Walk

PAGE = 100
COLUMNS = (
    ("Date", "date", 10),
    ("Time", "time", 5),
    ("Pain-free", "pf", 9),
    ("Max", "max", 8),
    ("Where", "where", 10),
    ("Pain", "pain", 4),
    ("Method", "method", 10),
    ("Notes", "notes", 30),
)
"""Fixed widths: the layout does not depend on which rows have loaded yet."""
SHORT_METHOD = {"walk": "walk", "6mwt": "6-min test", "treadmill": "treadmill"}
PREFETCH = 40


class HistoryScreen(TrackerScreen):
    BINDINGS = [
        Binding("escape", "app.dashboard", "Back"),
        Binding("enter", "edit", "Edit", show=True),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo delete"),
        Binding("f", "filter", "Filter dates"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unit = "m"
        self.loaded = 0
        self.exhausted = False
        self.fetching = False
        self.since: date | None = None
        self.until: date | None = None
        self.undo_stack: list[int] = []
        self.generation = 0
        self.fetching = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("History", classes="title", id="history-title")
        with Horizontal(id="filter-bar"):
            yield Label("From")
            yield Input(placeholder="YYYY-MM-DD", id="since", compact=True)
            yield Label("to")
            yield Input(placeholder="YYYY-MM-DD", id="until", compact=True)
            yield Static("", id="filter-error", classes="error")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        table.focus()
        super().on_mount()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.generation += 1
        self.loaded = 0
        self.exhausted = False
        self.fetching = False
        self.request_page()

    def request_page(self) -> None:
        """Start loading the next page unless one is on its way (checked on the UI thread)."""
        if self.fetching or self.exhausted or self.store is None:
            return
        self.fetching = True
        self.load_page(self.generation, self.loaded)

    @work(thread=True, group="history")
    def load_page(self, generation: int, offset: int) -> None:
        store = self.store
        if store is None:
            return
        unit = store.settings().unit
        rows = store.walks(self.since, self.until, newest_first=True, limit=PAGE, offset=offset)
        total = store.count_walks(self.since, self.until) if offset == 0 else None
        self.app.call_from_thread(self._add_rows, generation, unit, rows, total)

    def _add_rows(self, generation: int, unit: str, rows: list[Walk], total: int | None) -> None:
        from tracker.units import format_distance

        if generation != self.generation:
            return  # a page of an older listing (before a filter or an edit)

        self.unit = unit
        table = self.query_one(DataTable)
        for w in rows:
            where = " ".join(x for x in (w.location, w.side) if x) or "–"
            table.add_row(
                w.walked_at.strftime("%Y-%m-%d"),
                w.walked_at.strftime("%H:%M"),
                format_distance(w.pain_free_m, unit, at_least=w.no_pain),
                "no pain" if w.no_pain else format_distance(w.max_m, unit),
                where,
                "–" if w.pain is None else str(w.pain),
                SHORT_METHOD.get(w.method, w.method),
                (w.notes[:30] + "…") if len(w.notes) > 30 else w.notes,
                key=str(w.id),
            )
        self.loaded += len(rows)
        self.exhausted = len(rows) < PAGE
        self.tracker.settle_memory()
        self.fetching = False
        if total is not None:
            span = ""
            if self.since or self.until:
                span = f" from {self.since or 'the start'} to {self.until or 'today'}"
            self.query_one("#history-title", Static).update(f"History: {total} walks{span}")
            if total == 0:
                self.notify("No walks here yet. Press l to log one.")

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - PREFETCH:
            self.request_page()

    def _selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        walk_id = self._selected_id()
        store = self.store
        if walk_id is None or store is None:
            return
        from tracker.ui.screens.log_walk import LogWalkScreen

        self.app.push_screen(LogWalkScreen(store.get_walk(walk_id)))

    def action_delete(self) -> None:
        walk_id = self._selected_id()
        store = self.store
        if walk_id is None or store is None:
            return
        table = self.query_one(DataTable)
        row = table.get_row(str(walk_id))
        store.set_deleted(walk_id, True)
        self.undo_stack.append(walk_id)
        table.remove_row(str(walk_id))
        self.notify(f"Deleted the walk of {row[0]} {row[1]}. Press u to undo.", timeout=8)
        self.tracker.data_changed()

    def action_undo(self) -> None:
        store = self.store
        if not self.undo_stack or store is None:
            self.notify("Nothing to undo.")
            return
        walk_id = self.undo_stack.pop()
        store.set_deleted(walk_id, False)
        self.notify("Walk restored.")
        self.tracker.data_changed()

    def action_filter(self) -> None:
        bar = self.query_one("#filter-bar")
        bar.add_class("visible")
        self.query_one("#since", Input).focus()

    @on(Input.Submitted)
    def _apply_filter(self) -> None:
        from tracker.validation import ValidationError, parse_date

        values: list[date | None] = []
        for field in ("since", "until"):
            text = self.query_one(f"#{field}", Input).value.strip()
            try:
                day = self.tracker.now().date()
                values.append(parse_date(text, today=day, field=field) if text else None)
            except ValidationError as exc:
                self.query_one("#filter-error", Static).update(str(exc))
                return
        if values[0] and values[1] and values[0] > values[1]:
            self.query_one("#filter-error", Static).update("from is after to")
            return
        self.query_one("#filter-error", Static).update("")
        self.since, self.until = values
        self.query_one(DataTable).focus()
        self.reload()
