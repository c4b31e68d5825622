"""Sentences shown to the user, built from domain objects in one place.

Health wording: *possible*, *consider*, *discuss with your doctor*; red flags plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tracker.clinical import (
    METHOD_LABELS,
    RED_FLAG_WINDOW_DAYS,
    TIER_LABELS,
    SmokingStatus,
    SymptomKind,
    Tier,
    same_day_context_note,
)
from tracker.models import SymptomReport, Walk
from tracker.units import format_distance

if TYPE_CHECKING:
    from tracker.plausibility import CigaretteDoubt, DistanceDoubt
    from tracker.review import Change, WeekReview
    from tracker.trend import TrendResult

SMOKE_FREE_BENEFIT = (
    "Being smoke-free lowers the risk of losing a leg, of a heart attack and of dying early."
)


# --- labels: words for the codes, which stay in --json ---------------------------------
def count(n: int, noun: str, plural: str | None = None) -> str:
    """A count in English: "1 walk", "4 walks" (never "walk(s)")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


TREND_STATUS_LABELS: dict[str, str] = {
    "insufficient-data": "not enough walks yet",
    "stable": "about the same",
    "improving": "getting longer",
    "possible-decline": "possibly getting shorter",
    "sustained-decline": "falling for several weeks",
    "sudden-drop": "much shorter than usual",
}
"""Keyed by the trend status codes (tracker.trend.Status values)."""


def trend_status_label(status: str) -> str:
    """A few words for a trend status, for headings beside the status sentence."""
    return TREND_STATUS_LABELS.get(str(status), str(status).replace("-", " "))


DISTANCE_FIELD_LABELS = {"pain_free": "pain-free distance", "max": "maximum distance"}


def distance_doubt_sentence(d: DistanceDoubt, unit: str) -> str:
    """Why a distance is asked about: "20 km is much longer than your usual …"."""
    far = "longer" if d.longer else "shorter"
    return (
        f"{d.typed.text} is much {far} than your usual {DISTANCE_FIELD_LABELS[d.field]} "
        f"({format_distance(d.usual_m, unit)}, the median of your last {count(d.walks, 'walk')} "
        "of this kind)."
    )


def distance_doubt_question(d: DistanceDoubt, unit: str) -> str:
    """The question the app asks before saving: "… Did you mean 20 km or 20 m?"."""
    if not d.alternatives:
        return f"{distance_doubt_sentence(d, unit)} Is {d.typed.text} right?"
    *first, last = [d.typed.text, *(a.text for a in d.alternatives)]
    return f"{distance_doubt_sentence(d, unit)} Did you mean {', '.join(first)} or {last}?"


def cigarette_doubt_sentence(d: CigaretteDoubt) -> str:
    return (
        f"{count(d.count, 'cigarette')} is more than 20 above your usual {d.usual:g} a day "
        f"(the median of your last {count(d.days, 'logged day')})."
    )


def duplicate_sentence(walk_id: int) -> str:
    return (
        f"This walk is already in your diary as walk #{walk_id} "
        "(same date, time, method and distances)."
    )


def pain_site(walk: Walk) -> str:
    """Where it hurt, for a table cell: "calf left", "calf", "left" or ""."""
    return " ".join(x for x in (walk.location, walk.side) if x)


def describe_walk(walk: Walk, unit: str) -> str:
    when = walk.walked_at.strftime("%Y-%m-%d %H:%M")
    if walk.no_pain:
        parts = [f"no pain, walked {format_distance(walk.pain_free_m, unit, at_least=True)}"]
    else:
        parts = [
            f"pain-free {format_distance(walk.pain_free_m, unit)}",
            f"maximum {format_distance(walk.max_m, unit)}",
        ]
    if walk.total_m is not None:
        parts.append(f"total {format_distance(walk.total_m, unit)}")
    if walk.location:
        parts.append(walk.location + (f" ({walk.side})" if walk.side else ""))
    elif walk.side:
        parts.append(f"side: {walk.side}")
    if walk.pain is not None:
        parts.append(f"pain {walk.pain}/10")
    if walk.rest_min is not None:
        parts.append(f"eased after {walk.rest_min:g} min")
    if walk.duration_min is not None:
        parts.append(f"{walk.duration_min:g} min walking")
    parts.append(METHOD_LABELS.get(walk.method, walk.method))
    text = f"{when}: " + ", ".join(parts)
    if walk.notes:
        text += f' – "{walk.notes}"'
    return text


def symptom_advice(kind: SymptomKind, recent_context: Sequence[str] = ()) -> str:
    """The tier label and the verbatim advice of domain.md §5 (plus immobility context)."""
    text = f"{TIER_LABELS[kind.tier]}: {kind.advice}"
    if kind.tier is Tier.SAME_DAY and recent_context:
        text += " " + same_day_context_note(list(recent_context))
    return text


