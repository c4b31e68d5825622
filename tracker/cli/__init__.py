"""The command line (`tracker COMMAND`): parse, call the domain, print; no logic of its own.

`app.py` holds the typer app and what every command shares; each command group has its module,
imported in the order `tracker --help` lists them (each registers its commands on `app`).

They are imported when `app` or `main` is first asked for, not with the package: the fast
path of `tracker log` (`fast_log`) lives here too and must not pay for typer and the commands.
The package's `app` is the typer app even though a submodule has the same name (importing the
submodule `tracker.cli.app` would otherwise replace the attribute with the module).
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

COMMAND_MODULES = (
    "walks",
    "trend",
    "review",
    "interchange",
    "smoking",
    "symptoms",
    "events",
    "check",
    "settings",
    "clinic",
)
"""In the order `tracker --help` lists their commands."""

if TYPE_CHECKING:
    from tracker.cli.app import app, main


def _commands() -> Any:
    """The `tracker.cli.app` module, with every command registered on its app."""
    for name in COMMAND_MODULES:
        import_module(f"{__name__}.{name}")
    return import_module(f"{__name__}.app")


class _Package(types.ModuleType):
    @property
    def app(self) -> Any:
        return _commands().app

    @app.setter
    def app(self, _module: Any) -> None:
        """Importing the submodule sets this name; the typer app keeps it."""

    @property
    def main(self) -> Any:
        return _commands().main


sys.modules[__name__].__class__ = _Package

__all__ = ["app", "main"]
