"""Entry point for the TUI, imported only when the app is opened."""

from __future__ import annotations


def run_app(db: str | None) -> None:
    from tracker.ui.app import TrackerApp

    TrackerApp(db=db).run()
