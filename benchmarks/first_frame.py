"""Start a TUI headless, print seconds from process start to a painted frame, exit.

    python benchmarks/first_frame.py tracker DB START [footer]   (our app on DB)
    python benchmarks/first_frame.py bare - START                (a bare Textual app, one label)

START is time.time() taken by the parent just before it started this process. The probe
hooks `App._display`, where Textual hands each composed frame to the terminal driver (it
returns early when headless, after the frame is built), so both apps are timed at the same
point: the first frame of the bare app's screen, or of our dashboard. With `footer`, ours is
timed at the first frame that also has the footer (it joins one frame after the first paint).
"""

from __future__ import annotations

import sys
import time
from typing import Any

kind, db, started = sys.argv[1], sys.argv[2], float(sys.argv[3])
want_footer = sys.argv[4:] == ["footer"]


def painted(app: Any) -> None:
    print(f"{time.time() - started:.4f}")
    app.call_later(app.exit)


if kind == "bare":
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        seen = False

        def compose(self) -> ComposeResult:
            yield Label("hello")

        def _display(self, screen: Any, renderable: Any) -> None:
            if renderable is not None and not self.seen:
                self.seen = True
                painted(self)
            super()._display(screen, renderable)

    Bare().run(headless=True, size=(80, 24))
else:
    from textual.widgets import Footer

    from tracker.ui.app import TrackerApp
    from tracker.ui.screens.dashboard import DashboardScreen

    class Probe(TrackerApp):
        seen = False

        def _display(self, screen: Any, renderable: Any) -> None:
            if (
                renderable is not None
                and not self.seen
                and isinstance(screen, DashboardScreen)
                and (not want_footer or screen.query(Footer))
            ):
                self.seen = True
                painted(self)
            super()._display(screen, renderable)

    Probe(db=db).run(headless=True, size=(80, 24))
