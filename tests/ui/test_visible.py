"""What the user sees: focus, ticks, first fields, keys that can be found, nothing cut
(issue 13, points 4, 6 and 8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Footer, Input, Label, Static

from tracker.ui.commands import TrackerCommands
from tracker.ui.navigation import SCREENS, footer_keys
from tracker.ui.screens.dashboard import DashboardScreen
from tracker.ui.screens.help import HelpScreen, help_text
from tracker.ui.screens.history import HistoryScreen
from tracker.ui.widgets.form_fields import FormCheckbox, TickList
from tracker.ui.widgets.paged_table import PagedTable

from .conftest import make_app, screen_text, settle, type_at_once


def boxes(lines: list[str]) -> list[str]:
    """The list lines that start with a box, without the list's border."""
    inner = [line.strip("▊▎▏▕ ") for line in lines]
    return [line for line in inner if line[:3] in ("[ ]", "[x]")]


# --- point 4: focus plainly visible, ticks readable without colour, first fields ----------
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("no_color", [False, True])
async def test_focus_is_a_bar_and_reverse_video_not_a_tint(
    db_path: Path, theme: str, no_color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color is no_color
        app.theme = theme
        await type_at_once(pilot, "l", "tab", "tab")
        row = app.screen.query_one("#no_pain", FormCheckbox).parent
        assert row is not None
        label = row.query_one(Label)
        assert label.rich_style.reverse and label.rich_style.bold
        assert row.styles.border_left[0] == "thick"
        others = [r for r in app.screen.query(".form-row") if r is not row]
        assert all(r.styles.border_left[0] in ("", "blank") for r in others)
        assert not any(r.query_one(Label).rich_style.reverse for r in others)
        await type_at_once(pilot, "escape", "h")
        table = app.screen.query_one(PagedTable)
        assert table.get_component_rich_style("paged-table--cursor").reverse


async def test_a_ticked_box_reads_differently_from_an_unticked_one_in_plain_text(
    db_path: Path,
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l")
        line = next(t for t in screen_text(app) if "No pain came" in t)
        assert "[ ]" in line and "[x]" not in line
        app.screen.query_one("#no_pain", FormCheckbox).focus()
        await type_at_once(pilot, "space")
        line = next(t for t in screen_text(app) if "No pain came" in t)
        assert "[x]" in line and "[ ]" not in line
        await type_at_once(pilot, "escape")  # "Discard this walk?"
        await type_at_once(pilot, "down", "enter")
        await type_at_once(pilot, "y", "space")
        ticks = [b[:3] for b in boxes(screen_text(app))]
        assert ticks[0] == "[x]" and set(ticks[1:]) == {"[ ]"}


@pytest.mark.parametrize(
    ("key", "first"),
    [
        ("l", "pain_free"),
        ("h", "history-table"),
        ("y", "symptom-list"),
        ("s", "plus"),
        ("e", "fmt"),
        ("o", "unit"),
    ],
)
async def test_every_screen_opens_on_its_first_field(demo_db: Path, key: str, first: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, key)
        assert app.focused is not None and app.focused.id == first


# --- point 6: findable ---------------------------------------------------------------------
async def test_the_dashboard_footer_shows_every_screen_key_at_80_columns(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(Footer)
        footer = screen_text(app)[-1]
        for shown in (
            "l Log",
            "h History",
            "t Trend",
            "w Week",
            "s Smoke",
            "y Symptoms",
            "e Export",
            "o Setup",
            "? Keys",
            "q Quit",
        ):
            assert shown in footer, shown
        assert len(footer) <= 80


async def test_a_wider_footer_shows_every_screen_key(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app)[-1]
        for place in SCREENS:
            assert f"{place.shown_key} {place.footer} " in footer, place.key
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "c Check" not in screen_text(app)[-1]


@pytest.mark.parametrize(
    ("width", "keys"),
    [
        (60, "lhtws"),
        (79, "lhtwsye"),
        (80, "lhtwsyeo"),
        (88, "lhtwsyeoc"),
        (95, "lhtwsyeocg"),
        (104, "lhtwsyeocgv"),
    ],
)
def test_screen_keys_claim_the_footer_in_order(width: int, keys: str) -> None:
    assert footer_keys(width) == frozenset(keys)


@pytest.mark.parametrize("width", [60, 95])
async def test_the_footer_shows_what_fits_and_nothing_is_cut(demo_db: Path, width: int) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app)[-1]
        assert footer.endswith("? Keys q Quit") and len(footer) <= width
        shown = {p.key for p in SCREENS if f"{p.shown_key} {p.footer} " in footer}
        assert shown == footer_keys(width)


@pytest.mark.parametrize(
    ("key", "screen"),
    [("c", "CalfCheckScreen"), ("g", "ChooseTestScreen"), ("v", "EventsScreen")],
)
async def test_a_screen_key_left_out_of_the_footer_still_opens_its_screen(
    demo_db: Path, key: str, screen: str
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f" {key} " not in f" {screen_text(app)[-1]} "
        await type_at_once(pilot, key)
        assert type(app.screen).__name__ == screen


def test_keys_list_the_apps_own_keys_first_grouped_by_screen() -> None:
    text = help_text()
    order = [
        text.index(h)
        for h in (
            "Everywhere",
            "Log a walk",
            "History (h)",
            "Trend chart (t)",
            "Weekly review (w)",
            "Smoking (s)",
            "Symptoms (y)",
            "Export for the doctor (e)",
            "Settings (o)",
            "Textual",
        )
    ]
    assert order == sorted(order)
    history = text[text.index("History (h)") : text.index("Trend chart (t)")]
    for key_line in ("d  ", "u  ", "f  ", "Enter"):
        assert key_line in history


async def test_question_mark_opens_the_keys_and_escape_closes_them(db_path: Path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await type_at_once(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("help", "Keys and help"),
        ("keys", "Keys and help"),
        ("log", "Log a walk"),
        ("walk", "Log a walk"),
        ("history", "History"),
        ("edit", "History"),
        ("chart", "Trend chart"),
        ("graph", "Trend chart"),
        ("week", "Weekly review"),
        ("cigarettes", "Smoking"),
        ("smoking", "Smoking"),
        ("swollen", "Symptoms"),
        ("symptom", "Symptoms"),
        ("pdf", "Export for the doctor"),
        ("doctor", "Export for the doctor"),
        ("settings", "Settings"),
        ("miles", "Settings"),
        ("screenshot", "Screenshot"),
        ("home", "Dashboard"),
        ("quit", "Quit"),
    ],
)
async def test_the_palette_finds_screens_and_commands_by_everyday_words(
    db_path: Path, query: str, title: str
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = TrackerCommands(app.screen)
        hits = [hit async for hit in provider.search(query)]
        assert hits, query
        best = max(hits, key=lambda h: h.score)
        assert str(best.text or best.match_display) == title


async def test_the_palette_offers_the_current_screens_actions(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "h")
        provider = TrackerCommands(app.screen)
        titles = [str(h.text or h.display) async for h in provider.discover()]
        assert {"Delete", "Undo delete", "Filter dates"} <= set(titles)


async def test_screenshot_works_without_a_downloads_folder_and_says_where(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "here"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_screenshot()
        await settle(pilot)
        (saved,) = list(work.glob("*.svg"))
        assert not (home / "Downloads").exists()
        notes = [n.message for n in app._notifications]
        assert notes == [f"Screenshot saved: {saved}"]
        real_access = os.access

        def no_write_here(path: object, mode: int) -> bool:
            return False if Path(str(path)) == work else real_access(path, mode)  # type: ignore[arg-type]

        monkeypatch.setattr("tracker.ui.app.os.access", no_write_here)
        app.action_screenshot()
        await settle(pilot)
        (beside,) = list(db_path.parent.glob("*.svg"))
        assert [n.message for n in app._notifications] == [f"Screenshot saved: {beside}"]


# --- point 8: nothing important is cut ------------------------------------------------------
@pytest.mark.parametrize("width", [60, 80])
async def test_each_symptom_shows_its_urgency_in_full(db_path: Path, width: int) -> None:
    from tracker.domain.clinical import SYMPTOMS, TIER_LABELS

    app = make_app(db_path)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "y")
        listing = app.screen.query_one(TickList)
        listing.styles.height = len(SYMPTOMS) * 3
        await settle(pilot)
        *shown, unsure = boxes(screen_text(app))
        assert len(shown) == len(SYMPTOMS)
        labels = TIER_LABELS.values()
        assert all(any(b[4:].startswith(f"{label} – ") for label in labels) for b in shown)
        assert unsure[4:].startswith("Not sure – leg pain")


@pytest.mark.parametrize("width", [60, 80])
async def test_validation_messages_fit_the_width(db_path: Path, width: int) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "l", "5", "0", "0", "tab", "3", "0", "0", "tab", "space")
        message = str(app.screen.query_one("#err-max", Static).render())
        assert message.startswith("a walk that ended without pain")
        shown = " ".join(" ".join(screen_text(app)).split())
        assert " ".join(message.split()) in shown.replace("  ", " ") or all(
            word in shown for word in message.split()
        )
        assert all(len(line) <= width for line in screen_text(app))


async def test_history_filter_errors_name_the_field_and_escape_closes_the_filter(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "h", "f", *"2026-13-01", "enter")
        error = str(app.screen.query_one("#filter-error", Static).render())
        assert error.startswith("From: '2026-13-01' is not a date")
        assert any(line.strip().startswith("From: '2026-13-01'") for line in screen_text(app))
        app.screen.query_one("#since", Input).value = "2026-11-20"
        app.screen.query_one("#until", Input).value = "2026-11-01"
        await type_at_once(pilot, "enter")
        assert "From (2026-11-20) is after To (2026-11-01)" in str(
            app.screen.query_one("#filter-error", Static).render()
        )
        await type_at_once(pilot, "escape")
        assert isinstance(app.screen, HistoryScreen)
        assert not app.screen.query_one("#filter-bar").has_class("visible")
        assert app.focused is app.screen.query_one(PagedTable)
        await type_at_once(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_toasts_do_not_pile_up_or_follow_to_another_screen(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_at_once(pilot, "h", "d")
        assert [n.message for n in app._notifications][-1].endswith("Press u to undo.")
        await type_at_once(pilot, "u")
        assert [n.message for n in app._notifications] == ["Walk restored."]
        await type_at_once(pilot, "u", "u", "u")
        assert [n.message for n in app._notifications] == ["Nothing to undo."]
        await type_at_once(pilot, "escape")
        assert list(app._notifications) == []
        assert not any("undo" in line for line in screen_text(app))
