"""The therapist's cohort: the programme's patients, most urgent first, each line what the
patient's own screens say (the same domain functions, read through the therapist's login)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXED_NOW, PostgresDb, plain_walk
from tracker.cli import app
from tracker.db.clinic import cohort, open_therapist_view
from tracker.db.opening import open_store
from tracker.domain.current_trend import current_trend
from tracker.domain.stats import median
from tracker.domain.wording import trend_status_label

PASSWORD = "walk-more-7"
SUNDAY = date(2026, 11, 22)  # the last whole week before FIXED_NOW


def wobble(d: int) -> float:
    return 250 * math.exp(0.1 * math.sin(d * 2.3))


def decline(d: int) -> float:
    rate = math.log(1 - 12 / 100) / 30.44  # above the -10 %/month a sustained decline needs
    return 250 * math.exp(-rate * d + 0.005 * math.sin(d * 2.3))


def drop(d: int) -> float:
    return wobble(d) * (0.6 if d < 10 else 1.0)


DIARIES: dict[str, tuple[int, Callable[[int], float]] | None] = {
    "steady": (84, wobble),
    "decline": (84, decline),
    "flagged": (84, wobble),
    "drop": (120, drop),
    "never": None,
}


def cli(*argv: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(argv))
    return result.exit_code, result.output


@pytest.fixture
def programme(postgres_db: PostgresDb, tmp_path: Path) -> Iterator[dict[str, str]]:
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD + "\n")
    owner = postgres_db.url
    assert cli("clinic", "init", "--db", owner)[0] == 0
    urls: dict[str, str] = {}
    for name, diary in DIARIES.items():
        role = postgres_db.role(name)
        code, out = cli(
            "clinic", "add-patient", role, "--display-name", name, "--programme", "legs",
            "--password-file", str(pw), "--db", owner,
        )  # fmt: skip
        assert code == 0, out
        urls[name] = postgres_db.role_url(role, PASSWORD)
        if diary is not None:
            days, value = diary
            store = open_store(urls[name])
            store.add_walks(
                [
                    plain_walk(datetime.combine(SUNDAY - timedelta(days=d), datetime.min.time())
                               + timedelta(hours=10), value(d))
                    for d in range(days)
                ]
            )  # fmt: skip
            store.close()
    store = open_store(urls["flagged"])
    store.add_symptom("leg_cold_pale", FIXED_NOW.date() - timedelta(days=3))
    store.close()
    for argv in (  # what the dashboard reads beside the walks: events, smoking
        ["event", "add", "programme-start", "--date", "2026-10-01"],
        ["event", "add", "procedure", "--date", "2025-06-01", "--type", "stent", "--side", "left"],
        ["smoking-status", "current", "--since", "2020-01-01", "--per-day", "10"],
        ["smoke", "8", "--date", "2026-11-20"],
    ):
        code, out = cli("--db", urls["steady"], *argv)
        assert code == 0, out
    thea = postgres_db.role("thea")
    code, out = cli(
        "clinic", "add-therapist", thea, "--programme", "legs",
        "--password-file", str(pw), "--db", owner,
    )  # fmt: skip
    assert code == 0, out
    urls["thea"] = postgres_db.role_url(thea, PASSWORD)
    yield urls


def test_the_cohort_is_sorted_by_urgency(programme: dict[str, str]) -> None:
    code, out = cli("clinic", "list", "--json", "--db", programme["thea"])
    assert code == 0, out
    lines = json.loads(out)
    assert [line["name"] for line in lines] == ["flagged", "drop", "decline", "never", "steady"]
    assert [line["urgency"] for line in lines] == [
        "red flag", "sudden drop", "sustained decline", "none", "none",
    ]  # fmt: skip
    assert lines[0]["red_flags_14d"] == ["2026-11-21: leg or foot suddenly cold, pale or mottled"]
    assert [lines[1]["trend_status"], lines[2]["trend_status"]] == [
        "sudden-drop", "sustained-decline",
    ]  # fmt: skip
    # in words, as the patient's own screens label it
    assert lines[1]["trend"] == trend_status_label("sudden-drop") != "sudden-drop"
    never = lines[3]
    assert never["last_walk"] is None and never["median_pain_free_m"] is None
    assert never["walks_this_week"] == 0 and never["weekly_goal"] == 3
    assert {line["name"]: line["smoking"] for line in lines}["steady"] == "current"
    assert {line["smoking"] for line in lines if line["name"] != "steady"} == {"not recorded"}
    code, text = cli("clinic", "list", "--db", programme["thea"])
    assert code == 0 and text.splitlines()[0].startswith("RED FLAG")


def test_each_line_says_what_the_patients_own_screens_say(programme: dict[str, str]) -> None:
    view = open_therapist_view(programme["thea"])
    try:
        lines = {line.name: line for line in cohort(view, FIXED_NOW)}
    finally:
        view.close()
    today = FIXED_NOW.date()
    for name in ("steady", "decline", "drop"):
        own = open_store(programme[name])
        try:
            assert lines[name].trend_status == str(current_trend(own, today).status)
            points = own.walk_points(today - timedelta(days=55), today)
        finally:
            own.close()
        split = today - timedelta(days=27)
        recent = [p.pain_free_m for p in points if p.walked_at.date() >= split]
        before = [p.pain_free_m for p in points if p.walked_at.date() < split]
        assert lines[name].median_pain_free_m == pytest.approx(median(recent))
        change = 100 * (median(recent) - median(before)) / median(before)
        assert lines[name].change_4w_pct == pytest.approx(change)
        assert lines[name].last_walk == SUNDAY
    assert lines["drop"].change_4w_pct is not None and lines["drop"].change_4w_pct < 0


def test_reading_the_programme_at_once_gives_the_lines_patient_by_patient_reads_give(
    programme: dict[str, str],
) -> None:
    view = open_therapist_view(programme["thea"])
    try:
        at_once = cohort(view, FIXED_NOW)
        one_by_one = cohort(view, FIXED_NOW, at_once=False)
    finally:
        view.close()
    assert at_once == one_by_one and len(at_once) == len(DIARIES)


def test_a_patient_cannot_open_the_cohort(programme: dict[str, str]) -> None:
    code, out = cli("clinic", "list", "--db", programme["steady"])
    assert code == 2 and "not a therapist" in out


def test_a_backup_is_imported_for_a_named_patient(
    programme: dict[str, str], postgres_db: PostgresDb, tmp_path: Path
) -> None:
    home = tmp_path / "home.db"
    assert cli("--db", str(home), "log", "--pain-free", "123", "--max", "456")[0] == 0
    assert cli("--db", str(home), "symptom", "leg_swelling_one_side")[0] == 0
    backup = tmp_path / "backup.json"
    assert cli("--db", str(home), "export", "--format", "json", "--out", str(backup))[0] == 0
    role = postgres_db.role("never")
    code, out = cli("clinic", "import", str(backup), "--patient", role, "--db", postgres_db.url)
    assert code == 0, out
    code, out = cli("--db", programme["never"], "list")
    assert code == 0 and "pain-free 123 m" in out
    assert "pain-free 123" not in cli("--db", programme["steady"], "list")[1]
    lines = json.loads(cli("clinic", "list", "--json", "--db", programme["thea"])[1])
    assert lines[0]["name"] == "never" or "never" in [
        line["name"] for line in lines if line["urgency"] == "red flag"
    ]
    member = postgres_db.admin(
        "SELECT count(*) FROM pg_auth_members WHERE roleid = (SELECT oid FROM pg_roles"
        " WHERE rolname = %s)",
        role,
    )
    assert member == [(0,)]  # the administrator acted as the patient only for the import
    code, out = cli("clinic", "import", str(backup), "--patient", "nobody_here",
                    "--db", postgres_db.url)  # fmt: skip
    assert code == 2 and "No patient" in out


async def test_the_cohort_app_lists_by_urgency_and_opens_a_patient_read_only(
    programme: dict[str, str], postgres_db: PostgresDb
) -> None:
    from textual.widgets import DataTable

    from tracker.ui.clinic import ClinicApp, CohortScreen
    from tracker.ui.screens.dashboard import DashboardScreen
    from tracker.ui.screens.trend import TrendScreen

    app = ClinicApp(db=programme["thea"], now=lambda: FIXED_NOW)
    walks_before = postgres_db.admin("SELECT count(*) FROM walk")
    async with app.run_test(size=(130, 30)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, CohortScreen) and screen.lines:
                break
        assert isinstance(app.screen, CohortScreen)
        table = app.screen.query_one("#cohort", DataTable)
        names = [table.get_row_at(i)[1] for i in range(table.row_count)]
        assert names == ["flagged", "drop", "decline", "never", "steady"]
        assert table.get_row_at(0)[0] == "RED FLAG"
        await pilot.press("down", "enter")  # the sudden drop
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, DashboardScreen) and app.screen.query("#card-trend"):
                break
        assert isinstance(app.screen, DashboardScreen) and app.sub_title == "drop (read-only)"
        await pilot.press("l", "s", "y")  # writing is not offered
        assert not any(s.__class__.__name__ == "LogWalkScreen" for s in app.screen_stack)
        await pilot.press("t")
        await pilot.pause(0.5)
        assert isinstance(app.screen, TrendScreen)
        await pilot.press("escape", "escape")
        await pilot.pause(0.2)
        assert isinstance(app.screen, CohortScreen) and app.sub_title == "cohort"
    assert postgres_db.admin("SELECT count(*) FROM walk") == walks_before
