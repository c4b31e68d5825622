"""Guided walking tests (g): choose a test, check its remembered settings, go to the start.

The settings row is read while the screen is built (one small query), so the remembered course
length or speed is in its field on the first frame and nothing typed is overwritten later. Keys
typed faster than the screens open wait in the type-ahead queue (ui/typeahead.py), so `g 2`
opens the treadmill's settings and a digit after it lands in the speed field, never in the
chooser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tracker.db.models import Settings
from tracker.domain.validation import ValidationError
from tracker.domain.walk_test import (
    KIND_LABELS,
    SIX_MINUTE_INSTRUCTIONS,
    DistanceFrom,
    Kind,
    Protocol,
    SixMinuteWalk,
    Stopwatch,
    TimedSession,
    TreadmillSession,
    parse_course_m,
    parse_grade_pct,
    parse_route_m,
    parse_speed_kmh,
)
from tracker.ui.screens.base import TrackerScreen
from tracker.ui.widgets.form_fields import FormSelect
from tracker.ui.widgets.form_row import FormRow

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp

KIND_HELP: dict[Kind, str] = {
    Kind.SIX_MINUTE: "A hallway: count laps with Space for 6 minutes; mark the pain and rests.",
    Kind.TREADMILL: "At a known speed, graded or constant load; mark the pain and the stop.",
    Kind.STOPWATCH: "Time an everyday walk; distances from a known route or your usual speed.",
}


def form_row(field: str, label: str, widget: Any) -> ComposeResult:
    """Label, field, and the message beside it (an error, or a hint)."""
    yield FormRow(label, widget, error=field, label_id=f"label-{field}")


def open_walk_test(app: TrackerApp, kind: str = "") -> None:
    """The chooser (g), or one test's setup straight from the command palette."""
    if kind:
        app._open(lambda: SetupScreen(Kind(kind)))
    else:
        app._open(ChooseTestScreen)


class ChooseTestScreen(TrackerScreen):
    HELP_TITLE = "Guided walking test (g)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        *(Binding(str(i), f"pick({i - 1})", show=False) for i in range(1, len(Kind) + 1)),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("1 / 2 / 3", "6-minute walk test / treadmill session / walk stopwatch"),
        ("↑ ↓ and Enter", "choose a test"),
    )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Guided walking test", classes="title")
        yield OptionList(
            *(
                Option(f"[b]{i}  {KIND_LABELS[k]}[/b]\n   {KIND_HELP[k]}", id=k.value)
                for i, k in enumerate(Kind, 1)
            ),
            id="test-choice",
        )
        yield Static(
            "1-3, or ↑/↓ and Enter: choose · a timed test stores measured distances",
            classes="help-line",
        )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        choice = self.query_one(OptionList)
        choice.highlighted = 0
        choice.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(SetupScreen(Kind(event.option.id or Kind.SIX_MINUTE)))

    def action_pick(self, index: int) -> None:
        self.query_one(OptionList).highlighted = index
        self.app.push_screen(SetupScreen(list(Kind)[index]))


