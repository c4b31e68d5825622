"""The command line (`tracker COMMAND`): parse, call the domain, print."""

from tracker.cli.app import app, main

__all__ = ["app", "main"]
