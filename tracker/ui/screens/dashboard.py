"""The start screen: today's status at a glance, or a first-run welcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

from tracker.ui.screens.base import TrackerScreen

if TYPE_CHECKING:
    from tracker.dashboard import DashboardSummary

WELCOME = (
    "[b]Welcome to tracker, your walking diary.[/b]\n\n"
    "After each walk, press [b]l[/b] and type two numbers: the [b]pain-free distance[/b] "
    "(how far you walked before the leg pain began) and the [b]maximum distance[/b] (where "
    "the pain made you stop). Type 180 for 180 m, or add a unit: 0.4km, 300yd, 0.2mi. If no "
    "pain came at all, tick [b]no pain[/b]: the distance then counts as 'at least'.\n\n"
    "After about 6 weeks of walks, the trend ([b]t[/b]) shows whether your pain-free "
    "distance is growing, steady or shrinking. Record cigarettes with [b]s[/b] and any "
    "worrying symptom with [b]y[/b]. Press [b]?[/b] for all keys, [b]o[/b] for settings, "
    "[b]q[/b] to quit."
)


class DashboardScreen(TrackerScreen):
    BINDINGS = [
        Binding("escape", "app.quit", "Quit", show=False),
        Binding("l", "app.log_walk", "Log"),
        Binding("h", "app.history", "History"),
        Binding("t", "app.trend", "Trend"),
        Binding("w", "app.review", "Week"),
        Binding("s", "app.smoking", "Smoking"),
        Binding("y", "app.symptoms", "Symptoms"),
    ]

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

    def on_mount(self) -> None:
        for card in self.query(".card"):
            card.display = False
        # The footer's styling costs ~100 ms; it joins one frame after the first paint.
        self.call_after_refresh(self._add_footer)
        super().on_mount()

    async def _add_footer(self) -> None:
        await self.mount(Footer(show_command_palette=False))
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="dashboard")
    def reload(self) -> None:
        from tracker.dashboard import summarise

        store = self.store
        if store is None:
            return
        summary = summarise(store, self.tracker.now())
        self.app.call_from_thread(self.show, summary)

    def show(self, s: DashboardSummary) -> None:
        from rich.markup import escape

        from tracker.clinical import TIER_LABELS
        from tracker.units import format_distance
        from tracker.wording import trend_summary

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
            f"[b]This week[/b]\n{bar}\n{done} of {s.weekly_goal} walks"
            + (" – goal reached" if done >= s.weekly_goal else "")
        )
        trend_text = "No trend yet."
        if s.trend is not None:
            trend_text = f"[b]Trend[/b] {escape(trend_summary(s.trend, unit))}"
        self.query_one("#card-trend", Static).update(trend_text)
        sm = s.smoking
        smoke = "[b]Smoking[/b] "
        smoke += "today: –" if sm.cigarettes_today is None else f"today: {sm.cigarettes_today}"
        if sm.status:
            smoke += f" · status: {sm.status}"
        if sm.quit:
            smoke += f" since {sm.quit} ({(s.today - sm.quit).days} days smoke-free)"
        if sm.pack_years and sm.status:
            smoke += f" · {sm.pack_years:.1f} pack-years"
        self.query_one("#card-smoking", Static).update(smoke)
        self.tracker.maybe_ask_sudden_drop(s)
