"""A question with a few labelled answers; the first answer is the safe one.

Focus starts on the first answer and Esc picks it, so a stray Enter or Esc never throws a test
away. The guided walking tests use it to ask before stopping, discarding or quitting.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceModal(ModalScreen[str]):
    """Dismisses with the id of the chosen answer."""

    BINDINGS = [
        Binding("escape", "safe", "Keep", show=False),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, answers: list[tuple[str, str]]) -> None:
        """`answers`: (id, label), the safe answer first."""
        super().__init__()
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.question, classes="advice")
            for i, (answer_id, label) in enumerate(self.answers):
                yield Button(
                    label, id=f"answer-{answer_id}", variant="primary" if i == 0 else "default"
                )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def action_safe(self) -> None:
        self.dismiss(self.answers[0][0])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("answer-"))
