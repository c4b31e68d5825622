"""The therapist's cohort: one line per patient, most urgent first.

Each line is the patient's own dashboard (`dashboard.first_look`: red flags, weekly
walks, smoking; the trend status from `current_status`, the same as the trend's), so the
cohort says exactly what the patient's screens say; only the order
and the four-week change are added here. Urgency: a red flag in the last 14 days, then a
sudden drop, then a sustained decline, then everyone else (a possible decline before the
rest, then who has not walked for longest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.domain.current_trend import current_status
from tracker.domain.dashboard import DashboardSummary, first_look
from tracker.domain.diary import Diary
from tracker.domain.stats import median
from tracker.domain.trend import Status
from tracker.domain.wording import trend_status_label

CHANGE_WEEKS = 4
URGENCY_WORDS = {
    0: "red flag",
    1: "sudden drop",
    2: "sustained decline",
    3: "possible decline",
    4: "",
}


@dataclass(frozen=True)
class CohortLine:
    patient_id: int
    name: str
    identifier: str
    programme: str
    urgency: int
    """0 red flag, 1 sudden drop, 2 sustained decline, 3 possible decline, 4 the rest."""
    red_flags: tuple[str, ...]
    last_walk: date | None
    walks_this_week: int
    weekly_goal: int
    median_pain_free_m: float | None
    """Median pain-free distance of the last four weeks."""
    change_4w_pct: float | None
    """That median against the four weeks before, in per cent."""
    trend: str
    trend_status: str
    smoking: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "name": self.name,
            "identifier": self.identifier,
            "programme": self.programme,
            "urgency": URGENCY_WORDS[self.urgency] or "none",
            "red_flags_14d": list(self.red_flags),
            "last_walk": self.last_walk.isoformat() if self.last_walk else None,
            "walks_this_week": self.walks_this_week,
            "weekly_goal": self.weekly_goal,
            "median_pain_free_m": _round(self.median_pain_free_m),
            "change_4w_pct": _round(self.change_4w_pct),
            "trend": self.trend,
            "trend_status": self.trend_status,
            "smoking": self.smoking,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def urgency_of(summary: DashboardSummary, status: Status) -> int:
    """`summary.red_flags` holds the last 14 days' (RED_FLAG_WINDOW_DAYS) flags and context."""
    if any(f.red_flag for f in summary.red_flags):
        return 0
    order = {Status.SUDDEN_DROP: 1, Status.SUSTAINED_DECLINE: 2, Status.POSSIBLE_DECLINE: 3}
    return order.get(status, 4)


def four_week_change(diary: Diary, today: date) -> tuple[float | None, float | None]:
    """Median pain-free distance of the last four weeks, and its change against the four
    before (walks without pain give no distance at which pain began: left out, as in the
    dashboard's medians)."""
    start = today - timedelta(days=7 * 2 * CHANGE_WEEKS - 1)
    split = today - timedelta(days=7 * CHANGE_WEEKS - 1)
    recent: list[float] = []
    before: list[float] = []
    for w in diary.walk_points(start, today):
        if not w.no_pain:
            (recent if w.walked_at.date() >= split else before).append(w.pain_free_m)
    now = median(recent) if recent else None
    then = median(before) if before else None
    if now is None or not then:
        return now, None
    return now, 100.0 * (now - then) / then


def cohort_line(
    patient_id: int, name: str, identifier: str, programme: str, diary: Diary, now: datetime
) -> CohortLine:
    # the dashboard's first look and the trend's status alone: the line shows no other trend
    # figure, and the whole analysis (its history and figures) is most of a cold view's time
    summary = first_look(diary, now, count=False)
    today = now.date()
    flags = tuple(
        f"{f.reported_on.isoformat()}: {f.description}" for f in summary.red_flags if f.red_flag
    )
    med, change = four_week_change(diary, today)
    status = current_status(diary, today) if summary.latest is not None else Status.INSUFFICIENT
    smoking = summary.smoking.status or "not recorded"
    return CohortLine(
        patient_id=patient_id,
        name=name,
        identifier=identifier,
        programme=programme,
        urgency=urgency_of(summary, status),
        red_flags=flags,
        last_walk=summary.latest.walked_at.date() if summary.latest is not None else None,
        walks_this_week=summary.walks_this_week,
        weekly_goal=summary.weekly_goal,
        median_pain_free_m=med,
        change_4w_pct=change,
        trend=trend_status_label(status),
        trend_status=str(status),
        smoking=smoking,
    )


LINE_FORMAT = 1
"""Bumped when `line_facts` changes, so lines kept in the old form are computed again."""


def line_facts(line: CohortLine) -> str:
    """What a line says about the patient's diary (not who the patient is, which is read
    afresh), as JSON: what a therapist's cache keeps."""
    return json.dumps(
        {
            "urgency": line.urgency,
            "red_flags": list(line.red_flags),
            "last_walk": line.last_walk.isoformat() if line.last_walk else None,
            "walks_this_week": line.walks_this_week,
            "weekly_goal": line.weekly_goal,
            "median_pain_free_m": line.median_pain_free_m,
            "change_4w_pct": line.change_4w_pct,
            "trend": line.trend,
            "trend_status": line.trend_status,
            "smoking": line.smoking,
        }
    )


def line_from_facts(
    patient_id: int, name: str, identifier: str, programme: str, facts: str
) -> CohortLine | None:
    """The line `line_facts` kept, for this patient as the register names them now; None
    when the kept text is not such a line (it is then computed again). JSON keeps floats
    exactly, so the line is the one computed."""
    try:
        kept = json.loads(facts)
        last = kept["last_walk"]
        return CohortLine(
            patient_id=patient_id,
            name=name,
            identifier=identifier,
            programme=programme,
            urgency=int(kept["urgency"]),
            red_flags=tuple(str(f) for f in kept["red_flags"]),
            last_walk=None if last is None else date.fromisoformat(last),
            walks_this_week=int(kept["walks_this_week"]),
            weekly_goal=int(kept["weekly_goal"]),
            median_pain_free_m=_number(kept["median_pain_free_m"]),
            change_4w_pct=_number(kept["change_4w_pct"]),
            trend=str(kept["trend"]),
            trend_status=str(kept["trend_status"]),
            smoking=str(kept["smoking"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def ordered(lines: list[CohortLine]) -> list[CohortLine]:
    """Most urgent first; within a level, who walked longest ago (or never) first."""
    return sorted(
        lines,
        key=lambda c: (c.urgency, c.last_walk or date.min, c.name.casefold(), c.patient_id),
    )
