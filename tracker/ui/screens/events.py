"""Treatment events (v): procedures, medicines, exercise programmes, newest first.

`a` adds, Enter edits, `d` deletes (`u` undoes). A diary holds a few dozen events, so a plain
DataTable shows them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from tracker.db.errors import StoreError
from tracker.terminal_text import printable
from tracker.ui.screens.base import TrackerScreen

if TYPE_CHECKING:
    from tracker.db.models import TreatmentEvent

COLUMNS = (("Date", 10), ("Event", 16), ("What", 46))


class EventTable(DataTable["str | Text"]):
    """The table's enter opens the event: say so in the footer."""

    BINDINGS = [Binding("enter", "select_cursor", "Edit")]


class EventsScreen(TrackerScreen):
    READY_ON_MOUNT = False
    """Enter and d act on the row under the cursor: keys wait until the rows are shown."""
    HELP_TITLE = "Treatment events (v)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "add", "Add"),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo delete"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "edit the event under the cursor"),
        ("↑ ↓", "move through the events"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.undo_stack: list[int] = []
        self.rows: dict[int, TreatmentEvent] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Treatment events", classes="title", id="events-title")
        table = EventTable(id="events-table", cursor_type="row", zebra_stripes=True)
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label.lower())
        yield table
        yield Static("", id="events-empty", classes="help-line")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(EventTable).focus()

    @work(thread=True, exclusive=True, group="events")
    def reload(self) -> None:
        store = self.store
        if store is None:
            return
        rows = list(reversed(store.events()))
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[TreatmentEvent]) -> None:
        from tracker.domain.clinical import EVENT_KIND_LABELS
        from tracker.domain.wording import event_summary

        table = self.query_one(EventTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = {e.id: e for e in rows if e.id is not None}
        for e in rows:
            table.add_row(
                e.occurred_on.isoformat(),
                EVENT_KIND_LABELS.get(e.kind, e.kind),
                Text(printable(event_summary(e), one_line=True), no_wrap=True, overflow="ellipsis"),
                key=str(e.id),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self.query_one("#events-title", Static).update(
            f"Treatment events: {len(rows)}" if rows else "Treatment events"
        )
        empty = self.query_one("#events-empty", Static)
        empty.display = not rows
        empty.update(
            "No events yet. Press a to record a procedure, a medicine started or stopped, "
            "or an exercise programme: the walks are read against them."
        )
        self.mark_ready()

    def _cursor_event(self) -> TreatmentEvent | None:
        table = self.query_one(EventTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(int(key)) if key is not None else None

    def action_add(self) -> None:
        from tracker.ui.screens.event_form import EventFormScreen

        if self.store is not None:
            self.app.push_screen(EventFormScreen())

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        from tracker.ui.screens.event_form import EventFormScreen

        event = self._cursor_event()
        if event is not None:
            self.app.push_screen(EventFormScreen(event))

    def action_delete(self) -> None:
        from tracker.domain.wording import describe_event

        event = self._cursor_event()
        if event is None or event.id is None or self.store is None:
            return
        self.undo_stack.append(event.id)
        told = printable(f"Deleted {describe_event(event)}. Press u to undo.", one_line=True)
        self._set_deleted(event.id, True, told)

    def action_undo(self) -> None:
        if not self.undo_stack or self.store is None:
            self.notify("Nothing to undo.")
            return
        self._set_deleted(self.undo_stack.pop(), False, "Event restored.")

    @work(thread=True, group="events-write")
    def _set_deleted(self, event_id: int, deleted: bool, told: str) -> None:
        store = self.store
        if store is None:
            return
        try:
            with self.tracker.write_lock:
                store.set_event_deleted(event_id, deleted)
        except StoreError as exc:  # busy, or a file problem: nothing was changed
            self.app.call_from_thread(self._not_changed, str(exc), event_id, deleted)
            return
        self.app.call_from_thread(self._changed, told)

    def _not_changed(self, message: str, event_id: int, deleted: bool) -> None:
        if deleted and self.undo_stack and self.undo_stack[-1] == event_id:
            self.undo_stack.pop()  # nothing to undo
        elif not deleted:
            self.undo_stack.append(event_id)  # still deleted: u can try again
        self.notify(printable(message), severity="error", timeout=12, markup=False)

    def _changed(self, told: str) -> None:
        self.notify(told, timeout=8, markup=False)
        self.tracker.data_changed()
