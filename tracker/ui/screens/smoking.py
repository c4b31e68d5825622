"""Smoking (s): cigarettes today with + and -, status with its date, pack-years."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from tracker.domain.clinical import SmokingStatus
from tracker.domain.smoking_summary import SmokingSummary
from tracker.ui.screens.base import TrackerScreen, tells_store_errors


class SmokingScreen(TrackerScreen):
    BINDINGS = [
        Binding("escape", "app.dashboard", "Back"),
        Binding("plus,equals_sign", "change(1)", "+1 cigarette"),
        Binding("minus", "change(-1)", "-1 cigarette"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Smoking", classes="title")
        with Vertical(id="smoking-body"):
            yield Static("", id="today-count")
            yield Static("", id="smoking-summary")
            yield Static("\n[b]Change your status[/b]", classes="muted")
            with Horizontal(classes="form-row"):
                yield Label("Status")
                yield Select([(s.value, s.value) for s in SmokingStatus], id="status", compact=True)
                yield Static("", classes="error", id="err-status")
            with Horizontal(classes="form-row"):
                yield Label("Since / quit date")
                yield Input(placeholder="YYYY-MM-DD", id="since", compact=True)
                yield Static("", classes="error", id="err-since")
            with Horizontal(classes="form-row"):
                yield Label("Cigarettes a day")
                yield Input(placeholder="typical", id="per_day", compact=True)
                yield Static("", classes="error", id="err-per_day")
            with Horizontal(classes="buttons"):
                yield Button("Save status", id="save-status", compact=True, variant="primary")
            yield Static(
                "\nBeing smoke-free lowers the risk of losing a leg, of a heart attack "
                "and of dying early.",
                classes="muted",
            )
        yield Footer(show_command_palette=False)

    @work(thread=True, exclusive=True, group="smoking")
    def reload(self) -> None:
        from tracker.domain.smoking_summary import smoking_summary_for

        store = self.store
        if store is None:
            return
        summary = smoking_summary_for(store, self.tracker.now().date())
        self.app.call_from_thread(self._show, summary)

    def _show(self, s: SmokingSummary) -> None:
        self.count = s.cigarettes_today or 0
        self.query_one("#today-count", Static).update(
            f"Cigarettes today ({s.today}): [b]{self.count}[/b]   (+ / - to change)"
        )
        lines = []
        if s.status:
            lines.append(f"Status: {s.status} since {s.since}")
        else:
            lines.append("Status: not recorded yet")
        if s.quit:
            lines.append(f"Quit on {s.quit}: {(s.today - s.quit).days} days smoke-free")
        if s.pack_years is not None:
            note = "" if s.pack_years_complete else " (some periods have no amount)"
            lines.append(f"Pack-years: {s.pack_years:.1f}{note}")
        self.query_one("#smoking-summary", Static).update("\n".join(lines))

    @tells_store_errors
    def action_change(self, delta: int) -> None:
        store = self.store
        if store is None:
            return
        new = min(max(self.count + delta, 0), 200)
        store.set_cigarettes(self.tracker.now().date(), new)
        self.count = new
        self.tracker.data_changed()

    @tells_store_errors
    @on(Button.Pressed, "#save-status")
    def _save_status(self) -> None:
        from tracker.domain.validation import ValidationError, parse_count, parse_date

        store = self.store
        if store is None:
            return
        for field in ("status", "since", "per_day"):
            self.query_one(f"#err-{field}", Static).update("")
        status = self.query_one("#status", Select).value
        if not isinstance(status, str):
            self.query_one("#err-status", Static).update("choose never, former or current")
            return
        today = self.tracker.now().date()
        since_text = self.query_one("#since", Input).value.strip()
        per_day_text = self.query_one("#per_day", Input).value.strip()
        try:
            since = parse_date(since_text, today=today, field="since") if since_text else today
        except ValidationError as exc:
            self.query_one("#err-since", Static).update(exc.message)
            return
        try:
            per_day = float(parse_count(per_day_text)) if per_day_text else None
        except ValidationError as exc:
            self.query_one("#err-per_day", Static).update(exc.message)
            return
        store.add_smoking_status(status, since, cigarettes_per_day=per_day)
        self.notify(f"Smoking status saved: {status} since {since}.")
        self.tracker.data_changed()
