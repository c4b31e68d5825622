"""Calf-pain checks in the diary: what the check needs from the diary, the check as stored, its
flat record (`tracker check --json`, `--history --json`, the JSON backup) and which checks are
red flags. The CLI, the TUI, the dashboard, the report and the exports all come through here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.domain.audit_time import parse_utc_text, utc_text
from tracker.domain.calf_check import (
    RISK_FACTOR_LABELS,
    Answer,
    CheckContext,
    CheckInput,
    CheckResult,
    Pattern,
    RiskFactor,
    StoredCheck,
    answers_from_object,
    answers_json,
    is_red_flag,
    parse_stored_answers,
    score_ecq,
    signs_in,
)
from tracker.domain.clinical import ADVICE, RED_FLAG_WINDOW_DAYS, SYMPTOMS, SmokingStatus, Tier
from tracker.domain.diary import Diary
from tracker.domain.red_flags import recent_context_keys
from tracker.domain.settings import DiarySettings
from tracker.domain.smoking import StatusSpan, status_on
from tracker.domain.validation import ValidationError, parse_date, parse_time
from tracker.domain.wording import check_advice, check_headline, check_lines


def context_from(
    settings: DiarySettings,
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


def check_context(diary: Diary, today: date) -> CheckContext:
    reports = diary.symptoms(today - timedelta(days=RED_FLAG_WINDOW_DAYS), today)
    return context_from(
        diary.settings(), diary.smoking_history(), recent_context_keys(reports, today), today
    )


def check_row(result: CheckResult, checked_at: datetime) -> CheckInput:
    """The check as it is stored: the result's sentences are kept as shown."""
    context = {
        "immobility": list(result.immobility),
        "risk_factors": [f.value for f in result.risk_factors],
    }
    return CheckInput(
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


def _plain(answers: dict[str, Answer]) -> dict[str, str | list[str]]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


def check_record(row: StoredCheck, *, with_id: bool = False) -> dict[str, Any]:
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
        "acknowledged_at": utc_text(row.acknowledged_at),
        "created_at": utc_text(row.created_at),
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


def check_flags(rows: Sequence[StoredCheck]) -> list[CheckFlag]:
    """The red-flag checks among `rows`; the description says what the answers fitted and the
    notes name the immobility and risk factors recorded then."""
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


def row_from_record(record: object, today: date) -> CheckInput:
    """A backup's check, checked like a new one; raises ValidationError(s)."""
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
    moments: dict[str, datetime | None] = {}
    for key in ("acknowledged_at", "created_at"):
        value = record.get(key)
        moments[key] = None
        if value:
            try:
                moments[key] = parse_utc_text(value)
            except ValueError:
                raise ValidationError(key, f"{value!r} is not an ISO date-time") from None
    return CheckInput(
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
        acknowledged_at=moments["acknowledged_at"],
        created_at=moments["created_at"],
    )