class SetupScreen(TrackerScreen):
    """The remembered settings of one test, shown for a check; Enter goes to the start."""

    HELP_TITLE = "Guided test settings (after choosing a test)"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "ready", "Ready", show=False),
        Binding("ctrl+s", "ready", "Ready"),
    ]
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Enter", "to the start line, from any field (a list or a text)"),
        ("Space", "open a list (↑ ↓ choose, Enter picks)"),
    )

    def __init__(self, kind: Kind) -> None:
        super().__init__()
        self.kind = kind
        self.unit = "m"
        self.shown: dict[str, object] = {}
        """The values as the screen filled them in, to tell whether the user changed any."""

    def compose(self) -> ComposeResult:
        settings = self.store.settings() if self.store is not None else Settings(id=1)
        self.unit = settings.unit
        yield Header()
        yield Static(KIND_LABELS[self.kind], classes="title")
        with VerticalScroll(classes="form"):
            yield from self._fields(settings)
            yield Static(self._instructions(settings), id="instructions", classes="muted")
        with Horizontal(classes="buttons"):
            yield Button("Ready", id="ready", variant="primary", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Static(
            "Enter: to the start · Space opens a list · Esc back · the settings are kept",
            classes="help-line",
        )
        yield Footer(show_command_palette=False)

    def _fields(self, s: Settings) -> ComposeResult:
        def text(field: str, label: str, value: str) -> ComposeResult:
            return form_row(field, label, Input(value, id=field, compact=True))

        def choice(field: str, label: str, options: list[tuple[str, str]], value: str) -> Any:
            select = FormSelect(options, value=value, allow_blank=False, id=field, compact=True)
            return form_row(field, label, select)

        if self.kind is Kind.SIX_MINUTE:
            yield from text("course", "Course length (m)", f"{s.walk_test_course_m:g}")
            yield from choice(
                "round_trip",
                "Space counts",
                [
                    ("each length (turn at each end)", "one"),
                    ("there and back (keyboard at one end)", "both"),
                ],
                "both" if s.walk_test_round_trip else "one",
            )
        elif self.kind is Kind.TREADMILL:
            yield from text("speed", "Speed (km/h)", f"{s.treadmill_speed_kmh:g}")
            yield from choice(
                "protocol",
                "Protocol",
                [
                    ("graded: +2 % every 2 min", Protocol.GRADED.value),
                    ("constant load", Protocol.CONSTANT.value),
                ],
                s.treadmill_protocol,
            )
            yield from text("grade", "Constant grade %", f"{s.treadmill_grade_pct:g}")
        else:
            yield from choice(
                "mode",
                "Distances from",
                [
                    ("a route I know", DistanceFrom.ROUTE.value),
                    ("my usual speed", DistanceFrom.SPEED.value),
                    ("ask me at the end", DistanceFrom.ASK.value),
                ],
                s.stopwatch_mode,
            )
            route = "" if s.stopwatch_route_m is None else _in_unit(s.stopwatch_route_m, s.unit)
            yield from text("route", f"Route length ({s.unit})", route)
            speed = "" if s.stopwatch_speed_kmh is None else f"{s.stopwatch_speed_kmh:g}"
            yield from text("speed", "Your speed (km/h)", speed)

    def _instructions(self, s: Settings) -> str:
        if self.kind is Kind.SIX_MINUTE:
            return (
                "\nMark a straight course in a hallway, with a turning mark at each end. "
                + SIX_MINUTE_INSTRUCTIONS
            )
        if self.kind is Kind.TREADMILL:
            return (
                "\nSet the treadmill's speed (and grade 0 % for the graded protocol). Press "
                "Space as you start walking, p the moment the pain starts, s when you stop. "
                "The screen says when to raise the grade. Stop at once for chest pain, "
                "breathlessness, palpitations or dizziness."
            )
        return (
            "\nPress Space as you set off, p the moment the pain starts, s when the pain "
            "makes you stop (or at the end of the route). The time is always stored; "
            "distances come from the route or your speed, or you type them at the end."
        )

    def on_mount(self) -> None:
        self.query(Input).first().focus()
        if self.kind is Kind.TREADMILL:
            self._protocol_changed()
        self.shown = self._values()

    def _values(self) -> dict[str, object]:
        values: dict[str, object] = {str(w.id): w.value for w in self.query(Input)}
        values.update({str(w.id): w.value for w in self.query(Select)})
        return values

    def unsaved_question(self) -> str | None:
        if not self.shown or self._values() == self.shown:
            return None
        return "Discard the settings you changed? They are not remembered yet."

    def go_back(self) -> None:
        self.app.pop_screen()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ready")
    def action_ready(self) -> None:
        session, changes, errors = self._read()
        for field in ("course", "speed", "grade", "route"):
            for err in self.query(f"#err-{field}"):
                assert isinstance(err, Static)
                err.update(errors.get(field, ""))
        if session is None:
            self.notify("Not started: please fix the marked field.", severity="warning")
            return
        self._remember(changes)
        self.shown = self._values()
        from tracker.ui.screens.walk_test_run import run_screen

        self.app.push_screen(run_screen(self.kind, session, self.unit))

    def _read(self) -> tuple[TimedSession | None, dict[str, object], dict[str, str]]:
        errors: dict[str, str] = {}
        changes: dict[str, object] = {}

        def value(field: str) -> str:
            return self.query_one(f"#{field}", Input).value

        def choice(field: str) -> str:
            return str(self.query_one(f"#{field}", Select).value)

        def parse(field: str, key: str, fn: Any, *args: Any) -> Any:
            try:
                result = fn(value(field), *args)
            except ValidationError as exc:
                errors[field] = exc.message
                return None
            changes[key] = result
            return result

        session: TimedSession | None = None
        if self.kind is Kind.SIX_MINUTE:
            course = parse("course", "walk_test_course_m", parse_course_m)
            round_trip = choice("round_trip") == "both"
            changes["walk_test_round_trip"] = round_trip
            if course is not None:
                session = SixMinuteWalk(course, round_trip=round_trip)
        elif self.kind is Kind.TREADMILL:
            protocol = Protocol(choice("protocol"))
            changes["treadmill_protocol"] = protocol.value
            speed = parse("speed", "treadmill_speed_kmh", _speed_first, "speed")
            grade = parse("grade", "treadmill_grade_pct", parse_grade_pct)
            if speed is not None and grade is not None:
                session = TreadmillSession(speed, protocol, grade)
        else:
            mode = DistanceFrom(choice("mode"))
            changes["stopwatch_mode"] = mode.value
            route = speed = None
            if mode is DistanceFrom.ROUTE or value("route").strip():
                route = parse("route", "stopwatch_route_m", parse_route_m, self.unit)
            if mode is DistanceFrom.SPEED or value("speed").strip():
                speed = parse("speed", "stopwatch_speed_kmh", _speed_first, "speed")
            if not errors:
                session = Stopwatch(mode, route_m=route, speed_kmh=speed)
        return (None if errors else session), changes, errors

    @work(thread=True, group="walk-test-settings")
    def _remember(self, changes: dict[str, object]) -> None:
        if self.store is not None and changes:
            self.store.update_settings(**changes)

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Select.Changed, "#protocol")
    def _protocol_changed(self) -> None:
        constant = self.query_one("#protocol", Select).value == Protocol.CONSTANT.value
        self.query_one("#grade", Input).disabled = not constant


def _speed_first(text: str, field: str) -> float:
    return parse_speed_kmh(field, text)


def _in_unit(metres: float, unit: str) -> str:
    from tracker.domain.units import to_unit

    return f"{round(to_unit(metres, unit), 3):g}"
