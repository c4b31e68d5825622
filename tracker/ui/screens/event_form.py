"""Add or edit a treatment event: the kind first, then only the fields that kind takes.

Typical use: a, m (medication start), Tab, Tab, c (cilostazol), Tab, name, Tab, dose, Enter.
A letter on a closed choice picks the next option starting with it; Space opens its menu, and
Enter saves from any field. Defaults (today's date, or the event being edited) are filled in
before the first frame, so keys typed at once (held by the type-ahead queue until the form is
mounted) are never overwritten by a late fill. Esc asks before throwing typed input away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Select, Static

from tracker.domain.clinical import (
    EVENT_KIND_LABELS,
    EventKind,
    MedicationCategory,
    ProcedureType,
    Side,
)
from tracker.domain.events import DETAIL_FIELDS, FIELDS_OF_KIND, event_errors, event_to_draft
from tracker.domain.validation import ValidationError
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.choice_select import ChoiceSelect
from tracker.ui.widgets.form_row import FormRow

if TYPE_CHECKING:
    from tracker.db.models import TreatmentEvent
    from tracker.domain.events import EventInput

SELECTS: dict[str, list[tuple[str, str]]] = {
    "kind": [(EVENT_KIND_LABELS[k], k.value) for k in EventKind],
    "type": [(t.value, t.value) for t in ProcedureType],
    "side": [(s.value, s.value) for s in Side],
    "category": [(c.value, c.value) for c in MedicationCategory],
}
INPUTS = ("date", "name", "dose", "description", "notes")
LABELS = {
    "kind": "Event",
    "date": "Date",
    "type": "Procedure",
    "side": "Side",
    "category": "Medicine group",
    "name": "Name",
    "dose": "Dose",
    "description": "What happened",
    "notes": "Notes",
}
WIDE = ("name", "dose", "description", "notes")
PLACEHOLDERS = {
    "date": "YYYY-MM-DD",
    "name": "e.g. atorvastatin",
    "dose": "e.g. 100 mg twice a day",
    "description": "e.g. hospital stay",
    "notes": "optional",
}


class EventFormScreen(TrackerScreen):
    HELP_TITLE = "Add or edit an event (a, or Enter in Treatment events)"
    BINDINGS = [
        Binding("escape", "back", "Cancel"),
        Binding("enter", "save", "Save", show=False),
        Binding("ctrl+s", "save", "Save"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "save, from any field (a choice or a text)"),
        ("a letter", "on a choice: the next option starting with it"),
        ("Space", "open a choice's list (↑ ↓ choose, Enter picks)"),
    )

    def __init__(self, event: TreatmentEvent | None = None) -> None:
        super().__init__()
        self.event = event
        self.touched: set[str] = set()
        self.tried_save = False
        self.pristine: dict[str, object] = {}
        self.saving = False
        """A save is under way: a second Enter does nothing."""

    def compose(self) -> ComposeResult:
        yield Header()
        title = f"Edit event #{self.event.id}" if self.event else "Add a treatment event"
        yield Static(title, classes="title")
        draft = self._initial()
        with VerticalScroll(classes="form", id="event-form"):
            for field in ("kind", "date", *DETAIL_FIELDS, "notes"):
                widget: Any
                value = draft.get(field)
                if field in SELECTS:
                    widget = ChoiceSelect(
                        SELECTS[field],
                        id=field,
                        compact=True,
                        allow_blank=field != "kind",
                        value=str(value) if value else Select.NULL,
                    )
                else:
                    widget = Input(
                        str(value or ""),
                        placeholder=PLACEHOLDERS[field],
                        id=field,
                        compact=True,
                    )
                yield FormRow(
                    LABELS[field], widget, error=field, wide=field in WIDE, id=f"row-{field}"
                )
        with Horizontal(classes="buttons"):
            yield Button("Save", id="save", variant="primary", compact=True)
            yield Button("Cancel", id="cancel", compact=True)
        yield Static(
            "Enter saves · Tab next · a letter picks a choice, Space opens it · Esc back",
            classes="help-line",
        )
        yield Footer(show_command_palette=False)

    def _initial(self) -> dict[str, object]:
        if self.event is not None:
            return event_to_draft(self.event)
        return {"kind": EventKind.PROCEDURE.value, "date": self.tracker.now().date().isoformat()}

    def on_mount(self) -> None:
        self._show_fields()
        self.query_one("#kind", Select).focus()
        self.pristine = self.draft()

    def unsaved_question(self) -> str | None:
        if self.saving or not self.pristine or self.draft() == self.pristine:
            return None
        return "Discard your changes to this event?" if self.event else "Discard this event?"

    def go_back(self) -> None:
        self.app.pop_screen()

    def kind(self) -> str:
        value = self.query_one("#kind", Select).value
        return value if isinstance(value, str) else EventKind.PROCEDURE.value

    def _show_fields(self) -> None:
        wanted = FIELDS_OF_KIND[self.kind()]
        for field in DETAIL_FIELDS:
            self.query_one(f"#row-{field}").display = field in wanted

    # --- validation as the user types -------------------------------------------------
    def draft(self) -> dict[str, object]:
        """Only the fields the chosen kind takes: hidden fields are never sent."""
        kind = self.kind()
        d: dict[str, object] = {"kind": kind}
        for field in ("date", "notes", *FIELDS_OF_KIND[kind]):
            if field in SELECTS:
                value = self.query_one(f"#{field}", Select).value
                d[field] = value if isinstance(value, str) else None
            else:
                d[field] = self.query_one(f"#{field}", Input).value
        return d

    def check(self) -> tuple[EventInput | None, list[ValidationError]]:
        event, errors = event_errors(self.draft(), today=self.tracker.now().date())
        self.show_errors(errors)
        return event, errors

    def show_errors(self, errors: list[ValidationError]) -> None:
        by_field: dict[str, str] = {}
        for e in errors:
            by_field.setdefault(e.field, e.message)
        for field in ("kind", "date", *DETAIL_FIELDS, "notes"):
            shown = self.tried_save or field in self.touched
            self.query_one(f"#err-{field}", Static).update(by_field.get(field, "") if shown else "")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.touched.add(event.input.id)
        self.check()

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        if event.control.id == "kind":
            self._show_fields()
        elif event.control.id:
            self.touched.add(event.control.id)
        self.check()

    # --- saving -----------------------------------------------------------------------
    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_back()

    def action_save(self) -> None:
        if self.saving:
            return
        self.tried_save = True
        event, errors = self.check()
        if errors or event is None:
            self._refuse(errors)
            return
        self.saving = True
        self.ready_for_keys.clear()  # keys typed now are for the screen after the save
        self._write(event)

    def _refuse(self, errors: list[ValidationError]) -> None:
        self.saving = False
        self.mark_ready()
        self.show_errors(errors)
        if errors:
            target = self.query(f"#{errors[0].field}")
            if target:
                target.first().focus()
        self.notify("Not saved yet: please fix the marked field.", severity="warning")

    @work(thread=True, exclusive=True, group="event-save")
    def _write(self, event: EventInput) -> None:
        """The rule between events (a stop not before its start) needs the stored events."""
        from tracker.domain.events import order_errors
        from tracker.domain.wording import describe_event

        store = self.store
        if store is None:
            return
        errors = order_errors(event, store.events(), editing=self.event)
        if errors:
            self.app.call_from_thread(self._refuse, errors)
            return
        if self.event is not None and self.event.id is not None:
            row = store.update_event(self.event.id, event)
            verb = "Updated"
        else:
            row = store.add_event(event)
            verb = "Saved"
        self.app.call_from_thread(self._done, f"{verb} event #{row.id}: {describe_event(row)}")

    def _done(self, text: str) -> None:
        self.app.pop_screen()
        self.notify(text, timeout=4, markup=False)
        self.tracker.data_changed()
