"""Imported walks waiting for their pain-free distance (p): the device recorded the walk but no
lap was pressed, so the user types the pain-free distance here (or discards the draft).

Typical use: p, type 180, Enter. ↑/↓ choose another draft; the maximum defaults to the whole
walk; ctrl+d discards (after asking). A draft is never counted as a walk until completed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from tracker.ui.screens.base import TrackerScreen, tells_store_errors
from tracker.ui.widgets.form_fields import FormCheckbox
from tracker.ui.widgets.form_row import FormRow

if TYPE_CHECKING:
    from tracker.db.models import DeviceDraft, Walk
    from tracker.domain.walks import WalkInput

COLUMNS = (("Started", 16), ("Distance", 9), ("Minutes", 7), ("Recorded by", 36))


class DraftsScreen(TrackerScreen):
    HELP_TITLE = "Imported walks to complete (p)"
    BINDINGS = [
        Binding("escape", "app.dashboard", "Back"),
        Binding("ctrl+s", "save", "Save"),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("ctrl+d", "discard", "Discard", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[DeviceDraft] = []
        self.unit = "m"

    @property
    def holds_unsaved_input(self) -> bool:
        return any(self.query_one(f"#{f}", Input).value.strip() for f in ("pain_free", "max"))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Imported walks to complete", classes="title", id="drafts-title")
        table: DataTable[str | Text] = DataTable(
            id="drafts-table", cursor_type="row", zebra_stripes=True
        )
        table.can_focus = False
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label.lower())
        yield table
        yield Static("", id="draft-detail", classes="help-line")
        with VerticalScroll(classes="form", id="draft-form"):
            yield from self._row("pain_free", "Pain-free", Input(id="pain_free", compact=True))
            yield from self._row(
                "max", "Maximum", Input(id="max", compact=True, placeholder="whole walk")
            )
            yield from self._row(
                "no_pain", "No pain came", FormCheckbox("", id="no_pain", compact=True)
            )
        yield Static(
            "Enter saves · ↑/↓ another walk · ctrl+d discards · press lap when the pain starts "
            "and the watch fills this in",
            classes="help-line",
            id="drafts-help",
        )
        yield Footer(show_command_palette=False)

    def _row(self, field: str, label: str, widget: Any) -> ComposeResult:
        yield FormRow(label, widget, error=field, label_id=f"label-{field}")

    def on_mount(self) -> None:
        self.query_one("#pain_free", Input).focus()
        super().on_mount()

    def on_key(self, event: events.Key) -> None:
        """Keys a terminal delivers in one burst right after `p` reach the screen before the
        field has focus: they belong to the pain-free field (no typed digit is lost)."""
        field = self.query_one("#pain_free", Input)
        if self.focused is not field:
            return
        if event.is_printable and event.character:
            event.stop()
            field.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            event.stop()
            self.action_save()
        elif event.key == "tab":
            event.stop()
            self.focus_next()

    def reload(self) -> None:
        """A handful of rows: read at once, so keys typed right after opening find them."""
        store = self.store
        if store is None:
            return
        self.unit = store.settings().unit
        self._show(store.drafts())

    def _show(self, rows: list[DeviceDraft]) -> None:
        from tracker.domain.units import format_distance

        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = rows
        for d in rows:
            table.add_row(
                f"{d.started_at:%Y-%m-%d %H:%M}",
                format_distance(d.distance_m, self.unit) if d.distance_m is not None else "-",
                f"{d.duration_min:g}" if d.duration_min is not None else "-",
                Text(d.device, no_wrap=True, overflow="ellipsis"),
                key=str(d.id),
            )
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))
        for field, text in (("pain_free", "Pain-free"), ("max", "Maximum")):
            self.query_one(f"#label-{field}", Label).update(f"{text} ({self.unit})")
        self.query_one("#drafts-title", Static).update(
            f"Imported walks to complete: {len(rows)}"
            if rows
            else "No imported walks are waiting for a pain-free distance"
        )
        self.query_one("#draft-form").display = bool(rows)
        self._detail()

    def _detail(self) -> None:
        d = self.current
        text = ""
        if d is not None:
            text = (f"From {d.file_name}: " if d.file_name else "") + d.notes
        elif not self.rows:
            text = (
                "Walks imported from a watch or phone without a lap press wait here. Import "
                "with: tracker import FILE"
            )
        self.query_one("#draft-detail", Static).update(Text(text))

    @property
    def current(self) -> DeviceDraft | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if self.rows:
            table.move_cursor(row=(table.cursor_row + step) % len(self.rows))
            self._detail()

    @tells_store_errors
    @on(Input.Submitted)
    def action_save(self) -> None:
        from tracker.domain.validation import ValidationErrors
        from tracker.interchange.devices.drafts import completion

        d, store = self.current, self.store
        if d is None or d.id is None or store is None:
            return
        for field in ("pain_free", "max"):
            self.query_one(f"#err-{field}", Static).update("")
        try:
            walk = completion(
                d,
                pain_free=self.query_one("#pain_free", Input).value.strip() or None,
                max_=self.query_one("#max", Input).value.strip() or None,
                no_pain=self.query_one("#no_pain", FormCheckbox).value,
                unit=self.unit,
                now=self.tracker.now(),
            )
        except ValidationErrors as exc:
            shown: dict[str, str] = {}
            for err in exc.errors:  # in field order; the first problem of a field is shown
                shown.setdefault(err.field if err.field == "max" else "pain_free", err.message)
            for field, message in shown.items():
                self.query_one(f"#err-{field}", Static).update(Text(message))
            return
        self._complete(d.id, walk)

    @work(thread=True, group="drafts-write")
    def _complete(self, draft_id: int, walk: WalkInput) -> None:
        store = self.store
        if store is None:
            return
        with self.tracker.write_lock:
            row = store.complete_draft(draft_id, walk)
        self.app.call_from_thread(self._completed, row)

    def _completed(self, row: Walk) -> None:
        from tracker.domain.wording import describe_walk
        from tracker.terminal_text import printable

        self.notify(f"Saved: {printable(describe_walk(row, self.unit))}", markup=False)
        self.query_one("#pain_free", Input).value = ""
        self.query_one("#max", Input).value = ""
        self.query_one("#no_pain", FormCheckbox).value = False
        self.query_one("#pain_free", Input).focus()
        self.tracker.data_changed()

    @work(thread=True, group="drafts-write")
    def _discard(self, draft_id: int) -> None:
        store = self.store
        if store is None:
            return
        with self.tracker.write_lock:
            store.discard_draft(draft_id)
        self.app.call_from_thread(self._discarded)

    def _discarded(self) -> None:
        self.notify("Discarded; importing its file again will not bring it back.")
        self.tracker.data_changed()

    def action_discard(self) -> None:
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        d = self.current
        if d is None or d.id is None:
            return
        draft_id = d.id

        def answered(screen: DraftsScreen, answer: str | None) -> None:
            if answer == "discard":
                screen._discard(draft_id)

        self.app.push_screen(
            ChoiceModal(
                f"Discard the imported walk of {d.started_at:%Y-%m-%d %H:%M}? It is not "
                "counted as a walk, and importing its file again will not bring it back.",
                [("keep", "No, keep it"), ("discard", "Yes, discard it")],
                escape="keep",
            ),
            lambda answer: answered(self, answer),
        )
