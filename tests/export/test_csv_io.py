from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.walks import WALK_COLUMNS, walk_record
from tracker.interchange.csv_io import neutralise, restore, walks_csv
from tracker.interchange.importer import import_file


def test_header_is_the_documented_columns(full_store: Store) -> None:
    rows = list(csv.reader(io.StringIO(walks_csv(full_store.walks()).decode("utf-8"))))
    assert tuple(rows[0]) == WALK_COLUMNS
    assert len(rows) == 1 + len(full_store.walks())


def test_formula_cells_are_neutralised(full_store: Store) -> None:
    text = walks_csv(full_store.walks()).decode("utf-8")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert '\'=HYPERLINK("http://x")' in cells
    assert "Grüße aus München – schöner Weg" in cells


@given(st.text(max_size=30))
def test_neutralise_round_trips_any_text(text: str) -> None:
    cell = neutralise(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(cell) == text


def test_csv_round_trip_into_an_empty_database_is_exact(
    full_store: Store, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "walks.csv"
    path.write_bytes(walks_csv(full_store.walks()))
    fresh = open_store(tmp_path / "fresh.db")
    result = import_file(fresh, path, now)
    assert result.walks_added == len(full_store.walks())
    assert [walk_record(w) for w in fresh.walks()] == [walk_record(w) for w in full_store.walks()]
    again = import_file(fresh, path, now)
    assert again.walks_added == 0 and again.walks_skipped == result.walks_added
    assert len(fresh.walks()) == result.walks_added
