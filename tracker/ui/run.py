"""Entry point for the TUI, imported only when the app is opened."""

from __future__ import annotations

from tracker.ui.app import TrackerApp


def run_app(db: str | None) -> int:
    """Run the TUI; returns its exit code (2 when the database cannot be used)."""

    app = TrackerApp(db=db)
    app.run()
    return app.return_code or 0
