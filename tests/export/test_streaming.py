"""The import and the exports read and write a piece at a time: the same results whatever the
size of the pieces, problems counted past the ones listed, the walks streamed by key."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.interchange import importer
from tracker.interchange.backup import backup_json
from tracker.interchange.csv_io import walks_csv
from tracker.interchange.importer import MAX_ERRORS_LISTED, ImportFailed, import_file
from tracker.interchange.json_stream import Lazy, json_chunks

from .test_golden import golden_diary


def _dump(db: Path, now: datetime) -> bytes:
    store = open_store(db)
    try:
        return backup_json(store, now).replace(b"\r", b"")
    finally:
        store.close()


@pytest.mark.parametrize("block", [1, 7, 4096])
def test_a_backup_read_in_small_blocks_restores_exactly(
    full_store: Store, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    source = golden_diary(full_store)
    backup = tmp_path / "backup.json"
    backup.write_bytes(_dump(source, now))
    monkeypatch.setattr(importer, "READ_CHARS", block)
    fresh = open_store(tmp_path / f"fresh-{block}.db")
    result = import_file(fresh, backup, now)
    assert result.walks_added == 60
    fresh.close()
    restored = json.loads(_dump(tmp_path / f"fresh-{block}.db", now))
    original = json.loads(backup.read_bytes())
    for doc in (restored, original):
        for w in doc["walks"]:  # written now, on import: the backup keeps the file's times
            assert w["created_at"] and w["updated_at"]
    assert restored["walks"] == original["walks"]
    assert restored["events"] == original["events"]
    assert restored["calf_checks"] == original["calf_checks"]


@pytest.mark.parametrize("block", [1, 3, 1 << 20])
def test_a_csv_read_in_small_blocks_imports_the_same(
    full_store: Store, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    path = tmp_path / "walks.csv"
    path.write_bytes(walks_csv(full_store.walks()))  # CRLF, notes over two lines
    monkeypatch.setattr(importer, "READ_CHARS", block)
    fresh = open_store(tmp_path / "fresh.db")
    assert import_file(fresh, path, now).walks_added == len(full_store.walks())
    assert walks_csv(fresh.walks()) == path.read_bytes()
    again = import_file(fresh, path, now)
    assert (again.walks_added, again.walks_skipped) == (0, len(full_store.walks()))


def test_problems_past_the_listed_ones_are_counted(tmp_path: Path, now: datetime) -> None:
    bad = MAX_ERRORS_LISTED + 37
    rows = "".join(f"2026-10-{1 + i % 28:02d},09:{i % 60:02d},abc,200\r\n" for i in range(bad))
    path = tmp_path / "bad.csv"
    path.write_text("date,time,pain_free_m,max_m\r\n2026-10-01,08:00,100,200\r\n" + rows)
    db = tmp_path / "t.db"
    with pytest.raises(ImportFailed) as info:
        import_file(open_store(db), path, now)
    assert len(info.value.errors) == MAX_ERRORS_LISTED and info.value.more == 37
    assert info.value.errors[0].startswith("line 3: pain_free_m:")
    assert f"{bad} problem(s)" in str(info.value)
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(path)])
    assert result.exit_code == 2
    assert "… and 37 more" in result.stderr and open_store(db).walks() == []


def test_walks_twice_in_one_file_are_added_once(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "twice.csv"
    row = "2026-10-01,09:00,100,200\r\n"
    path.write_text("date,time,pain_free_m,max_m\r\n" + row + "2026-10-01,09:00,100.004,200\r\n")
    result = import_file(open_store(tmp_path / "t.db"), path, now)
    assert (result.walks_added, result.walks_skipped) == (1, 1)


def test_the_import_reports_progress_up_to_the_end(
    full_store: Store, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "walks.csv"
    path.write_bytes(walks_csv(full_store.walks()))
    monkeypatch.setattr(importer, "READ_CHARS", 512)
    seen: list[tuple[int, int]] = []
    import_file(open_store(tmp_path / "t.db"), path, now, progress=lambda d, t: seen.append((d, t)))
    assert len(seen) > 4 and seen == sorted(seen) and seen[-1][0] == seen[-1][1]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(["\n", '"', "\\"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=6), json_values), st.lists(json_values, max_size=5))
def test_streamed_json_is_byte_identical_to_json_dumps(
    doc: dict[str, object], items: list[object]
) -> None:
    lazy = {**doc, "walks": Lazy(iter(items)), "more": Lazy([Lazy(iter(items))])}
    plain = {**doc, "walks": items, "more": [items]}
    expected = (json.dumps(plain, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert b"".join(json_chunks(lazy)) == expected
    assert b"".join(json_chunks(Lazy(items))) == (
        json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    ).encode("utf-8")
