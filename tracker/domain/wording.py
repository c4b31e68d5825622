"""Sentences shown to the user, built from domain objects in one place.

Health wording: *possible*, *consider*, *discuss with your doctor*; red flags plainly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.domain.clinical import (
    ADVICE,
    LEVEL_CHANGE_PCT,
    METHOD_LABELS,
    MODERATE_PAIN,
    PAIN_FREE_MARKER_M,
    SYMPTOMS,
    TIER_LABELS,
    TREND_MIN_EXACT_WALKS,
    TREND_MIN_SPAN_DAYS,
    TREND_MIN_WALKS,
    TREND_P_SIGNIFICANT,
    EventKind,
    MedicationCategory,
    ProcedureType,
    SmokingStatus,
    SymptomKind,
    Tier,
    same_day_context_note,
)
from tracker.domain.events import StoredEvent
from tracker.domain.units import format_distance
from tracker.domain.walks import StoredWalk

if TYPE_CHECKING:
    from tracker.domain.calf_check import CheckResult, EcqScore, StoredCheck
    from tracker.domain.plausibility import CigaretteDoubt, DistanceDoubt
    from tracker.domain.red_flags import RedFlag
    from tracker.domain.report import DoctorReport, ExerciseSummary, MethodSummary
    from tracker.domain.review import Change, WeekReview
    from tracker.domain.treatment import ProgrammeWeek, SinceFigures
    from tracker.domain.trend import TrendResult  # start-up: commands without a trend skip it

SMOKE_FREE_BENEFIT = (
    "Being smoke-free lowers the risk of losing a leg, of a heart attack and of dying early."
)


# --- labels: words for the codes, which stay in --json ---------------------------------
def count(n: int, noun: str, plural: str | None = None) -> str:
    """A count in English: "1 walk", "4 walks" (never "walk(s)")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


TREND_STATUS_LABELS: dict[str, str] = {
    "insufficient-data": "not enough walks yet",
    "stable": "no clear change",
    "improving": "getting longer",
    "possible-improvement": "may be getting longer",
    "possible-decline": "may be getting shorter",
    "sustained-decline": "getting shorter",
    "sudden-drop": "sudden fall",
}
"""Keyed by the trend status codes (tracker.domain.trend.Status values); the one place the statuses
get words, for every text surface (the codes are for --json only). "Stable" is "no clear
change": the status sentence says "about the same" only when the figures allow it."""


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


METHOD_PLURALS: dict[str, str] = {
    "walk": "everyday walks",
    "6mwt": "6-minute walk tests",
    "treadmill": "treadmill walks",
    "6mwt-estimate": "6-minute walk estimates (phone, not a test)",
    "6mwt-stopped": "6-minute walk tests stopped early (not 6-minute distances)",
}


def method_plural(method: str) -> str:
    """ "treadmill walks", "6-minute walk tests": for "No treadmill walks yet" and headings."""
    return METHOD_PLURALS.get(method, f"{METHOD_LABELS.get(method, method)} walks")


def pain_site(walk: StoredWalk) -> str:
    """Where it hurt, for a table cell: "calf left", "calf", "left" or ""."""
    return " ".join(x for x in (walk.location, walk.side) if x)


def describe_walk(walk: StoredWalk, unit: str) -> str:
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
    """The tier label and the verbatim advice of docs/clinical.md §5 (plus immobility context)."""
    text = f"{TIER_LABELS[kind.tier]}: {kind.advice}"
    if kind.tier is Tier.SAME_DAY and recent_context:
        text += " " + same_day_context_note(list(recent_context))
    return text


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


# --- trend (docs/trend.md) ---------------------------------------------------------------
EMERGENCY_QUESTIONS = (
    "Is your leg or foot suddenly cold, pale or mottled?",
    "Do you have sudden numbness or pins and needles in the leg?",
    "Is your leg suddenly weak, or can you not move your foot or toes?",
)

SUDDEN_FALL_IF_NONE = (
    "If none of these: please discuss the shorter walks with your doctor or vascular team in "
    "the next few days. Look out for pain in the foot at rest or at night, a wound on the foot "
    "that does not heal, or skin on the toes turning dark: if any of these appears, see your "
    "doctor soon."
)
"""After a sudden fall, when the emergency questions are answered no: what to do, and what to
look out for, worded as such (nothing the patient did not report is named as if they had)."""

COLD_MONTHS_NOTE = (
    "Cold months can shorten walks. From 15 months of walks on, the app allows for your own "
    "seasonal pattern."
)


def _on(day: date | None) -> str:
    return "–" if day is None else f"{day:%a} {day.day} {day:%b}"