def recent_context_keys(reports: Sequence[SymptomReport], today: date) -> list[str]:
    """Context keys (long travel, surgery, bed rest) reported in the red-flag window."""
    from tracker.clinical import CONTEXT_KEYS

    start = today - timedelta(days=RED_FLAG_WINDOW_DAYS)
    seen: list[str] = []
    for r in reports:
        if r.key in CONTEXT_KEYS and r.reported_on >= start and r.key not in seen:
            seen.append(r.key)
    return seen


def smoking_summary(status: str | None, since: date | None, pack_years: float | None) -> str:
    if status is None:
        return "Smoking status not recorded yet."
    text = f"Smoking status: {status}"
    if since is not None:
        text += f" since {since.isoformat()}"
    text += "."
    if pack_years is not None and status != SmokingStatus.NEVER:
        text += f" Pack-years: {pack_years:.1f}."
    return text


# --- trend (domain.md §6) -----------------------------------------------------------------
EMERGENCY_QUESTIONS = (
    "Is your leg or foot suddenly cold, pale or mottled?",
    "Do you have sudden numbness or pins and needles in the leg?",
    "Is your leg suddenly weak, or can you not move your foot or toes?",
)


def trend_status_sentence(r: TrendResult, unit: str) -> str:
    """The one sentence for the status, verbatim from domain.md with the figures filled in."""
    from tracker.clinical import TREND_MIN_EXACT_WALKS, TREND_MIN_SPAN_DAYS
    from tracker.trend import Status

    def dist(m: float | None) -> str:
        return format_distance(m, unit)

    if r.status is Status.SUDDEN_DROP:
        return (
            f"Your recent walks are much shorter than usual ({dist(r.recent_median_m)} instead "
            f"of {dist(r.baseline_median_m)})."
        )
    if r.status is Status.INSUFFICIENT:
        if r.n_exact >= TREND_MIN_EXACT_WALKS:
            return (
                f"Not enough walks with pain yet for a trend: they span {r.span_days} days, "
                f"a trend needs at least {TREND_MIN_SPAN_DAYS}. Keep logging."
            )
        return (
            f"Not enough walks with pain yet for a trend ({r.n_exact} of "
            f"{TREND_MIN_EXACT_WALKS} in the last 12 weeks). Keep logging."
        )
    pct = abs(r.slope_pct_month or 0.0)
    if r.status is Status.STABLE:
        return (
            "Your pain-free distance has been about the same over the last 12 weeks "
            f"(median {dist(r.window_median_m)})."
        )
    if r.status is Status.IMPROVING:
        return f"Your pain-free distance has been getting longer, about +{pct:.0f} % a month."
    if r.status is Status.POSSIBLE_DECLINE:
        return (
            f"Your pain-free distance may be getting shorter (about −{pct:.0f} % a month, "
            f"{r.n_exact} walks). Weather, route and many other things can cause this. "
            "Keep logging."
        )
    return (
        "Over several weeks your pain-free distance has kept falling "
        f"({dist(r.early_median_m)} to {dist(r.recent_median_m)}, {r.n_exact} walks). Many "
        "things can do this, among them further narrowing of the leg arteries. Please talk it "
        "over with your doctor."
    )


def trend_lines(r: TrendResult, unit: str, *, for_patient: bool = True) -> list[str]:
    """Status sentence first, then what the user should know beside it. The doctor's report
    leaves out the instructions addressed to the patient."""
    from tracker.clinical import ADVICE, METHOD_LABELS, Tier
    from tracker.trend import Status

    lines = [trend_status_sentence(r, unit)]
    if r.status is Status.SUDDEN_DROP and for_patient:
        lines.append("Please check: " + " ".join(EMERGENCY_QUESTIONS))
        lines.append(f"If any answer is yes: {ADVICE[Tier.EMERGENCY]}")
        lines.append(f"Otherwise: {ADVICE[Tier.WITHIN_DAYS]}")
    elif r.status is Status.POSSIBLE_DECLINE and for_patient:
        lines.append("If it goes on, consider discussing it with your doctor.")
    if r.n_censored:
        total = r.n_exact + r.n_censored
        lines.append(
            f"{r.n_censored} of your {total} walks in the last 12 weeks ended without pain "
            "(they count as 'at least' distances)."
        )
    if r.below_marker:
        since = f" since the week of {r.marker_since_week}" if r.marker_since_week else ""
        lines.append(
            f"Your recent median pain-free distance ({format_distance(r.recent_median_m, unit)}) "
            f"is below the 200 m mark used in the Fontaine classification{since}. This is a "
            "marker from your walks, not a stage; staging is for your doctor."
        )
    if r.relief_flag:
        lines.append(
            f"On {r.relief_over_10_min} of your last {r.relief_checked} walks the pain took over "
            "10 minutes to ease. This is not typical of walking-related leg pain; please "
            "discuss it with your doctor."
        )
    if r.max_falling and r.max_slope_pct_month is not None:
        lines.append(
            f"Your maximum walking distance has been falling (about "
            f"{r.max_slope_pct_month:.0f} % a month) while your pain-free distance has not. "
            "Noted for your doctor; no alarm."
        )
    if r.cigarettes_per_day_window is not None or r.cigarettes_per_day_before is not None:
        now = r.cigarettes_per_day_window
        before = r.cigarettes_per_day_before
        lines.append(
            "Cigarettes a day on days you logged: "
            f"{'–' if now is None else f'{now:.1f}'} in these 12 weeks, "
            f"{'–' if before is None else f'{before:.1f}'} in the 12 weeks before."
        )
    lines.append(
        f"Based on {METHOD_LABELS.get(r.method, r.method)}s up to the week ending {r.week_end}; "
        "walks of the current week count once it is complete."
    )
    return lines


