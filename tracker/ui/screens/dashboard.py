"""The start screen: today's status at a glance, or a first-run welcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tracker.ui.navigation import SCREENS, footer_keys
from tracker.ui.screens.base import TrackerScreen

if TYPE_CHECKING:
    from tracker.domain.dashboard import DashboardSummary

WELCOME = (
    "[b]Welcome to tracker, your walking diary.[/b]\n\n"
    "After each walk, press [b]l[/b] and type two numbers: the [b]pain-free distance[/b] "
    "(how far you walked before the leg pain began) and the [b]maximum distance[/b] (where "
    "the pain made you stop). Type 180 for 180 m, or add a unit: 0.4km, 300yd, 0.2mi. If no "
    "pain came at all, tick [b]no pain[/b]: the distance then counts as 'at least'.\n\n"
    "After about 6 weeks of walks, the trend ([b]t[/b]) shows whether your pain-free "
    "distance is growing, steady or shrinking. Record cigarettes with [b]s[/b] and any "
    "worrying symptom with [b]y[/b]. Press [b]?[/b] for all keys, [b]o[/b] for settings, "
    "[b]q[/b] to quit.\n\n"
    "Not sure your leg pain is the walking kind? Press [b]c[/b] for a short calf-pain check: "
    "which kind of pain it fits, and how soon to see a doctor."
)


FOOTER_LATEST_S = 0.4
"""The footer joins at the latest this long after the dashboard is mounted (when no figures
come sooner: a diary opening cannot look at first, or a migration)."""


class DashboardScreen(TrackerScreen):
    BINDINGS = [
        Binding("escape", "nothing", "Nothing on the dashboard", show=False),
        *(Binding(p.key, f"go('{p.action}')", p.footer) for p in SCREENS),
    ]
    """The screen keys in the footer, as many as fit the width (`footer_keys`); a key left out
    still works through the app's own binding."""

    def __init__(self) -> None:
        super().__init__()
        self.footer_actions: frozenset[str] = frozenset()
        self._footer_added = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="banner")
        with VerticalScroll(id="dash-body"):
            yield Static("Opening your diary…", id="welcome")
            with Horizontal(classes="card-row"):
                yield Static("", id="card-latest", classes="card")
                yield Static("", id="card-week", classes="card")
            yield Static("", id="card-trend", classes="card")
            yield Static("", id="card-smoking", classes="card")
            yield Static("", id="card-check")

    def on_mount(self) -> None:
        for card in self.query(".card"):
            card.display = False
        self.query_one("#card-check").display = False
        # The footer's styling costs ~100 ms of the UI thread, which the first look's reading
        # needs more: it joins after the first figures are painted, or after FOOTER_LATEST_S.
        self._footer_timer = self.set_timer(FOOTER_LATEST_S, self._add_footer)

    async def _add_footer(self) -> None:
        if self._footer_added:
            return
        self._footer_added = True
        self._footer_timer.stop()
        await self.mount(Footer(show_command_palette=False, compact=True))
        self._fit_footer(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_footer(event.size.width)

    def _fit_footer(self, width: int) -> None:
        keys = footer_keys(width)
        self.footer_actions = frozenset(p.action for p in SCREENS if p.key in keys)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A screen key without room in the footer is off here (so not shown); the app's
        binding of the same key then opens the screen."""
        if action == "go":
            return parameters[0] in self.footer_actions
        return True

    async def action_go(self, action: str) -> None:
        await self.app.run_action(action)

    def action_nothing(self) -> None:
        """Esc on the start screen: there is nowhere to go back to, and it never quits."""

    def go_back(self) -> None:
        """The dashboard is the bottom of the stack."""

    @work(thread=True, exclusive=True, group="dashboard")
    def reload(self) -> None:
        """Two paints: the figures that cost little first, then the trend (on a long diary the
        detector's 22 months of walks cost more than all the rest)."""
        # start-up: the domain loads after the first frame (the dashboard paints first)
        from tracker.domain.dashboard import first_look, with_trend
        from tracker.domain.prompts import sudden_drop_question_due

        store = self.store
        if store is None:
            return
        generation = self.tracker.data_generation
        first = first_look(store, self.tracker.now(), count=False)  # no count shown
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.show, first, False, first.latest is not None)
        summary = with_trend(store, first)
        if summary.trend is not None:
            self.tracker.keep_trend(generation, first.today, summary.trend)
        ask = sudden_drop_question_due(store, summary.trend)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show, summary, ask)

    def show(
        self, s: DashboardSummary, ask_sudden_drop: bool = False, trend_pending: bool = False
    ) -> None:
        """`trend_pending`: the first look, painted while the trend is worked out."""
        # start-up: the domain loads after the first frame (the dashboard paints first)
        from tracker.domain.clinical import TIER_LABELS
        from tracker.domain.units import format_distance
        from tracker.domain.wording import (
            LOADING_TREND,
            NO_TREND_YET,
            count,
            since_lines,
            smoke_free_days,
            trend_summary,
        )

        if not self._footer_added:
            self.call_after_refresh(self._add_footer)
        unit = s.unit
        banner = self.query_one("#banner", Static)
        banner.set_classes("")
        if s.red_flags:
            top = s.red_flags[0]
            lines = [f"[b]{TIER_LABELS[top.tier]}[/b]: {top.advice}"]
            for flag in s.red_flags:
                lines.append(f"  • {flag.reported_on}: {flag.description}")
            banner.update("\n".join(lines))
            banner.set_classes(f"visible {top.tier.value}")
        self._show_check(s)

        welcome = self.query_one("#welcome", Static)
        cards = list(self.query(".card"))
        if s.first_run:
            welcome.update(WELCOME)
            welcome.display = True
            for card in cards:
                card.display = False
            return
        welcome.display = False
        for card in cards:
            card.display = True

        w = s.latest
        if w is not None:
            if w.no_pain:
                latest = f"no pain, {format_distance(w.pain_free_m, unit, at_least=True)}"
            else:
                latest = (
                    f"pain-free [b]{format_distance(w.pain_free_m, unit)}[/b], "
                    f"max [b]{format_distance(w.max_m, unit)}[/b]"
                )
            self.query_one("#card-latest", Static).update(
                f"[b]Latest walk[/b] {w.walked_at:%a %d %b %H:%M}\n{latest}\n"
                f"median pain-free 7 d: {format_distance(s.median_7d_m, unit)}"
                f" · 28 d: {format_distance(s.median_28d_m, unit)}"
            )
        done = s.walks_this_week
        bar = "●" * min(done, 14) + "○" * max(0, s.weekly_goal - done)
        self.query_one("#card-week", Static).update(
            f"[b]This week[/b]\n{bar}\n{count(done, 'walk')}, goal {s.weekly_goal}"
            + (" – goal reached" if done >= s.weekly_goal else "")
        )
        trend_text = LOADING_TREND if trend_pending else NO_TREND_YET
        if s.trend is not None:
            trend_text = f"[b]Trend[/b] {escape(trend_summary(s.trend, unit))}"
        if s.since:
            trend_text += "\n" + escape("\n".join(since_lines(s.since, unit, s.today)))
        self.query_one("#card-trend", Static).update(trend_text)
        sm = s.smoking
        smoke = "[b]Smoking[/b] "
        smoke += "today: –" if sm.cigarettes_today is None else f"today: {sm.cigarettes_today}"
        if sm.status:
            smoke += f" · status: {sm.status}"
        if sm.quit:
            smoke += f" since {sm.quit} ({smoke_free_days(sm.quit, s.today)})"
        if sm.pack_years and sm.status:
            smoke += f" · {sm.pack_years:.1f} pack-years"
        self.query_one("#card-smoking", Static).update(smoke)
        if trend_pending:
            return
        if ask_sudden_drop:
            self.tracker.ask_sudden_drop(s)
        else:
            self.tracker.no_question_due()

    def _show_check(self, s: DashboardSummary) -> None:
        """The latest calf-pain check and its date, shown from the first run on."""
        # start-up: the domain loads after the first frame
        from tracker.domain.wording import check_dashboard_line

        card = self.query_one("#card-check", Static)
        card.display = s.latest_check is not None
        if s.latest_check is not None:
            card.update(check_dashboard_line(s.latest_check))
