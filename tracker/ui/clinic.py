"""The therapist's app (`tracker clinic`): the cohort, most urgent first; Enter opens that
patient's dashboard, trend, weekly review and report, read-only.

The patient's screens are the app's own, reading the therapist's store narrowed to that
patient (`TherapistView.look_at`); what would write is not offered (the therapist's login
could not write anyway: the server grants it nothing but reading).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tracker.domain.wording import (
    NO_PATIENTS_YET,
    OPENING_COHORT,
    THERAPIST_READ_ONLY,
    cohort_status,
)
from tracker.ui.app import TrackerApp
from tracker.ui.navigation import Place

if TYPE_CHECKING:
    from tracker.domain.cohort import CohortLine
    from tracker.domain.dashboard import DashboardSummary

READING_SCREENS = frozenset({"trend", "review", "export"})
"""The patient's screens a therapist opens from the patient's dashboard (the report is
`export`: it writes a file, never the diary)."""
COLUMNS = ("Urgency", "Patient", "Last walk", "This week", "Pain-free (4 wk)", "Change", "Trend",
           "Smoking")  # fmt: skip


def cohort_cells(line: CohortLine) -> tuple[str, ...]:
    from tracker.domain.cohort import (
        URGENCY_WORDS,  # start-up: the domain loads after the first frame
    )

    urgency = (
        URGENCY_WORDS[line.urgency].upper() if line.urgency == 0 else URGENCY_WORDS[line.urgency]
    )
    return (
        urgency or "-",
        line.name,
        line.last_walk.isoformat() if line.last_walk else "never",
        f"{line.walks_this_week}/{line.weekly_goal}",
        "-" if line.median_pain_free_m is None else f"{line.median_pain_free_m:.0f} m",
        "-" if line.change_4w_pct is None else f"{line.change_4w_pct:+.0f} %",
        line.trend,
        line.smoking,
    )


class CohortScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_patient", "Open (read-only)"),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[CohortLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(OPENING_COHORT, id="cohort-status")
        table: DataTable[str] = DataTable(id="cohort", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Footer()

    @property
    def clinic(self) -> ClinicApp:
        assert isinstance(self.app, ClinicApp)
        return self.app

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="cohort")
    def reload(self) -> None:
        from tracker.db.clinic import (
            cohort,  # start-up: the storage layer loads after the first frame
        )

        view = self.clinic.view
        if view is None:
            return
        lines = cohort(view, self.clinic.now())
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[CohortLine]) -> None:
        self.lines = lines
        table = self.query_one("#cohort", DataTable)
        table.clear()
        for line in lines:
            table.add_row(*cohort_cells(line), key=str(line.patient_id))
        urgent = sum(1 for line in lines if line.urgency < 4)
        self.query_one("#cohort-status", Static).update(
            cohort_status(len(lines), urgent) if lines else NO_PATIENTS_YET
        )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def action_open_patient(self) -> None:
        self._open(self.query_one("#cohort", DataTable).cursor_row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            self.clinic.open_patient(self.lines[row])


def patient_dashboard() -> Screen[None]:
    """The patient's own dashboard, where Escape goes back to the cohort."""
    from tracker.ui.screens.dashboard import (
        DashboardScreen,  # start-up: the patient screens load when one is opened
    )

    class PatientDashboard(DashboardScreen):
        BINDINGS = [Binding("escape", "app.quit", "Cohort")]

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            """The footer offers only the reading screens (a writing key still answers, with
            the read-only notice, through the app's binding)."""
            if action == "go" and parameters[0] not in READING_SCREENS:
                return False
            return super().check_action(action, parameters)

        def show(
            self, s: DashboardSummary, ask_sudden_drop: bool = False, trend_pending: bool = False
        ) -> None:
            """The patient's dashboard, with what speaks to the patient worded for the
            therapist: the red flag's advice is what the patient was told."""
            # start-up: the domain loads when a patient is opened
            from tracker.domain.clinical import TIER_LABELS
            from tracker.domain.wording import PATIENT_HAS_NO_WALKS, therapist_flag_line

            super().show(s, ask_sudden_drop, trend_pending)
            if s.red_flags:
                top = s.red_flags[0]
                lines = [therapist_flag_line(TIER_LABELS[top.tier], top.advice)]
                lines += [f"  • {f.reported_on}: {f.description}" for f in s.red_flags]
                self.query_one("#banner", Static).update("\n".join(lines))
            if s.first_run:
                self.query_one("#welcome", Static).update(PATIENT_HAS_NO_WALKS)

    return PatientDashboard()


class ClinicApp(TrackerApp):
    TITLE = "tracker clinic"
    SUB_TITLE = "cohort"
    BASE_DEPTH = 3

    def __init__(self, db: str | None = None, **kwargs: Any) -> None:
        super().__init__(db=db, **kwargs)
        self.view: Any = None

    def first_screen(self) -> Screen[Any]:
        return CohortScreen()

    @work(thread=True, exclusive=True, group="open")
    def open_database(self) -> None:
        # start-up: the storage layer and the error text load after the first frame
        from rich.text import Text

        # start-up: as above
        from tracker.db.clinic import open_therapist_view
        from tracker.db.errors import StoreError
        from tracker.terminal_text import printable

        try:
            view = open_therapist_view(self.db)
        except StoreError as exc:
            self.call_from_thread(self.exit, None, 2, Text(printable(f"Error: {exc}")))
            return
        self.view = view
        self.store = view.look_at(None)
        self.call_from_thread(self._cohort_ready)

    def _cohort_ready(self) -> None:
        self._theme_loaded = False  # the theme is the patient's setting: never written here
        for screen in self.screen_stack:
            if isinstance(screen, CohortScreen):
                screen.reload()

    def open_patient(self, line: CohortLine) -> None:
        self.view.look_at(line.patient_id)
        self.sub_title = f"{line.name} (read-only)"
        self.push_screen(patient_dashboard())

    def _back_to_cohort(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.view.look_at(None)
        self.sub_title = self.SUB_TITLE

    async def action_quit(self) -> None:
        """On a patient's screens, q and Escape go back to the cohort; there, they quit."""
        if len(self.screen_stack) > 2:
            self._back_to_cohort()
        else:
            self.exit()

    def ask_sudden_drop(self, summary: DashboardSummary) -> None:
        """The emergency questions are the patient's to answer, not the therapist's."""

    def _open_place(self, place: Place) -> None:
        """Every way to a screen (keys, palette, `?`) comes here: only reading screens open."""
        if place.action in READING_SCREENS:
            super()._open_place(place)
        else:
            self._read_only()

    def _read_only(self) -> None:
        self.notify(THERAPIST_READ_ONLY, severity="warning")

    def action_walk_test(self, kind: str = "") -> None:
        self._read_only()


def run_clinic_app(db: str | None) -> int:
    app = ClinicApp(db=db)
    app.run()
    return app.return_code or 0
