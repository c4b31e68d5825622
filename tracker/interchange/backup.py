"""The JSON backup: everything (walks, smoking, symptoms, checks, events, answers, settings) in
one document.

Format `tracker-backup`, `schema_version` 1, documented in the README (`calf_checks` and
`prompt_answers` were added within version 1: older files simply have none). Distances in metres,
walk times local (`date` + `time`), audit times UTC with a Z.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from tracker.db.models import PromptAnswer, Settings, SymptomReport, TreatmentEvent
from tracker.db.repository import Store
from tracker.domain.audit_time import utc_text
from tracker.domain.calf_checks import check_record
from tracker.domain.events import event_record
from tracker.domain.settings import SETTINGS_FIELDS
from tracker.domain.walks import StoredWalkRow, walk_record
from tracker.interchange.devices.drafts import draft_record
from tracker.interchange.json_stream import Lazy, json_chunks

FORMAT = "tracker-backup"
SCHEMA_VERSION = 1


def settings_record(s: Settings) -> dict[str, Any]:
    return {k: getattr(s, k) for k in SETTINGS_FIELDS}


def symptom_record(r: SymptomReport) -> dict[str, Any]:
    return {
        "date": r.reported_on.isoformat(),
        "key": r.key,
        "notes": r.notes,
        "acknowledged_at": utc_text(r.acknowledged_at),
        "created_at": utc_text(r.created_at),
    }


def prompt_answer_record(a: PromptAnswer) -> dict[str, Any]:
    return {
        "date": a.asked_on.isoformat(),
        "question": a.question,
        "answer": a.answer,
        "trigger": a.trigger,
        "created_at": utc_text(a.created_at),
    }


def backup_document(store: Store, exported_at: datetime) -> dict[str, Any]:
    """The whole document in memory (small diaries, tests); exports use `backup_chunks`."""
    doc = _document(store, exported_at)
    doc["walks"] = list(doc["walks"].items)
    return doc


def _document(store: Store, exported_at: datetime) -> dict[str, Any]:
    """The document with the walks as a `Lazy` list, read from the database as written."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "settings": settings_record(store.settings()),
        "walks": Lazy(backup_walk_record(w) for w in store.iter_walks(include_deleted=True)),
        "smoking_status": [
            {
                "since": s.since.isoformat(),
                "status": s.status,
                "frequency": s.frequency,
                "cigarettes_per_day": s.cigarettes_per_day,
            }
            for s in store.smoking_history()
        ],
        "cigarettes": [
            {"date": d.isoformat(), "count": n} for d, n in sorted(store.cigarettes().items())
        ],
        "symptoms": [symptom_record(r) for r in reversed(store.symptoms())],
        "prompt_answers": [prompt_answer_record(a) for a in store.prompt_answers()],
        "calf_checks": [check_record(r) for r in reversed(store.calf_checks())],
        "events": [event_backup_record(e) for e in store.events(include_deleted=True)],
        "drafts": [draft_record(d) for d in store.drafts(status=None)],
    }


def backup_walk_record(w: StoredWalkRow) -> dict[str, Any]:
    record = walk_record(w)
    record["created_at"] = utc_text(w.created_at)
    record["updated_at"] = utc_text(w.updated_at)
    record["deleted_at"] = utc_text(w.deleted_at)
    return record


def event_backup_record(e: TreatmentEvent) -> dict[str, Any]:
    return {
        **event_record(e),
        "created_at": utc_text(e.created_at),
        "updated_at": utc_text(e.updated_at),
        "deleted_at": utc_text(e.deleted_at),
    }


def backup_json(store: Store, exported_at: datetime) -> bytes:
    return b"".join(backup_chunks(store, exported_at))


def backup_chunks(store: Store, exported_at: datetime) -> Iterator[bytes]:
    """The backup as it is written: the walks are read and encoded one at a time."""
    return json_chunks(_document(store, exported_at))
