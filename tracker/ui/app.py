"""The App: screens, bindings, theme. Nothing clinical lives here.

The first frame is painted before the database is opened: opening (which imports the ORM and
may migrate) runs in a worker, and screens fill in when `DataChanged` arrives. Keys go through
the type-ahead queue (ui/typeahead.py), so none typed during that time, or while a form is
being built, is lost or lands on the wrong screen.
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerFailed, get_current_worker

from tracker import clock
from tracker.ui.commands import TrackerCommands
from tracker.ui.messages import DataChanged
from tracker.ui.navigation import COMMANDS as APP_COMMANDS
from tracker.ui.navigation import SCREENS, Place
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.typeahead import TypeAhead

if TYPE_CHECKING:
    from tracker.db.models import Walk
    from tracker.db.repository import Store
    from tracker.domain.dashboard import DashboardSummary
    from tracker.domain.trend import TrendResult

REPLACED_SYSTEM_COMMANDS = ("Keys", "Screenshot")
FIRST_LOOK_PAINT_S = 0.5
"""How long opening waits for the frame of the first look to be painted (it is at once on an
idle machine)."""
TOLD_AT_ONCE = 3
"""Warnings repeated in one toast (the newest ones)."""
"""Textual's own versions: its help panel lists Textual's keys first, and its screenshot
fails where there is no ~/Downloads folder. Ours come from the navigation table."""


@dataclass(frozen=True)
class FormDefaults:
    """What the log form fills in before the user types: read after every change, so the form
    is ready for keys on the frame it first appears."""

    unit: str
    last_walk: Walk | None


class TrackerApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "tracker"
    SUB_TITLE = "walking diary"
    COMMANDS = App.COMMANDS | {TrackerCommands}

    BINDINGS = [
        *(Binding(p.key, p.action, p.footer, show=False) for p in SCREENS),
        *(Binding(p.key, p.action, p.footer) for p in APP_COMMANDS if p.key),
    ]
    """Navigation works on every screen (letters typed into a text field stay text); the
    dashboard's footer shows it. Every key comes from the navigation table."""
    BASE_DEPTH = 2
    """Screens kept under the main screens: Textual's default screen and the dashboard (the
    clinic's cohort app keeps the cohort under a patient's dashboard too)."""

    def __init__(
        self,
        db: str | None = None,
        now: Callable[[], datetime] = clock.now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.db = db
        self.now = now
        self.monotonic = monotonic
        """Seconds for the guided walking tests: monotonic, so neither a suspended terminal
        nor a change of the wall clock bends a test."""
        self.store: Store | None = None
        self._told: list[str] = []
        """Warnings told so far (about the diary file or its rows)."""
        self._theme_loaded = False
        self.form_defaults: FormDefaults | None = None
        self._defaults_generation = 0
        self._asked: set[str] = set()
        """Sudden-drop episodes asked about in this session (the answers are also stored)."""
        self._question_waiting: DashboardSummary | None = None
        self.data_generation = 0
        """Counts the changes of data seen (`data_changed`): what was computed from an older
        generation is not reused."""
        self._trend: tuple[int, date, TrendResult] | None = None
        self.typeahead = TypeAhead(self, self._deliver)
        self.write_lock = threading.Lock()
        """Held by the workers that write for the screens, one write at a time, so a delete and
        its undo pressed in quick succession reach the diary in that order."""

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.push_screen(self.first_screen())
        self.call_after_refresh(self.open_database)  # paint first, then load

    def first_screen(self) -> Screen[Any]:
        return DashboardScreen()

    # --- keys: all through the type-ahead queue ----------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self.typeahead.take(event)
            return
        await super().on_event(event)

    async def _deliver(self, event: events.Event) -> None:
        await super().on_event(event)

    # --- the database ----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="open")
    def open_database(self) -> None:
        self._first_look()  # before the storage layer is imported: its import costs most
        # start-up: the diary layers load after the first frame
        from tracker.db.errors import StoreError
        from tracker.db.opening import open_store
        from tracker.terminal_text import printable

        try:
            store = open_store(self.db)
            theme = store.settings().theme
        except StoreError as exc:
            message = Text(printable(f"Error: {exc}"))  # not markup: paths may hold [ ]
            self.call_from_thread(self.exit, None, 2, message)
            return
        store.on_warning = self._warn_unreadable
        self.store = store
        told = [*store.notices, *store.warnings]  # one toast: a second would replace the first
        if told:
            self._tell("\n".join(told), "warning" if store.warnings else "information")
        self.call_from_thread(self._database_ready, theme)

    def _first_look(self) -> None:
        """The dashboard's figures from a plain look at the file, painted while the storage
        layer loads and the store opens (its import costs more than the rest of the start);
        a file the look does not read as it is waits for the store."""
        # start-up: plain sqlite3 and the domain, before the storage layer is imported
        from tracker.db.glance import READ_ERRORS, look
        from tracker.domain.dashboard import first_look

        try:
            seen = look(self.db)
            if seen is None:
                return
            try:
                theme = seen.settings().theme
                figures = first_look(seen, self.now(), count=False)
            finally:
                seen.close()
        except READ_ERRORS:
            return
        painted = threading.Event()
        self.call_from_thread(self._show_first_look, figures, theme, painted)
        # the storage layer's import holds the interpreter in long stretches: let the frame
        # with the figures reach the terminal first
        painted.wait(FIRST_LOOK_PAINT_S)

    def _show_first_look(
        self, figures: DashboardSummary, theme: str | None, painted: threading.Event
    ) -> None:
        if self.store is not None:
            painted.set()
            return  # the store's own figures come next
        if theme is not None and theme in self.available_themes:
            self.theme = theme  # not saved: `_theme_loaded` is still False
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.show(figures, False, figures.latest is not None)
        self.call_after_refresh(painted.set)

    def _tell(self, message: str, severity: SeverityLevel = "information") -> None:
        """A notification of what opening or reading found (thread-safe; stored text escaped,
        no markup). Only one toast shows at a time, so a warning repeats the warnings told
        before it instead of replacing them."""
        # start-up: loads after the first frame
        from tracker.terminal_text import printable

        text = printable(message)
        if severity != "information":
            if text not in self._told:
                self._told.append(text)
            text = "\n".join(self._told[-TOLD_AT_ONCE:])
        self.notify(text, severity=severity, timeout=12, markup=False)

    def _warn_unreadable(self, message: str) -> None:
        self._tell(message, "warning")

    def _handle_exception(self, error: Exception) -> None:
        """A database problem a worker meets (busy, a row it cannot read) is told and the app
        goes on; nothing was changed. (Handlers on the UI thread use `tells_store_errors`: a
        message handler that raises stops its widget.) Anything else is a bug: Textual's."""

        # start-up: the storage errors load after the first frame
        from tracker.db.errors import StoreError

        if isinstance(error, WorkerFailed) and isinstance(error.error, StoreError):
            self._tell(str(error.error), "error")
            return
        super()._handle_exception(error)

    def _database_ready(self, theme: str) -> None:
        if theme in self.available_themes:
            self.theme = theme
        self._theme_loaded = True
        self.data_changed()
        self._announce_database()

    def _announce_database(self) -> None:
        """Say once what opening did to the diary file (a schema update leaves a copy)."""
        store = self.store
        if store is not None and store.backup_path is not None:
            self.notify(
                f"Your diary was updated for this version; a copy of the old file is at "
                f"{store.backup_path}",
                timeout=12,
                markup=False,
            )

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
        # start-up: gc only when memory is settled (the first frame imports as before)
        import gc

        gc.freeze()

    def data_changed(self) -> None:
        """Tell every screen on the stack to reload (a saved walk shows at once everywhere)."""
        self.form_defaults = None
        self.data_generation += 1
        self._trend = None
        self._defaults_generation += 1
        self._read_form_defaults(self._defaults_generation)
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    def keep_trend(self, generation: int, as_of: date, trend: TrendResult) -> None:
        """The dashboard's trend (of the main method), read from data of `generation`: the
        trend screen opens with it instead of running the detector again (thread-safe: one
        assignment)."""
        if generation == self.data_generation:
            self._trend = (generation, as_of, trend)

    def kept_trend(self, as_of: date, method: str | None) -> TrendResult | None:
        """The dashboard's trend if the data has not changed since and it answers the same
        question (the same day, and the main method or the one asked for)."""
        kept = self._trend
        if kept is None or kept[0] != self.data_generation or kept[1] != as_of:
            return None
        trend = kept[2]
        return trend if method is None or method == trend.method else None

    @work(thread=True, exclusive=True, group="form-defaults")
    def _read_form_defaults(self, generation: int) -> None:
        store = self.store
        if store is None:
            return
        defaults = FormDefaults(store.settings().unit, store.last_walk())
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._set_form_defaults, generation, defaults)

    def _set_form_defaults(self, generation: int, defaults: FormDefaults) -> None:
        if generation == self._defaults_generation:  # nothing changed since it was read
            self.form_defaults = defaults

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # --- toasts: one at a time, and none follows the user to another screen ---------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.call_later(self.clear_notifications)  # runs before the new toast is added
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if not screen.is_modal:
            self.clear_notifications()
        if isinstance(screen, DashboardScreen) and self._question_waiting is not None:
            self.call_later(self.ask_sudden_drop, self._question_waiting)

    def no_question_due(self) -> None:
        """The latest dashboard reload found no sudden-drop question to ask."""
        self._question_waiting = None

    # --- leaving a screen with unsaved input ---------------------------------------------
    def leave(
        self, screen: Screen[Any], then: Callable[[], object], *, quitting: bool = False
    ) -> None:
        """Run `then`, but first ask when `screen` holds input that would be lost (a form, a
        check being answered, a guided test); the default answer keeps it."""
        question = screen.discard_question(quitting) if isinstance(screen, TrackerScreen) else None
        if question is None:
            then()
            return
        # start-up: the question box loads when first asked
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        def answered(answer: str | None) -> None:
            if answer == "discard":
                then()
            elif isinstance(screen, TrackerScreen):
                screen.kept()

        self.push_screen(
            ChoiceModal(
                question.text,
                [("keep", question.keep), ("discard", question.discard)],
                escape="keep",
            ),
            answered,
        )

    async def action_quit(self) -> None:
        """q and ctrl+q: quit, asking first when a screen holds unsaved input."""
        # start-up: the question box loads when first asked
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        if isinstance(self.screen, ChoiceModal):
            return  # already asking
        for screen in reversed(self.screen_stack):
            if isinstance(screen, TrackerScreen) and screen.discard_question(True):
                self.leave(screen, self.exit, quitting=True)
                return
        self.exit()

    # --- navigation -------------------------------------------------------------------
    def _open(self, make: Callable[[], Screen[Any]], *, on_top: bool = False) -> None:
        """Show a screen. Main screens replace each other above the dashboard; `on_top`
        screens (the log form) return to where the user was, which then redraws."""
        if self.store is None:
            # start-up: the wording loads after the first frame
            from tracker.domain.wording import STILL_OPENING

            self.notify(STILL_OPENING)
            return
        current = self.screen
        if current.is_modal or current.__class__ is make:
            return
        busy = current.busy_message() if isinstance(current, TrackerScreen) else None
        if busy is not None:
            self.notify(busy, severity="warning")
            return

        def show() -> None:
            if not on_top:
                while len(self.screen_stack) > self.BASE_DEPTH:
                    self.pop_screen()
            self.push_screen(make())

        self.leave(current, show)

    def action_dashboard(self) -> None:
        while len(self.screen_stack) > self.BASE_DEPTH:
            self.pop_screen()

    def open_screen(self, action: str) -> None:
        """Open the screen of the navigation entry named `action` ("calf_check")."""
        self._open_place(PLACES[action])

    def _open_place(self, place: Place) -> None:
        module, _, name = place.screen.partition(":")
        # start-up: each screen's module (and what it imports) loads when it is first opened
        screen = getattr(importlib.import_module(module), name)
        self._open(screen, on_top=place.on_top)

    def action_help(self) -> None:
        # start-up: the help screen loads when first opened
        from tracker.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen in the current folder (beside the diary when that is not
        writable) and say where; Textual's default folder, ~/Downloads, often does not exist."""
        folder = Path(path) if path else self.screenshot_folder()
        try:
            saved = self.save_screenshot(filename, str(folder))
        except OSError as exc:
            # start-up: the wording loads after the first frame
            from tracker.domain.wording import screenshot_not_saved

            self.notify(
                screenshot_not_saved(folder, exc.strerror or exc),
                severity="error",
                markup=False,
            )
            return
        # start-up: the wording loads after the first frame
        from tracker.domain.wording import screenshot_saved

        self.notify(screenshot_saved(saved), timeout=8, markup=False)

    def screenshot_folder(self) -> Path:
        here = Path.cwd()
        if os.access(here, os.W_OK):
            return here
        if self.store is not None and self.store.path is not None:
            return self.store.path.parent
        return Path.home()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in REPLACED_SYSTEM_COMMANDS:
                yield command

    def action_walk_test(self, kind: str = "") -> None:
        # start-up: the guided tests load when first opened
        from tracker.ui.screens.walk_test import open_walk_test

        open_walk_test(self, kind)

    def action_six_minute_walk(self) -> None:
        self.action_walk_test("6mwt")

    def action_treadmill(self) -> None:
        self.action_walk_test("treadmill")

    def action_stopwatch(self) -> None:
        self.action_walk_test("stopwatch")

    # --- sudden drop: ask the emergency questions first (docs/clinical.md §5) ----------
    def ask_sudden_drop(self, summary: DashboardSummary) -> None:
        """Ask once per episode; the answer is stored, so a restart does not ask again."""
        # start-up: the domain loads after the first frame
        from tracker.domain.clinical import ADVICE, Tier
        from tracker.domain.prompts import sudden_drop_episode
        from tracker.domain.wording import (
            EMERGENCY_QUESTIONS,
            SUDDEN_DROP_QUESTION,
            SUDDEN_FALL_IF_NONE,
            trend_status_sentence,
        )
        from tracker.ui.screens.dashboard import DashboardScreen
        from tracker.ui.widgets.advice_modal import AdviceModal
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        trend = summary.trend
        if trend is None or sudden_drop_episode(trend) in self._asked:
            return
        if not isinstance(self.screen, DashboardScreen):
            # The user opened a form (or another screen) before the diary finished loading:
            # a question popped over it would swallow what they type. Ask on the way back.
            self._question_waiting = summary
            return
        self._question_waiting = None
        self._asked.add(sudden_drop_episode(trend))
        intro = trend_status_sentence(trend, summary.unit)
        question = SUDDEN_DROP_QUESTION + "\n" + "\n".join(f"  • {q}" for q in EMERGENCY_QUESTIONS)

        def answered(answer: str | None) -> None:
            yes = answer == "yes"
            self._store_sudden_drop_answer(trend, yes)
            if yes:
                item = (Tier.EMERGENCY, "sudden change in the leg", ADVICE[Tier.EMERGENCY])
            else:
                item = (Tier.WITHIN_DAYS, "much shorter walks than usual", SUDDEN_FALL_IF_NONE)
            self.push_screen(AdviceModal([item]))

        self.push_screen(
            ChoiceModal(
                question,
                [("no", "No, none of these"), ("yes", "Yes, I have one of these")],
                intro=intro,
                tone="emergency",
            ),
            answered,
        )

    @work(thread=True, group="answers")
    def _store_sudden_drop_answer(self, trend: Any, yes: bool) -> None:
        # start-up: the domain loads after the first frame
        from tracker.domain.prompts import record_sudden_drop_answer

        if self.store is not None:
            record_sudden_drop_answer(self.store, trend, yes, self.now().date())


PLACES = {p.action: p for p in SCREENS if p.screen}
"""The navigation entries that open one screen, by action name."""


def _screen_action(place: Place) -> Callable[[TrackerApp], None]:
    def action(app: TrackerApp) -> None:
        app._open_place(place)

    action.__name__ = f"action_{place.action}"
    action.__doc__ = f"{place.title} ({place.shown_key}): {place.help}."
    return action


for _place in PLACES.values():  # one action per screen, made from the navigation table
    setattr(TrackerApp, f"action_{_place.action}", _screen_action(_place))
