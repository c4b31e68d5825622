"""A guided test under way: a large clock, the keys, the protocol's words.

Every figure is read from the app's monotonic clock when it is shown or when a key is pressed;
the 5-per-second tick only repaints. A suspended terminal (ctrl+z, fg), a resize or a slow
frame therefore cannot bend the test, and at 6:00 the walk test ends at exactly 6:00 however
late the tick comes. Nothing is stored here: the result screen saves, after the user has seen
and confirmed every figure, so a killed app leaves no half-made walk behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Digits, Footer, Header, Static

from tracker.domain.clinical import GRADE_STEP_PCT, GRADE_STEP_S, SIX_MINUTES_S
from tracker.domain.units import format_distance
from tracker.domain.walk_test import (
    KIND_LABELS,
    Kind,
    Protocol,
    SixMinuteWalk,
    Stopwatch,
    TimedSession,
    TreadmillSession,
    announcement_minute,
    clock_text,
    countdown_text,
    early_pain_warning,
    quick_laps,
    treadmill_protocol_text,
)
from tracker.ui.screens.base import DiscardQuestion, TrackerScreen
from tracker.ui.widgets.confirm_modal import ChoiceModal

TICK_S = 0.2
LAPS_SHOWN = 12
SAFETY_LINE = "Chest pain, breathlessness, palpitations or dizziness: stop and get help."
RAISE_NOTICE_S = 20.0
"""How long "Raise the grade now" stays in bold after each 2-minute step."""


def run_screen(kind: Kind, session: TimedSession, unit: str) -> RunScreen:
    if kind is Kind.SIX_MINUTE:
        return SixMinuteScreen(cast(SixMinuteWalk, session), unit)
    if kind is Kind.TREADMILL:
        return TreadmillScreen(cast(TreadmillSession, session), unit)
    return StopwatchScreen(cast(Stopwatch, session), unit)


class RunScreen(TrackerScreen):
    """What the three tests share: Space starts, p marks the pain, Esc and q ask first, and
    the other screens' keys wait until the test is stopped."""

    kind: Kind
    BINDINGS = [
        Binding("space", "space", "Start"),
        Binding("p", "pain", "Pain now"),
        Binding("escape", "back", "Stop…"),
        Binding("ctrl+z", "app.suspend_process", "Pause terminal", show=False),
    ]

    def __init__(self, session: TimedSession, unit: str) -> None:
        super().__init__()
        self.session = session
        self.unit = unit
        self.started_wall: datetime | None = None
        self.finished = False
        self.event_line = ""
        self._timer: Timer | None = None
        self._shown_step = -1
        self._shown: dict[str, str] = {}

    @property
    def running(self) -> bool:
        """A started test is unsaved work (the app asks before leaving it)."""
        return self.session.started and not self.finished

    def busy_message(self) -> str | None:
        if not self.running:
            return None
        return (
            f"The {KIND_LABELS[self.kind].lower()} is running: stop it first with Esc "
            "(the clock keeps going while you decide)."
        )

    def discard_question(self, quitting: bool) -> DiscardQuestion | None:
        if not self.running:
            return None
        return DiscardQuestion(
            "Quit tracker? The test under way is not saved.",
            keep="Keep going",
            discard="Discard the test and quit",
        )

    def kept(self) -> None:
        self.tick()

    def clock(self) -> float:
        return self.tracker.monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space only starts the treadmill and the stopwatch: once they run it leaves the
        footer (and does nothing), so the footer lists only keys that do something."""
        starts_only = self.kind is not Kind.SIX_MINUTE
        return not (action == "space" and starts_only and self.session.started)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.title_text(), classes="title", id="test-title")
        yield Digits("", id="test-clock")
        yield Static("", id="test-status")
        yield Static("", id="test-announce")
        yield Static("", id="test-event")
        yield Static("", classes="help-line", id="test-detail")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._timer = self.set_interval(TICK_S, self.tick)
        self.tick()

    def on_data_changed(self, _: object) -> None:
        """Nothing here comes from the database."""

    # --- what each test shows ------------------------------------------------------------
    def title_text(self) -> str:
        return KIND_LABELS[self.kind]

    def detail_text(self, now: float) -> str:
        return SAFETY_LINE

    def clock_text(self, now: float) -> str:
        return clock_text(self.session.elapsed(now))

    def status_text(self, now: float) -> str:
        return ""

    def announce_text(self, now: float) -> str:
        return ""

    def announce_step(self, now: float) -> int:
        """Changes when a new announcement is due: the bell rings then."""
        return 0

    # --- the clock -------------------------------------------------------------------------
    def tick(self) -> None:
        now = self.clock()
        if self.finished:
            return
        for widget_id, text in (
            ("test-clock", self.clock_text(now)),
            ("test-status", self.status_text(now)),
            ("test-announce", self.announce_text(now)),
            ("test-event", self.event_line),
            ("test-detail", self.detail_text(now)),
        ):
            if self._shown.get(widget_id) != text:  # repaint only what changed
                self._shown[widget_id] = text
                widget = self.query_one(f"#{widget_id}")
                assert isinstance(widget, Digits | Static)
                widget.update(text)
        step = self.announce_step(now)
        if self.session.started and step != self._shown_step:
            if self._shown_step >= 0:
                self.app.bell()
            self._shown_step = step
        if self.session.time_is_up(now) and self.app.screen is self:
            self.finish(now)

    def note(self, text: str) -> None:
        self.event_line = text
        self.tick()

    # --- keys ---------------------------------------------------------------------------------
    def action_space(self) -> None:
        now = self.clock()
        if not self.session.started:
            self.session.start(now)
            self.started_wall = self.tracker.now()
            self.refresh_bindings()
            self.note("Started. The clock is running.")
            return
        self.on_space(now)

    def on_space(self, now: float) -> None:
        """Space after the start: a lap in the walk test, nothing elsewhere."""
        self.tick()

    def action_pain(self) -> None:
        now = self.clock()
        if not self.session.started:
            self.notify("Press Space to start first.")
            return
        if self.session.pain_s is not None:
            self.note(f"The pain was already marked at {clock_text(self.session.pain_s)}.")
            return
        if self.session.mark_pain(now):
            pain_s = self.session.pain_s or 0.0
            text = f"Pain marked at {clock_text(pain_s)}."
            if early_pain_warning(pain_s):
                text += " That is very early: you can correct it before saving."
            self.note(text)
        else:
            self.tick()

    def action_stop(self) -> None:
        now = self.clock()
        if not self.session.started:
            self.notify("Press Space to start first.")
            return
        self.session.stop(now)
        self.finish(now)

    def action_back(self) -> None:
        """Esc (and `s` in the walk test): before the start, back to the settings; once the
        clock runs, ask (keep going, the default; stop and review; or discard)."""
        if not self.session.started:
            self.app.pop_screen()
            return
        question, answers = self.leave_question()
        self.app.push_screen(ChoiceModal(question, answers, escape="keep"), self._left)

    def leave_question(self) -> tuple[str, list[tuple[str, str]]]:
        return (
            "Stop this session? The clock keeps running while you decide.",
            [
                ("keep", "Keep going"),
                ("stop", "Stop here and review the result"),
                ("discard", "Discard the session (nothing is saved)"),
            ],
        )

    def _left(self, answer: str | None) -> None:
        now = self.clock()
        if answer == "stop":
            self.session.stop(now)
            self.finish(now)
        elif answer == "discard":
            self.finished = True
            self.tracker.action_dashboard()
            self.notify("Test discarded; nothing was saved.")
        else:
            self.tick()

    def finish(self, now: float) -> None:
        """Hand the figures to the result screen (the test stays unsaved until it saves)."""
        if self.finished:
            return
        self.finished = True
        self.session.stop(now)
        if self._timer is not None:
            self._timer.stop()
        self.app.bell()
        from tracker.ui.screens.walk_test_result import ResultScreen

        self.app.switch_screen(
            ResultScreen(self.kind, self.session, self.unit, self.started_wall, now)
        )


class SixMinuteScreen(RunScreen):
    HELP_TITLE = "6-minute walk test, while it runs"
    kind = Kind.SIX_MINUTE
    BINDINGS = [
        Binding("space", "space", "Lap"),
        Binding("p", "pain", "Pain now"),
        Binding("r", "rest", "Rest/walk on"),
        Binding("backspace", "undo_lap", "Undo lap"),
        Binding("escape", "back", "Stop…"),
        Binding("s", "back", "Stop…", show=False),
    ]

    def __init__(self, session: SixMinuteWalk, unit: str) -> None:
        super().__init__(session, unit)
        self.walk = session

    def title_text(self) -> str:
        w = self.walk
        how = f"there and back along {w.course_m:g} m" if w.round_trip else "one length"
        return f"6-minute walk test · a lap = {w.lap_m:g} m ({how})"

    def detail_text(self, now: float) -> str:
        times = self.walk.lap_times
        if not times:
            return SAFETY_LINE
        shown = " ".join(clock_text(t) for t in times[-LAPS_SHOWN:])
        return f"Laps at {'… ' if len(times) > LAPS_SHOWN else ''}{shown}"

    def clock_text(self, now: float) -> str:
        return countdown_text(SIX_MINUTES_S - self.walk.elapsed(now))

    def status_text(self, now: float) -> str:
        w = self.walk
        if not w.started:
            return "Ready at the start line. Press Space as you set off."
        parts = [f"Laps {len(w.lap_times)} · {format_distance(w.distance_so_far(), 'm')}"]
        if w.pain_s is not None:
            parts.append(f"pain at {clock_text(w.pain_s)}")
        if w.rests or w.resting:
            parts.append(f"rests {len(w.rests) + (1 if w.resting else 0)}")
        if w.resting and w.rest_from is not None:
            parts.append(f"[b]resting {clock_text(w.elapsed(now) - w.rest_from)}[/b]")
        return " · ".join(parts)

    def announce_text(self, now: float) -> str:
        return f"[b]{self.walk.announcement(now)}[/b]"

    def announce_step(self, now: float) -> int:
        return announcement_minute(self.walk.elapsed(now))

    def on_space(self, now: float) -> None:
        w = self.walk
        if not w.lap(now):
            self.tick()
            return
        n = len(w.lap_times)
        took = w.lap_times[-1] - (w.lap_times[-2] if n > 1 else 0.0)
        text = f"Lap {n} at {clock_text(w.lap_times[-1])} ({took:.0f} s)."
        if n in quick_laps(tuple(w.lap_times), w.lap_m):
            text += " Very quick: ⌫ undoes it if Space was pressed twice."
        self.note(text)

    def action_undo_lap(self) -> None:
        if self.walk.undo_lap(self.clock()):
            self.note(f"Last lap taken back: {len(self.walk.lap_times)} laps.")

    def action_rest(self) -> None:
        now = self.clock()
        if not self.walk.running(now):
            self.tick()
            return
        resting = self.walk.toggle_rest(now)
        at = clock_text(self.walk.elapsed(now))
        self.note(
            f"Rest from {at}: the clock keeps running." if resting else f"Walking on at {at}."
        )

    def leave_question(self) -> tuple[str, list[tuple[str, str]]]:
        return (
            "Stop the 6-minute walk test early? The clock keeps running while you decide. "
            "A test stopped early is not a 6-minute distance: it can only be saved as an "
            "incomplete walk.",
            [
                ("keep", "Keep going"),
                ("stop", "Stop now and review (incomplete)"),
                ("discard", "Discard the test (nothing is saved)"),
            ],
        )


class TreadmillScreen(RunScreen):
    HELP_TITLE = "Treadmill session, while it runs"
    kind = Kind.TREADMILL
    BINDINGS = [Binding("s", "stop", "Stop")]

    def __init__(self, session: TreadmillSession, unit: str) -> None:
        super().__init__(session, unit)
        self.mill = session

    def title_text(self) -> str:
        m = self.mill
        return "Treadmill · " + treadmill_protocol_text(
            m.speed_kmh, m.protocol, m.constant_grade_pct
        )

    def status_text(self, now: float) -> str:
        m = self.mill
        if not m.started:
            grade = 0.0 if m.protocol is Protocol.GRADED else m.constant_grade_pct
            return (
                f"Set the treadmill to {m.speed_kmh:g} km/h at {grade:g} % grade and press "
                "Space as you start walking."
            )
        parts = [
            f"{format_distance(m.distance_m(now), self.unit)}",
            f"grade {m.grade_pct(now):g} %",
        ]
        if m.pain_s is not None:
            parts.append(f"pain at {clock_text(m.pain_s)}")
        return " · ".join(parts)

    def announce_text(self, now: float) -> str:
        m = self.mill
        if not m.started or m.protocol is Protocol.CONSTANT:
            return ""
        t = m.elapsed(now)
        grade = m.grade_pct(now)
        stage_from = (t // GRADE_STEP_S) * GRADE_STEP_S
        next_text = f"Next: {grade + GRADE_STEP_PCT:g} % at {clock_text(stage_from + GRADE_STEP_S)}"
        if grade > 0 and t - stage_from < RAISE_NOTICE_S:
            return f"[b]Raise the grade to {grade:g} % now.[/b] {next_text}."
        return f"Grade {grade:g} % · {next_text}."

    def announce_step(self, now: float) -> int:
        return int(self.mill.grade_pct(now))


class StopwatchScreen(RunScreen):
    HELP_TITLE = "Walk stopwatch, while it runs"
    kind = Kind.STOPWATCH
    BINDINGS = [Binding("s", "stop", "Stop")]

    def __init__(self, session: Stopwatch, unit: str) -> None:
        super().__init__(session, unit)
        self.stopwatch = session

    def status_text(self, now: float) -> str:
        w = self.stopwatch
        if not w.started:
            return "Press Space as you set off."
        parts = ["walking"]
        metres = w.estimate_m(now)
        if metres is not None:
            parts.append(f"about {format_distance(metres, self.unit)}")
        if w.pain_s is not None:
            parts.append(f"pain at {clock_text(w.pain_s)}")
        return " · ".join(parts)

    def announce_text(self, now: float) -> str:
        if not self.stopwatch.started:
            return ""
        if self.stopwatch.pain_s is None:
            return "Press p the moment the pain starts, s when you stop."
        return "Press s when the pain makes you stop (or at the end of the route)."
