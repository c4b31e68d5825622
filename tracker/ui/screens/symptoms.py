"""Symptoms (y): tick what you notice; a red flag shows its advice at once, to acknowledge.

Each symptom's urgency comes first in its line, so it is never the part cut off on a narrow
terminal (long lines wrap).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Static
from textual.widgets.selection_list import Selection

from tracker.db.errors import StoreError
from tracker.domain.clinical import SYMPTOMS, TIER_LABELS
from tracker.domain.red_flags import by_urgency, recent_context_keys
from tracker.terminal_text import printable
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.advice_modal import AdviceModal
from tracker.ui.widgets.form_fields import TickList
from tracker.ui.widgets.form_row import FormRow

if TYPE_CHECKING:
    from datetime import date

    from tracker.db.models import SymptomReport


UNSURE_LEG_PAIN = "unsure_leg_pain"
"""Not a symptom: ticking it opens the calf-pain check once the ticked symptoms are recorded."""


class SymptomsScreen(TrackerScreen):
    HELP_TITLE = "Symptoms (y)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "record", "Record ticked", show=False),
        Binding("ctrl+s", "record", "Record ticked"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Space", "tick or untick the symptom under the cursor"),
        ("Enter", "record the ticked symptoms (from the list or a field)"),
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Symptoms: tick with Space, Enter records them. Most urgent first.", classes="title"
        )
        ordered = by_urgency(SYMPTOMS.values())
        yield TickList(
            *[
                Selection(
                    Content.assemble((TIER_LABELS[s.tier], "bold"), f" – {s.description}"), s.key
                )
                for s in ordered
            ],
            Selection(
                Content.assemble(
                    ("Not sure", "bold"),
                    " – leg pain, not sure what kind: opens the calf-pain check",
                ),
                UNSURE_LEG_PAIN,
            ),
            id="symptom-list",
        )
        yield FormRow("Date", Input(id="date", compact=True), error="date")
        yield FormRow("Notes", Input(id="notes", compact=True), wide=True)
        yield FormRow.wide_error("notes")
        with Horizontal(classes="buttons"):
            yield Button("Record", id="record", variant="primary", compact=True)
        yield Static("", id="recent-symptoms")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#date", Input).value = self.tracker.now().strftime("%Y-%m-%d")
        self.query_one(TickList).focus()

    @work(thread=True, exclusive=True, group="symptoms")
    def reload(self) -> None:
        from datetime import timedelta

        store = self.store
        if store is None:
            return
        since = self.tracker.now().date() - timedelta(days=30)
        rows = store.symptoms(since)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[SymptomReport]) -> None:
        if not rows:
            text = "Nothing recorded in the last 30 days."
        else:
            text = "Last 30 days: " + "; ".join(
                f"{r.reported_on} {SYMPTOMS[r.key].description}"
                for r in rows[:6]
                if r.key in SYMPTOMS
            )
        self.query_one("#recent-symptoms", Static).update(text)

    def unsaved_question(self) -> str | None:
        if self.query_one(TickList).selected:
            return "Discard the ticked symptoms? They are not recorded yet."
        if self.query_one("#notes", Input).value.strip():
            return "Discard these notes? Nothing is recorded yet."
        return None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_record()

    @on(Button.Pressed, "#record")
    def _pressed(self) -> None:
        self.action_record()

    def action_record(self) -> None:
        from tracker.domain.validation import ValidationError, parse_date, parse_notes

        store = self.store
        if store is None:
            return
        keys = list(self.query_one(TickList).selected)
        if not keys:
            self.notify("Tick at least one symptom first (Space).", severity="warning")
            return
        unsure = UNSURE_LEG_PAIN in keys
        keys = [k for k in keys if k != UNSURE_LEG_PAIN]
        if not keys:
            self.query_one(TickList).deselect_all()
            self.tracker.open_screen("calf_check")
            return
        today = self.tracker.now().date()
        try:
            day = parse_date(self.query_one("#date", Input).value or today, today=today)
        except ValidationError as exc:
            self.query_one("#err-date", Static).update(exc.message)
            return
        try:
            notes = parse_notes(self.query_one("#notes", Input).value)
        except ValidationError as exc:
            self.query_one("#err-notes", Static).update(exc.message)
            return
        self.query_one("#err-date", Static).update("")
        self.query_one("#err-notes", Static).update("")
        self.ready_for_keys.clear()  # keys typed now wait for the advice or the cleared form
        self._record(keys, day, notes, today, unsure)

    @work(thread=True, group="symptoms-write")
    def _record(self, keys: list[str], day: date, notes: str, today: date, unsure: bool) -> None:
        store = self.store
        if store is None:
            return
        try:
            rows = [store.add_symptom(k, day, notes) for k in keys]
            context = recent_context_keys(store.symptoms(), today)
        except StoreError as exc:  # nothing was recorded; the ticks stay for another Enter
            self.app.call_from_thread(self._not_recorded, str(exc))
            return
        self.app.call_from_thread(self._recorded, rows, context, unsure)

    def _not_recorded(self, message: str) -> None:
        self.mark_ready()
        self.notify(printable(message), severity="error", timeout=12, markup=False)

    def _recorded(self, rows: list[SymptomReport], context: list[str], unsure: bool) -> None:
        from tracker.domain.wording import symptom_advice

        flags = [(SYMPTOMS[r.key], r) for r in rows if SYMPTOMS[r.key].is_red_flag]
        self.query_one(TickList).deselect_all()
        self.query_one("#notes", Input).value = ""
        self.tracker.data_changed()
        self.call_after_refresh(self.mark_ready)  # after the advice, when there is one
        if not flags:
            self.notify("Recorded.")
            if unsure:
                self.tracker.open_screen("calf_check")
            return
        items = []
        for kind, _ in flags:
            advice = symptom_advice(kind, context).split(": ", 1)[1]
            items.append((kind.tier, kind.description, advice))
        ids = [r.id for _, r in flags if r.id is not None]

        def acknowledged(_: bool | None) -> None:
            self._acknowledge(ids, unsure)

        self.app.push_screen(AdviceModal(items), acknowledged)

    @work(thread=True, group="symptoms-write")
    def _acknowledge(self, ids: list[int], unsure: bool) -> None:
        store = self.store
        if store is None:
            return
        for symptom_id in ids:
            store.acknowledge_symptom(symptom_id)
        self.app.call_from_thread(self._acknowledged, unsure)

    def _acknowledged(self, unsure: bool) -> None:
        self.tracker.data_changed()
        if unsure:
            self.app.call_later(self.tracker.open_screen, "calf_check")
