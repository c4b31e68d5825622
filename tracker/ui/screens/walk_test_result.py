"""The result of a guided test: every figure shown and editable, checked, saved on Enter.

What is stored (decided here, documented in the README):
- a complete 6-minute walk test: method `6mwt`, source `timer`, 6 minutes; pain-free = the
  estimated distance at pain onset, maximum and total = the 6-minute distance;
- a 6-minute walk test stopped early: method `walk` (never `6mwt`, so it is never read as a
  6-minute distance), notes starting "Incomplete 6-minute walk test";
- treadmill: method `treadmill`, the protocol in the notes; stopwatch: method `walk`.
No pain marked: the walk ended without pain, its distance a lower bound (as in the log form).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Select, Static

from tracker.domain.clinical import Location, Method, Side, Source
from tracker.domain.units import Unit, format_distance, to_unit
from tracker.domain.validation import ValidationError, walk_errors
from tracker.domain.walk_test import (
    EDITED_NOTE,
    Kind,
    SixMinuteResult,
    SixMinuteWalk,
    Stopwatch,
    StopwatchResult,
    TimedSession,
    TreadmillResult,
    TreadmillSession,
    clock_text,
    early_pain_warning,
    parse_laps,
    parse_partial_m,
    quick_laps,
    saved_sentence,
    six_minute_notes,
    speed_warning,
    stopwatch_notes,
    treadmill_notes,
)
from tracker.domain.walks import WalkInput
from tracker.ui.screens.base import DiscardQuestion, TrackerScreen
from tracker.ui.screens.walk_test import form_row
from tracker.ui.widgets.confirm_modal import ChoiceModal
from tracker.ui.widgets.form_fields import FormSelect
from tracker.ui.widgets.form_row import FormRow

Figures = tuple[WalkInput | None, dict[str, str], list[str]]
"""The walk to store (or None), errors by field, plausibility warnings."""


def _typed(metres: float | None, unit: str) -> str:
    """A distance as the user would type it in their unit."""
    if metres is None:
        return ""
    digits = 2 if Unit(unit) in (Unit.KM, Unit.MI) else 0
    return f"{round(to_unit(metres, unit), digits):g}"


class ResultScreen(TrackerScreen):
    HELP_TITLE = "Guided test result (after a test)"
    BINDINGS = [
        Binding("escape", "back", "Discard…"),
        Binding("enter", "save", "Save", show=False),
        Binding("ctrl+s", "save", "Save"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "save, from any field (a list or a text)"),
        ("Space", "open a list (↑ ↓ choose, Enter picks)"),
    )

    def __init__(
        self,
        kind: Kind,
        session: TimedSession,
        unit: str,
        started_wall: datetime | None,
        ended_at: float,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.session = session
        self.unit = unit
        self.started_wall = started_wall
        self.ended_at = ended_at
        self.saved = False
        self.saving = False
        """A save is under way: a second Enter does nothing."""
        self.tried_save = False
        self.touched: set[str] = set()
        self.filled_in: dict[str, str] = {}
        self.mill: TreadmillResult | None = None
        self.stopwatch: StopwatchResult | None = None
        if isinstance(session, TreadmillSession):
            self.mill = session.result()
        elif isinstance(session, Stopwatch):
            self.stopwatch = session.result()

    def discard_question(self, quitting: bool) -> DiscardQuestion | None:
        if self.saved:
            return None
        if quitting:
            return DiscardQuestion(
                "Quit tracker? This test's result is not saved yet.",
                keep="Keep it (back to the figures)",
                discard="Discard it and quit",
            )
        return DiscardQuestion(
            "Discard this test? Its figures are not saved anywhere.",
            keep="Keep it (back to the figures)",
            discard="Discard",
        )

    def go_back(self) -> None:
        self.saved = True
        self.tracker.action_dashboard()
        self.notify("Test discarded; nothing was saved.")

    @property
    def six(self) -> SixMinuteWalk:
        return cast(SixMinuteWalk, self.session)

    # --- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title(), classes="title", id="result-title")
        with VerticalScroll(classes="form", id="result-form"):
            if self.kind is Kind.SIX_MINUTE:
                yield from form_row("partial", "Partial lap (m)", Input(id="partial", compact=True))
                laps = str(len(self.six.lap_times))
                yield from form_row(
                    "laps", f"Laps of {self.six.lap_m:g} m", Input(laps, id="laps", compact=True)
                )
                yield Static("", id="distance-line", classes="figure-line")
                estimate = self.six.result(0.0, self.ended_at).pain_m
                yield from form_row(
                    "pain_free",
                    f"Pain began at ({self.unit})",
                    Input(_typed(estimate, self.unit), id="pain_free", compact=True),
                )
            else:
                r = self.mill or self.stopwatch
                assert r is not None
                yield from form_row(
                    "pain_free",
                    f"Pain-free ({self.unit})",
                    Input(_typed(r.pain_m, self.unit), id="pain_free", compact=True),
                )
                yield from form_row(
                    "max",
                    f"Maximum ({self.unit})",
                    Input(_typed(r.max_m, self.unit), id="max", compact=True),
                )
            yield from form_row(
                "location",
                "Where it hurt",
                FormSelect([(x.value, x.value) for x in Location], id="location", compact=True),
            )
            yield from form_row(
                "side",
                "Side",
                FormSelect([(x.value, x.value) for x in Side], id="side", compact=True),
            )
            yield from form_row("pain", "Pain 0-10", Input(id="pain", compact=True))
            yield FormRow("Your notes", Input(id="notes", compact=True), wide=True)
            yield Static("", classes="error", id="err-notes")
            yield Static("", id="result-summary", classes="muted")
            yield Static("", id="result-warnings")
        with Horizontal(classes="buttons"):
            yield Button("Save", id="save", variant="primary", compact=True)
            yield Button("Discard", id="discard", compact=True)
        yield Static(
            "Enter saves · Space opens a list · empty pain-free = no pain · Esc discards",
            classes="help-line",
        )
        yield Footer(show_command_palette=False)

    def _title(self) -> str:
        if self.kind is Kind.SIX_MINUTE:
            if self.six.ended_s is not None and self.six.ended_s < (self.six.limit_s or 0):
                return (
                    f"Stopped early at {clock_text(self.six.ended_s)}: not a 6-minute distance "
                    "(saved as an incomplete walk)"
                )
            return "6-minute walk test: time is up. How far past the last lap mark?"
        if self.kind is Kind.TREADMILL:
            return "Treadmill session: check the figures and save"
        if self.stopwatch is not None and self.stopwatch.max_m is None:
            return "Walk stopwatch: type the distances (the times are kept)"
        return "Walk stopwatch: check the figures and save"

    def on_mount(self) -> None:
        first = "partial" if self.kind is Kind.SIX_MINUTE else "pain_free"
        if (
            self.stopwatch is not None
            and self.stopwatch.max_m is None
            and self.stopwatch.pain_s is None
        ):
            first = "max"
        self.filled_in = {str(i.id): i.value for i in self.query(Input)}
        self.query_one(f"#{first}", Input).focus()
        self.refresh_figures()

    def on_data_changed(self, _: object) -> None:
        """Nothing here comes from the database."""

    # --- the figures -----------------------------------------------------------------------
    def value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _choice(self, field: str) -> str | None:
        value = self.query_one(f"#{field}", Select).value
        return value if isinstance(value, str) else None

    def figures(self) -> Figures:
        errors: dict[str, str] = {}
        warnings: list[str] = []
        if self.kind is Kind.SIX_MINUTE:
            draft, extra = self._six_minute_draft(errors, warnings)
        else:
            draft, extra = self._timed_draft(warnings)
        if draft is None:
            return None, errors, warnings
        walk, problems = walk_errors(draft, unit=self.unit, now=self.tracker.now())
        for e in problems:
            errors.setdefault(extra.get(e.field, e.field), e.message)
        return walk, errors, warnings

    def _base_draft(self, duration_s: float, method: str, notes: str) -> dict[str, object]:
        when = self.started_wall or self.tracker.now()
        own = self.value("notes").strip()
        return {
            "date": when.strftime("%Y-%m-%d"),
            "time": when.strftime("%H:%M"),
            "location": self._choice("location"),
            "side": self._choice("side"),
            "pain": self.value("pain"),
            "minutes": f"{max(round(duration_s / 60, 2), 0.01):g}",
            "method": method,
            "source": Source.TIMER.value,
            "notes": notes + (f" {own}" if own else ""),
        }

    def six_result(self) -> SixMinuteResult | None:
        try:
            partial = parse_partial_m(self.value("partial"), self.six.lap_m)
        except ValidationError:
            return None
        return self.six.result(partial, self.ended_at)

    def _six_minute_draft(
        self, errors: dict[str, str], warnings: list[str]
    ) -> tuple[dict[str, object] | None, dict[str, str]]:
        w = self.six
        try:
            partial = parse_partial_m(self.value("partial"), w.lap_m)
        except ValidationError as exc:
            errors["partial"] = exc.message
            partial = None
        try:
            laps = parse_laps(self.value("laps"))
        except ValidationError as exc:
            errors["laps"] = exc.message
            laps = None
        if partial is None or laps is None:
            return None, {}
        r = w.result(partial, self.ended_at)
        distance = laps * w.lap_m + partial
        typed_pain = self.value("pain_free").strip()
        edited = laps != r.laps or (
            "pain_free" in self.touched and typed_pain != _typed(r.pain_m, self.unit)
        )
        notes = six_minute_notes(r, self.unit) + (f" {EDITED_NOTE}" if edited else "")
        method = Method.SIX_MWT.value if r.complete else Method.WALK.value
        draft = self._base_draft(r.duration_s, method, notes)
        metres = f"{distance:.3f}m"
        draft.update(
            pain_free=typed_pain or metres,
            no_pain=not typed_pain,
            max=metres if typed_pain else None,
            total=metres,
        )
        warning = speed_warning(distance, r.duration_s, "A distance")
        if warning:
            warnings.append(warning + " Is the lap count right?")
        if laps == r.laps:
            for n in quick_laps(r.lap_times_s, w.lap_m):
                warnings.append(f"Lap {n} was very quick: was Space pressed twice?")
        if "pain_free" not in self.touched:
            warning = early_pain_warning(r.pain_s)
            if warning:
                warnings.append(warning)
        return draft, {"max": "laps", "total": "laps"}

    def _timed_draft(self, warnings: list[str]) -> tuple[dict[str, object], dict[str, str]]:
        typed_pain = self.value("pain_free").strip()
        typed_max = self.value("max").strip()
        if self.mill is not None:
            r: TreadmillResult | StopwatchResult = self.mill
            notes = treadmill_notes(self.mill, self.unit)
            method = Method.TREADMILL.value
        else:
            assert self.stopwatch is not None
            r = self.stopwatch
            notes = stopwatch_notes(self.stopwatch, self.unit)
            method = Method.WALK.value
        edited = r.max_m is not None and (
            typed_max != _typed(r.max_m, self.unit) or typed_pain != _typed(r.pain_m, self.unit)
        )
        draft = self._base_draft(r.stop_s, method, notes + (f" {EDITED_NOTE}" if edited else ""))
        draft.update(
            pain_free=typed_pain or typed_max,
            no_pain=not typed_pain,
            max=typed_max if typed_pain else None,
            total=typed_max or None,
        )
        extra = {"pain_free": "pain_free" if typed_pain else "max", "total": "max"}
        try:
            from tracker.domain.units import parse_distance

            metres = parse_distance(typed_max, self.unit) if typed_max else None
        except ValueError:
            metres = None
        warning = speed_warning(metres, r.stop_s, "A distance")
        if warning:
            warnings.append(warning)
        if "pain_free" not in self.touched:
            warning = early_pain_warning(r.pain_s)
            if warning:
                warnings.append(warning)
        return draft, extra

    def refresh_figures(self) -> tuple[WalkInput | None, dict[str, str], list[str]]:
        walk, errors, warnings = self.figures()
        for err in self.query(".error"):
            field = (err.id or "").removeprefix("err-")
            shown = self.tried_save or field in self.touched
            message = errors.get(field, "") if shown else ""
            cast(Static, err).update(message or self._hint(field))
        self.query_one("#result-summary", Static).update(self._summary())
        self.query_one("#result-warnings", Static).update(
            "\n".join(f"[b]Please check:[/b] {w}" for w in warnings)
        )
        if self.kind is Kind.SIX_MINUTE:
            self._distance_line(walk)
        return walk, errors, warnings

    def _distance_line(self, walk: WalkInput | None) -> None:
        w = self.six
        label = "6-minute distance" if self.six.result(0, self.ended_at).complete else "Distance"
        line = self.query_one("#distance-line", Static)
        if walk is None or walk.total_m is None:
            line.update(f"{label}: laps × {w.lap_m:g} m + the last partial lap")
            return
        laps = self.value("laps").strip()
        partial = self.value("partial").strip()
        line.update(
            f"[b]{label}: {laps} × {w.lap_m:g} m + {partial} m = "
            f"{format_distance(walk.total_m, self.unit)}[/b]"
        )

    def _hint(self, field: str) -> str:
        if field == "pain_free" and self.value("pain_free").strip():
            if self.kind is Kind.SIX_MINUTE:
                return "[$text-muted i]estimated from the lap times[/]"
            return ""
        if field == "pain_free":
            return "[$text-muted i]empty: no pain came[/]"
        return ""

    def _summary(self) -> str:
        from tracker.domain.wording import count

        if self.kind is Kind.SIX_MINUTE:
            r = self.six_result() or self.six.result(0.0, self.ended_at)
            parts = [f"Walked {clock_text(r.duration_s)}"]
            if r.pain_s is not None:
                parts.append(
                    f"pain marked at {clock_text(r.pain_s)} (its distance is an estimate from "
                    "the lap times)"
                )
            else:
                parts.append("no pain marked")
            if r.rests:
                parts.append(
                    f"{count(len(r.rests), 'rest')}, "
                    f"{clock_text(r.rest_total_s)} in all, the first at about "
                    f"{format_distance(r.first_rest_m, self.unit)}"
                )
            return "; ".join(parts) + "."
        if self.mill is not None:
            return treadmill_notes(self.mill, self.unit)
        assert self.stopwatch is not None
        return stopwatch_notes(self.stopwatch, self.unit)

    @on(Input.Changed)
    def _typed_in(self, event: Input.Changed) -> None:
        """A field counts as typed in once its value differs from the one the screen put there
        (the filled-in values post Changed too)."""
        field = event.input.id or ""
        if event.value != self.filled_in.get(field, ""):
            self.touched.add(field)
        if field == "partial" and "pain_free" not in self.touched:
            r = self.six_result()
            if r is not None and r.pain_m is not None:
                pain = self.query_one("#pain_free", Input)
                self.filled_in["pain_free"] = _typed(r.pain_m, self.unit)
                with pain.prevent(Input.Changed):
                    pain.value = self.filled_in["pain_free"]
        self.refresh_figures()

    @on(Select.Changed)
    def _chosen(self) -> None:
        self.refresh_figures()

    # --- saving ------------------------------------------------------------------------------
    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        self.tried_save = True
        walk, errors, warnings = self.refresh_figures()
        if errors or walk is None:
            first = next(iter(errors), None)
            if first and self.query(f"#{first}"):
                self.query_one(f"#{first}").focus()
            self.notify("Not saved yet: please fix the marked field.", severity="warning")
            return
        if not warnings:
            self._write(walk)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self._write(walk)

        self.app.push_screen(
            ChoiceModal(
                "Please check before saving:\n" + "\n".join(f"• {w}" for w in warnings),
                [("back", "Go back and check the figures"), ("save", "Save as shown")],
                escape="back",
            ),
            answered,
        )

    def _write(self, walk: WalkInput) -> None:
        self.saving = True
        self.ready_for_keys.clear()  # keys typed now are for the screen after the save
        self._store_walk(walk)

    @work(thread=True, exclusive=True, group="walk-test-save")
    def _store_walk(self, walk: WalkInput) -> None:
        store = self.store
        if store is None:
            return
        row = store.add_walk(walk)
        self.app.call_from_thread(
            self._done, f"Saved walk #{row.id}: {saved_sentence(walk, self.unit)}"
        )

    def _done(self, text: str) -> None:
        self.saved = True
        self.tracker.action_dashboard()
        self.notify(text, timeout=6)
        self.tracker.data_changed()

    @on(Button.Pressed, "#discard")
    def _discard_pressed(self) -> None:
        self.action_back()
