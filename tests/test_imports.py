"""Imports: a function-level import says why it is not at the top (start-up time or a cycle),
and the commands that need no screen, chart or PDF never import their libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tracker

PACKAGE = Path(tracker.__file__).parent
HEAVY = ("textual", "plotext", "textual_plotext", "matplotlib", "fpdf")


def _has_comment(lines: list[str], node: ast.stmt) -> bool:
    """A comment on the statement's lines, or above it: directly, or above the run of
    imports it belongs to (one comment may explain a group of imports)."""
    if any("#" in line for line in lines[node.lineno - 1 : node.end_lineno]):
        return True
    i = node.lineno - 2
    while i >= 0:
        text = lines[i].strip()
        if text.startswith("#"):
            return True
        if not (text.startswith(("from ", "import ", ")")) or text.endswith(",")):
            return False
        i -= 1
    return False


def function_level_imports_without_comment(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for fn in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom) and not _has_comment(lines, node):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return sorted(set(found))


def test_every_function_level_import_says_why() -> None:
    assert function_level_imports_without_comment(PACKAGE) == []


def test_the_check_finds_an_import_without_a_comment(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        "def f():\n"
        "    # start-up: json only here\n"
        "    import json\n"
        "    import os\n"
        "\n"
        "    import re\n"
        "    return json, os, re\n"
    )
    assert function_level_imports_without_comment(pkg) == ["pkg/m.py:6"]


def _imported_by(*args: str) -> list[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['tracker', *{list(args)!r}]\n"
        "from tracker.launch import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [out.stdout.strip().splitlines()[-1]]


def test_help_imports_no_screen_chart_or_pdf_library() -> None:
    assert _imported_by("--help") == ["[]"]
    assert _imported_by("log", "--help") == ["[]"]


def test_log_through_the_command_imports_no_screen_chart_or_pdf_library(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert _imported_by("log", "--pain-free", "180", "--max", "300", "--db", db) == ["[]"]
    assert (tmp_path / "x.db").exists()
