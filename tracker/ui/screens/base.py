"""What every tracker screen shares: access to the store, reload on DataChanged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.screen import Screen

from tracker.ui.messages import DataChanged

if TYPE_CHECKING:
    from tracker.store import Store
    from tracker.ui.app import TrackerApp


class TrackerScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.dashboard", "Back")]

    @property
    def tracker(self) -> TrackerApp:
        from tracker.ui.app import TrackerApp

        return cast(TrackerApp, self.app)

    @property
    def store(self) -> Store | None:
        return self.tracker.store

    def on_mount(self) -> None:
        if self.store is not None:
            self.reload()

    def on_data_changed(self, _: DataChanged) -> None:
        self.reload()

    def reload(self) -> Any:
        """Load this screen's data (in a worker) and show it."""
        return None
