from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.walks import WalkInput

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


def plain_walk(at: datetime, pain_free_m: float, notes: str = "") -> WalkInput:
    """An everyday walk with pain, maximum 500 m, nothing else filled in."""
    return WalkInput(
        walked_at=at,
        pain_free_m=pain_free_m,
        max_m=500.0,
        total_m=None,
        no_pain=False,
        location=None,
        side=None,
        pain=None,
        rest_min=None,
        method="walk",
        notes=notes,
        source="typed",
    )
