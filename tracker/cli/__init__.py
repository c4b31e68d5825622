"""The command line (`tracker COMMAND`): parse, call the domain, print; no logic of its own.

`app.py` holds the typer app and what every command shares; each command group has its module,
imported here in the order `tracker --help` lists them (each registers its commands on `app`).
"""

# isort: off
from tracker.cli import walks  # noqa: F401
from tracker.cli import trend  # noqa: F401
from tracker.cli import review  # noqa: F401
from tracker.cli import interchange  # noqa: F401
from tracker.cli import smoking  # noqa: F401
from tracker.cli import symptoms  # noqa: F401
from tracker.cli import events  # noqa: F401
from tracker.cli import check  # noqa: F401
from tracker.cli import settings  # noqa: F401

# isort: on
from tracker.cli.app import app, main

__all__ = ["app", "main"]
