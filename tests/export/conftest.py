from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.walks import WalkInput

from ..conftest import FIXED_NOW


def sample_walks() -> list[WalkInput]:
    base = datetime(2026, 9, 1, 8, 15)
    notes = [
        "",
        "Grüße aus München – schöner Weg",
        '=HYPERLINK("http://x")',
        "+1 hill",
        "'=already quoted",
        "@home",
        "-5 degrees",
        "\ttabbed",
        "line1\nline2",
        "it's fine",
    ]
    out = []
    for i in range(60):
        no_pain = i % 9 == 4
        pf = 150.0 + (i * 37) % 120 + 0.25
        out.append(
            WalkInput(
                walked_at=base + timedelta(days=i, minutes=i),
                pain_free_m=pf,
                max_m=None if no_pain else pf + 80.5,
                total_m=None if i % 3 else pf + 400,
                no_pain=no_pain,
                location=("calf", "thigh", None)[i % 3],
                side=("left", None, "both")[i % 3],
                pain=None if no_pain else i % 11,
                rest_min=None if i % 4 else 2.5,
                method=("walk", "walk", "treadmill", "6mwt")[i % 4],
                notes=notes[i % len(notes)],
                source=("typed", "timer")[i % 2],
            )
        )
    return out


@pytest.fixture
def full_store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "full.db")
    store.add_walks(sample_walks())
    deleted = store.walks()[5]
    assert deleted.id is not None
    store.set_deleted(deleted.id, True)
    store.add_smoking_status(
        "current", date(1990, 1, 1), cigarettes_per_day=20, frequency="every_day"
    )
    store.add_smoking_status("former", date(2026, 10, 1))
    for d in range(30):
        store.set_cigarettes(date(2026, 9, 1) + timedelta(days=d), 15 - d // 3)
    store.add_symptom("leg_swelling_one_side", date(2026, 11, 20), "linke Wade")
    store.add_symptom("recent_long_travel", date(2026, 11, 18), "Flug")
    store.update_settings(unit="km", patient_name="Jürgen Müller", patient_id="A-17")
    store.add_prompt_answer(
        "sudden_drop_emergency_signs", "sudden-drop:walk:2026-11-22", "no", date(2026, 11, 24)
    )
    return store


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW
