"""A red-flag advice modal that must be acknowledged (no escape, no click-away)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.domain.clinical import TIER_LABELS, Tier
from tracker.domain.red_flags import urgency


class AdviceModal(ModalScreen[bool]):
    """Shows advice per tier, most urgent first; dismissed only by the button."""

    def __init__(self, items: list[tuple[Tier, str, str]], *, title: str = "") -> None:
        """`items`: (tier, what was reported, advice sentence)."""
        super().__init__()
        self.items = sorted(items, key=lambda i: urgency(i[0]))

    def compose(self) -> ComposeResult:
        top = self.items[0][0] if self.items else Tier.NEXT_APPOINTMENT
        with Vertical(id="advice-box", classes=top.value):
            seen: set[str] = set()
            for tier, what, advice in self.items:
                header = f"[b]{TIER_LABELS[tier]}[/b] – {what}"
                body = "" if advice in seen else f"\n{advice}"
                seen.add(advice)
                yield Static(header + body, classes="advice")
            yield Button("I have read this", id="ack", variant="error")

    def on_mount(self) -> None:
        self.query_one("#ack", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)


class QuestionModal(ModalScreen[bool]):
    """A yes/no question (the emergency questions after a sudden drop)."""

    def __init__(self, question: str, intro: str = "") -> None:
        super().__init__()
        self.question = question
        self.intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(id="advice-box"):
            if self.intro:
                yield Static(self.intro, classes="advice")
            yield Static(f"[b]{self.question}[/b]", classes="advice")
            yield Button("Yes", id="yes", variant="error")
            yield Button("No", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
