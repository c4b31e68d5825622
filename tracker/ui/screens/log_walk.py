"""Log (or edit) a walk. Typical use: l, type 180, Tab, type 320, Enter.

Keys typed before the form is ready wait in the type-ahead queue: the form says it is ready
only once its defaults (unit, date, time, last walk's site and method) are in, so a typed digit
is never overwritten by a default and is read in the user's unit. The app reads the defaults
ahead after every change, so usually they are in when the form mounts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from tracker.domain.clinical import METHOD_LABELS, TYPED_METHODS, Location, Method, Side
from tracker.domain.validation import ValidationError, walk_errors
from tracker.domain.walks import WalkInput
from tracker.terminal_text import printable
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.form_fields import FormCheckbox, FormSelect
from tracker.ui.widgets.form_row import FormRow

if TYPE_CHECKING:
    from textual.timer import Timer

    from tracker.db.models import Walk
    from tracker.domain.plausibility import DistanceDoubt, WalkCheck

TEXT_FIELDS = ("pain_free", "max", "total", "date", "time", "pain", "rest", "minutes", "notes")
WAITING_AFTER_S = 0.3
"""A save that takes longer than this says that it is waiting for the database."""
SELECT_FIELDS = ("location", "side", "method")
HINT = "Enter saves · Tab next field · Space ticks a box or opens a list · Esc back"


class LogWalkScreen(TrackerScreen):
    READY_ON_MOUNT = False
    HELP_TITLE = "Log a walk (l), or edit one (Enter in History)"
    BINDINGS = [
        Binding("escape", "back", "Cancel"),
        Binding("enter", "save", "Save", show=False),
        Binding("ctrl+s", "save", "Save"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "save, from any field (a box, a list or a text)"),
        ("Tab / shift+Tab", "next / previous field"),
        ("Space", "tick a box; open a list (↑ ↓ choose, Enter picks)"),
    )

    def __init__(self, walk: Walk | None = None) -> None:
        super().__init__()
        self.walk = walk
        self.unit = "m"
        self.touched: set[str] = set()
        self.tried_save = False
        self.filled = False
        self.pristine: dict[str, object] = {}
        self.accepted: set[tuple[str, float]] = set()
        """Readings the user confirmed as typed ("yes, 20 km is right")."""
        self.allow_duplicate = False
        self.saving = False
        """A save is under way (checks, questions, writing): a second Enter does nothing."""
        self.shown_notes = ""
        """The walk's notes as the form shows them (escaped); unchanged, the stored ones stay."""
        self._waiting: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        title = f"Edit walk #{self.walk.id}" if self.walk else "Log a walk"
        yield Static(title, classes="title")
        with VerticalScroll(classes="form"):
            yield from self._row("pain_free", "Pain-free", Input(id="pain_free", compact=True))
            yield from self._row("max", "Maximum", Input(id="max", compact=True))
            yield from self._row(
                "no_pain", "No pain came", FormCheckbox(id="no_pain", compact=True)
            )
            yield from self._row("total", "Total (optional)", Input(id="total", compact=True))
            yield from self._row("date", "Date", Input(id="date", compact=True))
            yield from self._row("time", "Time", Input(id="time", compact=True))
            yield from self._row(
                "location",
                "Where it hurt",
                FormSelect([(x.value, x.value) for x in Location], id="location", compact=True),
            )
            yield from self._row(
                "side",
                "Side",
                FormSelect([(x.value, x.value) for x in Side], id="side", compact=True),
            )
            yield from self._row("pain", "Pain 0-10", Input(id="pain", compact=True))
            yield from self._row("rest", "Rest until eased", Input(id="rest", compact=True))
            yield from self._row("minutes", "Walk took (min)", Input(id="minutes", compact=True))
            yield from self._row(
                "method",
                "Method",
                FormSelect(
                    [(METHOD_LABELS[m], m.value) for m in TYPED_METHODS],
                    id="method",
                    allow_blank=False,
                    value=Method.WALK.value,
                    compact=True,
                ),
            )
            yield FormRow("Notes", Input(id="notes", compact=True), wide=True)
            yield FormRow.wide_error("notes")
        with Horizontal(classes="buttons"):
            yield Button("Save", id="save", variant="primary", compact=True)
            yield Button("Cancel", id="cancel", compact=True)
        yield Static(HINT, classes="help-line")
        yield Footer(show_command_palette=False)

    def _row(self, field: str, label: str, widget: Widget) -> ComposeResult:
        yield FormRow(label, widget, error=field, label_id=f"label-{field}")

    def on_mount(self) -> None:
        self.query_one("#pain_free", Input).focus()
        defaults = self.tracker.form_defaults
        if defaults is not None:  # read ahead by the app: ready on the first frame
            self._fill(defaults.unit, defaults.last_walk)

    def _load(self) -> None:
        if not self.filled:  # the defaults are read once
            super()._load()

    @work(thread=True, exclusive=True, group="log-defaults")
    def reload(self) -> None:
        store = self.store
        if store is None:
            return
        unit = store.settings().unit
        last = store.last_walk()
        self.app.call_from_thread(self._fill, unit, last)

    def _fill(self, unit: str, last: Walk | None) -> None:
        if self.filled:
            return  # fill defaults once; never overwrite what the user is typing
        self.filled = True
        with self.prevent(Select.Changed, FormCheckbox.Changed, Input.Changed):
            self._fill_fields(unit, last)
        self.pristine = self.draft()
        self.mark_ready()

    def _fill_fields(self, unit: str, last: Walk | None) -> None:
        from tracker.domain.units import to_unit

        self.unit = unit
        for field, text in (("pain_free", "Pain-free"), ("max", "Maximum"), ("total", "Total")):
            self.query_one(f"#label-{field}", Label).update(f"{text} ({unit})")
        now = self.tracker.now()
        source = self.walk or last
        if self.walk is not None:
            w = self.walk
            for field, metres in (
                ("pain_free", w.pain_free_m),
                ("max", w.max_m),
                ("total", w.total_m),
            ):
                if metres is not None:
                    self._set(field, f"{round(to_unit(metres, unit), 3):g}")
            self._set("date", w.walked_at.strftime("%Y-%m-%d"))
            self._set("time", w.walked_at.strftime("%H:%M"))
            self._set("pain", "" if w.pain is None else str(w.pain))
            self._set("rest", "" if w.rest_min is None else f"{w.rest_min:g}")
            self._set("minutes", "" if w.duration_min is None else f"{w.duration_min:g}")
            self.shown_notes = printable(w.notes, one_line=True)
            self._set("notes", self.shown_notes)
            self.query_one("#no_pain", FormCheckbox).value = w.no_pain
        else:
            self._set("date", now.strftime("%Y-%m-%d"))
            self._set("time", now.strftime("%H:%M"))
        if source is not None:
            for field in SELECT_FIELDS:
                value = getattr(source, field)
                if value:
                    self.query_one(f"#{field}", Select).value = value

    def _set(self, field: str, value: str) -> None:
        widget = self.query_one(f"#{field}", Input)
        with widget.prevent(Input.Changed):
            widget.value = value

    # --- leaving ----------------------------------------------------------------------
    def unsaved_question(self) -> str | None:
        if not self.filled or self.draft() == self.pristine:
            return None
        return "Discard your changes to this walk?" if self.walk else "Discard this walk?"

    def go_back(self) -> None:
        self.app.pop_screen()

    # --- validation as the user types -------------------------------------------------
    def typed(self) -> dict[str, str]:
        return {f: self.query_one(f"#{f}", Input).value for f in TEXT_FIELDS}

    def draft(self) -> dict[str, object]:
        d: dict[str, object] = dict(self.typed())
        for f in SELECT_FIELDS:
            value = self.query_one(f"#{f}", Select).value
            d[f] = value if isinstance(value, str) else None
        d["no_pain"] = self.query_one("#no_pain", FormCheckbox).value
        d["source"] = self.walk.source if self.walk else "typed"
        if self.walk is not None and d["notes"] == self.shown_notes:
            d["notes"] = self.walk.notes
        return d

    def check(self) -> tuple[WalkInput | None, list[ValidationError]]:
        walk, errors = walk_errors(self.draft(), unit=self.unit, now=self.tracker.now())
        by_field: dict[str, str] = {}
        for e in errors:
            by_field.setdefault(e.field, e.message)
        for field in (*TEXT_FIELDS, *SELECT_FIELDS, "no_pain"):
            shown = self.tried_save or field in self.touched
            message = by_field.get(field, "") if shown else ""
            self.query_one(f"#err-{field}", Static).update(message)
        return walk, errors

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id:
            self.touched.add(event.input.id)
        self.allow_duplicate = False
        self.check()

    @on(FormCheckbox.Changed)
    @on(Select.Changed)
    def _chosen(self, event: FormCheckbox.Changed | Select.Changed) -> None:
        if event.control.id:
            self.touched.add(event.control.id)
        if event.control.id == "no_pain" and self.query_one("#no_pain", FormCheckbox).value:
            self.touched.add("max")
        self.allow_duplicate = False
        self.check()

    # --- saving: validate, ask about doubtful readings and duplicates, write -----------
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_back()

    def action_save(self) -> None:
        if not self.filled or self.saving:
            return
        self.tried_save = True
        walk, errors = self.check()
        if errors or walk is None:
            first = errors[0].field if errors else "pain_free"
            target = self.query(f"#{first}")
            if target:
                target.first().focus()
            self.notify("Not saved yet: please fix the marked field.", severity="warning")
            return
        self.saving = True
        self.ready_for_keys.clear()  # keys typed now are for the screen after the save
        self._check(walk, self.typed())

    def _edit_again(self) -> None:
        """Back to the form after a question: it takes keys again."""
        self.saving = False
        self.mark_ready()

    def _status(self, text: str) -> None:
        self.query_one(".help-line", Static).update(text)

    def _show_waiting(self) -> None:
        self._status("Waiting for the database … (another program is using it)")

    @work(thread=True, exclusive=True, group="log-save")
    def _check(self, walk: WalkInput, typed: dict[str, str]) -> None:
        from tracker.db.errors import StoreError
        from tracker.domain.plausibility import check_walk

        store = self.store
        if store is None:
            return
        editing = self.walk.id if self.walk is not None else None
        try:
            result = check_walk(store, walk, typed, self.unit, editing=editing)
        except StoreError as exc:  # busy, or a file problem: nothing was saved
            self.app.call_from_thread(self._not_saved, str(exc))
            return
        self.app.call_from_thread(self._confirm, walk, result)

    def _confirm(self, walk: WalkInput, result: WalkCheck) -> None:
        doubts = [d for d in result.doubts if (d.field, d.typed.metres) not in self.accepted]
        if doubts:
            self._ask_doubt(doubts[0], lambda: self._confirm(walk, result))
        elif result.duplicate_id is not None and not self.allow_duplicate:
            self._ask_duplicate(result.duplicate_id, walk)
        else:
            self._start_write(walk)

    def _ask_doubt(self, doubt: DistanceDoubt, go_on: Callable[[], None]) -> None:
        """ "Did you mean 20 km or 20 m?": each reading is an answer; going back changes
        nothing and is the default."""
        from tracker.domain.wording import distance_doubt_question
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        answers = [("back", "Go back and change it"), ("typed", f"{doubt.typed.text} is right")]
        answers += [(f"alt{i}", f"I meant {a.text}") for i, a in enumerate(doubt.alternatives)]

        def answered(answer: str | None) -> None:
            if answer == "typed":
                self.accepted.add((doubt.field, doubt.typed.metres))
                go_on()
            elif answer and answer.startswith("alt"):
                reading = doubt.alternatives[int(answer[3:])]
                self.accepted.add((doubt.field, reading.metres))  # chosen: not asked again
                self._edit_again()
                self.query_one(f"#{doubt.field}", Input).value = reading.text.replace(" ", "")
                self.call_after_refresh(self.action_save)
            else:
                self._edit_again()
                self.query_one(f"#{doubt.field}", Input).focus()

        self.app.push_screen(
            ChoiceModal(distance_doubt_question(doubt, self.unit), answers, escape="back"),
            answered,
        )

    def _ask_duplicate(self, walk_id: int, walk: WalkInput) -> None:
        from tracker.domain.wording import duplicate_sentence
        from tracker.ui.widgets.confirm_modal import ChoiceModal

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.allow_duplicate = True
                self._start_write(walk)
            else:
                self._edit_again()

        self.app.push_screen(
            ChoiceModal(
                duplicate_sentence(walk_id) + " Save it a second time?",
                [("back", "No, go back"), ("save", "Yes, save it again")],
                escape="back",
            ),
            answered,
        )

    def _start_write(self, walk: WalkInput) -> None:
        self._waiting = self.set_timer(WAITING_AFTER_S, self._show_waiting)
        self._write(walk)

    @work(thread=True, exclusive=True, group="log-write")
    def _write(self, walk: WalkInput) -> None:
        from tracker.db.errors import StoreError
        from tracker.domain.wording import describe_walk

        store = self.store
        if store is None:
            return
        try:
            if self.walk is not None and self.walk.id is not None:
                row = store.update_walk(self.walk.id, walk)
                verb = "Updated"
            else:
                row = store.add_walk(walk)
                verb = "Saved"
        except StoreError as exc:  # busy, or a file problem: nothing was saved
            self.app.call_from_thread(self._not_saved, str(exc))
            return
        text = f"{verb} walk #{row.id}: {describe_walk(row, self.unit)}"
        self.app.call_from_thread(self._done, text)

    def _stop_waiting(self) -> None:
        self.saving = False
        if self._waiting is not None:
            self._waiting.stop()
            self._waiting = None

    def _not_saved(self, message: str) -> None:
        """The form and everything typed stay; Enter tries again."""
        self._stop_waiting()
        self.mark_ready()
        self._status(f"Not saved. {printable(message)} Press Enter to try again.")
        self.notify(printable(message), severity="error", timeout=10, markup=False)

    def _done(self, text: str) -> None:
        self._stop_waiting()
        self.filled = False  # nothing unsaved any more
        self.app.pop_screen()
        self.notify(printable(text, one_line=True), timeout=4, markup=False)
        self.tracker.data_changed()
