"""Settings (o): unit, weekly goal, name and identifier for the doctor report, paper size."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Select, Static

from tracker.domain.settings import settings_errors
from tracker.domain.units import Unit
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.form_fields import FormSelect
from tracker.ui.widgets.form_row import FormRow

if TYPE_CHECKING:
    from tracker.db.models import Settings


FIELD_SETTINGS = {
    "weekly_goal": "weekly_goal_sessions",
    "session_minutes": "session_goal_minutes",
    "name": "patient_name",
    "patient_id": "patient_id",
}
"""The typed fields and the settings they change."""


class SettingsScreen(TrackerScreen):
    READY_ON_MOUNT = False
    HELP_TITLE = "Settings (o)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "save", "Save", show=False),
        Binding("ctrl+s", "save", "Save"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "save, from any field"),
        ("Space", "open a list (↑ ↓ choose, Enter picks)"),
    )
    FIELDS = ("unit", "weekly_goal", "session_minutes", "name", "patient_id", "paper")

    def __init__(self) -> None:
        super().__init__()
        self.loaded: dict[str, object] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Settings", classes="title")
        with VerticalScroll(classes="form"):
            for field, label, widget in (
                (
                    "unit",
                    "Distance unit",
                    FormSelect(
                        [(u.value, u.value) for u in Unit],
                        id="unit",
                        allow_blank=False,
                        value="m",
                        compact=True,
                    ),
                ),
                ("weekly_goal", "Walks a week", Input(id="weekly_goal", compact=True)),
                ("session_minutes", "Minutes a walk", Input(id="session_minutes", compact=True)),
                ("name", "Name (report)", Input(id="name", compact=True)),
                ("patient_id", "Identifier", Input(id="patient_id", compact=True)),
                (
                    "paper",
                    "Paper",
                    FormSelect(
                        [("A4", "A4"), ("Letter", "Letter")],
                        id="paper",
                        allow_blank=False,
                        value="A4",
                        compact=True,
                    ),
                ),
            ):
                yield FormRow(label, widget, error=field)
            yield Static(
                "\nThe guideline goal for a walking programme is at least 3 walks a week of "
                "30-60 minutes, for at least 12 weeks. Enter saves. Theme: ctrl+p, then "
                "type 'theme'.",
                classes="muted",
            )
        with Horizontal(classes="buttons"):
            yield Button("Save", id="save", variant="primary", compact=True)
        yield Footer(show_command_palette=False)

    @work(thread=True, exclusive=True, group="settings-load")
    def reload(self) -> None:
        store = self.store
        if store is not None:
            row = store.settings()
            self.app.call_from_thread(self._fill, row)

    def on_mount(self) -> None:
        self.query_one("#unit", Select).focus()

    def _fill(self, s: Settings) -> None:
        if self.loaded is not None and self.values() != self.loaded:
            return  # the user is changing them; do not overwrite
        self.query_one("#unit", Select).value = s.unit
        self.query_one("#paper", Select).value = s.paper_size
        self.query_one("#weekly_goal", Input).value = str(s.weekly_goal_sessions)
        self.query_one("#session_minutes", Input).value = str(s.session_goal_minutes)
        from tracker.terminal_text import printable

        self.stored = {"name": s.patient_name, "patient_id": s.patient_id}
        for field, value in self.stored.items():  # shown escaped; saved unchanged if untouched
            self.query_one(f"#{field}", Input).value = printable(value, one_line=True)
        self.loaded = self.values()
        self.mark_ready()

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for field in self.FIELDS:
            widget = self.query_one(f"#{field}")
            out[field] = widget.value if isinstance(widget, Input | Select) else None
        return out

    def unsaved_question(self) -> str | None:
        if self.loaded is None or self.values() == self.loaded:
            return None
        return "Discard your changes to the settings?"

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Checked by the settings rules every edge uses (domain/settings.py); saved in a
        worker."""
        from tracker.terminal_text import printable

        if self.store is None:
            return
        changes: dict[str, object] = {
            "unit": self.query_one("#unit", Select).value,
            "paper_size": self.query_one("#paper", Select).value,
        }
        for field, key in FIELD_SETTINGS.items():
            text = self.query_one(f"#{field}", Input).value.strip()
            stored = getattr(self, "stored", {}).get(field)
            if stored is not None and text == printable(stored, one_line=True).strip():
                text = stored  # shown escaped, saved unchanged when untouched
            changes[key] = text
        values, errors = settings_errors(changes)
        messages = {e.field: e.message for e in errors}
        for field, key in FIELD_SETTINGS.items():
            self.query_one(f"#err-{field}", Static).update(messages.get(key, ""))
        if errors:
            self.notify("Not saved: please fix the marked field.", severity="warning")
            return
        self._write(values)

    @work(thread=True, group="settings-save")
    def _write(self, values: dict[str, object]) -> None:
        if self.store is not None:
            self.store.update_settings(**values)
            self.app.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.loaded = self.values()
        self.notify("Settings saved.")
        self.tracker.data_changed()
