"""The App: screens, bindings, theme. Nothing clinical lives here.

The first frame is painted before the database is opened: opening (which imports the ORM and
may migrate) runs in a worker, and screens fill in when `DataChanged` arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tracker import clock
from tracker.ui.messages import DataChanged
from tracker.ui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from tracker.dashboard import DashboardSummary
    from tracker.store import Store
    from tracker.trend import TrendResult


class TrackerApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "tracker"
    SUB_TITLE = "walking diary"

    BINDINGS = [
        Binding("l", "log_walk", "Log", show=False),
        Binding("h", "history", "History", show=False),
        Binding("t", "trend", "Trend", show=False),
        Binding("w", "review", "Week", show=False),
        Binding("s", "smoking", "Smoking", show=False),
        Binding("y", "symptoms", "Symptoms", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("o", "settings", "Settings", show=False),
        Binding("question_mark", "toggle_help", "Keys"),
        Binding("q", "quit", "Quit"),
    ]
    """Navigation works on every screen; the dashboard's footer shows it."""

    ACTIONS: tuple[tuple[str, str, str], ...] = (
        ("Log a walk", "Record today's walk (l)", "log_walk"),
        ("History", "All walks: edit, delete, filter (h)", "history"),
        ("Trend chart", "Pain-free and maximum distance over time (t)", "trend"),
        ("Weekly review", "This week against last week and the goal (w)", "review"),
        ("Smoking", "Cigarettes today, status, pack-years (s)", "smoking"),
        ("Symptoms", "Record symptoms; red flags show advice (y)", "symptoms"),
        ("Export for the doctor", "PDF, CSV, JSON or FHIR (e)", "export"),
        ("Settings", "Unit, weekly goal, name for the report (o)", "settings"),
        ("Dashboard", "Back to the start screen", "dashboard"),
    )

    def __init__(self, db: str | None = None, now: Callable[[], datetime] = clock.now) -> None:
        super().__init__()
        self.db = db
        self.now = now
        self.store: Store | None = None
        self._theme_loaded = False
        self._asked_drop: set[tuple[str, date]] = set()
        """Sudden-fall episodes (method, first day of the fall) already asked about."""

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())
        self.call_after_refresh(self.open_database)  # paint first, then load

    @work(thread=True, exclusive=True, group="open")
    def open_database(self) -> None:
        from tracker.store import StoreError, open_store

        try:
            store = open_store(self.db)
            theme = store.settings().theme
        except StoreError as exc:
            self.call_from_thread(self.exit, None, 2, f"Error: {exc}")
            return
        self.store = store
        self.call_from_thread(self._database_ready, theme)

    def _database_ready(self, theme: str) -> None:
        if theme in self.available_themes:
            self.theme = theme
        self._theme_loaded = True
        self.data_changed()

    def watch_theme(self, theme: str) -> None:
        if self._theme_loaded and self.store is not None:
            self._save_theme(theme)

    @work(thread=True, group="settings")
    def _save_theme(self, theme: str) -> None:
        if self.store is not None:
            self.store.update_settings(theme=theme)

    def settle_memory(self) -> None:
        """After loading many long-lived rows (chart points, history pages), move them out of
        the cyclic garbage collector's sight: its full scans over 100,000 points otherwise
        stall the UI thread at random keystrokes. (They are still freed by reference count.)"""
        import gc

        gc.freeze()

    def data_changed(self) -> None:
        """Tell every screen on the stack to reload (a saved walk shows at once everywhere)."""
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # --- navigation -------------------------------------------------------------------
    def _open(self, make: Callable[[], Screen[Any]], *, on_top: bool = False) -> None:
        """Show a screen. Main screens replace each other above the dashboard; `on_top`
        screens (the log form) return to where the user was, which then redraws."""
        if self.store is None:
            self.notify("Still opening your diary, one moment…")
            return
        if self.screen.is_modal:
            return
        if getattr(self.screen, "holds_unsaved_input", False):
            self.notify("Save (ctrl+s) or cancel (esc) this form first.")
            return
        target = make()
        if type(self.screen) is type(target):
            return
        if not on_top:
            while len(self.screen_stack) > 2:
                self.pop_screen()
        self.push_screen(target)

    def action_dashboard(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_log_walk(self) -> None:
        from tracker.ui.screens.log_walk import LogWalkScreen

        self._open(LogWalkScreen, on_top=True)

    def action_history(self) -> None:
        from tracker.ui.screens.history import HistoryScreen

        self._open(HistoryScreen)

    def action_trend(self) -> None:
        from tracker.ui.screens.trend import TrendScreen

        self._open(TrendScreen)

    def action_review(self) -> None:
        from tracker.ui.screens.review import ReviewScreen

        self._open(ReviewScreen)

    def action_smoking(self) -> None:
        from tracker.ui.screens.smoking import SmokingScreen

        self._open(SmokingScreen)

    def action_symptoms(self) -> None:
        from tracker.ui.screens.symptoms import SymptomsScreen

        self._open(SymptomsScreen)

    def action_export(self) -> None:
        from tracker.ui.screens.export import ExportScreen

        self._open(ExportScreen)

    def action_settings(self) -> None:
        from tracker.ui.screens.settings import SettingsScreen

        self._open(SettingsScreen)

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # --- sudden drop: ask the emergency questions first (domain.md §5) -------------------
    def maybe_ask_sudden_drop(self, summary: DashboardSummary) -> None:
        from tracker.trend import Status

        trend = summary.trend
        if trend is None or trend.status is not Status.SUDDEN_DROP:
            return
        episode = (trend.method, trend.episode_start or trend.as_of)
        if episode in self._asked_drop:
            return
        self._asked_drop.add(episode)
        self._ask_emergency_questions(summary.unit, trend)

    def _ask_emergency_questions(self, unit: str, trend: TrendResult) -> None:
        from tracker.clinical import ADVICE, Tier
        from tracker.ui.widgets.advice_modal import AdviceModal, QuestionModal
        from tracker.wording import EMERGENCY_QUESTIONS, SUDDEN_FALL_IF_NONE, trend_status_sentence

        intro = trend_status_sentence(trend, unit)
        question = "Is any of these true right now?\n" + "\n".join(
            f"  • {q}" for q in EMERGENCY_QUESTIONS
        )

        def answered(yes: bool | None) -> None:
            if yes:
                item = (Tier.EMERGENCY, "sudden change in the leg", ADVICE[Tier.EMERGENCY])
            else:
                item = (Tier.WITHIN_DAYS, "much shorter walks than usual", SUDDEN_FALL_IF_NONE)
            self.push_screen(AdviceModal([item]))

        self.push_screen(QuestionModal(question, intro), answered)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in self.ACTIONS:
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))
