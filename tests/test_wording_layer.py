"""Every sentence a user reads is built in the wording layer (tracker/domain/wording.py): the
screens and the commands call it. A sentence here is a string literal with a space that starts
with a capital letter and ends with '.', '?' or '!'. Docstrings (also those under a constant)
and the command-line options' `help=` texts (typer declares them with the option) are not
looked at."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tracker

PACKAGE = Path(tracker.__file__).parent
EDGES = ("ui", "cli")
ALLOWED = {
    # painted in the first frame, before the wording layer is imported (start-up time)
    ("ui/screens/dashboard.py", "Opening your diary…"),
    # prefixes put before a sentence that the wording layer (or an error) built
    ("ui/app.py", "Error: {}"),
    ("ui/clinic.py", "Error: {}"),
    ("cli/app.py", "Error: {}"),
    ("cli/app.py", "Warning: {}"),
    # titles with a count: labels, not sentences
    ("ui/screens/drafts.py", "Imported walks to complete: {}"),
    ("ui/screens/events.py", "Treatment events: {}"),
    ("cli/trend.py", "Trend for {}s: {}"),
}


def _looks_like_a_sentence(text: str) -> bool:
    """Starts with a capital, has a space, and ends like a sentence ('.', '?', '!', '…'), or
    holds two sentences, or is a message ending in a value ("Saved walk #{}: {}")."""
    text = text.strip()
    if " " not in text or not text[:1].isupper():
        return False
    return (
        text[-1:] in ".?!…"
        or re.search(r"[.?!…] [A-Z(]", text) is not None
        or re.fullmatch(r"[A-Z][a-z]+( [a-z#{}-]+)*: \{\}", text) is not None
    )


def sentences_outside_wording(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                skipped.add(id(node.value))  # a docstring
            if isinstance(node, ast.keyword) and node.arg == "help":
                skipped.update(id(n) for n in ast.walk(node.value))
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.JoinedStr):
                skipped.update(id(v) for v in node.values)
                text = "".join(
                    v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if _looks_like_a_sentence(text):
                where = path.relative_to(root.parent).as_posix()
                if (where, text) not in ALLOWED:
                    found.append(f"{where}:{node.lineno}: {text!r}")
    return sorted(found)


def test_the_screens_and_commands_build_no_sentence_of_their_own() -> None:
    found = [s for edge in EDGES for s in sentences_outside_wording(PACKAGE / edge)]
    assert found == []


def test_the_check_finds_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        '"""A docstring."""\n'
        'LABEL = "Save"\n'
        'NOTE = "Walk saved."\n'
        "def f(n):\n"
        '    """Not looked at."""\n'
        '    option(help="Free text.")\n'
        '    return f"Saved walk #{n}."\n'
        'TITLE = "Route length (m)"\n'
        'WAIT = "Loading the week…"\n'
        'TWO = "No walks. Log one with: tracker log"\n'
        "def g(n):\n"
        '    return f"Updated walk #{n}: {n}"\n'
    )
    assert sentences_outside_wording(tmp_path) == [
        f"{tmp_path.name}/m.py:10: 'No walks. Log one with: tracker log'",
        f"{tmp_path.name}/m.py:12: 'Updated walk #{{}}: {{}}'",
        f"{tmp_path.name}/m.py:3: 'Walk saved.'",
        f"{tmp_path.name}/m.py:7: 'Saved walk #{{}}.'",
        f"{tmp_path.name}/m.py:9: 'Loading the week…'",
    ]


def test_the_smoke_free_sentence_exists_once() -> None:
    hits = [
        path
        for path in PACKAGE.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "days smoke-free" in line
    ]
    assert [p.relative_to(PACKAGE).as_posix() for p in hits] == ["domain/wording.py"]
