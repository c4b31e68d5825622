"""`?`: every key of the app, screen by screen, before the few generic Textual ones.

Built from the navigation table and each screen's own BINDINGS (plus the keys its widgets
handle, `EXTRA_KEYS`), so it cannot drift from what the keys do.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.ui.navigation import SCREENS

if TYPE_CHECKING:
    from tracker.ui.screens.base import TrackerScreen

KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "shift+tab": "shift+Tab",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "question_mark": "?",
    "backspace": "Backspace",
}

GENERIC_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / shift+Tab", "next / previous field or button"),
    ("ctrl+p", "find any command by name (try: pdf, cigarettes, help)"),
    ("ctrl+c", "copy selected text"),
    ("ctrl+q", "quit (asks first if a form is not saved)"),
)


def key_name(key: str) -> str:
    return " / ".join(KEY_NAMES.get(k, k) for k in key.split(",") if k != "equals_sign")


def screen_keys(
    bindings: Sequence[BindingType], extra: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """A screen's own keys: its bindings with a description, then what its widgets do."""
    rows: list[tuple[str, str]] = []
    described = {k for k, _ in extra}
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        if key_name(binding.key) in described:
            continue  # the screen's own line says it better
        if binding.action in ("back", "app.back") and binding.description == "Back":
            continue  # Esc = Back is listed once, under "Everywhere"
        rows.append((key_name(binding.key), binding.description))
    return rows + list(extra)


def own_bindings(screen: type[TrackerScreen]) -> list[BindingType]:
    """A screen's bindings with those it inherits from other tracker screens (a guided test's
    Space and p), the nearest class first; Textual's own Screen bindings are not the app's."""
    from tracker.ui.screens.base import TrackerScreen

    seen: set[str] = set()
    out: list[BindingType] = []
    for cls in screen.__mro__:
        if not (isinstance(cls, type) and issubclass(cls, TrackerScreen)):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.key not in seen:
                seen.add(binding.key)
                out.append(binding)
    return out


FOLLOWS: dict[str, tuple[str, ...]] = {
    "events": ("tracker.ui.screens.event_form:EventFormScreen",),
    "walk_test": (
        "tracker.ui.screens.walk_test:ChooseTestScreen",
        "tracker.ui.screens.walk_test:SetupScreen",
        "tracker.ui.screens.walk_test_run:SixMinuteScreen",
        "tracker.ui.screens.walk_test_run:TreadmillScreen",
        "tracker.ui.screens.walk_test_run:StopwatchScreen",
        "tracker.ui.screens.walk_test_result:ResultScreen",
    ),
}
"""The screens reached from a navigation entry's screen (or, for the guided tests, in its
place), listed after it."""


def _screen_class(path: str) -> type[TrackerScreen]:
    module, _, name = path.partition(":")
    screen: type[TrackerScreen] = getattr(importlib.import_module(module), name)
    return screen


def help_screens() -> list[type[TrackerScreen]]:
    """Every screen with keys of its own, in the navigation table's order."""
    out: list[type[TrackerScreen]] = []
    for place in SCREENS:
        paths = ((place.screen,) if place.screen else ()) + FOLLOWS.get(place.action, ())
        out += [_screen_class(path) for path in paths]
    return out


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    everywhere = [(p.shown_key, p.title) for p in SCREENS]
    everywhere += [
        ("?", "this list of keys"),
        ("q", "quit (asks first if a form is not saved)"),
        ("Esc", "back (on the dashboard it does nothing)"),
    ]
    out = [("Everywhere", everywhere)]
    for screen in help_screens():
        out.append((screen.HELP_TITLE, screen_keys(own_bindings(screen), screen.EXTRA_KEYS)))
    out.append(("Textual (the toolkit tracker is built with)", list(GENERIC_KEYS)))
    return out


def help_text() -> str:
    lines: list[str] = []
    for title, rows in sections():
        lines.append(f"[b]{escape(title)}[/b]")
        width = max((len(k) for k, _ in rows), default=0)
        lines += [f"  {escape(k.ljust(width))}  {escape(what)}" for k, what in rows]
        lines.append("")
    return "\n".join(lines).rstrip()


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("Keys   (Esc closes this list)", classes="title")
            yield Static(help_text(), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
