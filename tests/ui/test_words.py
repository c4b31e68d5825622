"""Words, not codes (issue 13, point 7): no status code, tier code or symptom key reaches the
screen or the text CLI (they stay in --json), and counts read as English."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from typer.testing import CliRunner

from tracker.cli import app as cli
from tracker.db.opening import open_store
from tracker.db.repository import Store
from tracker.domain.calf_check import ECQ, QUESTIONS, Pattern
from tracker.domain.clinical import SYMPTOMS, EventKind, Tier
from tracker.domain.trend import Status
from tracker.domain.walks import WalkInput
from tracker.domain.wording import TREND_STATUS_LABELS, count, trend_status_label
from tracker.ui.widgets.advice_modal import AdviceModal
from tracker.ui.widgets.confirm_modal import ChoiceModal

from .conftest import fill_demo, fill_sudden_drop, make_app, screen_text, settle, type_at_once

CODES = (
    *(s.value for s in Status),
    *(t.value for t in Tier if "_" in t.value),
    *SYMPTOMS,
    *(k.value for k in EventKind if "-" in k.value),
    *(p.value for p in Pattern if "-" in p.value),
    "within-10-min",
    "6mwt",
)
BAD_COUNTS = re.compile(r"\(s\)|\b1 (walks|days|cigarettes|times)\b|\b[02-9] walk\b")


PUBLISHED = tuple(q.text for q in QUESTIONS.values() if q.section == ECQ)
"""The Edinburgh questionnaire's own words ("your leg(s)"), shown verbatim as published."""


def problems(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    found = [code for code in CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    for published in PUBLISHED:
        text = text.replace(published, "")
    return found + [m.group(0) for m in BAD_COUNTS.finditer(text)]


def few_walks(db: Path) -> None:
    store = open_store(db)
    at = datetime(2026, 11, 20, 9)
    store.add_walks(
        [
            WalkInput(
                at + timedelta(days=i),
                200,
                300,
                None,
                False,
                "calf",
                None,
                4,
                None,
                "6mwt" if i else "walk",
                "",
                "typed",
            )
            for i in range(2)
        ]
    )
    store.add_symptom("leg_swelling_one_side", date(2026, 11, 23))
    store.set_cigarettes(date(2026, 11, 24), 1)
    add_events_and_a_check(store)
    store.close()


def add_events_and_a_check(store: Store) -> None:
    from tracker.domain.calf_check import CheckContext, evaluate, parse_pairs
    from tracker.domain.calf_checks import check_row
    from tracker.domain.events import EventInput

    store.add_event(EventInput("medication-start", date(2026, 11, 2), category="statin"))
    store.add_event(EventInput("programme-start", date(2026, 11, 9)))
    store.add_event(EventInput("procedure", date(2026, 11, 16), procedure_type="stent"))
    answers = ["ecq1=yes", "ecq2=no", "ecq3=yes", "ecq4=no", "ecq5=within-10-min"]
    answers += ["ecq6=calf", "emergency=none", "swelling=no", "warm_red=no"]
    store.add_calf_check(
        check_row(evaluate(parse_pairs(answers), CheckContext()), datetime(2026, 11, 23, 9))
    )


DIARIES = {
    "empty": lambda db: None,
    "few": few_walks,
    "decline": fill_demo,
    "drop": fill_sudden_drop,
}


@pytest.mark.parametrize("diary", DIARIES)
async def test_no_screen_shows_a_code_or_a_plural_with_s(tmp_path: Path, diary: str) -> None:
    db = tmp_path / "d.db"
    DIARIES[diary](db)
    app = make_app(db)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        while isinstance(app.screen, ChoiceModal | AdviceModal):
            seen[type(app.screen).__name__] = screen_text(app)
            await type_at_once(pilot, "enter")
        seen["dashboard"] = screen_text(app)
        for key in ("l", "h", "t", "w", "s", "y", "v", "c", "e", "o", "g", "question_mark"):
            await type_at_once(pilot, key)
            seen[key] = screen_text(app)
            if key == "t":
                for other in ("m", "m"):
                    await type_at_once(pilot, other)
                    seen[f"t-{other}"] = screen_text(app)
            await type_at_once(pilot, "escape")
        await visit_the_new_screens(pilot, seen)
    bad = {name: found for name, lines in seen.items() if (found := problems(lines))}
    assert bad == {}


async def visit_the_new_screens(pilot: Pilot[None], seen: dict[str, list[str]]) -> None:
    """The event form, a calf-pain check to its result, and each guided test from its
    settings to its result (and the questions on the way)."""
    app = pilot.app
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("event form", ("v", "a")),
        ("event form, medicine", ("m",)),
        ("event form, programme", ("p",)),
        ("event form, discard question", ("escape",)),
        ("events", ("down", "enter")),
        ("dashboard", ("escape",)),
        ("check question", ("c",)),
        ("check sites", ("1", "2", "1", "2", "2")),
        ("check result", ("1", "8", "1", "2", "2")),
        ("check emergency", ("2", "2", "3", "9")),
        ("check emergency result", ("enter",)),
    ]
    for name, keys in steps:
        await type_at_once(pilot, *keys)
        seen[name] = screen_text(app)
    await type_at_once(pilot, "escape")
    for choice in ("1", "2", "3"):
        await type_at_once(pilot, "g", choice)
        seen[f"test {choice} settings"] = screen_text(app)
        for name, keys in (
            ("start", ("enter",)),
            ("running", ("space", "p")),
            ("stop question", ("escape",)),
            ("result", ("down", "enter")),
            ("discard question", ("escape",)),
        ):
            await type_at_once(pilot, *keys)
            seen[f"test {choice} {name}"] = screen_text(app)
        await type_at_once(pilot, "down", "enter")
        assert type(app.screen).__name__ == "DashboardScreen", choice


@pytest.mark.parametrize("diary", ["few", "decline", "drop"])
def test_the_text_cli_shows_words_and_json_keeps_the_codes(tmp_path: Path, diary: str) -> None:
    db = tmp_path / "d.db"
    DIARIES[diary](db)
    runner = CliRunner()
    out: list[str] = []
    for args in (
        ["trend"],
        ["review"],
        ["symptoms"],
        ["list"],
        ["trend", "--method", "6mwt"],
        ["event", "list"],
        ["check", "--history"],
    ):
        result = runner.invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        out += result.stdout.splitlines()
    assert problems([line for line in out if "tracker trend --method" not in line]) == []
    as_json = runner.invoke(cli, ["--db", str(db), "trend", "--json"]).stdout
    assert any(f'"status": "{s.value}"' in as_json for s in Status)


def test_every_trend_status_has_words() -> None:
    assert set(TREND_STATUS_LABELS) == {s.value for s in Status}
    assert all(trend_status_label(s) != s.value for s in Status if s is not Status.STABLE)
    assert trend_status_label("getting-better-soon") == "getting better soon"  # a future code


@pytest.mark.parametrize(
    ("n", "noun", "text"),
    [
        (0, "walk", "0 walks"),
        (1, "walk", "1 walk"),
        (4, "walk", "4 walks"),
        (1, "logged day", "1 logged day"),
        (2, "cigarette", "2 cigarettes"),
    ],
)
def test_counts_read_as_english(n: int, noun: str, text: str) -> None:
    assert count(n, noun) == text
