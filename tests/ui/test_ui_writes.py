"""Every database write from the app runs in a worker thread, never on the UI thread (a busy
diary file would freeze the screen for up to 10 seconds). Read from the source: each call of a
writing repository method sits in a function decorated `@work(thread=True)`."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import tracker.ui
from tracker.db.repository import Store

WRITES = frozenset(
    {
        "update_settings",
        "add_walk",
        "add_walks",
        "update_walk",
        "set_deleted",
        "import_all",
        "set_cigarettes",
        "add_smoking_status",
        "add_symptom",
        "acknowledge_symptom",
        "add_event",
        "update_event",
        "set_event_deleted",
        "add_calf_check",
        "acknowledge_calf_check",
        "import_device_activities",
        "complete_draft",
        "discard_draft",
        "add_prompt_answer",
    }
)
WRITING_HELPERS = frozenset({"record_sudden_drop_answer"})
"""Domain functions that write through the repository they are given."""
READS = frozenset(
    {
        "close",
        "find_unreadable_rows",
        "unreadable_warning",
        "settings",
        "get_walk",
        "walks",
        "walk_page",
        "iter_walks",
        "count_walks",
        "walk_source_counts",
        "walk_points",
        "last_walk",
        "walk_exists",
        "symptom_exists",
        "cigarettes",
        "smoking_history",
        "symptoms",
        "pain_free_median",
        "get_event",
        "events",
        "calf_checks",
        "latest_calf_check",
        "calf_check_exists",
        "device_activity_known",
        "drafts",
        "get_draft",
        "prompt_answer",
        "prompt_answers",
    }
)
UI = Path(tracker.ui.__file__).parent


def test_every_repository_method_is_a_read_or_a_write() -> None:
    """A new method must be sorted here, so the check below cannot miss a new write."""
    public = {name for name, _ in inspect.getmembers(Store, inspect.isfunction)}
    public = {n for n in public if not n.startswith("_")}
    assert public == WRITES | READS


def _in_thread_worker(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "work"
            and any(
                k.arg == "thread" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in decorator.keywords
            )
        ):
            return True
    return False


def _writes_outside_workers(tree: ast.AST) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, function: str, worker: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function, worker = node.name, worker or _in_thread_worker(node)
        if isinstance(node, ast.Call) and not worker:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (isinstance(func, ast.Attribute) and name in WRITES) or name in WRITING_HELPERS:
                found.append((node.lineno, function, name))
        for child in ast.iter_child_nodes(node):
            visit(child, function, worker)

    visit(tree, "<module>", False)
    return found


def test_ui_writes_run_in_workers() -> None:
    offenders = [
        f"{path.relative_to(UI)}:{line} {function} calls {method}"
        for path in sorted(UI.rglob("*.py"))
        for line, function, method in _writes_outside_workers(ast.parse(path.read_text()))
    ]
    assert offenders == []


def test_the_check_finds_a_write_on_the_ui_thread() -> None:
    source = (
        "class S:\n"
        "    def on_click(self):\n"
        "        self.store.add_walk(w)\n"
        "    @work(thread=True)\n"
        "    def save(self):\n"
        "        self.store.add_walk(w)\n"
    )
    assert _writes_outside_workers(ast.parse(source)) == [(3, "on_click", "add_walk")]
