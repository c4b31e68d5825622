"""Clinical facts from docs/clinical.md, in code: thresholds, vocabularies, symptom tiers, advice.

Every number here is a design default, not a validated cut-off for self-logged walks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# --- distances -----------------------------------------------------------------------------
PAIN_FREE_MARKER_M = 200.0
"""Fontaine splits claudication at 200 m pain-free; shown as a walk-based marker, never a stage."""

MAX_PLAUSIBLE_DISTANCE_M = 50_000.0
"""Distances above 50 km in one walk are typing errors, not walks."""

RELIEF_ATYPICAL_MIN = 10.0
"""Claudication eases within about 10 minutes of rest; longer is atypical (docs/clinical.md §2)."""

MAX_REST_MIN = 24 * 60.0
"""A rest time over a day is a typing error."""

MAX_SESSION_MIN = 600.0
"""A walking session over 10 hours is a typing error."""

MODERATE_PAIN = 4
"""Pain 4/10 or more counts as 'walked into moderate pain', the kind of session that trains
(docs/clinical.md §3: pain-free strolls did not improve walking in the LITE trial)."""

NOTES_MAX_CHARS = 2000

# --- weekly goal (docs/clinical.md §3) ------------------------------------------------------------
DEFAULT_WEEKLY_SESSIONS = 3
DEFAULT_SESSION_MINUTES = 30

# --- guided walking tests (docs/clinical.md §12) ---------------------------------------------
SIX_MINUTES_S = 360.0
"""The 6-minute walk test runs exactly this long (ATS 2002); a shorter test is incomplete."""

COURSE_DEFAULT_M = 30.0
"""The ATS standard corridor; home versions use a 100-ft (30.5 m) hallway."""
COURSE_MIN_M = 10.0
COURSE_MAX_M = 100.0

TREADMILL_DEFAULT_KMH = 3.2
"""2 mph, the speed of the Gardner-Skinner graded test and of the constant-load test."""
TREADMILL_MIN_KMH = 0.5
TREADMILL_MAX_KMH = 8.0
GRADE_STEP_PCT = 2.0
GRADE_STEP_S = 120.0
"""Graded protocol: 0 % at the start, +2 % every 2 minutes (Gardner-Skinner)."""
CONSTANT_GRADE_DEFAULT_PCT = 10.0
"""Constant load: 3.2 km/h at 10-12 % grade."""
MAX_GRADE_PCT = 25.0

MAX_PLAUSIBLE_SPEED_M_S = 2.5
"""Faster than a brisk walk (9 km/h): a lap count or route implying more is probably a slip."""
EARLIEST_PLAUSIBLE_PAIN_S = 10.0
"""Claudication comes after walking a distance; a pain mark in the first 10 s is probably a
slip of the key (or pain at rest, which is not what a walking test measures)."""


class Method(StrEnum):
    """How a walk was measured; trends are kept per method because methods disagree ~2x."""

    WALK = "walk"
    SIX_MWT = "6mwt"
    TREADMILL = "treadmill"
    SIX_MWT_ESTIMATE = "6mwt-estimate"
    """Apple Health's six-minute walk distance: the iPhone's estimate from everyday walking,
    not a test (phone distances read about 43 % high in PAD gait, docs/clinical.md §1)."""


METHOD_LABELS: dict[str, str] = {
    Method.WALK: "everyday walk",
    Method.SIX_MWT: "6-minute walk test",
    Method.TREADMILL: "treadmill",
    Method.SIX_MWT_ESTIMATE: "6-minute walk estimate (phone)",
}

TYPED_METHODS: tuple[Method, ...] = (Method.WALK, Method.SIX_MWT, Method.TREADMILL)
"""What a person can measure and type; estimates only come from an import."""


class Location(StrEnum):
    CALF = "calf"
    THIGH = "thigh"
    BUTTOCK = "buttock"
    FOOT = "foot"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Source(StrEnum):
    """Where an entry came from, so imported or timed walks can be told from typed ones."""

    TYPED = "typed"
    TIMER = "timer"
    IMPORT = "import"


class SmokingStatus(StrEnum):
    NEVER = "never"
    FORMER = "former"
    CURRENT = "current"


class SmokingFrequency(StrEnum):
    """Only for current smokers; matches the SNOMED answers 'daily' and 'occasional'."""

    EVERY_DAY = "every_day"
    SOME_DAYS = "some_days"


CIGARETTES_PER_PACK = 20
MAX_CIGARETTES_PER_DAY = 200


# --- treatment events (docs/clinical.md §11) ------------------------------------------------------
class EventKind(StrEnum):
    """What happened to the patient; only a procedure (revascularisation) changes the level."""

    PROCEDURE = "procedure"
    MEDICATION_START = "medication-start"
    MEDICATION_STOP = "medication-stop"
    PROGRAMME_START = "programme-start"
    PROGRAMME_END = "programme-end"
    OTHER = "other"


EVENT_KIND_LABELS: dict[str, str] = {
    EventKind.PROCEDURE: "procedure",
    EventKind.MEDICATION_START: "medication start",
    EventKind.MEDICATION_STOP: "medication stop",
    EventKind.PROGRAMME_START: "programme start",
    EventKind.PROGRAMME_END: "programme end",
    EventKind.OTHER: "other event",
}


class ProcedureType(StrEnum):
    ANGIOPLASTY = "angioplasty"
    STENT = "stent"
    BYPASS = "bypass"
    OTHER = "other"


class MedicationCategory(StrEnum):
    """Recorded as context only; the app never advises on medicines (docs/clinical.md §8)."""

    CILOSTAZOL = "cilostazol"
    NAFTIDROFURYL = "naftidrofuryl"
    STATIN = "statin"
    ANTIPLATELET = "antiplatelet"
    ANTICOAGULANT = "anticoagulant"
    OTHER = "other"


PROGRAMME_WEEKS = 12
"""A supervised exercise programme runs 12 weeks (docs/clinical.md §3); its start gives the review
its "week 5 of 12"."""
SINCE_COMPARE_DAYS = 28
"""A medication or programme start is read against the 4 weeks before it and the last 4 weeks."""
SINCE_MIN_WALKS = 3
"""Walks with pain needed on each side before a before/after median is shown."""
SINCE_CONTEXT_DAYS = 182
"""A medication or programme start stays context in the "since" line for 6 months."""
SETTLING_DAYS = 14
"""After a revascularisation the trend counts walks from this many days on: the new level
settles first (a project default)."""
EVENT_TEXT_MAX_CHARS = 200
"""Name, dose and the description of an "other" event are short free text."""


# --- symptoms and red flags (docs/clinical.md §5) -------------------------------------------------
class Tier(StrEnum):
    EMERGENCY = "emergency"
    SAME_DAY = "same_day"
    WITHIN_DAYS = "within_days"
    NEXT_APPOINTMENT = "next_appointment"
    CONTEXT = "context"


TIER_ORDER: dict[Tier, int] = {
    Tier.EMERGENCY: 0,
    Tier.SAME_DAY: 1,
    Tier.WITHIN_DAYS: 2,
    Tier.NEXT_APPOINTMENT: 3,
    Tier.CONTEXT: 4,
}

TIER_LABELS: dict[Tier, str] = {
    Tier.EMERGENCY: "Seek urgent care now",
    Tier.SAME_DAY: "See a doctor today",
    Tier.WITHIN_DAYS: "See a doctor soon",
    Tier.NEXT_APPOINTMENT: "Mention at your next appointment",
    Tier.CONTEXT: "Recorded for context",
}

ADVICE: dict[Tier, str] = {
    Tier.EMERGENCY: (
        "Symptoms like these may mean a leg artery has suddenly closed or a clot has reached "
        "the lungs. Call the emergency number now (112 in Europe, 999 UK, 911 US)."
    ),
    Tier.SAME_DAY: (
        "Swelling, warmth or redness in one leg may point to a clot in a deep vein. Get seen by "
        "a doctor today; if breathlessness or chest pain starts, call the emergency number."
    ),
    Tier.WITHIN_DAYS: (
        "Pain at rest, a slow-healing wound or darkening skin may mean the leg is short of "
        "blood. Please see your doctor or vascular team in the next few days."
    ),
    Tier.NEXT_APPOINTMENT: (
        "This is not typical of walking-related leg pain. Please mention it at your next "
        "appointment."
    ),
    Tier.CONTEXT: (
        "Recorded as context. It raises nothing on its own, but it is named if leg swelling or "
        "redness is reported within 14 days."
    ),
}

RED_FLAG_WINDOW_DAYS = 14
"""Reports of the last 14 days stay on the dashboard and go into every export."""


@dataclass(frozen=True)
class SymptomKind:
    key: str
    description: str
    tier: Tier

    @property
    def is_red_flag(self) -> bool:
        return self.tier is not Tier.CONTEXT

    @property
    def advice(self) -> str:
        return ADVICE[self.tier]


SYMPTOMS: dict[str, SymptomKind] = {
    s.key: s
    for s in (
        SymptomKind(
            "leg_sudden_severe_pain",
            "sudden severe leg pain, rest does not ease it",
            Tier.EMERGENCY,
        ),
        SymptomKind("leg_cold_pale", "leg or foot suddenly cold, pale or mottled", Tier.EMERGENCY),
        SymptomKind("leg_numb_tingling", "sudden numbness or pins and needles", Tier.EMERGENCY),
        SymptomKind(
            "leg_weak_paralysed", "sudden weakness, cannot move foot or toes", Tier.EMERGENCY
        ),
        SymptomKind("sudden_breathlessness", "sudden shortness of breath", Tier.EMERGENCY),
        SymptomKind("chest_pain", "chest pain, often worse breathing in", Tier.EMERGENCY),
        SymptomKind("coughing_blood", "coughing up blood", Tier.EMERGENCY),
        SymptomKind("leg_swelling_one_side", "one calf, ankle or leg swollen", Tier.SAME_DAY),
        SymptomKind("leg_warm_red", "one leg warm, red or dark, calf tender", Tier.SAME_DAY),
        SymptomKind(
            "rest_pain_night",
            "foot pain at rest or night, eased by hanging the leg down",
            Tier.WITHIN_DAYS,
        ),
        SymptomKind(
            "wound_not_healing", "foot or toe wound not healed after 2 weeks", Tier.WITHIN_DAYS
        ),
        SymptomKind("skin_black", "black or dark skin on toes or foot", Tier.WITHIN_DAYS),
        SymptomKind(
            "relief_over_10_min", "pain took over 10 minutes to ease", Tier.NEXT_APPOINTMENT
        ),
        SymptomKind(
            "relief_only_sitting",
            "eases only by sitting or bending forward",
            Tier.NEXT_APPOINTMENT,
        ),
        SymptomKind(
            "recent_long_travel", "long journey recently (flight, car, train)", Tier.CONTEXT
        ),
        SymptomKind("recent_surgery", "operation recently", Tier.CONTEXT),
        SymptomKind("recent_bed_rest", "bed rest or little movement recently", Tier.CONTEXT),
    )
}

CONTEXT_KEYS = tuple(k for k, s in SYMPTOMS.items() if s.tier is Tier.CONTEXT)


def symptom_kind(key: str) -> SymptomKind:
    """Look up a symptom by key; hyphens are accepted for underscores, case is ignored."""
    norm = key.strip().lower().replace("-", "_")
    try:
        return SYMPTOMS[norm]
    except KeyError:
        allowed = ", ".join(SYMPTOMS)
        raise KeyError(f"unknown symptom {key!r}; allowed: {allowed}") from None


def same_day_context_note(context_keys: list[str]) -> str:
    """Names recent immobility beside same-day advice, as docs/clinical.md asks."""
    if not context_keys:
        return ""
    names = ", ".join(SYMPTOMS[k].description for k in context_keys)
    return f"You also recorded in the last {RED_FLAG_WINDOW_DAYS} days: {names}."


# --- trend detector (docs/trend.md) ---------------------------------------------------------
TREND_WINDOW_DAYS = 84
"""All window tests use the last 12 weeks."""
TREND_MIN_EXACT_WALKS = 12
TREND_MIN_SPAN_DAYS = 35
TREND_P_THRESHOLD = 0.01
TREND_SLOPE_PCT_PER_MONTH = 10.0
DAYS_PER_MONTH = 30.44
CUSUM_RECENT_DAYS = 28
"""CUSUM runs walk by walk over the last 4 weeks."""
CUSUM_REFERENCE_DAYS = 84
"""Reference median from weeks −12..−4."""
CUSUM_SIGMA_DAYS = 182
"""Noise (MAD) from weeks −26..−4."""
CUSUM_MIN_REFERENCE_WALKS = 8
CUSUM_MAX_SIGMA_SAMPLE = 800
"""The MAD noise estimate uses at most this many walks (evenly thinned): enough for 3 digits."""
CUSUM_K = 0.75
CUSUM_H = 8.0
CUSUM_SIGMA_MIN = 0.15
CUSUM_SIGMA_MAX = 0.6
RELIEF_FLAG_MIN_WALKS = 2
RELIEF_FLAG_LAST_WALKS = 5
TREND_MAX_PAIRWISE_WALKS = 400
"""Above this many walks with pain in a window (several a day), Mann-Kendall and Theil-Sen run
on daily medians: same-day walks are not independent, and pairwise work grows with n²."""
STATUS_HISTORY_WEEKS = 26
"""How far back "status since" looks (and "decline weeks" are shaded on the chart)."""
