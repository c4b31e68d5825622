from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracker.export.service as service
from tracker.cli import app
from tracker.export.files import ExportError, write_atomic
from tracker.export.service import ExportRequest, run_export
from tracker.store import Store


def test_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("keep me")
    with pytest.raises(ExportError, match="--force"):
        write_atomic(path, b"new")
    assert path.read_text() == "keep me"
    write_atomic(path, b"new", force=True)
    assert path.read_bytes() == b"new" and path.stat().st_mode & 0o777 == 0o600


def test_failed_export_leaves_no_file(
    full_store: Store, tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(service, "render", broken)
    with pytest.raises(RuntimeError):
        run_export(full_store, ExportRequest("csv", now.date()), tmp_path / "x.csv", now=now)
    assert list(tmp_path.glob("x.csv*")) == [] and list(tmp_path.glob(".x.csv*")) == []


def test_cli_export_and_import_messages(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "c.db")
    runner.invoke(app, ["--db", db, "log", "--pain-free", "100", "--max", "200"])
    out = tmp_path / "w.csv"
    ok = runner.invoke(app, ["--db", db, "export", "--format", "csv", "--out", str(out)])
    assert ok.exit_code == 0 and out.exists()
    again = runner.invoke(app, ["--db", db, "export", "--format", "csv", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    bad = runner.invoke(app, ["--db", db, "export", "--format", "docx", "--out", "x"])
    assert bad.exit_code == 2 and "--format" in bad.stderr
    missing = runner.invoke(
        app, ["--db", db, "export", "--format", "csv", "--out", str(tmp_path / "nope" / "w.csv")]
    )
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    imp = runner.invoke(app, ["--db", str(tmp_path / "d.db"), "import", str(out)])
    assert imp.exit_code == 0 and "Imported 1 walk from" in imp.stdout
    for what in ("smoking", "symptoms"):
        path = tmp_path / f"{what}.csv"
        res = runner.invoke(
            app, ["--db", db, "export", "--format", "csv", "--what", what, "--out", str(path)]
        )
        assert res.exit_code == 0 and path.read_text(encoding="utf-8").startswith("date,")
