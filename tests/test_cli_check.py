"""`tracker check`: answers as options for scripts, JSON, history, and the terminal interview."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.db.opening import open_store

runner = CliRunner()

POSITIVE = [
    "ecq1=yes",
    "ecq2=no",
    "ecq3=yes",
    "ecq4=no",
    "ecq5=within-10-min",
    "ecq6=calf",
    "ecq6=thigh",
    "emergency=none",
    "swelling=no",
    "warm_red=no",
]


def check(db: Path, *args: str, answers: list[str] = (), input: str | None = None):  # type: ignore[assignment,no-untyped-def]
    opts = [x for a in answers for x in ("--answer", a)]
    return runner.invoke(app, ["--db", str(db), "check", *opts, *args], input=input)


def stored(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT pattern, tier, ecq_positive, ecq_grade, ecq_kind FROM calf_check ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_answers_as_options_print_the_pattern_score_and_advice(db_path: Path) -> None:
    result = check(db_path, answers=POSITIVE)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Calf-pain check #1 saved (2026-11-24 18:30)." in out
    assert "Your answers fit the pattern of walking-related pain from narrowed arteries." in out
    assert "Edinburgh Claudication Questionnaire: positive, grade 1" in out and "definite" in out
    assert "No urgent sign" in out and "not a diagnosis" in out
    assert stored(db_path) == [("claudication", None, 1, 1, "definite")]


def test_json_holds_the_ecq_score_pattern_tier_and_advice(db_path: Path) -> None:
    result = check(db_path, "--json", answers=["ecq1=no", "emergency=none", "swelling=yes"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ecq"] == {"positive": False, "grade": None, "kind": None}
    assert data["pattern"] == "clot" and data["tier"] == "same_day" and data["red_flag"]
    assert data["advice"].startswith("Swelling, warmth or redness in one leg")
    assert data["answers"] == {"ecq1": "no", "emergency": ["none"], "swelling": "yes"}
    assert data["harmless"] is False and data["date"] == "2026-11-24"
    positive = json.loads(check(db_path, "--json", answers=POSITIVE).stdout)
    assert positive["ecq"] == {"positive": True, "grade": 1, "kind": "definite"}
    assert positive["tier"] is None and positive["red_flag"] is False


def test_a_clot_names_what_the_diary_recorded(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_symptom("recent_long_travel", date(2026, 11, 20), "Flug")
    store.add_smoking_status("current", date(2000, 1, 1), cigarettes_per_day=10)
    store.update_settings(pregnancy=True)
    store.close()
    result = check(db_path, answers=["ecq1=no", "emergency=none", "swelling=yes"])
    assert "See a doctor today:" in result.stdout
    assert "long journey recently (flight, car, train)" in result.stdout
    assert "current smoking, pregnancy" in result.stdout


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        (["ecq1=yes", "ecq7=no"], "ecq7: no such question"),
        (["ecq1=often"], "ecq1: Do you get a pain or discomfort in your leg(s) when you walk?"),
        (["ecq1=often"], "allowed: yes, no, unable"),
        (POSITIVE[:4], "ecq5: What happens to it if you stand still? – no answer given"),
        (POSITIVE[:4], "allowed: continues, within-10-min"),
        (POSITIVE[:5], "ecq6: Where do you get this pain"),
        (["ecq1=no"], "emergency: Right now, do you have any of these? – no answer given"),
        (["ecq1=no", "emergency=none"], "swelling: Is one calf, ankle or leg swollen?"),
        (["ecq3=maybe", *POSITIVE[1:]], "ecq3: Do you get it if you walk uphill or hurry?"),
        (["ecq1"], "is not question=answer"),
    ],
)
def test_bad_answers_exit_2_name_the_question_and_store_nothing(
    db_path: Path, answers: list[str], says: str
) -> None:
    open_store(db_path).close()
    result = check(db_path, answers=answers)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert stored(db_path) == []


def test_history_lists_checks_newest_first_as_text_and_json(db_path: Path) -> None:
    empty = check(db_path, "--history")
    assert empty.exit_code == 0 and "No calf-pain checks yet" in empty.stdout
    check(db_path, answers=POSITIVE)
    check(db_path, answers=["ecq1=no", "emergency=leg_cold_pale"])
    text = check(db_path, "--history").stdout.splitlines()
    assert len(text) == 2
    assert text[0].startswith("#2") and "signs that need urgent care" in text[0]
    assert "Seek urgent care now" in text[0]
    assert "walking-related pain from narrowed arteries" in text[1] and "No urgent sign" in text[1]
    data = json.loads(check(db_path, "--history", "--json").stdout)
    assert [d["pattern"] for d in data] == ["emergency", "claudication"]
    assert data[1]["answers"]["ecq6"] == ["calf", "thigh"]


def test_the_terminal_interview_asks_one_question_at_a_time(db_path: Path) -> None:
    # ecq1 yes, ecq2 no, ecq3 yes, ecq4 yes, ecq5 "maybe" (refused, asked again) then 2,
    # sites 1 and 3 (calf, buttock), emergency 1 (none), swelling no, warm/red no.
    typed = "1\nno\nyes\n1\nmaybe\n2\n1, 3\n1\n2\nno\n"
    result = check(db_path, input=typed)
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    order = [
        "Do you get a pain or discomfort in your leg(s) when you walk?",
        "Does this pain ever begin when you are standing still or sitting?",
        "Do you get it if you walk uphill or hurry?",
        "Do you get it if you walk at an ordinary pace on the level?",
        "What happens to it if you stand still?",
        "Where do you get this pain or discomfort?",
        "Right now, do you have any of these?",
        "Is one calf, ankle or leg swollen?",
        "Is one leg warm, red or dark, with a tender calf?",
        "Your answers fit the pattern of walking-related pain from narrowed arteries.",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert "'maybe' is not an allowed answer" in out
    assert out.count("What happens to it if you stand still?") == 1  # re-asked, not restarted
    assert "  2) within-10-min – Usually disappears in 10 minutes or less" in out
    assert "Is the pain much better" not in out and "raise the leg" not in out  # not needed
    assert stored(db_path) == [("claudication", None, 1, 2, "definite")]


def test_an_interview_cut_short_stores_nothing(db_path: Path) -> None:
    result = check(db_path, input="1\nno\n")
    assert result.exit_code == 2
    assert "nothing was stored" in result.stderr
    assert stored(db_path) == []
