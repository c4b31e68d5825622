from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracker.interchange.export as service
from tracker.cli import app
from tracker.db.repository import Store
from tracker.interchange.export import ExportRequest, run_export
from tracker.interchange.export_file import ExportError, write_atomic


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
    def broken(*_: object, **__: object) -> Iterator[bytes]:
        yield b"date,time\r\n" * 10_000  # written, then the renderer fails half-way
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(service, "render_chunks", broken)
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


# --- where exports may be written (issue point 7) ------------------------------------------
def _diary(tmp_path: Path) -> str:
    db = str(tmp_path / "c.db")
    CliRunner().invoke(app, ["--db", db, "log", "--pain-free", "100", "--max", "200"])
    return db


def test_out_dash_writes_to_standard_output(tmp_path: Path) -> None:
    db = _diary(tmp_path)
    result = CliRunner().invoke(app, ["--db", db, "export", "--format", "csv", "--out", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("date,time,pain_free_m") and "Wrote" not in result.stdout
    assert not (tmp_path / "-").exists()


def test_dev_stdout_is_written_to_and_never_replaced(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    db = _diary(tmp_path)
    was_link = os.path.islink("/dev/stdout")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "--db",
            db,
            "export",
            "--format",
            "csv",
            "--out",
            "/dev/stdout",
            "--force",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("date,time,pain_free_m")
    assert os.path.islink("/dev/stdout") == was_link


def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    import os
    import stat
    import threading

    db = _diary(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(
        app, ["--db", db, "export", "--format", "csv", "--out", str(fifo), "--force"]
    )
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert got and got[0].startswith(b"date,time,pain_free_m")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device node in the test folder (root only): 1,3 is null, 1,7 is full."""
    import os
    import stat

    node = tmp_path / name
    os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, minor))
    return node


def test_a_character_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    import os
    import stat

    if os.geteuid() != 0:
        pytest.skip("making a device node needs root (CI runs as root)")
    db = _diary(tmp_path)
    node = _device(tmp_path, "null", 3)
    result = CliRunner().invoke(
        app, ["--db", db, "export", "--format", "json", "--out", str(node), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(node.stat().st_mode)


def test_a_full_disk_names_the_file_and_the_cause_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    import tracker.interchange.export_file as files

    db = _diary(tmp_path)
    full = _device(tmp_path, "full", 7) if os.geteuid() == 0 else Path("/dev/full")
    result = CliRunner().invoke(app, ["--db", db, "export", "--format", "csv", "--out", str(full)])
    assert result.exit_code == 2 and "No space left on device (ENOSPC)" in result.stderr
    assert str(full) in result.stderr

    target = tmp_path / "report.csv"
    target.write_text("the old export")

    def no_space(fd: int, data: Iterable[bytes]) -> None:
        first = next(iter(data))
        os.write(fd, first[: len(first) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_all", no_space)
    result = CliRunner().invoke(
        app, ["--db", db, "export", "--format", "csv", "--out", str(target), "--force"]
    )
    assert result.exit_code == 2, result.output
    assert f"Could not write {target}: No space left on device (ENOSPC)" in result.stderr
    assert target.read_text() == "the old export"
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name) == ["report.csv"]


def test_force_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    import stat

    db = _diary(tmp_path)
    real = tmp_path / "reports" / "latest.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    refused = CliRunner().invoke(app, ["--db", db, "export", "--format", "csv", "--out", str(link)])
    assert refused.exit_code == 2 and "--force" in refused.stderr and real.read_text() == "old"
    result = CliRunner().invoke(
        app, ["--db", db, "export", "--format", "csv", "--out", str(link), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().startswith("date,")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    dangling = tmp_path / "new.csv"
    dangling.symlink_to(tmp_path / "reports" / "new-target.csv")
    assert (
        CliRunner()
        .invoke(app, ["--db", db, "export", "--format", "csv", "--out", str(dangling)])
        .exit_code
        == 0
    )
    made = tmp_path / "reports" / "new-target.csv"
    assert dangling.is_symlink() and stat.S_IMODE(made.stat().st_mode) == 0o600


def test_an_unwritable_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    db = _diary(tmp_path)
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    result = CliRunner().invoke(
        app, ["--db", db, "export", "--format", "csv", "--out", str(folder / "x.csv")]
    )
    assert result.exit_code == 2 and "Permission denied" in result.stderr
