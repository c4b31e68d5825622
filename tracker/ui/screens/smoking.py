"""Smoking (s): cigarettes today with − and + (buttons, and the keys whenever the focus is not in
a text field), the status with its date, and pack-years once a status is known."""

from __future__ import annotations

import threading
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, Select, Static
from textual.worker import get_current_worker

from tracker.domain.clinical import SmokingStatus
from tracker.domain.smoking_summary import SmokingSummary
from tracker.domain.wording import SMOKE_FREE_BENEFIT
from tracker.ui.screens.base import TrackerScreen, tells_store_errors
from tracker.ui.widgets.form_fields import FormSelect
from tracker.ui.widgets.form_row import FormRow

STATUS_FIELDS = ("status", "since", "per_day")


class SmokingScreen(TrackerScreen):
    READY_ON_MOUNT = False
    HELP_TITLE = "Smoking (s)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("plus,equals_sign", "change(1)", "+1 cigarette"),
        Binding("minus", "change(-1)", "-1 cigarette"),
        Binding("enter", "save_status", "Save status", show=False),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("+ / -", "work whenever the cursor is not in a text field"),
        ("Enter", "in the status fields: save the status"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._counting = threading.Lock()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Smoking", classes="title")
        with Vertical(id="smoking-body"):
            yield FormRow(
                "Cigarettes today",
                Button("−", id="minus", compact=True),
                Static("0", id="today-count"),
                Button("+", id="plus", compact=True),
                label_id="today-label",
                id="count-row",
            )
            yield Static("", id="smoking-summary")
            yield Static("\n[b]Change your status[/b]", classes="muted")
            yield FormRow(
                "Status",
                FormSelect([(s.value, s.value) for s in SmokingStatus], id="status", compact=True),
                error="status",
            )
            yield FormRow(
                "Since / quit date",
                Input(placeholder="YYYY-MM-DD", id="since", compact=True),
                error="since",
            )
            yield FormRow(
                "Cigarettes a day",
                Input(placeholder="typical", id="per_day", compact=True),
                error="per_day",
            )
            with Horizontal(classes="buttons"):
                yield Button("Save status", id="save-status", compact=True, variant="primary")
            yield Static(
                "Enter saves the status · + / - change today's count · Esc back",
                classes="help-line",
            )
            yield Static("\n" + SMOKE_FREE_BENEFIT, classes="muted")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        for button in self.query("#count-row Button").results(Button):
            button.active_effect_duration = 0  # Textual ignores presses during the effect
        self.query_one("#plus", Button).focus()

    @work(thread=True, exclusive=True, group="smoking")
    def reload(self) -> None:
        from tracker.domain.smoking_summary import smoking_summary_for

        store = self.store
        if store is None:
            return
        summary = smoking_summary_for(store, self.tracker.now().date())
        if not get_current_worker().is_cancelled:  # a newer count is on its way
            self.app.call_from_thread(self._show, summary)

    def _show(self, s: SmokingSummary) -> None:
        self.count = s.cigarettes_today or 0
        self.query_one("#today-count", Static).update(f"[b]{self.count}[/b]")
        lines = []
        if s.status:
            lines.append(f"Status: {s.status} since {s.since}")
        else:
            lines.append("Status: not recorded yet")
        if s.quit:
            lines.append(f"Quit on {s.quit}: {(s.today - s.quit).days} days smoke-free")
        if s.status and s.pack_years is not None:
            note = "" if s.pack_years_complete else " (some periods have no amount)"
            lines.append(f"Pack-years: {s.pack_years:.1f}{note}")
        self.query_one("#smoking-summary", Static).update("\n".join(lines))
        self.mark_ready()

    @on(Button.Pressed, "#plus")
    def _plus(self) -> None:
        self.action_change(1)

    @on(Button.Pressed, "#minus")
    def _minus(self) -> None:
        self.action_change(-1)

    def action_change(self, delta: int) -> None:
        if self.store is not None:
            self._change(delta, self.tracker.now().date())

    @work(thread=True, group="cigarettes")
    def _change(self, delta: int, today: date) -> None:
        """Read, change and write under one lock: presses in quick succession each count once,
        and the count shown is the one stored last."""
        store = self.store
        if store is None:
            return
        with self._counting:
            current = store.cigarettes(today, today).get(today, 0)  # not a possibly stale copy
            new = min(max(current + delta, 0), 200)
            store.set_cigarettes(today, new)
            self.app.call_from_thread(self._counted, new)

    def _counted(self, new: int) -> None:
        self.count = new
        self.query_one("#today-count", Static).update(f"[b]{new}[/b]")
        self.tracker.data_changed()

    # --- the status form ---------------------------------------------------------------
    def unsaved_question(self) -> str | None:
        status = self.query_one("#status", Select).value
        texts = [self.query_one(f"#{f}", Input).value.strip() for f in ("since", "per_day")]
        if isinstance(status, str) or any(texts):
            return "Discard this smoking status?"
        return None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save_status()

    @on(Button.Pressed, "#save-status")
    def _save_pressed(self) -> None:
        self.action_save_status()

    @tells_store_errors
    def action_save_status(self) -> None:
        from tracker.domain.plausibility import cigarette_doubt
        from tracker.domain.validation import ValidationError, parse_count, parse_date

        store = self.store
        if store is None:
            return
        for field in STATUS_FIELDS:
            self.query_one(f"#err-{field}", Static).update("")
        status = self.query_one("#status", Select).value
        if not isinstance(status, str):
            self.query_one("#err-status", Static).update("choose never, former or current")
            self.query_one("#status").focus()
            return
        today = self.tracker.now().date()
        since_text = self.query_one("#since", Input).value.strip()
        per_day_text = self.query_one("#per_day", Input).value.strip()
        since: date
        try:
            since = parse_date(since_text, today=today, field="since") if since_text else today
        except ValidationError as exc:
            self.query_one("#err-since", Static).update(exc.message)
            self.query_one("#since").focus()
            return
        try:
            per_day = parse_count(per_day_text) if per_day_text else None
        except ValidationError as exc:
            self.query_one("#err-per_day", Static).update(exc.message)
            self.query_one("#per_day").focus()
            return
        doubt = None if per_day is None else cigarette_doubt(per_day, store.cigarettes(), today)
        if doubt is None:
            self._write_status(status, since, per_day)
            return
        from tracker.domain.wording import cigarette_doubt_sentence
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        def answered(answer: str | None) -> None:
            if answer == "save":
                self._write_status(status, since, per_day)
            else:
                self.query_one("#per_day").focus()

        self.app.push_screen(
            ChoiceModal(
                f"{cigarette_doubt_sentence(doubt)} Did you mean {per_day} a day?",
                [("back", "Go back and change it"), ("save", f"Yes, {per_day} a day is right")],
                escape="back",
            ),
            answered,
        )

    @work(thread=True, group="smoking-status")
    def _write_status(self, status: str, since: date, per_day: int | None) -> None:
        store = self.store
        if store is None:
            return
        store.add_smoking_status(
            status, since, cigarettes_per_day=None if per_day is None else float(per_day)
        )
        self.app.call_from_thread(self._status_saved, status, since)

    def _status_saved(self, status: str, since: date) -> None:
        with self.prevent(Select.Changed):
            self.query_one("#status", Select).clear()
        for field in ("since", "per_day"):
            self.query_one(f"#{field}", Input).value = ""
        self.notify(f"Smoking status saved: {status} since {since}.")
        self.tracker.data_changed()
