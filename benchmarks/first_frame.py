"""Start a TUI headless, print seconds from process start to its first painted frame, exit.

    python benchmarks/first_frame.py tracker DB START   (our app on DB)
    python benchmarks/first_frame.py bare - START       (a bare Textual app showing one label)
START is time.time() taken by the parent just before it started this process.
"""

from __future__ import annotations

import sys
import time

kind, db, started = sys.argv[1], sys.argv[2], float(sys.argv[3])

if kind == "bare":
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.done)

        def done(self) -> None:
            print(f"{time.time() - started:.4f}")
            self.exit()

    Bare().run(headless=True, size=(80, 24))
else:
    from tracker.ui.app import TrackerApp

    class Probe(TrackerApp):
        def on_mount(self) -> None:
            # Queued before the app's own after-refresh work (opening the database), so it
            # runs as soon as the first frame is on screen.
            self.call_after_refresh(self.done)
            super().on_mount()

        def done(self) -> None:
            print(f"{time.time() - started:.4f}")
            self.exit()

    Probe(db=db).run(headless=True, size=(80, 24))
