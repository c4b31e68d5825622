"""The one place that reads the wall clock, so tests and demos can fix "now".

`TRACKER_NOW` (ISO date-time, local) pins the clock for every command; it exists for tests
and reproducible screenshots.
"""

from __future__ import annotations

import os
from datetime import date, datetime


def now() -> datetime:
    pinned = os.environ.get("TRACKER_NOW")
    if pinned:
        return datetime.fromisoformat(pinned).replace(tzinfo=None, second=0, microsecond=0)
    return datetime.now().replace(second=0, microsecond=0)


def today() -> date:
    return now().date()
