"""What every tracker screen shares: access to the store, reload on DataChanged."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.binding import Binding
from textual.screen import Screen

from tracker.ui.messages import DataChanged

if TYPE_CHECKING:
    from tracker.db.repository import Store
    from tracker.ui.app import TrackerApp


H = TypeVar("H", bound=Callable[..., Any])


def tells_store_errors(handler: H) -> H:
    """For handlers that write on the UI thread: a store problem (a busy database, a row that
    cannot be read) becomes a notification instead of ending the app. Nothing was changed."""

    @functools.wraps(handler)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        from tracker.db.errors import StoreError
        from tracker.terminal_text import printable

        try:
            return handler(self, *args, **kwargs)
        except StoreError as exc:
            self.app.notify(printable(str(exc)), severity="error", timeout=12, markup=False)
            return None

    return cast(H, guarded)


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
