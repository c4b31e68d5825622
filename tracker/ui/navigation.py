"""Where the user can go: one table for the keys, the dashboard footer, `?` and the palette.

Each entry is an app action (`action_<name>` on the App); the palette also finds it by the words
a patient would type ("cigarettes", "pdf", "doctor", "graph"), not only by its title.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    key: str
    """The key as Textual names it ("l", "question_mark")."""
    shown_key: str
    """The key as the user reads it ("l", "?")."""
    action: str
    footer: str
    """A short label for the footer (the dashboard footer must fit 80 columns)."""
    title: str
    """What the palette and `?` call it."""
    help: str
    words: tuple[str, ...] = ()
    """Other words a patient might type for it in the palette."""


SCREENS: tuple[Place, ...] = (
    Place(
        "l",
        "l",
        "log_walk",
        "Log",
        "Log a walk",
        "Record a walk: pain-free and maximum distance",
        ("add", "new", "record", "enter", "walk", "distance", "today"),
    ),
    Place(
        "h",
        "h",
        "history",
        "History",
        "History",
        "All walks: edit, delete, filter by dates",
        ("list", "walks", "past", "edit", "change", "correct", "delete", "undo", "diary"),
    ),
    Place(
        "t",
        "t",
        "trend",
        "Trend",
        "Trend chart",
        "Pain-free and maximum distance over time",
        ("chart", "graph", "plot", "progress", "better", "worse", "shorter", "longer"),
    ),
    Place(
        "w",
        "w",
        "review",
        "Week",
        "Weekly review",
        "This week against last week and the weekly goal",
        ("week", "summary", "goal", "sessions", "review"),
    ),
    Place(
        "s",
        "s",
        "smoking",
        "Smoke",
        "Smoking",
        "Cigarettes today, smoking status, pack-years",
        ("cigarettes", "smoke", "tobacco", "quit", "pack-years"),
    ),
    Place(
        "y",
        "y",
        "symptoms",
        "Symptoms",
        "Symptoms",
        "Record symptoms; urgent ones show what to do",
        ("swelling", "swollen", "red", "cold", "numb", "wound", "chest", "emergency", "urgent"),
    ),
    Place(
        "e",
        "e",
        "export",
        "Export",
        "Export for the doctor",
        "PDF report, CSV, JSON backup or FHIR",
        ("pdf", "report", "doctor", "print", "share", "backup", "csv", "file", "save"),
    ),
    Place(
        "o",
        "o",
        "settings",
        "Setup",
        "Settings",
        "Unit, weekly goal, name on the report, paper size",
        ("options", "preferences", "unit", "metres", "miles", "yards", "goal", "name"),
    ),
)
"""The screens, in the order of the dashboard footer."""

COMMANDS: tuple[Place, ...] = (
    Place(
        "question_mark",
        "?",
        "help",
        "Keys",
        "Keys and help",
        "Every key, screen by screen",
        ("help", "keys", "shortcuts", "how", "commands"),
    ),
    Place("q", "q", "quit", "Quit", "Quit", "Leave tracker (asks first if a form is not saved)"),
    Place(
        "",
        "",
        "dashboard",
        "",
        "Dashboard",
        "Back to the start screen",
        ("home", "start", "main", "back", "today"),
    ),
    Place(
        "",
        "",
        "screenshot",
        "",
        "Screenshot",
        "Save a picture of this screen (SVG) in the current folder",
        ("picture", "image", "svg", "capture"),
    ),
)
"""App-wide commands that are not screens."""
