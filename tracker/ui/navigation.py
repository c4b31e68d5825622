"""Where the user can go: one table for the screens, their keys, the dashboard footer, `?` and
the palette.

Each entry is an app action (`action_<name>` on the App). A screen entry names the screen it
opens (`screen`), and the App makes its action from that, so adding a screen is one entry here;
the palette also finds it by the words a patient would type ("cigarettes", "pdf", "doctor",
"graph"), not only by its title.
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
    screen: str = ""
    """The screen it opens, "module:Class" (imported when first opened: start-up time); empty
    when the App's own `action_<action>` does more than open one screen."""
    on_top: bool = False
    """Opens above the screen the user was on, which it returns to (the log form, the check);
    the others replace each other above the dashboard."""


SCREENS: tuple[Place, ...] = (
    Place(
        "l",
        "l",
        "log_walk",
        "Log",
        "Log a walk",
        "Record a walk: pain-free and maximum distance",
        ("add", "new", "record", "enter", "walk", "distance", "today"),
        screen="tracker.ui.screens.log_walk:LogWalkScreen",
        on_top=True,
    ),
    Place(
        "h",
        "h",
        "history",
        "History",
        "History",
        "All walks: edit, delete, filter by dates",
        ("list", "walks", "past", "edit", "change", "correct", "delete", "undo", "diary"),
        screen="tracker.ui.screens.history:HistoryScreen",
    ),
    Place(
        "t",
        "t",
        "trend",
        "Trend",
        "Trend chart",
        "Pain-free and maximum distance over time",
        ("chart", "graph", "plot", "progress", "better", "worse", "shorter", "longer"),
        screen="tracker.ui.screens.trend:TrendScreen",
    ),
    Place(
        "w",
        "w",
        "review",
        "Week",
        "Weekly review",
        "This week against last week and the weekly goal",
        ("week", "summary", "goal", "sessions", "review"),
        screen="tracker.ui.screens.review:ReviewScreen",
    ),
    Place(
        "s",
        "s",
        "smoking",
        "Smoke",
        "Smoking",
        "Cigarettes today, smoking status, pack-years",
        ("cigarettes", "smoke", "tobacco", "quit", "pack-years"),
        screen="tracker.ui.screens.smoking:SmokingScreen",
    ),
    Place(
        "y",
        "y",
        "symptoms",
        "Symptoms",
        "Symptoms",
        "Record symptoms; urgent ones show what to do",
        ("swelling", "swollen", "red", "cold", "numb", "wound", "chest", "emergency", "urgent"),
        screen="tracker.ui.screens.symptoms:SymptomsScreen",
    ),
    Place(
        "v",
        "v",
        "events",
        "Events",
        "Treatment events",
        "Procedures, medicines, exercise programmes",
        (
            "treatment",
            "procedure",
            "operation",
            "stent",
            "angioplasty",
            "bypass",
            "medicine",
            "medication",
            "tablets",
            "cilostazol",
            "statin",
            "programme",
            "exercise",
        ),
        screen="tracker.ui.screens.events:EventsScreen",
    ),
    Place(
        "c",
        "c",
        "calf_check",
        "Check",
        "Calf-pain check",
        "Which kind of leg pain is it, and how soon to see a doctor",
        ("calf", "leg", "pain", "cramp", "clot", "questionnaire", "edinburgh", "which pain"),
        screen="tracker.ui.screens.calf_check:CalfCheckScreen",
        on_top=True,
    ),
    Place(
        "e",
        "e",
        "export",
        "Export",
        "Export for the doctor",
        "PDF report, CSV, JSON backup or FHIR",
        ("pdf", "report", "doctor", "print", "share", "backup", "csv", "file", "save"),
        screen="tracker.ui.screens.export:ExportScreen",
    ),
    Place(
        "o",
        "o",
        "settings",
        "Setup",
        "Settings",
        "Unit, weekly goal, name on the report, paper size",
        ("options", "preferences", "unit", "metres", "miles", "yards", "goal", "name"),
        screen="tracker.ui.screens.settings:SettingsScreen",
    ),
    Place(
        "g",
        "g",
        "walk_test",
        "Test",
        "Guided walking test",
        "6-minute walk test, treadmill session or walk stopwatch",
        ("timer", "stopwatch", "clock", "measure", "6mwt", "six", "treadmill", "guided"),
    ),
    Place(
        "p",
        "p",
        "drafts",
        "Imported",
        "Imported walks to complete",
        "Type the pain-free distance of walks imported from a watch or phone without a lap press",
        ("import", "imported", "watch", "phone", "garmin", "apple", "health", "gps", "drafts"),
        screen="tracker.ui.screens.drafts:DraftsScreen",
    ),
)
"""The screens, in the order of the dashboard footer."""

FOOTER_CLAIMS = ("l", "h", "t", "w", "s", "y", "e", "o", "c", "g", "v", "p")
"""The order in which screen keys claim room in the dashboard footer when not all fit: the
daily ones, export and settings first (all fit at 80 columns), then the calf-pain check, the
guided tests and the events."""


def footer_keys(width: int) -> frozenset[str]:
    """The first screen keys of FOOTER_CLAIMS whose footer items ("l Log") fit in `width`
    columns beside "? Keys" and "q Quit" (the compact footer puts one space between items)."""
    by_key = {p.key: p for p in (*SCREENS, *COMMANDS)}
    used = _item_width(by_key["question_mark"]) + 1 + _item_width(by_key["q"])
    shown: set[str] = set()
    for key in FOOTER_CLAIMS:
        used += 1 + _item_width(by_key[key])
        if used > width:
            break  # in order: a later key never takes the room an earlier one lacks
        shown.add(key)
    return frozenset(shown)


def _item_width(place: Place) -> int:
    return len(place.shown_key) + 1 + len(place.footer)


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
        "six_minute_walk",
        "",
        "6-minute walk test",
        "Timed hallway test: laps, pain onset, rests",
        ("6mwt", "six", "minute", "hallway", "laps", "timed"),
    ),
    Place(
        "",
        "",
        "treadmill",
        "",
        "Treadmill session",
        "Speed × time; mark the pain and the stop",
        ("treadmill", "speed", "grade", "gym"),
    ),
    Place(
        "",
        "",
        "stopwatch",
        "",
        "Walk stopwatch",
        "Time an everyday walk: pain onset and stop",
        ("stopwatch", "timer", "time", "clock"),
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
