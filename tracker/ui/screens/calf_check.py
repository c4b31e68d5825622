"""Calf-pain check (c): one question at a time, then the pattern, the urgency and the advice.

Every answer is handled synchronously (the Enter key and the digit keys call straight into the
screen, not through a posted message), so keys typed quickly land on the question they were
meant for; keys typed right after `c` wait in the type-ahead queue until the first question is
shown. Esc asks before the answers given so far are thrown away. A red-flag result opens the
advice dialog, to be acknowledged (keys typed before it appeared never dismiss it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tracker.domain.calf_check import NONE, Answer, CheckContext, Question, next_question
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.advice_modal import AdviceModal

if TYPE_CHECKING:
    from tracker.db.models import CalfCheck
    from tracker.domain.calf_check import CheckInput, CheckResult

NEXT = "__next__"
BACK = "__back__"
AGAIN = "__again__"
ALL = "__all__"
HISTORY_ROWS = 4


class AnswerList(OptionList):
    """An OptionList whose Enter (and click) answers at once, in the key's own turn."""

    def __init__(self, on_choose: Callable[[int], None], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._on_choose = on_choose

    def action_select(self) -> None:
        if self.highlighted is not None:
            self._on_choose(self.highlighted)


class CalfCheckScreen(TrackerScreen):
    HELP_TITLE = "Calf-pain check (c)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "previous", "Previous question"),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("1-9", "answer (or tick, where several answers fit)"),
        ("↑ ↓ and Enter", "answer with the highlighted option"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, Answer] = {}
        self.order: list[str] = []
        self.ticked: list[str] = []
        self.question: Question | None = None
        self.diary_context: CheckContext | None = None
        self.saved: CalfCheck | None = None

    def unsaved_question(self) -> str | None:
        if self.saved is not None or not (self.order or self.ticked):
            return None
        return "Discard this check? Your answers so far are not saved."

    def go_back(self) -> None:
        self.app.pop_screen()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Calf-pain check", classes="title", id="check-title")
        with VerticalScroll(id="check-body"):
            yield Static("", id="check-question")
            yield Static("", id="check-result")
            yield AnswerList(self._choose, id="check-options")
        yield Static("", id="check-history", classes="help-line")
        yield Static("", id="check-help", classes="help-line")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._ask()
        self.query_one(AnswerList).focus()

    @work(thread=True, exclusive=True, group="calf-check")
    def reload(self) -> None:
        from tracker.domain.calf_checks import check_context

        store = self.store
        if store is None:
            return
        context = check_context(store, self.tracker.now().date())
        rows = store.calf_checks(limit=HISTORY_ROWS + 1)
        self.app.call_from_thread(self._loaded, context, rows)

    def _loaded(self, context: CheckContext, rows: list[CalfCheck]) -> None:
        from tracker.domain.wording import check_row_summary

        self.diary_context = context
        shown = [r for r in rows if self.saved is None or r.id != self.saved.id][:HISTORY_ROWS]
        text = (
            "Earlier checks: none yet."
            if not shown
            else "Earlier checks:\n" + "\n".join("  " + check_row_summary(r) for r in shown)
        )
        self.query_one("#check-history", Static).update(text)

    # --- asking ---------------------------------------------------------------------------
    def _diary_context(self) -> CheckContext:
        """The diary's context; read at once if the worker has not delivered it yet."""
        if self.diary_context is None and self.store is not None:
            from tracker.domain.calf_checks import check_context

            self.diary_context = check_context(self.store, self.tracker.now().date())
        return self.diary_context or CheckContext()

    def _ask(self) -> None:
        question = next_question(self.answers, self._diary_context())
        if question is None:
            self._finish()
            return
        self.question = question
        self.ticked = []
        n = len(self.order) + 1
        self.query_one("#check-title", Static).update(
            f"Calf-pain check · {question.section} · question {n}"
        )
        shown = self.query_one("#check-question", Static)
        shown.display = True
        shown.update(Text(question.text, style="bold"))
        self._fill_options()
        help_text = (
            "Tick with 1-9 or Enter, then Next · Backspace previous question · Esc back"
            if question.multiple
            else "1-9, or ↑↓ and Enter: answer · Backspace previous question · Esc back"
        )
        self.query_one("#check-help", Static).update(help_text)

    def _fill_options(self, highlight: int = 0) -> None:
        q = self.question
        assert q is not None
        options: list[Option] = []
        for i, o in enumerate(q.options, 1):
            if q.multiple and o.value != NONE:
                mark = "[x]" if o.value in self.ticked else "[ ]"
                options.append(Option(Text(f"{i}  {mark} {o.label}"), id=o.value))
            else:
                options.append(Option(Text(f"{i}  {o.label}"), id=o.value))
        if q.multiple:
            options.append(Option(Text(f"{len(options) + 1}  Next question"), id=NEXT))
        answers = self.query_one(AnswerList)
        answers.set_options(options)
        answers.highlighted = highlight

    def action_choose(self, index: int) -> None:
        answers = self.query_one(AnswerList)
        if 0 <= index < answers.option_count:
            answers.highlighted = index
            self._choose(index)

    def _choose(self, index: int) -> None:
        option_id = self.query_one(AnswerList).get_option_at_index(index).id
        if option_id in (BACK, AGAIN, ALL):
            self._after_result(option_id)
            return
        q = self.question
        if q is None or option_id is None:
            return
        if not q.multiple:
            self._answer(q.key, option_id)
        elif option_id == NEXT:
            if not self.ticked:
                self.notify("Tick at least one answer first (or choose 'No, none of these').")
                return
            self._answer(q.key, tuple(v for v in q.values if v in self.ticked))
        elif option_id == NONE:
            if self.ticked:
                self.ticked = []  # a slip onto "none" clears the ticks; it never drops them
                self._fill_options(index)
            else:
                self._answer(q.key, (NONE,))
        else:
            if option_id in self.ticked:
                self.ticked.remove(option_id)
            else:
                self.ticked.append(option_id)
            self._fill_options(index)

    def _answer(self, key: str, value: Answer) -> None:
        self.answers[key] = value
        self.order.append(key)
        self.refresh_bindings()
        self._ask()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "previous":
            return self.saved is None and bool(self.order)
        return True

    def action_previous(self) -> None:
        if self.saved is not None or not self.order:
            return
        del self.answers[self.order.pop()]
        self.refresh_bindings()
        self._ask()

    # --- the result -----------------------------------------------------------------------
    def _finish(self) -> None:
        from tracker.domain.calf_check import evaluate
        from tracker.domain.calf_checks import check_row

        if self.store is None:
            return
        result = evaluate(self.answers, self._diary_context())
        self.ready_for_keys.clear()  # keys typed now are for the result, once it shows
        self._save(check_row(result, self.tracker.now()), result)

    @work(thread=True, group="check-write")
    def _save(self, row: CheckInput, result: CheckResult) -> None:
        store = self.store
        if store is None:
            return
        try:
            with self.tracker.write_lock:
                saved = store.add_calf_check(row)
        except Exception:  # told by the app (nothing was saved); keys flow again
            self.app.call_from_thread(self.mark_ready)
            raise
        self.app.call_from_thread(self._show_result, saved, result)

    def _show_result(self, saved: CalfCheck, result: CheckResult) -> None:
        from tracker.domain.wording import check_lines

        self.saved = saved
        self.mark_ready()
        self.question = None
        self.query_one("#check-title", Static).update("Calf-pain check · result")
        self.query_one("#check-question", Static).display = False
        self.query_one("#check-result", Static).update("\n\n".join(check_lines(result)))
        answers = self.query_one(AnswerList)
        answers.set_options(
            [
                Option("1  Back", id=BACK),
                Option("2  Start a new check", id=AGAIN),
                Option("3  All earlier checks", id=ALL),
            ]
        )
        answers.highlighted = 0
        self.query_one("#check-help", Static).update(
            "Saved; the dashboard shows it. 1 back · 2 new check · 3 all earlier checks"
        )
        self.refresh_bindings()
        self.tracker.data_changed()
        if result.is_red_flag:
            self._show_advice(result)

    def _show_advice(self, result: CheckResult) -> None:
        from tracker.domain.wording import check_advice, check_headline

        assert result.tier is not None and self.saved is not None
        check_id = self.saved.id
        what = "calf-pain check: " + check_headline(result.pattern, result.signs)

        def acknowledged(_: bool | None) -> None:
            if check_id is not None:
                self._acknowledge(check_id)

        self.app.push_screen(AdviceModal([(result.tier, what, check_advice(result))]), acknowledged)

    @work(thread=True, group="check-write")
    def _acknowledge(self, check_id: int) -> None:
        store = self.store
        if store is None:
            return
        with self.tracker.write_lock:
            store.acknowledge_calf_check(check_id)
        self.app.call_from_thread(self.tracker.data_changed)

    def _after_result(self, option_id: str) -> None:
        if option_id == BACK:
            self.app.pop_screen()
            return
        if option_id == ALL:
            self._show_all()
            return
        self.answers, self.order, self.saved = {}, [], None
        self.query_one("#check-result", Static).update("")
        self._ask()

    @work(thread=True, exclusive=True, group="calf-check-history")
    def _show_all(self) -> None:
        from tracker.domain.wording import check_row_summary

        store = self.store
        if store is None:
            return
        lines = [check_row_summary(r) for r in store.calf_checks()]
        text = "All checks, newest first:\n" + "\n".join(f"  {line}" for line in lines)
        self.app.call_from_thread(self.query_one("#check-result", Static).update, text)
