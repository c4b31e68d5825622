"""A question with a few answers, safe to answer: the first answer changes nothing and has the
focus, Tab does not move between answers (↑/↓ or ←/→ do), and keys typed before the question
appeared never answer it."""

from __future__ import annotations

from collections.abc import Sequence

from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

MODAL_BOX_CSS = """
    #advice-box {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    #advice-box.same_day, #advice-box.within_days, #advice-box.next_appointment {
        border: thick $warning;
    }
    #advice-box .advice {
        margin-bottom: 1;
        height: auto;
    }
    #advice-box Button {
        width: 100%;
    }
    #advice-box.emergency {
        border: thick $error;
    }
    #advice-box.warning {
        border: thick $warning;
    }
    #advice-box .answer {
        margin-top: 1;
    }
    #advice-box .question {
        text-style: bold;
    }
"""
"""The box of the app's modal questions and advice (ChoiceModal, AdviceModal): a thick border
in the colour of its urgency."""


class ChoiceModal(ModalScreen[str]):
    """Dismissed with the key of the chosen answer."""

    DEFAULT_CSS = "ChoiceModal { align: center middle; }" + MODAL_BOX_CSS

    BINDINGS = [
        Binding("tab,shift+tab", "stay", "Stay on this answer", show=False, priority=True),
        Binding("up,left", "move(-1)", "Previous answer", show=False),
        Binding("down,right", "move(1)", "Next answer", show=False),
        Binding("escape", "escape", "Close", show=False),
    ]

    def __init__(
        self,
        question: str,
        answers: Sequence[tuple[str, str]],
        *,
        intro: str = "",
        escape: str | None = None,
        tone: str = "warning",
    ) -> None:
        """`answers`: (key, label), the first one the answer that changes nothing. `escape`:
        the answer Esc gives, or None when the question must be answered."""
        super().__init__()
        self.question = question
        self.answers = list(answers)
        self.intro = intro
        self.escape_answer = escape
        self.tone = tone
        self.answers_only_fresh_keys: float | None = None
        """Set when shown: keys typed earlier were meant for another screen."""

    def compose(self) -> ComposeResult:
        with Vertical(id="advice-box", classes=self.tone):
            if self.intro:
                yield Static(self.intro, classes="advice", markup=False)
            yield Static(self.question, classes="advice question", markup=False)
            for key, label in self.answers:
                yield Button(label, id=f"answer-{key}", classes="answer", compact=True)

    def on_mount(self) -> None:
        self.answers_only_fresh_keys = get_time()
        self.query(Button).first().focus()

    def action_stay(self) -> None:
        """Tab is a no-op here, so a Tab cannot turn a "No" into a "Yes"."""

    def action_move(self, step: int) -> None:
        buttons = list(self.query(Button))
        focused = self.focused
        index = buttons.index(focused) if isinstance(focused, Button) else 0
        buttons[max(0, min(index + step, len(buttons) - 1))].focus()

    def action_escape(self) -> None:
        if self.escape_answer is not None:
            self.dismiss(self.escape_answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("answer-"))
