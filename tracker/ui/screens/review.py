"""The weekly review (w): one ISO week at a time, ←/→ to move between weeks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from tracker.ui.screens.base import TrackerScreen

if TYPE_CHECKING:
    from tracker.domain.review import WeekReview


class ReviewScreen(TrackerScreen):
    READY_ON_MOUNT = False
    HELP_TITLE = "Weekly review (w)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("left", "move(-1)", "Earlier week"),
        Binding("right", "move(1)", "Later week"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.monday: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static("Loading the week…", id="review-text")
        yield Footer(show_command_palette=False)

    def action_move(self, step: int) -> None:
        if self.monday is None:
            return
        target = self.monday + timedelta(days=7 * step)
        if target > self.tracker.now().date():
            self.notify("That week has not started yet.")
            return
        self.monday = target
        self.reload()

    @work(thread=True, exclusive=True, group="review")
    def reload(self) -> None:
        from tracker.domain.review import build_review, last_complete_week

        store = self.store
        if store is None:
            return
        today = self.tracker.now().date()
        if self.monday is None:
            self.monday = last_complete_week(today)
        result = build_review(store, self.monday, today)
        self.app.call_from_thread(self._show, result, store.settings().unit)

    def _show(self, review: WeekReview, unit: str) -> None:
        from rich.markup import escape

        from tracker.domain.wording import review_lines

        lines = [escape(line) for line in review_lines(review, unit)]
        lines[0] = f"[b]{lines[0]}[/b]   (← → other weeks)"
        self.query_one("#review-text", Static).update("\n".join(lines))
        self.mark_ready()
