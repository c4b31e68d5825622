from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tracker.store import Store, open_store

FIXED_NOW = datetime(2026, 11, 24, 18, 30)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every test runs at the same "now", and never touches the user's real database."""
    monkeypatch.setenv("TRACKER_NOW", FIXED_NOW.isoformat())
    monkeypatch.delenv("TRACKER_DB", raising=False)
    return FIXED_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    yield s
    s.close()
