"""Where tracker keeps its files (platformdirs decides per operating system)."""

from __future__ import annotations

from pathlib import Path

APP_NAME = "tracker"


def data_dir() -> Path:
    """The per-user data folder; created on first use by the store. (platformdirs is imported
    here, not at the top: most commands name their database and never need it.)"""
    # start-up: platformdirs only when no diary file is named
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_database() -> Path:
    return data_dir() / "tracker.db"
