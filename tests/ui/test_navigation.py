"""Navigation comes from one table (tracker/ui/navigation.py): every screen entry has its key
binding, its action, a palette command and a line in the keys list, and there is no second list
of keys or screens to forget."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.screen import Screen

from tracker.ui import app as app_module
from tracker.ui.app import PLACES, TrackerApp
from tracker.ui.commands import TrackerCommands
from tracker.ui.navigation import COMMANDS, SCREENS, Place
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.screens.help import help_screens, sections

ALL = (*SCREENS, *COMMANDS)


def _bindings() -> dict[str, str]:
    return {b.key: b.action for b in TrackerApp.BINDINGS if isinstance(b, Binding)}


@pytest.mark.parametrize("place", ALL, ids=lambda p: p.action)
def test_every_entry_has_an_action_on_the_app(place: Place) -> None:
    assert callable(getattr(TrackerApp, f"action_{place.action}", None))


@pytest.mark.parametrize("place", [p for p in ALL if p.key], ids=lambda p: p.action)
def test_every_key_of_the_table_is_bound_on_the_app(place: Place) -> None:
    assert _bindings()[place.key] == place.action


def test_the_app_binds_no_key_the_table_does_not_name() -> None:
    assert set(_bindings()) == {p.key for p in ALL if p.key}
    assert len({p.key for p in ALL if p.key}) == len([p for p in ALL if p.key])  # no key twice


@pytest.mark.parametrize("place", [p for p in SCREENS if p.screen], ids=lambda p: p.action)
def test_every_screen_entry_names_a_screen_that_exists(place: Place) -> None:
    module, _, name = place.screen.partition(":")
    screen = getattr(importlib.import_module(module), name)
    assert isinstance(screen, type) and issubclass(screen, Screen)
    assert PLACES[place.action] is place


def test_the_screen_actions_are_made_from_the_table_not_written_out() -> None:
    """The App's source names no screen class: each opens through its navigation entry."""
    source = Path(app_module.__file__).read_text()
    for place in PLACES.values():
        assert place.screen.partition(":")[2] not in source
        assert f"def action_{place.action}(" not in source


def test_every_screen_entry_is_in_the_keys_list() -> None:
    everywhere = dict(sections()[0][1])
    for place in SCREENS:
        assert everywhere[place.shown_key] == place.title
    listed = set(help_screens())
    for place in PLACES.values():
        module, _, name = place.screen.partition(":")
        screen = getattr(importlib.import_module(module), name)
        assert screen in listed
        assert issubclass(screen, TrackerScreen) and screen.HELP_TITLE


async def test_every_entry_is_a_palette_command(tmp_path: Path) -> None:
    app = TrackerApp(db=str(tmp_path / "t.db"))
    async with app.run_test() as pilot:
        await pilot.pause()
        hits = {str(h.text): h async for h in TrackerCommands(app.screen).discover()}
        for place in ALL:
            assert place.title in hits, place.title
            help_text = hits[place.title].help or ""
            assert help_text.startswith(place.help)
            if place.shown_key:
                assert help_text.endswith(f"({place.shown_key})")


@pytest.mark.parametrize("place", list(PLACES.values()), ids=lambda p: p.action)
async def test_every_screen_key_opens_its_screen(tmp_path: Path, place: Place) -> None:
    app = TrackerApp(db=str(tmp_path / "t.db"))
    async with app.run_test() as pilot:
        while app.store is None:
            await pilot.pause()
        await pilot.press(place.key)
        await pilot.pause()
        assert type(app.screen).__name__ == place.screen.partition(":")[2]
