"""What every tracker screen shares: access to the store, reload on DataChanged, Esc = Back,
readiness for type-ahead keys, and the question before unsaved input is thrown away."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

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


@dataclass(frozen=True)
class DiscardQuestion:
    """What the app asks before input on a screen is thrown away (ui/widgets/confirm_modal.py
    shows it); the first answer, the default, keeps everything."""

    text: str
    keep: str = "No, keep it"
    discard: str = "Yes, discard it"


class TrackerScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back")]

    HELP_TITLE: ClassVar[str] = ""
    """The screen's name in `?`."""
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Keys its widgets handle (not bindings of the screen), for `?`."""
    READY_ON_MOUNT: ClassVar[bool] = True
    """False for screens whose keys act on data they load first: they call `mark_ready`
    once it is shown, and keys typed meanwhile wait (see ui/typeahead.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.ready_for_keys = asyncio.Event()

    @property
    def tracker(self) -> TrackerApp:
        from tracker.ui.app import TrackerApp

        return cast(TrackerApp, self.app)

    @property
    def store(self) -> Store | None:
        return self.tracker.store

    def mark_ready(self) -> None:
        self.ready_for_keys.set()

    def on_mount(self) -> None:
        """Textual calls this after a subclass's own on_mount (handlers run for every class
        in the MRO), so subclasses do not call it themselves."""
        if self.store is not None:
            self._load()

    def on_data_changed(self, _: DataChanged) -> None:
        self._load()

    def _load(self) -> None:
        self.reload()
        if self.READY_ON_MOUNT:
            self.mark_ready()

    def reload(self) -> Any:
        """Load this screen's data (in a worker) and show it."""
        return None

    def unsaved_question(self) -> str | None:
        """What to ask before throwing away input typed here ("Discard this walk?"), or None
        when there is nothing to lose."""
        return None

    def discard_question(self, quitting: bool) -> DiscardQuestion | None:
        """The question for Esc, another screen's key (`quitting` False) or q and ctrl+q
        (True); screens with their own wording (a guided test) say it here."""
        text = self.unsaved_question()
        return None if text is None else DiscardQuestion(text)

    def kept(self) -> None:
        """After the answer "keep it": most screens simply carry on."""

    def busy_message(self) -> str | None:
        """Why another screen's key does not leave this screen now (a test whose clock is
        running: a stray key must not stop it, nor a dialog take the keys meant for it)."""
        return None

    def action_back(self) -> None:
        """Esc: back, after asking if something typed here would be lost."""
        self.tracker.leave(self, self.go_back)

    def go_back(self) -> None:
        self.tracker.action_dashboard()
