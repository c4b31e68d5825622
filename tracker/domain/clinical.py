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
    SIX_MWT_STOPPED = "6mwt-stopped"
    """A guided 6-minute walk test stopped before 6:00: its own method, so it is never read
    as a 6-minute distance nor counted as an everyday walk."""


METHOD_LABELS: dict[str, str] = {
    Method.WALK: "everyday walk",
    Method.SIX_MWT: "6-minute walk test",
    Method.TREADMILL: "treadmill",
    Method.SIX_MWT_ESTIMATE: "6-minute walk estimate (phone)",
    Method.SIX_MWT_STOPPED: "6-minute walk test stopped early",
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
SETTLED_MIN_REFERENCE_WALKS = 12
"""After a revascularisation, not enough walks yet for a status until the usual-level window
holds this many walks with pain from after the settling period (a clear fall is still named):
many walks end without pain at the new level, and a usual level from a handful of walks reads
noise as a change (docs/trend.md, "After a procedure")."""
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


# --- trend detector (docs/trend.md) ----------------------------------------------------------
# Every status is for the day asked, from the walks up to and including it. The detector works
# on ln(pain-free distance), one value per day with walks (the median of that day's walks; a
# day whose walks all ended without pain is a lower bound). Windows count back from the day
# asked, or, for the estimates refreshed once a week, from the last Sunday on or before it.
# Every number is a design default chosen by simulation (benchmarks/simulate_trend.py).
TREND_WINDOW_DAYS = 84
"""The 12-week trend: weekly medians of the 12 calendar weeks up to the last Sunday."""
TREND_MIN_WALKS = 12
"""Walks (with or without pain) in those 12 weeks before any trend is stated..."""
TREND_MIN_EXACT_WALKS = 6
"""...of them ended with pain (a walk without pain shows only "at least this far")..."""
TREND_MIN_SPAN_DAYS = 35
"""...spanning at least 35 days."""
TREND_MIN_WEEKS = 6
"""Weeks with walks among the 12 for the weekly-median trend test."""
TREND_P_SIGNIFICANT = 0.05
"""A trend with p below this is never worded "about the same" (either direction)."""
TREND_P_CONFIRMED = 0.01
"""A falling trend at p < 0.01 on two weekly checks in a row is a decline."""
IMPROVING_MIN_PCT = 10.0
"""A rising trend (p < 0.05) is "getting longer" when the recent median is also 10 % above
the usual level."""
LEVEL_CHANGE_PCT = 20.0
"""Recent median this far from the usual level: never "about the same"."""
DAYS_PER_MONTH = 30.44
RECENT_DAYS = 28
"""The fall check looks at the last 4 weeks, the day asked included; the recent median is
that of the 4 weeks up to the last Sunday."""
RECENT_MIN_DAYS = 4
REFERENCE_FIRST_DAYS = 210
REFERENCE_LAST_DAYS = 28
"""The usual level: median of days −210..−28 before the last Sunday (the 26 weeks before the
last 4). A long window makes the level precise enough for a fall to show within days."""
NOISE_FIRST_DAYS = 364
"""Day-to-day scatter and correlation: days −364..−28 before the last Sunday."""
SCAN_MIN_REFERENCE = 8
"""Days with walks in the usual-level window before a fall can be named."""
SIGMA_PRIOR = 0.30
SIGMA_PRIOR_WEIGHT = 10
"""The scatter estimate is pulled towards CV ~30 % (typical of everyday walks) as if by 10
extra days: a few early walks that happen to agree must not make every later walk look like
a fall."""
SIGMA_MIN = 0.10
SIGMA_MAX = 0.6
AUTOCORR_MAX = 0.6
AUTOCORR_MIN_DAYS = 20
AUTOCORR_DEFAULT = 0.2
"""Lag-1 correlation of consecutive days with walks (good and bad weeks), corrected for the
estimate's downward bias and clamped to 0..0.6; with fewer than 20 days to estimate it, 0.2."""
AUTOCORR_MAX_GAP_DAYS = 7
"""Two days with walks are neighbours for that correlation when at most a week apart (a
holiday without walks breaks the chain rather than counting as uncorrelated)."""
Z_CAP = 3.0
"""One walk counts at most this many standard deviations: a typing error cannot make a fall."""
FALL_MIN_WALKS = 3
"""Never from one walk: a fall (or a rise) needs at least 3 days with walks below (above) the
usual level."""
ALARM_Z = 3.8
FALL_MIN_DROP_PCT = 20.0
"""A fall alarm: the latest run of walks lies 3.8 standard deviations (of its sum) below the
usual level, and its median at least 20 % below."""
SUDDEN_MAX_DAYS = 14
"""A sudden fall (the emergency questions come first): the alarm came within 14 days of the
first walk behind it, and its first 3 walks were already 20 % below usual. Any other fall
alarm is a fall over weeks. Noisy walks blur the two; the questions err on the safe side."""
POSSIBLE_Z = 3.1
POSSIBLE_Z_SHORT = 3.4
POSSIBLE_MIN_WALKS = 4
POSSIBLE_MIN_DROP_PCT = 30.0
"""A weaker fall of the latest walks, "may be getting shorter": a run of at least 5 days with
walks at z > 3.1 (or of 4 days at z > 3.4), its median 30 % below usual. Shorter runs and
smaller falls are left to the alarm and to the 8-week check, which cost fewer false alarms
for what they find."""
MAY_BE_AGAIN_DAYS = 7
""""May be getting shorter" is not raised again within 7 days of the end of the last one
(domain: the same trend flag at most weekly), so that it does not flicker on and off."""
RISE_Z = 2.5
"""Getting longer: the 8-week check 2.5 standard errors on the high side, and the median of
the 8 weeks at least 20 % above that of the weeks before (held like a slow fall)."""
HOLD_MIN_DROP_PCT = 10.0
"""A fall alarm holds while the walks since it began stay at least 10 % below usual..."""
RECOVERY_WALKS = 3
RECOVERY_Z = 0.5
"""...and ends when the median of the latest 3 days with walks (after the alarm) is back
within half a standard deviation of the usual level ("back to your usual level since ...",
shown for 14 days)."""
RECOVERED_NOTE_DAYS = 14
SLOW_DAYS = 56
SLOW_REFERENCE_DAYS = 182
"""The 8-week check compares the walks of the last 8 weeks, each weighted by how far into
them it lies, with the mean of the 26 weeks before them (a fall that builds up over weeks
is not diluted by its own walks)."""
SLOW_SPAN_DAYS = SLOW_DAYS + SLOW_REFERENCE_DAYS
SLOW_MIN_DAYS = 6
"""Days with walks in the 8 weeks before the check says anything."""
SLOW_POSSIBLE_Z = 2.2
SLOW_MIN_DROP_PCT = 15.0
"""A slow fall, "may be getting shorter": the check 2.2 standard errors on the low side, and
the median of the 8 weeks at least 15 % below that of the weeks before..."""
SLOW_HOLD_Z = 1.5
SLOW_HOLD_MAX_DAYS = 91
"""...held while the check stays 1.5 standard errors low and the median below at all (the
same for a rise), so that a state read every day does not flicker."""
TREND_CONFIRM_SLOW_Z = 2.5
"""A falling 12-week trend is confirmed only when the 8-week check also lies 2.5 standard
errors low on that Sunday: two pieces of evidence under one false-alarm budget."""
SEASON_MIN_DAYS = 456
"""15 months of walks before a yearly pattern is fitted and allowed for."""
SEASON_FIT_DAYS = 364
"""The fit uses the weekly medians of the year before the last 4 weeks..."""
SEASON_MIN_WEEKS = 40
SEASON_MIN_Z = 1.5
SEASON_SHRINK = 1.0
"""...at least 40 of them. The fitted amplitude is shrunk by 1 - 1/z² (z: the amplitude in
standard errors, widened for the correlation of neighbouring weeks) and dropped under 1.5
standard errors: a pattern fitted to noise is mostly noise, and an all-or-nothing cut at
3 standard errors left a real ±15 % swing unadjusted in one week of seven."""
SEASON_MAX_AMPLITUDE = 0.5
RELIEF_FLAG_MIN_WALKS = 2
RELIEF_FLAG_LAST_WALKS = 5
TREND_MAX_PAIRWISE_WALKS = 400
"""Above this many walks with pain in a window (several a day), the maximum-distance check runs
on daily medians: same-day walks are not independent, and pairwise work grows with n²."""
TREND_P_THRESHOLD = 0.01
TREND_SLOPE_PCT_PER_MONTH = 10.0
"""The maximum-distance note: p < 0.01 and at least −10 % a month."""
STATUS_HISTORY_WEEKS = 26
"""How far back "status since" looks (and "decline weeks" are shaded on the chart)."""
METHOD_RECENT_WALKS = 5
"""The method the patient currently uses: the most common among the last 5 walks."""