# --- weekly review ------------------------------------------------------------------------
def _change_text(change: Change | None, unit: str, against: str) -> str | None:
    if change is None:
        return None
    direction = "longer" if change.pct > 0 else "shorter"
    text = (
        f"{format_distance(abs(change.metres), unit)} {direction} than {against} "
        f"({change.pct:+.0f} %)"
    )
    if change.unusual is True:
        text += ", more than your usual week-to-week ups and downs"
    elif change.unusual is False:
        text += ", within your usual week-to-week ups and downs"
    return text


def review_summary(r: WeekReview, unit: str) -> list[str]:
    """One or two sentences that sum the week up, built only from its figures."""
    w = r.this_week
    if w.walks == 0:
        first = f"No walks recorded in {r.week} (goal: {r.goal_sessions})."
    else:
        first = f"You walked {w.walks} time{'s' if w.walks != 1 else ''} in {r.week}"
        first += " – weekly goal reached." if r.goal_met else f" (goal: {r.goal_sessions})."
        if w.walks_with_pain and w.moderate_pain_walks < w.walks:
            first += (
                f" {w.moderate_pain_walks} of them went on into moderate pain, the kind of "
                "walk that trains."
            )
    sentences = [first]
    if w.median_pf_m is not None:
        second = f"Median pain-free distance {format_distance(w.median_pf_m, unit)}"
        change = _change_text(r.change_vs_last_week, unit, "last week")
        second += f", {change}." if change else "."
        sentences.append(second)
    return sentences


def review_lines(r: WeekReview, unit: str) -> list[str]:
    """The whole review as plain lines (CLI text; the TUI lays the same figures out)."""
    from tracker.clinical import TIER_LABELS, Tier

    w, lw = r.this_week, r.last_week
    lines = [f"Week {r.week} ({r.start:%a %d %b} – {r.end:%a %d %b %Y})", ""]
    lines += review_summary(r, unit)
    lines.append("")
    goal = f"Walks: {w.walks} of {r.goal_sessions}"
    if w.minutes is not None:
        goal += f", {w.minutes:g} minutes (goal {r.goal_minutes} per walk)"
    if w.distance_m is not None:
        goal += f", {format_distance(w.distance_m, unit)} in total"
    lines.append(goal + ".")
    if w.walks:
        best = format_distance(w.best_pf_m, unit, at_least=w.best_is_lower_bound)
        lines.append(
            f"Pain-free this week: median {format_distance(w.median_pf_m, unit)}, best {best}."
        )
    else:
        lines.append("Pain-free this week: no walks.")
    lines.append(
        f"Last week: median {format_distance(lw.median_pf_m, unit)} ({count(lw.walks, 'walk')}); "
        f"the 4 weeks before: median {format_distance(r.previous_4_weeks_median_pf_m, unit)}."
    )
    before4 = _change_text(r.change_vs_previous_4_weeks, unit, "the 4 weeks before")
    if before4:
        lines.append(f"Compared with the 4 weeks before: {before4}.")
    if r.usual_weekly_scatter_pct is not None:
        lines.append(
            f"Your weekly median usually moves by about ±{r.usual_weekly_scatter_pct:.0f} % "
            "from one week to the next."
        )
    t = r.trend
    trend = f"Trend: {trend_status_label(t.status)} – {trend_status_sentence(t, unit)}"
    if r.trend_last_week is not None and r.trend_last_week != t.status:
        trend += f" (last week: {trend_status_label(r.trend_last_week)})"
    elif r.trend_last_week is not None:
        trend += " (unchanged since last week)"
    lines.append(trend)
    smoke = "Cigarettes: "
    smoke += "–" if w.cigarettes is None else f"{w.cigarettes} this week"
    smoke += f", {'–' if lw.cigarettes is None else lw.cigarettes} last week"
    if r.smoking_status:
        smoke += f"; status {r.smoking_status}"
    if r.days_since_quitting is not None:
        smoke += f", {r.days_since_quitting} days since quitting"
    lines.append(smoke + ".")
    if r.symptoms:
        lines.append("Symptoms this week:")
        for s in r.symptoms:
            label = TIER_LABELS[Tier(s.tier)]
            lines.append(f"  {'!' if s.red_flag else '-'} {s.day}: {s.description} ({label})")
    else:
        lines.append("Symptoms this week: none recorded.")
    if r.bring_up:
        lines.append("To bring up at your next doctor visit: " + "; ".join(r.bring_up) + ".")
    return lines