def _dates(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "–"
    if first == last:
        return _on(first)
    return f"{_on(first)} – {_on(last)}"


def _by_weeks(r: TrendResult) -> bool:
    """Whether the change is the 8-week check's (a slow fall or a rise), whose usual level is
    that of the 26 weeks before its 8 weeks."""
    from tracker.domain.trend import Rule  # start-up: commands without a trend skip it

    return Rule.SLOW_FALL in r.raised_by or Rule.RECENT_RISE in r.raised_by


def _change_words(r: TrendResult, unit: str) -> str:
    """The walks since the change began against the usual level: the figures behind a fall,
    a possible fall or a rise."""
    pct = abs(r.change_pct or 0.0)
    direction = "above" if (r.change_pct or 0.0) > 0 else "below"
    walks = f"{r.change_walks} walk{'s' if r.change_walks != 1 else ''}"
    before = " in the 26 weeks before" if _by_weeks(r) else ""
    return (
        f"your {walks} since {_on(r.change_start)} have a median of "
        f"{format_distance(r.change_median_m, unit)}, {pct:.0f} % {direction} your usual "
        f"{format_distance(r.change_usual_m, unit)}{before}"
    )


def _level_words(r: TrendResult, unit: str) -> str:
    pct = abs(r.recent_vs_usual_pct or 0.0)
    direction = "above" if (r.recent_vs_usual_pct or 0.0) > 0 else "below"
    return (
        f"the median of the 4 weeks to {_on(r.week_end)} "
        f"({format_distance(r.recent_median_m, unit)}) is {pct:.0f} % {direction} your usual "
        f"level ({format_distance(r.usual_now_m, unit)})"
    )


def _slope_words(r: TrendResult) -> str:
    slope = r.slope_pct_month or 0.0
    p = r.mk_p if r.mk_p is not None else 1.0
    return f"the 12-week trend to {_on(r.week_end)} is about {slope:+.0f} % a month (p = {p:.2g})"


def trend_status_sentence(r: TrendResult, unit: str) -> str:
    """The one sentence for the status, read against the procedure the walks were cut at."""
    return change_point_sentence(r, _status_sentence(r, unit))


def change_point_sentence(r: TrendResult, sentence: str) -> str:
    """After a revascularisation the trend starts again: say why there is no trend yet, or
    name the procedure the status is read against ("Since your angioplasty on 3 Sep, ...")."""
    from tracker.domain.trend import Status  # start-up: commands without a trend skip it

    cp = r.change_point
    if cp is None:
        return sentence
    head = f"Since your {cp.procedure} on {short_date(cp.procedure_on, r.as_of)}"
    if r.status is Status.INSUFFICIENT:
        why = f"{count(r.n_exact, 'walk')} with pain"
        if r.n_exact >= TREND_MIN_EXACT_WALKS:
            why += f" over {r.span_days} days, a trend needs {TREND_MIN_SPAN_DAYS}"
        else:
            why += f", a trend needs {TREND_MIN_EXACT_WALKS}"
        return (
            f"{head}, walks from {short_date(cp.counts_from, r.as_of)} on count for the "
            f"trend: not enough yet ({why}). Keep logging."
        )
    return f"{head}, {sentence[0].lower()}{sentence[1:]}"


def _status_sentence(r: TrendResult, unit: str) -> str:
    """The one sentence for the status, built only from the figures in `r`."""
    from tracker.domain.trend import Rule, Status  # start-up: commands without a trend skip it

    def dist(m: float | None) -> str:
        return format_distance(m, unit)

    status = r.status
    if status is Status.SUDDEN_DROP:
        pct = abs(r.change_pct or 0.0)
        return (
            f"Your walks since {_on(r.change_start)} are shorter than usual: a median of "
            f"{dist(r.change_median_m)} over {r.change_walks} walks "
            f"({_dates(r.change_first_walk, r.change_last_walk)}), against your usual "
            f"{dist(r.change_usual_m)} before ({pct:.0f} % shorter)."
        )
    if status is Status.SUSTAINED_DECLINE:
        if Rule.RECENT_FALL in r.raised_by:
            text = (
                f"Your pain-free distance has fallen over the last weeks: {_change_words(r, unit)}."
            )
        else:
            text = (
                f"Over the 12 weeks to {_on(r.week_end)} your pain-free distance has kept "
                f"falling, about {r.slope_pct_month or 0.0:+.0f} % a month "
                f"({r.n_exact + r.n_censored} walks, falling at two weekly checks in a row, "
                "and the walks of the last 8 weeks clearly below the 26 weeks before)."
            )
        return (
            f"{text} Many things can do this, among them further narrowing of the leg "
            "arteries. Please talk it over with your doctor."
        )
    if status is Status.INSUFFICIENT:
        # counted up to the day asked: the walk logged today counts in what is said
        if r.walks_to_date < TREND_MIN_WALKS:
            return (
                f"Not enough walks yet for a trend ({r.walks_to_date} of {TREND_MIN_WALKS} in "
                "the last 12 weeks). Keep logging."
            )
        if r.exact_to_date < TREND_MIN_EXACT_WALKS:
            return (
                f"Not enough walks with pain yet for a trend ({r.exact_to_date} of "
                f"{TREND_MIN_EXACT_WALKS} in the last 12 weeks); a walk that ends without pain "
                "shows only that you walked at least that far. Keep logging."
            )
        if r.span_to_date_days < TREND_MIN_SPAN_DAYS:
            return (
                f"Not enough walks yet for a trend: they span {r.span_to_date_days} days, a "
                f"trend needs at least {TREND_MIN_SPAN_DAYS}. Keep logging."
            )
        if (
            r.n_exact + r.n_censored < TREND_MIN_WALKS
            or r.n_exact < TREND_MIN_EXACT_WALKS
            or r.span_days < TREND_MIN_SPAN_DAYS
        ):  # enough today, not yet in the whole weeks the trend test is worked out on
            return (
                f"You now have enough walks for a first trend ({r.walks_to_date} in the last "
                "12 weeks); it is worked out on whole weeks, so it is due with the week ending "
                f"{_on(r.week_end + timedelta(days=7))}. Keep logging."
            )
        return (
            "Not enough walks from before the last 4 weeks yet to compare with your usual "
            "level. Keep logging."
        )
    if status is Status.POSSIBLE_DECLINE:
        return (
            "Your pain-free distance may be getting shorter, not yet confirmed: "
            f"{_change_words(r, unit)}. Weather, route and many other things can cause this. "
            "Keep logging."
        )
    if status is Status.IMPROVING:
        if Rule.RECENT_RISE in r.raised_by:
            return f"Your pain-free distance has been getting longer: {_change_words(r, unit)}."
        return (
            "Your pain-free distance has been getting longer: "
            f"{_slope_words(r)}, and {_level_words(r, unit)}."
        )
    if status is Status.POSSIBLE_IMPROVEMENT:
        return (
            "Your pain-free distance may be getting longer, not yet confirmed: "
            f"{_level_words(r, unit)}."
        )
    # stable
    season = (
        ", allowing for the seasonal pattern of your walks a year earlier"
        if r.seasonal_adjusted
        else ""
    )
    if r.about_the_same:
        # after a procedure cut inside the 12 weeks, only its later walks are behind the figures
        cut = r.change_point is not None and r.change_point.counts_from > r.window_start
        over = "" if cut else f" over the 12 weeks to {_on(r.week_end)}"
        return (
            f"Your pain-free distance has been about the same{over}{season} (median "
            f"{dist(r.window_median_m)}; last 4 weeks {dist(r.recent_median_m)}, usual "
            f"{dist(r.usual_now_m)})."
        )
    reasons = []
    if r.mk_p is not None and r.mk_p < TREND_P_SIGNIFICANT:
        reasons.append(_slope_words(r))
    if r.recent_vs_usual_pct is not None and abs(r.recent_vs_usual_pct) >= LEVEL_CHANGE_PCT:
        reasons.append(_level_words(r, unit))
    if not reasons:  # no usual level to compare with yet
        return (
            f"No clear change over the 12 weeks to {_on(r.week_end)}{season} (median "
            f"{dist(r.window_median_m)}); there are not yet enough earlier walks to compare "
            "the last 4 weeks with. Keep logging."
        )
    return (
        f"No clear change yet{season}: {' and '.join(reasons)}, but not enough to call it "
        "a change. Keep logging."
    )


def trend_summary(r: TrendResult, unit: str) -> str:
    """Label and sentence on one line: the dashboard, the trend screen and the review."""
    label = trend_status_label(r.status)
    sentence = trend_status_sentence(r, unit)
    if sentence.lower().startswith(label.lower()):
        return sentence  # "Not enough walks yet: Not enough walks yet for a trend" said it twice
    return f"{label[:1].upper()}{label[1:]}: {sentence}"


def trend_figures(r: TrendResult, unit: str) -> list[str]:
    """The figures behind the status: for a change of the last weeks the walks since it began
    and the fall check; for the 12-week trend its slope and test; for "about the same" both
    the trend and the level it rests on."""
    from tracker.domain.trend import Rule, Status  # start-up: commands without a trend skip it

    def dist(m: float | None) -> str:
        return format_distance(m, unit)

    lines = []
    if r.change_start is not None and _by_weeks(r):
        z = r.change_z or 0.0
        side = "above" if r.status is Status.IMPROVING else "below"
        if r.status is Status.IMPROVING:
            bar = f"getting longer from {r.change_z_rise:.1f}"
        else:
            bar = (
                f"'may be getting shorter' from {r.slow_z_possible:.1f}, held down to "
                f"{r.slow_z_hold:.1f}"
            )
        lines.append(
            f"Walks of the 8 weeks since {_on(r.change_start)}: {r.change_walks} "
            f"({_dates(r.change_first_walk, r.change_last_walk)}), median "
            f"{dist(r.change_median_m)} against {dist(r.change_usual_m)} in the 26 weeks "
            f"before ({r.change_reference_walks} walks, "
            f"{_dates(r.change_reference_start, r.change_reference_end)}; "
            f"{r.change_pct or 0.0:+.0f} %); weighted towards the latest walks, {z:.1f} "
            f"standard errors {side} ({bar}). Day-to-day scatter about "
            f"±{(r.cusum_sigma or 0.0) * 100:.0f} %, correlation of consecutive days "
            f"{r.autocorrelation or 0.0:.2f}."
        )
    elif r.change_start is not None:
        z = r.change_z or 0.0
        if r.status is Status.IMPROVING:
            bar = f"getting longer above {r.change_z_rise:.1f}"
        else:
            bar = (
                f"an alarm above {r.change_z_alarm:.1f}, 'may be getting shorter' above "
                f"{r.change_z_possible:.1f}"
            )
        lines.append(
            f"Walks since {_on(r.change_start)}: {r.change_walks} "
            f"({_dates(r.change_first_walk, r.change_last_walk)}), median "
            f"{dist(r.change_median_m)} against the usual {dist(r.change_usual_m)} "
            f"({r.change_pct or 0.0:+.0f} %); {z:.1f} standard deviations from usual ({bar}). "
            f"Usual level: median of {r.n_reference} walks, "
            f"{_dates(r.reference_start, r.reference_end)}; "
            f"day-to-day scatter about ±{(r.cusum_sigma or 0.0) * 100:.0f} %, correlation of "
            f"consecutive days {r.autocorrelation or 0.0:.2f}."
        )
    trend_behind = Rule.TREND in r.raised_by or r.status is Status.STABLE
    if trend_behind and r.slope_pct_month is not None and r.mk_p is not None:
        previous = (
            f"; one weekly check earlier p = {r.mk_p_previous:.2g}"
            if Rule.TREND in r.raised_by and r.mk_p_previous is not None
            else ""
        )
        if (
            Rule.TREND in r.raised_by
            and r.status is Status.SUSTAINED_DECLINE
            and r.slow_z_week_end is not None
        ):
            previous += (
                f"; the walks of the 8 weeks to {_on(r.week_end)}, weighted towards the "
                f"latest, {r.slow_z_week_end:.1f} standard errors below the 26 weeks before "
                f"(a decline needs {r.slow_z_confirm:.1f})"
            )
        lines.append(
            f"12-week trend to {_on(r.week_end)}: {r.slope_pct_month:+.1f} % a month (95 % "
            f"interval {r.slope_pct_month_low or 0.0:+.1f} to "
            f"{r.slope_pct_month_high or 0.0:+.1f}), p = {r.mk_p:.2g}{previous}; weekly "
            f"medians of {r.trend_weeks} weeks, {r.n_exact} walks with pain and "
            f"{r.n_censored} without ({_dates(r.window_start, r.week_end)})."
        )
    level_behind = Rule.LEVEL in r.raised_by or r.status in (Status.STABLE, Status.IMPROVING)
    if level_behind and r.recent_vs_usual_pct is not None:
        lines.append(
            f"Last 4 weeks to {_on(r.week_end)}: median {dist(r.recent_median_m)} "
            f"({r.n_recent} walks) against the usual {dist(r.usual_now_m)} "
            f"({r.recent_vs_usual_pct:+.0f} %)."
        )
    if r.seasonal_adjusted and r.seasonal_amplitude_pct is not None:
        lines.append(
            "Allowing for the seasonal pattern of your own walks a year earlier (about "
            f"±{r.seasonal_amplitude_pct:.0f} % over the year)."
        )
    return lines


def trend_lines(r: TrendResult, unit: str, *, for_patient: bool = True) -> list[str]:
    """Status sentence first, then what the user should know beside it. The doctor's report
    leaves out the instructions addressed to the patient."""
    from tracker.domain.trend import Status  # start-up: commands without a trend skip it

    lines = [trend_status_sentence(r, unit)]
    if r.status is Status.SUDDEN_DROP and for_patient:
        lines.append("Please check: " + " ".join(EMERGENCY_QUESTIONS))
        lines.append(f"If any answer is yes: {ADVICE[Tier.EMERGENCY]}")
        lines.append(SUDDEN_FALL_IF_NONE)
    elif r.status is Status.POSSIBLE_DECLINE and for_patient:
        lines.append("If it goes on, consider discussing it with your doctor.")
    if r.recovered_since is not None:
        began = f" (the fall had begun on {_on(r.recovered_from)})" if r.recovered_from else ""
        lines.append(
            f"Your walks are back to your usual level since {_on(r.recovered_since)}{began}."
        )
    declining = r.status in (Status.POSSIBLE_DECLINE, Status.SUSTAINED_DECLINE, Status.SUDDEN_DROP)
    if not r.seasonal_adjusted and (
        declining or (r.status is Status.STABLE and not r.about_the_same)
    ):
        lines.append(COLD_MONTHS_NOTE)
    if r.n_censored:
        total = r.n_exact + r.n_censored
        lines.append(
            f"{r.n_censored} of your {total} walks in the 12 weeks to {_on(r.week_end)} ended "
            "without pain (they count as 'at least' distances)."
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
            f"{'–' if now is None else f'{now:.1f}'} in the last 12 weeks, "
            f"{'–' if before is None else f'{before:.1f}'} in the 12 weeks before."
        )
    label = METHOD_LABELS.get(r.method, r.method)
    last = f"; the last one was on {_on(r.last_walk)}" if r.last_walk else ""
    lines.append(f"Based on your {label}s up to {_on(r.as_of)}{last}.")
    return lines


# --- weekly review ------------------------------------------------------------------------
def _change_text(
    change: Change | None, unit: str, against: str, before_m: float | None
) -> str | None:
    """ "20 m shorter than last week (−9 %)", with the rule beside any judgement; a change that
    rounds to nothing is "about the same"."""
    if change is None:
        return None
    if format_distance(abs(change.metres), unit) == format_distance(0, unit) or (
        round(change.pct) == 0
    ):
        return f"about the same as {against} ({format_distance(before_m, unit)})"
    direction = "longer" if change.pct > 0 else "shorter"
    text = (
        f"{format_distance(abs(change.metres), unit)} {direction} than {against} "
        f"({change.pct:+.0f} %)"
    )
    if change.unusual is not None and change.usual_pct is not None:
        size = "larger than" if change.unusual else "within"
        text += (
            f"; a change of {change.pct:+.0f} % is {size} your usual ups and downs "
            f"of ±{change.usual_pct:.0f} %"
        )
    return text


def review_summary(r: WeekReview, unit: str) -> list[str]:
    """One or two sentences that sum the week up, built only from its figures."""
    w = r.this_week
    if w.walks == 0:
        first = f"No walks recorded in {r.week} (goal: {r.goal_sessions})."
    else:
        first = f"You walked {count(w.walks, 'time')} in {r.week}"
        first += " – weekly goal reached." if r.goal_met else f" (goal: {r.goal_sessions})."
        if w.walks_with_pain and w.moderate_pain_walks < w.walks:
            first += (
                f" {w.moderate_pain_walks} of them went on into moderate pain, the kind of "
                "walk that trains."
            )
    sentences = [first]
    if w.median_pf_m is not None:
        method = METHOD_LABELS.get(r.method, r.method)
        second = f"Median pain-free distance ({method}s) {format_distance(w.median_pf_m, unit)}"
        change = _change_text(r.change_vs_last_week, unit, "last week", r.last_week.median_pf_m)
        second += f", {change}." if change else "."
        sentences.append(second)
    return sentences


def review_lines(r: WeekReview, unit: str) -> list[str]:
    """The whole review as plain lines (CLI text; the TUI lays the same figures out)."""
    from tracker.domain.trend import Status  # start-up: `tracker log` loads no detector

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
    if r.programme is not None:
        lines.append(programme_line(r.programme))
    method = METHOD_LABELS.get(r.method, r.method)
    if w.walks_with_pain:
        text = (
            f"Pain-free this week ({method}s): median {format_distance(w.median_pf_m, unit)}, "
            f"best {format_distance(w.best_pf_m, unit)}"
        )
    elif w.walks:
        text = f"Pain-free this week ({method}s): no walk ended in pain"
    else:
        text = "Pain-free this week: no walks"
    if w.longest_no_pain_m is not None:
        text += (
            "; longest walk without pain "
            f"{format_distance(w.longest_no_pain_m, unit, at_least=True)} (a lower bound)"
        )
    lines.append(text + ".")
    lines.append(
        f"Last week: median {format_distance(lw.median_pf_m, unit)} ({count(lw.walks, 'walk')}); "
        f"the 4 weeks before: median {format_distance(r.previous_4_weeks_median_pf_m, unit)}."
    )
    before4 = _change_text(
        r.change_vs_previous_4_weeks, unit, "the 4 weeks before", r.previous_4_weeks_median_pf_m
    )
    if before4:
        lines.append(f"This week against the 4 weeks before: {before4}.")
    if r.usual_weekly_scatter_pct is not None:
        lines.append(
            f"Your usual ups and downs: the weekly median moves by up to "
            f"±{r.usual_weekly_scatter_pct:.0f} % from one week to the next (twice the typical "
            "week-to-week change of the 12 weeks before)."
        )
    t = r.trend
    trend = f"Trend: {trend_summary(t, unit)}"
    if r.trend_last_week is not None and r.trend_last_week != t.status:
        trend += f" (a week earlier: {trend_status_label(r.trend_last_week)})"
    elif r.trend_last_week is not None:
        trend += " (unchanged since a week earlier)"
    lines.append(trend)
    if t.status is Status.SUDDEN_DROP:
        lines.append(
            "What to check now and how soon to see a doctor: see the trend (t in the app, or "
            "`tracker trend`)."
        )
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
            if Tier(s.tier) in (Tier.EMERGENCY, Tier.SAME_DAY, Tier.WITHIN_DAYS):
                lines.append(f"  ! {s.day}: {s.description} – {s.advice}")
            else:
                label = TIER_LABELS[Tier(s.tier)]
                lines.append(f"  {'!' if s.red_flag else '-'} {s.day}: {s.description} ({label})")
    else:
        lines.append("Symptoms this week: none recorded.")
    if r.events:
        lines.append("Treatment events this week:")
        lines += [f"  - {e.day:%a %d %b}: {e.description}" for e in r.events]
    if r.bring_up:
        lines.append("To bring up at your next doctor visit: " + "; ".join(r.bring_up) + ".")
    return lines


# --- treatment events (docs/clinical.md §11) ---------------------------------------------
MARKER_LABEL_MAX_CHARS = 14


def short_date(day: date, today: date) -> str:
    """ "3 Sep", with the year when it is not this year's."""
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def _medicine(e: StoredEvent) -> str:
    category = e.category or "medication"
    if not e.name:
        return category
    if category in ("other", "medication") or e.name.casefold() == category:
        return e.name
    return f"{e.name} ({category})"


def event_title(e: StoredEvent) -> str:
    """What the event is called in a sentence: "angioplasty", "cilostazol", "hospital stay"."""
    if e.kind == EventKind.PROCEDURE:
        return (
            "procedure"
            if e.procedure_type in (None, ProcedureType.OTHER)
            else str(e.procedure_type)
        )
    if e.kind in (EventKind.MEDICATION_START, EventKind.MEDICATION_STOP):
        return _medicine(e)
    if e.kind in (EventKind.PROGRAMME_START, EventKind.PROGRAMME_END):
        return "exercise programme"
    return e.description or " ".join(e.notes.split()[:6]) or "event"


def event_summary(e: StoredEvent, *, notes: bool = True) -> str:
    """One line without the date: "angioplasty, left leg", "started cilostazol, 100 mg"."""
    title = event_title(e)
    if e.kind == EventKind.PROCEDURE:
        text = title
        if e.side:
            text += ", both legs" if e.side == "both" else f", {e.side} leg"
    elif e.kind == EventKind.MEDICATION_START:
        text = f"started {title}" + (f", {e.dose}" if e.dose else "")
    elif e.kind == EventKind.MEDICATION_STOP:
        text = f"stopped {title}"
    elif e.kind == EventKind.PROGRAMME_START:
        text = "started a supervised exercise programme"
    elif e.kind == EventKind.PROGRAMME_END:
        text = "ended the supervised exercise programme"
    else:
        text = e.description or " ".join(e.notes.split()) or title
        if not e.description:
            return text
    if e.notes and notes:
        text += f' – "{" ".join(e.notes.split())}"'
    return text


def describe_event(e: StoredEvent) -> str:
    return f"{e.occurred_on.isoformat()}: {event_summary(e)}"


def marker_label(e: StoredEvent) -> str:
    """One word under a chart's vertical marker: "angioplasty", "cilostazol", "statin-stop"."""
    if e.kind in (EventKind.MEDICATION_START, EventKind.MEDICATION_STOP):
        word = e.category or "medication"
        if word == MedicationCategory.OTHER:
            word = e.name.split()[0] if e.name.split() else "medication"
        word = word[:MARKER_LABEL_MAX_CHARS]
        return word if e.kind == EventKind.MEDICATION_START else f"{word}-stop"
    if e.kind == EventKind.PROGRAMME_START:
        return "programme"
    if e.kind == EventKind.PROGRAMME_END:
        return "programme-end"
    if e.kind == EventKind.OTHER:
        words = (e.description or e.notes).split()
        return words[0][:MARKER_LABEL_MAX_CHARS] if words else "event"
    return event_title(e)


def _walks_phrase(n: int, method: str) -> str:
    text = count(n, "walk")
    return text if method == "walk" else f"{text}, {METHOD_LABELS.get(method, method)}"


def since_lines(figures: Sequence[SinceFigures], unit: str, today: date) -> list[str]:
    """The dashboard's "since" sentences: a procedure with the level after it; a medication or
    programme start as context, figures side by side and never as a cause."""
    lines: list[str] = []
    for f in figures:
        e = f.event
        when = short_date(e.occurred_on, today)
        if e.kind == EventKind.PROCEDURE:
            head = f"Since your {event_title(e)} on {when}"
            if f.after_median_m is None:
                lines.append(f"{head}: no walks with pain logged yet.")
                continue
            text = (
                f"{head}: median pain-free {format_distance(f.after_median_m, unit)} "
                f"({_walks_phrase(f.after_walks, f.method)}"
            )
            if f.comparable:
                text += f"; {format_distance(f.before_median_m, unit)} in the 4 weeks before"
            lines.append(text + ").")
            continue
        what = "the exercise programme" if e.kind == EventKind.PROGRAMME_START else event_title(e)
        days_before = (e.occurred_on - f.before_from).days
        before_span = "the 4 weeks" if days_before == 28 else f"the {days_before} days"
        if not f.comparable:
            lines.append(
                f"Started {what} on {when}; too few walks with pain around it to compare yet "
                f"({f.before_walks} in {before_span} before, {f.after_walks} since)."
            )
            continue
        since_start = f.after_from == e.occurred_on + timedelta(days=1)
        after_span = "since" if since_start else "in the last 4 weeks"
        lines.append(
            f"Since starting {what} on {when} the median pain-free distance went from "
            f"{format_distance(f.before_median_m, unit)} to "
            f"{format_distance(f.after_median_m, unit)} "
            f"({_walks_phrase(f.before_walks, f.method)} in {before_span} before, "
            f"{f.after_walks} {after_span})."
        )
    return lines


def programme_line(p: ProgrammeWeek) -> str:
    """The review's "week 5 of 12" (docs/clinical.md §3: at least 12 weeks, then kept up)."""
    started = f"started {p.start:%a %d %b %Y}"
    if p.ended_on is not None:
        return f"Exercise programme: week {p.week}, ended on {p.ended_on:%a %d %b} ({started})."
    if p.week <= p.planned_weeks:
        return f"Exercise programme: week {p.week} of {p.planned_weeks} ({started})."
    return (
        f"Exercise programme: week {p.week}, past the planned {p.planned_weeks} weeks "
        f"({started}); the guidelines advise keeping the walking up."
    )


# --- calf-pain check (docs/clinical.md §10) ------------------------------------------------------
CHECK_PATTERN_NAMES: dict[str, str] = {
    "claudication": "walking-related pain from narrowed arteries",
    "clot": "a clot in a deep vein of the leg",
    "rest-pain": "pain at rest from a leg that is short of blood",
    "muscle-strain": "an overstrained muscle",
    "cramp": "a muscle cramp",
    "short-lived": "short-lived pain with no other sign",
}
"""What "Your answers fit the pattern of ..." names; emergency and unclear have own sentences."""

CLOT_ANSWER_WORDS: dict[str, str] = {
    "swelling": "one calf, ankle or leg swollen",
    "warm_red": "one leg warm, red or dark",
    "pulling": "a gradual pulling pain with tension",
    "pressure": "pain set off by pressure or by pulling the toes up",
    "raised": "pain much eased by raising the leg",
}
NO_URGENT_SIGN = "No urgent sign"
CHECK_NOT_A_DIAGNOSIS = "This check sorts your answers; it is not a diagnosis."
HARMLESS_SENTENCE = (
    "Pain like this is almost always harmless and self-limiting: it passes by itself."
)
CLAUDICATION_GUIDANCE = (
    "This is the kind of pain this diary follows: keep walking and logging your pain-free "
    "distance, and discuss it with your doctor."
)


def check_headline(pattern: str, signs: Sequence[str] = ()) -> str:
    """Short form for history rows, the dashboard and the report: "fits the pattern of ..."."""
    if pattern == "emergency":
        names = ", ".join(SYMPTOMS[k].description for k in signs if k in SYMPTOMS)
        return "signs that need urgent care" + (f" ({names})" if names else "")
    if pattern == "unclear":
        return "no clear pattern"
    return f"fits the pattern of {CHECK_PATTERN_NAMES.get(pattern, pattern)}"


def ecq_sentence(answers: Mapping[str, object], score: EcqScore) -> str:
    """The questionnaire's score with the reason, from the published criteria."""
    head = "Edinburgh Claudication Questionnaire"
    if score.positive:
        grade = (
            "pain also at an ordinary pace on the level"
            if score.grade == 2
            else "pain walking uphill or hurrying, not at an ordinary pace"
        )
        kind = "calf" if score.kind == "definite" else "thigh or buttock, not the calf"
        return f"{head}: positive, grade {score.grade} ({grade}), {score.kind} ({kind})."
    if answers.get("ecq1") == "no":
        return f"{head}: negative (no pain when walking)."
    if answers.get("ecq1") == "unable":
        return f"{head}: negative (unable to walk)."
    reasons = {
        "ecq2": "the pain can begin standing still or sitting",
        "ecq3": (
            "you never walk uphill or hurry"
            if answers.get("ecq3") == "never"
            else "it does not come walking uphill or hurrying"
        ),
        "ecq5": "it usually continues more than 10 minutes after stopping",
        "ecq6": "it is not in the calf, thigh or buttock",
    }
    why = "; ".join(reasons[k] for k in score.not_met if k in reasons)
    return f"{head}: negative ({why})."


def check_lines(r: CheckResult) -> list[str]:
    """Every sentence of a result, in the order shown (CLI, TUI, stored with the check)."""
    if r.pattern == "emergency":
        names = "; ".join(
            SYMPTOMS[k].description for k in r.signs if SYMPTOMS[k].tier is Tier.EMERGENCY
        )
        lines = [f"Your answers include signs that need urgent care: {names}."]
    elif r.pattern == "unclear":
        lines = ["Your answers do not clearly fit one of the patterns this check knows."]
    else:
        first = f"Your answers fit the pattern of {CHECK_PATTERN_NAMES[r.pattern]}"
        if r.pattern == "clot":
            said = [
                CLOT_ANSWER_WORDS[k] for k in ("swelling", "warm_red") if r.answers.get(k) == "yes"
            ]
            said += [CLOT_ANSWER_WORDS[k] for k in r.clot_features]
            first += f" (you said: {'; '.join(said)})"
        lines = [first + "."]
    lines.append(ecq_sentence(r.answers, r.ecq))
    urgent = {"emergency", "clot", "rest-pain"}
    others = [SYMPTOMS[k].description for k in r.signs if r.pattern not in urgent]
    if others:
        lines.append(f"You also said: {'; '.join(others)}.")
    if r.tier is not None:
        lines.append(f"{TIER_LABELS[r.tier]}: {check_advice(r)}")
    else:
        lines.append(f"{NO_URGENT_SIGN}: {check_advice(r)}")
    if r.pattern == "claudication" and "smoking" in r.risk_factors:
        lines.append(SMOKE_FREE_BENEFIT)
    lines.append(CHECK_NOT_A_DIAGNOSIS)
    return lines


def _recorded_risks(r: CheckResult) -> str:
    from tracker.domain.calf_check import RISK_FACTOR_LABELS  # start-up: not on the log path

    return ", ".join(RISK_FACTOR_LABELS[f] for f in r.risk_factors)


def check_advice(r: CheckResult) -> str:
    """The tier's advice verbatim (a clot names recorded immobility and risk factors), or what
    a result without an urgent sign means."""
    if r.tier is not None:
        text = ADVICE[r.tier]
        if r.pattern == "clot":
            if r.immobility:
                text += " " + same_day_context_note(list(r.immobility))
            if r.risk_factors:
                text += f" Risk factors you have recorded: {_recorded_risks(r)}."
        return text
    if r.pattern == "claudication":
        return CLAUDICATION_GUIDANCE
    if r.harmless:
        return HARMLESS_SENTENCE
    reasons = [SYMPTOMS[k].description for k in r.immobility]
    if r.risk_factors:
        reasons.append(_recorded_risks(r))
    return (
        f"Because you have recorded {'; '.join(reasons)}, watch the leg: if one leg swells, "
        "or turns warm or red, get seen by a doctor today."
    )


def _stored_check(check: StoredCheck, no_tier: str = NO_URGENT_SIGN) -> tuple[str, str]:
    """What a stored check fitted and the urgency label shown then."""
    from tracker.domain.calf_check import parse_stored_answers, signs_in  # start-up, as above

    label = TIER_LABELS[Tier(check.tier)] if check.tier else no_tier
    return check_headline(check.pattern, signs_in(parse_stored_answers(check.answers))), label


def check_row_summary(check: StoredCheck) -> str:
    """One line for a stored check: date, what it fitted, the urgency shown then."""
    what, label = _stored_check(check)
    return f"{check.checked_at:%Y-%m-%d %H:%M}: {what} – {label}"


def check_report_line(check: StoredCheck) -> str:
    """The doctor report's line (third person): the latest check and its date."""
    if check.ecq_positive:
        ecq = f"ECQ positive, grade {check.ecq_grade}, {check.ecq_kind}"
    else:
        ecq = "ECQ negative"
    what, label = _stored_check(check, "no urgent sign")
    what = what.replace("fits the pattern", "the answers fit the pattern", 1)
    return (
        f"Latest calf-pain check ({check.checked_at:%Y-%m-%d}): {what} ({ecq}); urgency shown "
        f"to the patient: {label}."
    )


def check_dashboard_line(check: StoredCheck) -> str:
    """The dashboard card: the latest check's date, what it fitted and the urgency shown."""
    what, label = _stored_check(check)
    return (
        f"[b]Calf-pain check[/b] {check.checked_at:%a %d %b %Y}: {what}. {label}. "
        "Press c for a new check."
    )


# --- doctor report: for the clinician, in the third person -------------------------------
def report_data_note(r: DoctorReport) -> str:
    """The data's nature, said once: self-recorded, the method mix, the lower bounds."""
    mix = ", ".join(f"{m.walks} {method_plural(m.method)}" for m in r.methods) or "no walks"
    text = (
        f"Self-recorded by the patient in a walking diary app, not measured in clinic: "
        f"{r.walk_count} walks in the period ({mix}); {r.no_pain_count} ended without pain, "
        "so their distance is only a lower bound (marked ≥) and they are left out of medians."
    )
    if len(r.methods) > 1:
        text += " Methods are summarised separately: they differ about twofold."
    if any(m.method == "walk" for m in r.methods):
        text += (
            " Everyday walks are estimated or measured by phone or GPS (self-estimates and phone "
            "distances tend to read high); they are not a treadmill test."
        )
    if any(m.method == "6mwt-estimate" for m in r.methods):
        text += (
            " 6-minute walk estimates are computed by the patient's iPhone from everyday walking "
            "(Apple Health), not a walk test; no pain is recorded with them, so their distance "
            "is shown as a lower bound (≥)."
        )
    return text


def report_trend_cell(t: TrendResult) -> str:
    """Status, slope with its 95 % interval, and the walks behind it."""
    status = trend_status_label(t.status)
    if t.status_since is not None:
        status += f" since {t.status_since}"
    walks = f"{count(t.n_exact, 'walk')} with pain, {t.n_censored} without, up to {t.week_end}"
    walks += _report_change_point(t)
    if t.slope_pct_month is None:
        if t.n_exact < TREND_MIN_EXACT_WALKS:
            return f"{status}; {walks} ({TREND_MIN_EXACT_WALKS} with pain needed)"
        return f"{status}; {walks}"
    low, high = t.slope_pct_month_low, t.slope_pct_month_high
    interval = (
        f" (95 % CI {low:+.1f} to {high:+.1f})" if low is not None and high is not None else ""
    )
    return f"{status}; slope {t.slope_pct_month:+.1f} % per month{interval}; {walks}"


def _report_change_point(t: TrendResult) -> str:
    cp = t.change_point
    if cp is None:
        return ""
    return f"; walks from {cp.counts_from} on ({cp.procedure} {cp.procedure_on})"


REPORT_NOTES_MAX_CHARS = 60


def report_event_line(e: StoredEvent) -> str:
    """Page 1's line for an event: "2026-09-03 – angioplasty, left leg – notes (shortened)"."""
    text = f"{e.occurred_on.isoformat()} – {event_summary(e, notes=False)}"
    notes = " ".join(e.notes.split())
    if notes and notes != event_summary(e, notes=False):
        if len(notes) > REPORT_NOTES_MAX_CHARS:
            notes = notes[:REPORT_NOTES_MAX_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        text += f" – {notes}"
    return text


def report_change_cell(m: MethodSummary, unit: str) -> str:
    parts = []
    for c in m.before:
        pct = c.change_pct(m.current_pf_m)
        if pct is None:
            parts.append(f"{c.months} mo: no walks with pain then")
        else:
            parts.append(
                f"{c.months} mo: {pct:+.0f} % (from {format_distance(c.median_pf_m, unit)})"
            )
    return "; ".join(parts)


def report_fontaine(m: MethodSummary, unit: str) -> str | None:
    """The 200 m marker sentence (docs/clinical.md §2): a marker from the walks, never a stage."""
    if m.current_pf_m is None:
        return None
    side = "below" if m.current_pf_m < PAIN_FREE_MARKER_M else "at or above"
    return (
        f"{method_plural(m.method).capitalize()}: the median pain-free distance of the last 4 "
        f"weeks ({format_distance(m.current_pf_m, unit)}) is {side} the "
        f"{format_distance(PAIN_FREE_MARKER_M, unit)} mark used in the Fontaine classification "
        "(IIa above, IIb below); a marker from self-recorded walks, not a stage."
    )


def report_flag_lines(f: RedFlag) -> tuple[str, list[str]]:
    """A red flag as the clinician reads it: what, when, the note; then the context the advice
    named and the advice the patient was shown (quoted)."""
    head = f"{f.reported_on}: {f.description} (tier: {TIER_LABELS[f.tier].lower()})"
    if f.notes:
        head += f"; patient's note: “{f.notes}”"
    lines = []
    if f.context:
        recorded = "; ".join(
            f"{c.day} {c.description}" + (f" (note: “{c.notes}”)" if c.notes else "")
            for c in f.context
        )
        lines.append(f"Recorded in the 14 days before: {recorded}.")
    ack = "acknowledged by the patient" if f.acknowledged else "not yet acknowledged"
    lines.append(f"Advice shown to the patient ({ack}): “{f.shown_advice}”")
    return head, lines


def report_more_flags(flags: Sequence[RedFlag]) -> str:
    """The flags past those printed in full, in one sentence."""
    listed = "; ".join(
        f"{f.reported_on} {f.description} ({TIER_LABELS[f.tier].lower()})" for f in flags
    )
    return f"Also reported in the period: {listed}."


def report_discussion_items(
    flags: Sequence[RedFlag], methods: Sequence[MethodSummary], unit: str
) -> list[str]:
    """What the patient recorded for the next appointment (a symptom recorded again and again
    is one line with its count), and what the walks noted for it."""
    items = []
    by_key: dict[str, list[RedFlag]] = {}
    for f in flags:
        by_key.setdefault(f.key, []).append(f)
    for group in by_key.values():
        latest = max(group, key=lambda f: f.reported_on)
        note = f" (latest note: “{latest.notes}”)" if latest.notes else ""
        if len(group) == 1:
            items.append(f"{latest.reported_on}: {latest.description}{note}")
        else:
            first = min(f.reported_on for f in group)
            items.append(
                f"{latest.description}: recorded {len(group)} times, from {first} to "
                f"{latest.reported_on}{note}"
            )
    for m in methods:
        t, what = m.trend, method_plural(m.method)
        if t.relief_flag and not any(f.key == "relief_over_10_min" for f in flags):
            items.append(
                f"{what.capitalize()}: on {t.relief_over_10_min} of the last {t.relief_checked} "
                "walks with a rest time the pain took over 10 minutes to ease."
            )
        if t.max_falling and t.max_slope_pct_month is not None:
            items.append(
                f"{what.capitalize()}: maximum distance falling ({t.max_slope_pct_month:+.0f} % "
                "per month) while the pain-free distance is not declining."
            )
    return items


def report_exercise(e: ExerciseSummary) -> str:
    """Sessions against the goal, how many reached moderate pain, minutes (docs/clinical.md §3)."""
    n = len(e.weeks)
    if not e.sessions:
        return (
            f"Exercise, last {n} complete weeks: no walking sessions recorded (goal "
            f"{e.goal_sessions} a week of {e.goal_minutes} min, walking into moderate pain)."
        )
    text = (
        f"Exercise, last {n} complete weeks: {e.per_week:.1f} sessions a week (goal "
        f"{e.goal_sessions} of {e.goal_minutes} min; met in {e.weeks_meeting_goal} of {n} weeks); "
        f"{e.moderate_pain} of {e.sessions} sessions reached moderate pain "
        f"(≥ {MODERATE_PAIN}/10)"
    )
    if e.median_minutes is not None:
        text += (
            f"; median session {e.median_minutes:.0f} min (recorded for "
            f"{len(e.session_minutes)} of {e.sessions})"
        )
    else:
        text += "; session minutes not recorded"
    return text + "."


def report_smoking(r: DoctorReport) -> str:
    s = r.smoking
    if s.status is None:
        text = "Smoking: status not recorded"
    else:
        text = f"Smoking: {s.status}" + (f" since {s.since}" if s.since else "")
        if s.quit and s.status != SmokingStatus.CURRENT:
            text += f" (last quit {s.quit})"
    if s.pack_years is not None and s.status != SmokingStatus.NEVER:
        text += f"; {s.pack_years:.1f} pack-years" + (
            "" if s.pack_years_complete else " (at least)"
        )
    t = r.main.trend if r.main else None
    if t is not None and (
        t.cigarettes_per_day_window is not None or t.cigarettes_per_day_before is not None
    ):

        def fmt(v: float | None) -> str:
            return "–" if v is None else f"{v:.1f}"

        text += (
            f"; cigarettes per logged day {fmt(t.cigarettes_per_day_window)} in the last 12 weeks"
            f" vs {fmt(t.cigarettes_per_day_before)} in the 12 weeks before"
        )
    changes = [f"{status} from {day}" for day, status in r.smoking_changes]
    if changes:
        text += "; status changes in the period: " + ", ".join(changes)
    return text + "."


# --- The screens' and the commands' own sentences: toasts, questions, empty states -------------
# (Labels of buttons and fields, and key names, stay with their widgets: they are not sentences.)


def smoke_free_days(quit_day: date, today: date) -> str:
    """The one smoke-free sentence, for the dashboard and the smoking screen."""
    return f"{(today - quit_day).days} days smoke-free"


FIX_MARKED_FIELD = "Not saved yet: please fix the marked field."
FIX_MARKED_SETTING = "Not saved: please fix the marked field."
FIX_MARKED_TEST_FIELD = "Not started: please fix the marked field."
NOTHING_TO_UNDO = "Nothing to undo."
WALK_RESTORED = "Walk restored."
EVENT_RESTORED = "Event restored."
NO_TREND_YET = "No trend yet."
NO_WALKS_YET = "No walks here yet. Press l to log one."
NO_EVENTS_YET = (
    "No events yet. Press a to record a procedure, a medicine started or stopped, "
    "or an exercise programme: the walks are read against them."
)
NO_EARLIER_CHECKS = "Earlier checks: none yet."
NO_RECENT_SYMPTOMS = "Nothing recorded in the last 30 days."
NO_SYMPTOMS_RECORDED = "No symptoms recorded."
NO_DRAFTS_WAITING = "No imported walks are waiting for a pain-free distance."
SETTINGS_SAVED = "Settings saved."
SETTINGS_GOAL_NOTE = (
    "The guideline goal for a walking programme is at least 3 walks a week of "
    "30-60 minutes, for at least 12 weeks. Enter saves. Theme: ctrl+p, then "
    "type 'theme'."
)
EXPORT_NOTE = (
    "The PDF fits the doctor's one-minute read: chart, trend, red flags, smoking; "
    "then weekly summaries and every walk. Files are readable by you only."
)
NOTHING_WRITTEN = "Nothing was written."
WEEK_NOT_STARTED = "That week has not started yet."
SYMPTOMS_TITLE = "Symptoms: tick with Space, Enter records them. Most urgent first."
TICK_A_SYMPTOM = "Tick at least one symptom first (Space)."
TICK_AN_ANSWER = "Tick at least one answer first (or choose 'No, none of these')."
DRAFT_DISCARDED = "Discarded; importing its file again will not bring it back."
CHECK_CANCELLED = "Check cancelled; nothing was stored."
SUDDEN_DROP_QUESTION = "Is any of these true right now?"
SAVE_AGAIN_QUESTION = "Save it a second time?"

DISCARD_CHECK = "Discard this check? Your answers so far are not saved."
DISCARD_EVENT = "Discard this event?"
DISCARD_EVENT_CHANGES = "Discard your changes to this event?"
DISCARD_WALK = "Discard this walk?"
DISCARD_WALK_CHANGES = "Discard your changes to this walk?"
DISCARD_SETTINGS_CHANGES = "Discard your changes to the settings?"
DISCARD_SMOKING_STATUS = "Discard this smoking status?"
DISCARD_TICKED_SYMPTOMS = "Discard the ticked symptoms? They are not recorded yet."
DISCARD_SYMPTOM_NOTES = "Discard these notes? Nothing is recorded yet."

# The guided walking tests
SIX_MINUTE_HELP = "A hallway: count laps with Space for 6 minutes; mark the pain and rests."
TREADMILL_HELP = "At a known speed, graded or constant load; mark the pain and the stop."
STOPWATCH_HELP = "Time an everyday walk; distances from a known route or your usual speed."
SIX_MINUTE_COURSE = "Mark a straight course in a hallway, with a turning mark at each end. "
TREADMILL_INSTRUCTIONS = (
    "Set the treadmill's speed (and grade 0 % for the graded protocol). Press "
    "Space as you start walking, p the moment the pain starts, s when you stop. "
    "The screen says when to raise the grade. Stop at once for chest pain, "
    "breathlessness, palpitations or dizziness."
)
STOPWATCH_INSTRUCTIONS = (
    "Press Space as you set off, p the moment the pain starts, s when the pain "
    "makes you stop (or at the end of the route). The time is always stored; "
    "distances come from the route or your speed, or you type them at the end."
)
WALK_TEST_SAFETY_LINE = "Chest pain, breathlessness, palpitations or dizziness: stop and get help."
DISCARD_TEST_SETTINGS = "Discard the settings you changed? They are not remembered yet."
QUIT_BEFORE_RESULT_SAVED = "Quit tracker? This test's result is not saved yet."
DISCARD_TEST_RESULT = "Discard this test? Its figures are not saved anywhere."
QUIT_DURING_TEST = "Quit tracker? The test under way is not saved."
STOP_SESSION_QUESTION = "Stop this session? The clock keeps running while you decide."
STOP_SIX_MINUTE_EARLY = (
    "Stop the 6-minute walk test early? The clock keeps running while you decide. "
    "A test stopped early is not a 6-minute distance: it can only be saved as an "
    "incomplete walk."
)
TEST_DISCARDED = "Test discarded; nothing was saved."
TEST_STARTED = "Started. The clock is running."
PRESS_SPACE_FIRST = "Press Space to start first."
READY_AT_START_LINE = "Ready at the start line. Press Space as you set off."
PRESS_SPACE_TO_SET_OFF = "Press Space as you set off."
STOPWATCH_MARK_PAIN = "Press p the moment the pain starts, s when you stop."
STOPWATCH_MARK_STOP = "Press s when the pain makes you stop (or at the end of the route)."
EARLY_PAIN_NOTE = "That is very early: you can correct it before saving."
QUICK_LAP_NOTE = "Very quick: ⌫ undoes it if Space was pressed twice."
LAP_COUNT_QUESTION = "Is the lap count right?"


def screenshot_not_saved(folder: object, reason: object) -> str:
    return f"The screenshot could not be saved in {folder}: {reason}."


def discard_draft_question(started_at: datetime) -> str:
    return (
        f"Discard the imported walk of {started_at:%Y-%m-%d %H:%M}? It is not "
        "counted as a walk, and importing its file again will not bring it back."
    )


def walk_deleted(day: str, time: str) -> str:
    return f"Deleted the walk of {day} {time}. Press u to undo."


def event_deleted(description: str) -> str:
    return f"Deleted {description}. Press u to undo."


def not_saved_try_again(message: str) -> str:
    return f"Not saved. {message} Press Enter to try again."


def smoking_status_saved(status: object, since: object) -> str:
    return f"Smoking status saved: {status} since {since}."


def no_method_walks_yet(plural: str) -> str:
    return f"No {plural} yet. [m] shows another method."


def no_method_walks_in_range(plural: str, range_label: str) -> str:
    return f"No {plural} in the last {range_label}; [4] shows all."


def quick_lap_question(lap: int) -> str:
    return f"Lap {lap} was very quick: was Space pressed twice?"


def pain_already_marked(at: str) -> str:
    return f"The pain was already marked at {at}."


def pain_marked(at: str) -> str:
    return f"Pain marked at {at}."


def lap_note(lap: int, at: str, took_s: float) -> str:
    return f"Lap {lap} at {at} ({took_s:.0f} s)."


def lap_taken_back(laps: int) -> str:
    return f"Last lap taken back: {laps} laps."


def rest_note(at: str, resting: bool) -> str:
    return f"Rest from {at}: the clock keeps running." if resting else f"Walking on at {at}."


def treadmill_start(speed_kmh: float, grade: float) -> str:
    return (
        f"Set the treadmill to {speed_kmh:g} km/h at {grade:g} % grade and press "
        "Space as you start walking."
    )


def grade_now(grade: float, next_text: str) -> str:
    return f"Grade {grade:g} % · {next_text}."


def test_running(kind_label: str) -> str:
    return (
        f"The {kind_label.lower()} is running: stop it first with Esc "
        "(the clock keeps going while you decide)."
    )


def check_saved(check_id: object, when: datetime) -> str:
    return f"Calf-pain check #{check_id} saved ({when:%Y-%m-%d %H:%M})."


def new_diary_written(out: object, source: object) -> str:
    return f"Wrote a new diary at {out}; {source} was not changed."


def draft_discarded(draft_id: object, description: str) -> str:
    return (
        f"Discarded draft #{draft_id} ({description});"
        " importing its file again will not bring it back."
    )


def events_imported(added: str, again: str, file: object) -> str:
    return f"Imported {added}{again} from {file}."


def walks_imported(added: str, skipped: str, other: str, file: object, kind: object) -> str:
    return f"Imported {added}{skipped}{other} from {file} ({kind})."


def cigarettes_on(day: date, n: int, was: str) -> str:
    return f"Cigarettes on {day}: {n}{was}."


def symptom_recorded(row_id: object, description: str, day: date) -> str:
    return f"Recorded #{row_id}: {description} ({day})."


STILL_OPENING = "Still opening your diary, one moment…"
WAITING_FOR_DATABASE = "Waiting for the database … (another program is using it)"
LOADING_WEEK = "Loading the week…"
LOADING_TREND = "Loading the trend…"
NO_DRAFTS_HERE = (
    "Walks imported from a watch or phone without a lap press wait here. Import "
    "with: tracker import FILE"
)
NO_CHECKS_YET = "No calf-pain checks yet. Start one with: tracker check"
NO_EVENTS_IN_PERIOD = (
    "No events in that period. Add one with: tracker event add procedure "
    "--type angioplasty --side left --date YYYY-MM-DD"
)
NO_WALKS_IN_PERIOD = "No walks in that period. Log one with: tracker log --pain-free 180 --max 320"


def screenshot_saved(path: object) -> str:
    return f"Screenshot saved: {path}"


def quit_smoking_line(quit_day: date, today: date) -> str:
    return f"Quit on {quit_day}: {smoke_free_days(quit_day, today)}"


def draft_saved(description: str) -> str:
    return f"Saved: {description}"


def walk_saved(walk_id: object, description: str) -> str:
    return f"Saved walk #{walk_id}: {description}"


def walk_updated(walk_id: object, description: str) -> str:
    return f"Updated walk #{walk_id}: {description}"


def walk_deleted_cli(walk_id: object) -> str:
    return f"Deleted walk #{walk_id}. Undo with: tracker undelete {walk_id}"


def walk_restored(walk_id: object, description: str) -> str:
    return f"Restored walk #{walk_id}: {description}"


def event_saved(event_id: object, description: str) -> str:
    return f"Saved event #{event_id}: {description}"


def event_updated(event_id: object, description: str) -> str:
    return f"Updated event #{event_id}: {description}"


def event_deleted_cli(event_id: object) -> str:
    return f"Deleted event #{event_id}. Undo with: tracker event undelete {event_id}"


def event_restored(event_id: object, description: str) -> str:
    return f"Restored event #{event_id}: {description}"


def drafts_hint(first: object) -> str:
    return (
        f"Complete one: tracker import --complete {first} --pain-free 180 [--max 320 | "
        f"--no-pain]. Discard one: tracker import --discard {first}"
    )


def distance_doubt_warning(question: str, walk_id: object, flag: str) -> str:
    return f"Warning: {question} If not, correct it with: tracker edit {walk_id} {flag} …"


# --- clinic mode ---------------------------------------------------------------------------
NO_PATIENTS_YET = "No patients in your programme yet."
OPENING_COHORT = "Opening the cohort…"
THERAPIST_READ_ONLY = (
    "A therapist's view is read-only: the patient records this in their own diary."
)


PATIENT_HAS_NO_WALKS = "This patient has not recorded a walk yet."


def therapist_flag_line(label: str, advice: str) -> str:
    """A red flag on a patient's dashboard as the therapist reads it: what the patient was
    told, and what the therapist might do."""
    return (
        f"[b]The patient reported a red flag[/b] and was advised: {label}. {advice} "
        "Consider contacting them."
    )


def cohort_status(patients: int, urgent: int) -> str:
    return (
        f"{count(patients, 'patient')}, {urgent} needing a look first (red flags of the last 14 "
        "days, sudden drop, sustained or possible decline). Enter opens a patient."
    )
