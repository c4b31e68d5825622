"""Placeholder until its issue lands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from tracker.ui.screens.base import TrackerScreen


class ReviewScreen(TrackerScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Not built yet.")
        yield Footer(show_command_palette=False, compact=True)
