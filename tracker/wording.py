"""Sentences shown to the user, built from domain objects in one place.

Health wording: *possible*, *consider*, *discuss with your doctor*; red flags plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

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

SMOKE_FREE_BENEFIT = (
    "Being smoke-free lowers the risk of losing a leg, of a heart attack and of dying early."
)


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
