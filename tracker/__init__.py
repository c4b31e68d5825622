"""tracker: a walking diary for people with intermittent claudication."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`tracker.__version__`, read from the installed package's metadata (the version is
    written once, in pyproject.toml); looked up only when asked, as importlib.metadata costs
    start-up time."""
    if name == "__version__":
        # start-up: importlib.metadata only when the version is asked for
        from importlib.metadata import version

        return version("tracker")
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")
