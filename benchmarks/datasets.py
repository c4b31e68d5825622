"""Generated data sets for the benchmarks: 10 years of daily walks, and 100,000 walks."""

from __future__ import annotations

import math
import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from tracker.db.opening import open_store

END = date(2026, 11, 22)


def generate(path: Path, walks: int, days: int, *, seed: int = 1) -> Path:
    """`walks` walks spread over `days` days up to END, with cigarettes, statuses, symptoms."""
    open_store(path).close()  # schema through the real migrations
    rng = random.Random(seed)
    start = END - timedelta(days=days - 1)
    per_day = walks / days
    rows = []
    for i in range(walks):
        day = start + timedelta(days=int(i / per_day))
        at = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=rng.randrange(6 * 60, 21 * 60)
        )
        drift = math.exp(0.25 * math.sin(i / (per_day * 200)))
        pf = 250 * drift * math.exp(rng.gauss(0, 0.25))
        no_pain = rng.random() < 0.1
        rows.append(
            (
                at.isoformat(sep=" "),
                round(pf, 1),
                None if no_pain else round(pf * 1.6, 1),
                None,
                int(no_pain),
                "calf",
                "left",
                None if no_pain else rng.randrange(3, 8),
                round(rng.uniform(1, 6), 1),
                rng.choice([None, 30.0, 45.0]),
                "walk",
                "" if rng.random() < 0.9 else "Grüße vom Weg",
                "typed",
                at.isoformat(sep=" "),
                at.isoformat(sep=" "),
            )
        )
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO walk (walked_at, pain_free_m, max_m, total_m, no_pain, location, side, pain,"
        " rest_min, duration_min, method, notes, source, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO cigarette_day (day, count, updated_at) VALUES (?, ?, ?)",
        [
            ((start + timedelta(days=d)).isoformat(), rng.randrange(0, 15), "2026-01-01 00:00:00")
            for d in range(days)
        ],
    )
    conn.execute(
        "INSERT INTO smoking_status (status, since, cigarettes_per_day, created_at)"
        " VALUES ('current', '1990-01-01', 15, '2026-01-01 00:00:00')"
    )
    for k in range(0, days, 90):
        conn.execute(
            "INSERT INTO symptom (key, reported_on, notes, created_at) VALUES (?, ?, '', ?)",
            ("relief_over_10_min", (start + timedelta(days=k)).isoformat(), "2026-01-01 00:00:00"),
        )
    conn.commit()
    conn.close()
    return path
