"""The command palette (ctrl+p) finds every screen, app command and the current screen's actions
by its title or by the everyday words of `navigation` ("cigarettes", "pdf", "help")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker.ui.navigation import COMMANDS, SCREENS


@dataclass(frozen=True)
class Command:
    title: str
    help: str
    words: tuple[str, ...]
    run: Callable[[], object]


def commands(provider: Provider) -> Iterator[Command]:
    """Screens and app commands from the navigation table, then what the screen the palette was
    opened on can do (its key bindings, with their descriptions)."""
    app = provider.app
    for place in (*SCREENS, *COMMANDS):
        key = f" ({place.shown_key})" if place.shown_key else ""
        yield Command(
            place.title,
            place.help + key,
            place.words,
            partial(app.run_action, place.action),
        )
    screen = provider.screen
    seen = {p.action for p in (*SCREENS, *COMMANDS)}
    for binding in screen.BINDINGS:
        if isinstance(binding, tuple) or not binding.description:
            continue
        action = binding.action.removeprefix("app.")
        if action in seen or action.split("(")[0] in ("back", "stay", "nothing", "go"):
            continue
        seen.add(action)
        key = binding.key.split(",")[0].replace("_", " ")
        yield Command(
            binding.description,
            f"On this screen ({key})",
            tuple(binding.description.lower().split()),
            partial(app.run_action, binding.action, screen),
        )


class TrackerCommands(Provider):
    async def discover(self) -> Hits:
        for command in commands(self):
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands(self):
            title_score = matcher.match(command.title)
            word_score = max((matcher.match(w) for w in command.words), default=0.0)
            score = max(title_score, word_score * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
