"""Export for the doctor (e): choose a format and period; the file is written in a worker."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, Select, Static

from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.form_fields import FormCheckbox, FormSelect
from tracker.ui.widgets.form_row import FormRow

FORMATS = [
    ("PDF report for the doctor", "pdf"),
    ("CSV of walks (spreadsheets)", "csv"),
    ("JSON backup (everything)", "json"),
    ("FHIR R4 bundle (health records)", "fhir"),
]
SUFFIX = {"pdf": ".pdf", "csv": ".csv", "json": ".json", "fhir": ".fhir.json"}


class ExportScreen(TrackerScreen):
    HELP_TITLE = "Export for the doctor (e)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "export", "Export", show=False),
        Binding("ctrl+s", "export", "Export"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "export, from any field"),
        ("Space", "open the format list; tick 'Replace file'"),
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Export", classes="title")
        with Vertical(id="export-body"):
            yield FormRow(
                "Format",
                FormSelect(FORMATS, id="fmt", value="pdf", allow_blank=False, compact=True),
            )
            yield FormRow("From", Input(id="since", compact=True), error="since")
            yield FormRow("To", Input(id="until", compact=True), error="until")
            yield FormRow("File", Input(id="out", compact=True), wide=True)
            yield Static("", classes="error", id="err-out")
            yield FormRow("Replace file", FormCheckbox("", id="force", compact=True))
            with Horizontal(classes="buttons"):
                yield Button("Export", id="go", variant="primary", compact=True)
            yield Static(
                "\nThe PDF fits the doctor's one-minute read: chart, trend, red flags, smoking; "
                "then weekly summaries and every walk. Files are readable by you only.",
                classes="muted",
                id="export-status",
            )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        today = self.tracker.now().date()
        self.query_one("#since", Input).value = (today - timedelta(days=182)).isoformat()
        self.query_one("#until", Input).value = today.isoformat()
        self._suggest_name()
        self.query_one("#fmt", Select).focus()

    @on(Select.Changed, "#fmt")
    def _suggest_name(self) -> None:
        fmt = self.query_one("#fmt", Select).value
        today = self.tracker.now().date()
        name = f"tracker-{today.isoformat()}{SUFFIX.get(str(fmt), '.pdf')}"
        self.query_one("#out", Input).value = str(Path.home() / name)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#go")
    def action_export(self) -> None:
        from tracker.domain.validation import ValidationError, parse_date
        from tracker.interchange.export import ExportRequest

        today = self.tracker.now().date()
        dates: dict[str, date] = {}
        for field in ("since", "until"):
            self.query_one(f"#err-{field}", Static).update("")
            try:
                dates[field] = parse_date(
                    self.query_one(f"#{field}", Input).value, today=today, field=field
                )
            except ValidationError as exc:
                self.query_one(f"#err-{field}", Static).update(exc.message)
                return
        if dates["since"] > dates["until"]:
            self.query_one("#err-since", Static).update("is after 'To'")
            return
        request = ExportRequest(
            fmt=str(self.query_one("#fmt", Select).value),
            since=dates["since"],
            until=dates["until"],
        )
        out = Path(self.query_one("#out", Input).value.strip()).expanduser()
        self.query_one("#err-out", Static).update("")
        self.query_one("#export-status", Static).update("Writing…")
        self._write(request, out, self.query_one("#force", FormCheckbox).value)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, request: object, out: Path, force: bool) -> None:
        from tracker.interchange.export import ExportRequest, run_export
        from tracker.interchange.export_file import ExportError

        store = self.store
        if store is None or not isinstance(request, ExportRequest):
            return
        warnings: list[str] = []
        try:
            path = run_export(
                store, request, out, now=self.tracker.now(), force=force, warnings=warnings
            )
        except ExportError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._written, path)
        for warning in warnings:
            self.app.call_from_thread(self.notify, warning, severity="warning", timeout=15)

    def _failed(self, message: str) -> None:
        self.query_one("#err-out", Static).update(message)
        self.query_one("#export-status", Static).update("Nothing was written.")

    def _written(self, path: Path) -> None:
        self.query_one("#export-status", Static).update(f"Wrote {path}")
        self.notify(f"Wrote {path}", timeout=6)
