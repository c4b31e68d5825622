"""A red-flag advice modal that must be acknowledged (no escape, no click-away)."""

from __future__ import annotations

from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.domain.clinical import TIER_LABELS, Tier
from tracker.domain.red_flags import urgency
from tracker.ui.widgets.confirm_modal import MODAL_BOX_CSS


class AdviceModal(ModalScreen[bool]):
    """Shows advice per tier, most urgent first; dismissed only by the button, and never by
    keys typed before it appeared (they were meant for the form underneath)."""

    DEFAULT_CSS = "AdviceModal { align: center middle; }" + MODAL_BOX_CSS

    BINDINGS = [Binding("tab,shift+tab", "stay", "Stay", show=False, priority=True)]

    def __init__(self, items: list[tuple[Tier, str, str]], *, title: str = "") -> None:
        """`items`: (tier, what was reported, advice sentence)."""
        super().__init__()
        self.items = sorted(items, key=lambda i: urgency(i[0]))
        self.answers_only_fresh_keys: float | None = None

    def compose(self) -> ComposeResult:
        top = self.items[0][0] if self.items else Tier.NEXT_APPOINTMENT
        with Vertical(id="advice-box", classes=top.value):
            seen: set[str] = set()
            for tier, what, advice in self.items:
                header = f"[b]{TIER_LABELS[tier]}[/b] – {what}"
                body = "" if advice in seen else f"\n{advice}"
                seen.add(advice)
                yield Static(header + body, classes="advice")
            yield Button("I have read this", id="ack", variant="error", compact=True)

    def on_mount(self) -> None:
        self.answers_only_fresh_keys = get_time()
        self.query_one("#ack", Button).focus()

    def action_stay(self) -> None:
        """Nothing else to move to."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)
