"""The `tracker` command's entry point: `tracker` alone (or with only --db) opens the app
without importing the command-line library; `tracker log …` tries its fast path
(`tracker.cli.fast_log`: no typer, no ORM) and anything else, or a log that path leaves to
the full command, goes to `tracker.cli`.

Start-up time is a feature, and this is the start.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if not args or (len(args) == 2 and args[0] == "--db"):
        from tracker.ui.run import run_app  # start-up: the app never loads the CLI library

        raise SystemExit(run_app(args[1] if args else None))
    if "log" in args[:3]:
        # start-up: `tracker log` first tries its path without typer and the ORM (fast_log)
        from tracker.cli.fast_log import run

        code = run(args)
        if code is not None:
            raise SystemExit(code)
    # start-up: the CLI library (typer) only for commands, never for the app
    from tracker.cli import main as cli_main

    cli_main()


if __name__ == "__main__":  # pragma: no cover
    main()
