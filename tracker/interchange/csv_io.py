"""CSV: one row per walk (columns in README), metres, UTF-8; smoking, symptoms, events too.

Cells a spreadsheet would run as a formula (= + - @ tab CR at the start) get a leading
apostrophe; the import removes exactly that apostrophe again, so a round trip is exact.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from tracker.db.models import SymptomReport, TreatmentEvent
from tracker.domain.clinical import SYMPTOMS
from tracker.domain.events import EVENT_COLUMNS, event_record
from tracker.domain.walks import WALK_COLUMNS, StoredWalk, walk_record

CHUNK_ROWS = 1000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    if cell.startswith(FORMULA_START) or (
        cell.startswith("'") and cell[1:].startswith((*FORMULA_START, "'"))
    ):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """Undo `neutralise` (exactly one apostrophe, and only where it added one)."""
    if cell.startswith("'") and cell[1:].startswith((*FORMULA_START, "'")):
        return cell[1:]
    return cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return neutralise(str(value))


def _table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    return b"".join(table_chunks(header, rows))


def table_chunks(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks of about `CHUNK_ROWS` rows, written as the rows come."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(header))
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(v) for v in row])
        if n % CHUNK_ROWS == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def walks_csv(walks: Iterable[StoredWalk]) -> bytes:
    return b"".join(walks_csv_chunks(walks))


def walks_csv_chunks(walks: Iterable[StoredWalk]) -> Iterator[bytes]:
    records = (walk_record(w) for w in walks)
    return table_chunks(WALK_COLUMNS, ([r[c] for c in WALK_COLUMNS] for r in records))


def smoking_csv(counts: dict[date, int], statuses: Iterable[Any]) -> bytes:
    """Daily cigarette counts, and status changes as rows with an empty count."""
    rows: list[tuple[Any, ...]] = [(d.isoformat(), n, "", "") for d, n in sorted(counts.items())]
    rows += [(s.since.isoformat(), "", s.status, s.cigarettes_per_day) for s in statuses]
    rows.sort(key=lambda r: (r[0], r[2] == ""))
    return _table(("date", "cigarettes", "status", "typical_per_day"), rows)


def symptoms_csv(reports: Iterable[SymptomReport]) -> bytes:
    rows = (
        (
            r.reported_on.isoformat(),
            r.key,
            SYMPTOMS[r.key].tier.value if r.key in SYMPTOMS else "",
            SYMPTOMS[r.key].description if r.key in SYMPTOMS else "",
            r.notes,
        )
        for r in reports
    )
    return _table(("date", "key", "tier", "description", "notes"), rows)


def events_csv(events: Iterable[TreatmentEvent]) -> bytes:
    """Treatment events, columns `EVENT_COLUMNS` (README); the import reads them back."""
    records = (event_record(e) for e in events)
    return _table(EVENT_COLUMNS, ([r[c] for c in EVENT_COLUMNS] for r in records))
