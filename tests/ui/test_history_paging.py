"""History pages by key: the End key and the pages next to one already read cost one short
read, whatever the length of the diary; every row lands where OFFSET paging put it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.ui.screens.history import PAGE
from tracker.ui.widgets.paged_table import PagedTable

from ..conftest import plain_walk
from .conftest import make_app, settle

WALKS = 1_050


@pytest.fixture
def long_diary(tmp_path: Path) -> Path:
    db = tmp_path / "long.db"
    store = open_store(db)
    start = datetime(2023, 1, 1, 9)
    # three walks share each time: the id breaks the tie, as in the listing's order
    store.add_walks(
        [plain_walk(start + timedelta(hours=i // 3), 100.0 + i % 200) for i in range(WALKS)]
    )
    store.close()
    return db


async def test_end_and_the_pages_above_it_are_read_by_key(
    long_diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offsets: list[int] = []
    real = Store.walks

    def spying(self: Store, *args: Any, **kwargs: Any) -> Any:
        offsets.append(int(kwargs.get("offset", 0)))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "walks", spying)
    store = open_store(long_diary)
    expected = [w.id for w in real(store, newest_first=True)]
    store.close()
    app = make_app(long_diary)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        assert table.total == WALKS
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == WALKS - 1
        for _ in range(30):
            await pilot.press("pageup")
            await settle(pilot)
        await pilot.press("home")
        await settle(pilot)
        for _ in range(30):
            await pilot.press("pagedown")
            await settle(pilot)
        shown = {i: table.row(i) for i in range(WALKS)}
        loaded = {i: r[0] for i, r in shown.items() if r is not None}
        assert len(loaded) > 300
        assert all(expected[i] == walk_id for i, walk_id in loaded.items())
    # No page was read by skipping the rows before it: at most the last page's few rows
    # (when the page above the last is read before the last one).
    assert max(offsets, default=0) < PAGE
