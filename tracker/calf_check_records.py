"""Calf-pain checks in the diary: what the check needs from the store, the stored row, its flat
record (`tracker check --json`, `--history --json`, the JSON backup) and which checks are red
flags. The CLI, the TUI, the dashboard, the report and the exports all come through here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.calf_check import (
    Answer,
    CheckContext,
    CheckResult,
    Pattern,
    RiskFactor,
    answers_json,
    is_red_flag,
    parse_stored_answers,
    signs_in,
)
from tracker.clinical import ADVICE, RED_FLAG_WINDOW_DAYS, SmokingStatus, Tier
from tracker.models import CalfCheck, Settings
from tracker.smoking import StatusSpan, status_on
from tracker.store import Store


def context_from(
    settings: Settings,
    smoking: list[StatusSpan],
    recent_context: list[str],
    today: date,
) -> CheckContext:
    """Risk factors from the smoking log and the settings; immobility from recent symptoms."""
    now = status_on(smoking, today)
    factors = [RiskFactor.SMOKING] if now and now.status == SmokingStatus.CURRENT else []
    factors += [
        f
        for f in (
            RiskFactor.DIABETES,
            RiskFactor.HORMONAL_CONTRACEPTION,
            RiskFactor.PREGNANCY,
            RiskFactor.OBESITY,
        )
        if getattr(settings, f.value)
    ]
    return CheckContext(recorded_immobility=tuple(recent_context), risk_factors=tuple(factors))


def check_context(store: Store, today: date) -> CheckContext:
    from tracker.wording import recent_context_keys

    reports = store.symptoms(today - timedelta(days=RED_FLAG_WINDOW_DAYS), today)
    return context_from(
        store.settings(), store.smoking_history(), recent_context_keys(reports, today), today
    )


def check_row(result: CheckResult, checked_at: datetime) -> CalfCheck:
    from tracker.wording import check_advice, check_lines

    context = {
        "immobility": list(result.immobility),
        "risk_factors": [f.value for f in result.risk_factors],
    }
    return CalfCheck(
        checked_at=checked_at,
        answers=answers_json(result.answers),
        context=json.dumps(context),
        ecq_positive=result.ecq.positive,
        ecq_grade=result.ecq.grade,
        ecq_kind=None if result.ecq.kind is None else result.ecq.kind.value,
        pattern=result.pattern.value,
        tier=None if result.tier is None else result.tier.value,
        advice=check_advice(result),
        result="\n".join(check_lines(result)),
    )


def save_check(store: Store, result: CheckResult, checked_at: datetime) -> CalfCheck:
    return store.add_calf_check(check_row(result, checked_at))


def _utc(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


def _plain(answers: dict[str, Answer]) -> dict[str, str | list[str]]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


def check_record(row: CalfCheck, *, with_id: bool = False) -> dict[str, Any]:
    """The flat, stable form of a stored check (keys documented in the README)."""
    context = json.loads(row.context or "{}")
    record: dict[str, Any] = {
        "date": row.checked_at.date().isoformat(),
        "time": row.checked_at.strftime("%H:%M"),
        "answers": _plain(parse_stored_answers(row.answers)),
        "ecq": {"positive": row.ecq_positive, "grade": row.ecq_grade, "kind": row.ecq_kind},
        "pattern": row.pattern,
        "tier": row.tier,
        "red_flag": is_red_flag(row.tier),
        "advice": row.advice,
        "result": row.result.splitlines(),
        "immobility": context.get("immobility", []),
        "risk_factors": context.get("risk_factors", []),
        "acknowledged_at": _utc(row.acknowledged_at),
        "created_at": _utc(row.created_at),
    }
    return {"id": row.id, **record} if with_id else record


@dataclass(frozen=True)
class CheckFlag:
    """A check whose result is a red flag, shown like a symptom of the same tier."""

    id: int
    day: date
    tier: Tier
    description: str
    advice: str
    notes: str
    acknowledged: bool


def check_flags(rows: list[CalfCheck]) -> list[CheckFlag]:
    """The red-flag checks among `rows`; the description says what the answers fitted and the
    notes name the immobility and risk factors recorded then."""
    from tracker.calf_check import RISK_FACTOR_LABELS
    from tracker.clinical import SYMPTOMS
    from tracker.wording import check_headline

    flags = []
    for row in rows:
        if not is_red_flag(row.tier) or row.tier is None:
            continue
        notes = []
        if row.pattern == Pattern.CLOT:
            context = json.loads(row.context or "{}")
            recent = [
                SYMPTOMS[k].description for k in context.get("immobility", []) if k in SYMPTOMS
            ]
            known = {f.value for f in RiskFactor}
            risks = [
                RISK_FACTOR_LABELS[RiskFactor(f)]
                for f in context.get("risk_factors", [])
                if f in known
            ]
            if recent:
                notes.append(f"immobility: {', '.join(recent)}")
            if risks:
                notes.append(f"risk factors: {', '.join(risks)}")
        headline = check_headline(row.pattern, signs_in(parse_stored_answers(row.answers)))
        flags.append(
            CheckFlag(
                id=row.id or 0,
                day=row.checked_at.date(),
                tier=Tier(row.tier),
                description=f"calf-pain check: {headline}",
                advice=ADVICE[Tier(row.tier)],
                notes="; ".join(notes),
                acknowledged=row.acknowledged_at is not None,
            )
        )
    return flags


def row_from_record(record: object, today: date) -> CalfCheck:
    """A backup's check back into a row, checked like a new one; raises ValidationError(s)."""
    from tracker.calf_check import Pattern, answers_from_object, score_ecq
    from tracker.validation import ValidationError, parse_date, parse_time

    if not isinstance(record, dict):
        raise ValidationError("calf_check", "expected an object")
    day = parse_date(record.get("date"), today=today)
    at = datetime.combine(day, parse_time(record.get("time") or "00:00"))
    answers = answers_from_object(record.get("answers"))
    pattern = str(record.get("pattern"))
    if pattern not in {p.value for p in Pattern}:
        raise ValidationError("pattern", f"{pattern!r} is not one of {', '.join(Pattern)}")
    tier = record.get("tier")
    if tier is not None and tier not in {t.value for t in Tier}:
        raise ValidationError("tier", f"{tier!r} is not one of {', '.join(Tier)} or null")
    lines = record.get("result") or []
    texts = {"advice": record.get("advice") or "", "result": lines}
    if not isinstance(texts["advice"], str) or not (
        isinstance(lines, list) and all(isinstance(x, str) for x in lines)
    ):
        raise ValidationError("result", "advice is text and result a list of sentences")
    context = {k: record.get(k) or [] for k in ("immobility", "risk_factors")}
    if not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in context.values()
    ):
        raise ValidationError("immobility", "immobility and risk_factors are lists of keys")
    ecq = score_ecq(answers)
    row = CalfCheck(
        checked_at=at,
        answers=answers_json(answers),
        context=json.dumps(context),
        ecq_positive=ecq.positive,
        ecq_grade=ecq.grade,
        ecq_kind=None if ecq.kind is None else ecq.kind.value,
        pattern=pattern,
        tier=tier,
        advice=texts["advice"],
        result="\n".join(lines),
    )
    for key in ("acknowledged_at", "created_at"):
        value = record.get(key)
        if value:
            try:
                moment = datetime.fromisoformat(str(value).rstrip("Z")).replace(tzinfo=None)
            except ValueError:
                raise ValidationError(key, f"{value!r} is not an ISO date-time") from None
            setattr(row, key, moment)
    return row
