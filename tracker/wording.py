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
    from tracker.review import Change, WeekReview
    from tracker.trend import TrendResult

SMOKE_FREE_BENEFIT = (
    "Being smoke-free lowers the risk of losing a leg, of a heart attack and of dying early."
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

_LABELS = {
    "insufficient-data": "Not enough walks yet",
    "stable": "No clear change",
    "improving": "Getting longer",
    "possible-improvement": "May be getting longer",
    "possible-decline": "May be getting shorter",
    "sustained-decline": "Getting shorter",
    "sudden-drop": "Sudden fall",
}


def status_label(status: str) -> str:
    """The status in words, for every text surface (the codes are for --json only)."""
    return _LABELS[str(status)]


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
    from tracker.trend import Rule

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
    """The one sentence for the status, built only from the figures in `r`."""
    from tracker.clinical import (
        LEVEL_CHANGE_PCT,
        TREND_MIN_EXACT_WALKS,
        TREND_MIN_SPAN_DAYS,
        TREND_MIN_WALKS,
        TREND_P_SIGNIFICANT,
    )
    from tracker.trend import Rule, Status

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
        total = r.n_exact + r.n_censored
        if total < TREND_MIN_WALKS:
            return (
                f"Not enough walks yet for a trend ({total} of {TREND_MIN_WALKS} in the 12 "
                f"weeks to {_on(r.week_end)}). Keep logging."
            )
        if r.n_exact < TREND_MIN_EXACT_WALKS:
            return (
                f"Not enough walks with pain yet for a trend ({r.n_exact} of "
                f"{TREND_MIN_EXACT_WALKS} in the 12 weeks to {_on(r.week_end)}); a walk that "
                "ends without pain shows only that you walked at least that far. Keep logging."
            )
        if r.span_days < TREND_MIN_SPAN_DAYS:
            return (
                f"Not enough walks yet for a trend: they span {r.span_days} days, a trend needs "
                f"at least {TREND_MIN_SPAN_DAYS}. Keep logging."
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
        return (
            f"Your pain-free distance has been about the same over the 12 weeks to "
            f"{_on(r.week_end)}{season} (median {dist(r.window_median_m)}; last 4 weeks "
            f"{dist(r.recent_median_m)}, usual {dist(r.usual_now_m)})."
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
    return f"{status_label(r.status)}: {trend_status_sentence(r, unit)}"


def trend_figures(r: TrendResult, unit: str) -> list[str]:
    """The figures behind the status: for a change of the last weeks the walks since it began
    and the fall check; for the 12-week trend its slope and test; for "about the same" both
    the trend and the level it rests on."""
    from tracker.trend import Rule, Status

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
    from tracker.clinical import ADVICE, METHOD_LABELS, Tier
    from tracker.trend import Status

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
        f"Last week: median {format_distance(lw.median_pf_m, unit)} ({lw.walks} walks); "
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
    trend = f"Trend: {trend_summary(t, unit)}"
    if r.trend_last_week is not None and r.trend_last_week != t.status:
        trend += f" (a week earlier: {status_label(r.trend_last_week).lower()})"
    elif r.trend_last_week is not None:
        trend += " (unchanged since a week earlier)"
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
