"""Symptoms (y): tick what you notice; a red flag shows its advice at once, to acknowledge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from tracker.domain.clinical import SYMPTOMS, Tier
from tracker.domain.red_flags import by_urgency
from tracker.ui.screens.base import TrackerScreen, tells_store_errors
from tracker.ui.widgets.advice_modal import AdviceModal

if TYPE_CHECKING:
    from tracker.db.models import SymptomReport


UNSURE_LEG_PAIN = "unsure_leg_pain"
"""Not a symptom: ticking it opens the calf-pain check once the ticked symptoms are recorded."""

TIER_TAGS = {
    Tier.EMERGENCY: "emergency",
    Tier.SAME_DAY: "doctor today",
    Tier.WITHIN_DAYS: "doctor soon",
    Tier.NEXT_APPOINTMENT: "next visit",
    Tier.CONTEXT: "context",
}


class SymptomsScreen(TrackerScreen):
    BINDINGS = [
        Binding("escape", "app.dashboard", "Back"),
        Binding("ctrl+s", "record", "Record ticked"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Symptoms: tick with space, then Record (ctrl+s). Urgent ones first.", classes="title"
        )
        ordered = by_urgency(SYMPTOMS.values())
        yield SelectionList[str](
            *[Selection(f"{s.description} – {TIER_TAGS[s.tier]}", s.key) for s in ordered],
            Selection("leg pain, not sure what kind – opens the calf-pain check", UNSURE_LEG_PAIN),
            id="symptom-list",
        )
        with Horizontal(classes="form-row"):
            yield Label("Date")
            yield Input(id="date", compact=True)
            yield Static("", classes="error", id="err-date")
        with Horizontal(classes="form-row wide"):
            yield Label("Notes")
            yield Input(id="notes", compact=True)
        with Horizontal(classes="buttons"):
            yield Button("Record", id="record", variant="primary", compact=True)
        yield Static("", id="recent-symptoms")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#date", Input).value = self.tracker.now().strftime("%Y-%m-%d")
        self.query_one(SelectionList).focus()
        super().on_mount()

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

    @on(Button.Pressed, "#record")
    def _pressed(self) -> None:
        self.action_record()

    @tells_store_errors
    def action_record(self) -> None:
        from tracker.domain.red_flags import recent_context_keys
        from tracker.domain.validation import ValidationError, parse_date, parse_notes
        from tracker.domain.wording import symptom_advice

        store = self.store
        if store is None:
            return
        keys = list(self.query_one(SelectionList).selected)
        if not keys:
            self.notify("Tick at least one symptom first (space).", severity="warning")
            return
        unsure = UNSURE_LEG_PAIN in keys
        keys = [k for k in keys if k != UNSURE_LEG_PAIN]
        if not keys:
            self.query_one(SelectionList).deselect_all()
            self.tracker.action_calf_check()
            return
        today = self.tracker.now().date()
        try:
            day = parse_date(self.query_one("#date", Input).value or today, today=today)
            notes = parse_notes(self.query_one("#notes", Input).value)
        except ValidationError as exc:
            self.query_one("#err-date", Static).update(exc.message)
            return
        self.query_one("#err-date", Static).update("")
        rows = [store.add_symptom(k, day, notes) for k in keys]
        context = recent_context_keys(store.symptoms(), today)
        flags = [(SYMPTOMS[r.key], r) for r in rows if SYMPTOMS[r.key].is_red_flag]
        self.query_one(SelectionList).deselect_all()
        self.query_one("#notes", Input).value = ""
        self.tracker.data_changed()
        if not flags:
            self.notify("Recorded.")
            if unsure:
                self.tracker.action_calf_check()
            return
        items = []
        for kind, _ in flags:
            advice = symptom_advice(kind, context).split(": ", 1)[1]
            items.append((kind.tier, kind.description, advice))
        ids = [r.id for _, r in flags if r.id is not None]

        def acknowledged(_: bool | None) -> None:
            for symptom_id in ids:
                store.acknowledge_symptom(symptom_id)
            self.tracker.data_changed()
            if unsure:
                self.app.call_later(self.tracker.action_calf_check)

        self.app.push_screen(AdviceModal(items), acknowledged)
