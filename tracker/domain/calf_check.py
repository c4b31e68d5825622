"""The calf-pain check (docs/clinical.md §10): which pattern a leg pain fits, and how soon to see
a doctor.

It asks the Edinburgh Claudication Questionnaire (ECQ; Leng & Fowkes 1992) with its published
answer options and scores it exactly as published, then only those questions about the other
patterns (emergency signs, a deep vein clot, pain at rest, a muscle strain, a cramp) that are
needed to decide. The result names a pattern the answers fit, never a diagnosis; no score such
as Wells is computed (it needs an examination). Pure: no UI, no database.

One decision procedure (`_decide`) serves both the next question to ask and the result, so the
CLI, the TUI and the import can never walk different paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from tracker.domain.clinical import CONTEXT_KEYS, SYMPTOMS, Tier
from tracker.domain.red_flags import urgency
from tracker.domain.validation import ValidationError, ValidationErrors

Answer = str | tuple[str, ...]
"""One value for a single-choice question, a tuple of values for a multiple-choice one."""
Answers = Mapping[str, Answer]

YES, NO = "yes", "no"
NONE = "none"
"""The answer to a multiple-choice question that excludes every other one ("none of these")."""

ECQ_RELIEF_WITHIN = "within-10-min"
ECQ_DEFINITE_SITE = "calf"
ECQ_ATYPICAL_SITES = frozenset({"thigh", "buttock"})
"""Thigh or buttock without the calf is atypical claudication; shin, foot, hamstring or joints
alone are not claudication (Leng & Fowkes 1992)."""

CLOT_FEATURES = ("pulling", "pressure", "raised")
"""The clot pain features of the seed article: a gradual pulling pain with tension, pain set
off by pressure or by bending the foot up, pain much eased by raising the leg."""
CLOT_FEATURES_FOR_PATTERN = 2
"""Two clot features fit the clot pattern; one does together with recent immobility. A design
default for sorting answers, not a clinical score."""

SIGN_OF_ANSWER: dict[tuple[str, str], str] = {
    ("swelling", YES): "leg_swelling_one_side",
    ("warm_red", YES): "leg_warm_red",
    ("rest_pain", YES): "rest_pain_night",
    ("ecq5", "continues"): "relief_over_10_min",
}
"""Answers that are the red-flag symptoms of docs/clinical.md §5 (emergency answers are their
keys)."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[Option, ...]
    section: str
    multiple: bool = False

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    def label_of(self, value: str) -> str:
        return next((o.label for o in self.options if o.value == value), value)


ECQ = "Edinburgh Claudication Questionnaire"
_YES_NO = (Option(YES, "Yes"), Option(NO, "No"))


def _sign_options(keys: Iterable[str], none_label: str) -> tuple[Option, ...]:
    def label(key: str) -> str:
        text = SYMPTOMS[key].description
        return text[0].upper() + text[1:]

    return (Option(NONE, none_label), *(Option(k, label(k)) for k in keys))


EMERGENCY_KEYS = tuple(k for k, s in SYMPTOMS.items() if s.tier is Tier.EMERGENCY)

QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        Question(
            "ecq1",
            "Do you get a pain or discomfort in your leg(s) when you walk?",
            (Option(YES, "Yes"), Option(NO, "No"), Option("unable", "I am unable to walk")),
            ECQ,
        ),
        Question(
            "ecq2",
            "Does this pain ever begin when you are standing still or sitting?",
            _YES_NO,
            ECQ,
        ),
        Question(
            "ecq3",
            "Do you get it if you walk uphill or hurry?",
            (Option(YES, "Yes"), Option(NO, "No"), Option("never", "I never walk uphill or hurry")),
            ECQ,
        ),
        Question(
            "ecq4", "Do you get it if you walk at an ordinary pace on the level?", _YES_NO, ECQ
        ),
        Question(
            "ecq5",
            "What happens to it if you stand still?",
            (
                Option("continues", "Usually continues more than 10 minutes"),
                Option(ECQ_RELIEF_WITHIN, "Usually disappears in 10 minutes or less"),
            ),
            ECQ,
        ),
        Question(
            "ecq6",
            "Where do you get this pain or discomfort? (either leg; mark every place)",
            (
                Option("calf", "Calf"),
                Option("thigh", "Thigh (front)"),
                Option("buttock", "Buttock"),
                Option("shin", "Shin"),
                Option("foot", "Foot"),
                Option("hamstring", "Hamstring (back of the thigh)"),
                Option("joint", "A joint (hip, knee, ankle)"),
            ),
            ECQ,
            multiple=True,
        ),
        Question(
            "emergency",
            "Right now, do you have any of these?",
            _sign_options(EMERGENCY_KEYS, "No, none of these"),
            "Emergency signs",
            multiple=True,
        ),
        Question("swelling", "Is one calf, ankle or leg swollen?", _YES_NO, "Clot in a vein"),
        Question(
            "warm_red",
            "Is one leg warm, red or dark, with a tender calf?",
            _YES_NO,
            "Clot in a vein",
        ),
        Question(
            "pulling",
            "Did the pain come on gradually, as a pulling pain with a feeling of tension?",
            _YES_NO,
            "Clot in a vein",
        ),
        Question(
            "pressure",
            "Does pressing on the calf or the sole, or pulling the toes up towards you, bring "
            "on the pain?",
            _YES_NO,
            "Clot in a vein",
        ),
        Question(
            "raised", "Does the pain ease a lot when you raise the leg?", _YES_NO, "Clot in a vein"
        ),
        Question(
            "immobility",
            "In the last 14 days, did you have any of these?",
            _sign_options(CONTEXT_KEYS, "No, none of these"),
            "Clot in a vein",
            multiple=True,
        ),
        Question(
            "rest_pain",
            "Do you get pain in the foot or toes at rest or at night that eases when you hang "
            "the leg down?",
            _YES_NO,
            "Pain at rest",
        ),
        Question(
            "strain",
            "Did the pain start after an unusual or heavy strain, such as sport, a long hike or "
            "a misstep?",
            _YES_NO,
            "Other causes",
        ),
        Question(
            "cramp",
            "Does it come suddenly as a very painful, hard muscle (often at night) and pass "
            "within minutes?",
            _YES_NO,
            "Other causes",
        ),
        Question(
            "short_lived",
            "Was it a short pain that passed by itself?",
            _YES_NO,
            "Other causes",
        ),
    )
}
"""Every question of the check, in the order it may be asked. ECQ keys and values are fixed
(scripts rely on them); the others are documented in the README."""


# --- the Edinburgh Claudication Questionnaire, scored as published -------------------------
class EcqKind(StrEnum):
    DEFINITE = "definite"
    ATYPICAL = "atypical"


@dataclass(frozen=True)
class EcqScore:
    criteria_met: bool
    """Questions 1-5: yes to 1, no to 2, yes to 3, disappears within 10 minutes at 5."""
    positive: bool
    """Criteria met and a claudication site marked (calf; or thigh or buttock)."""
    grade: int | None
    """1 if no to question 4, 2 if yes; only when positive."""
    kind: EcqKind | None
    not_met: tuple[str, ...]
    """The questions whose published criterion the answers miss (ecq6 for the site)."""


ECQ_CRITERIA: dict[str, str] = {"ecq1": YES, "ecq2": NO, "ecq3": YES, "ecq5": ECQ_RELIEF_WITHIN}


def score_ecq(answers: Answers) -> EcqScore:
    """Leng & Fowkes 1992, exactly: a missing answer does not meet its criterion."""
    not_met = [k for k, wanted in ECQ_CRITERIA.items() if answers.get(k) != wanted]
    sites = set(_as_tuple(answers.get("ecq6")))
    kind: EcqKind | None = None
    if ECQ_DEFINITE_SITE in sites:
        kind = EcqKind.DEFINITE
    elif sites & ECQ_ATYPICAL_SITES:
        kind = EcqKind.ATYPICAL
    criteria_met = not not_met
    if kind is None:
        not_met.append("ecq6")
    positive = criteria_met and kind is not None
    return EcqScore(
        criteria_met=criteria_met,
        positive=positive,
        grade=(2 if answers.get("ecq4") == YES else 1) if positive else None,
        kind=kind if positive else None,
        not_met=tuple(not_met),
    )


# --- context and result --------------------------------------------------------------------
class RiskFactor(StrEnum):
    """Clot risk factors the diary can know (docs/clinical.md §5, §10): smoking log and settings."""

    SMOKING = "smoking"
    DIABETES = "diabetes"
    HORMONAL_CONTRACEPTION = "hormonal_contraception"
    PREGNANCY = "pregnancy"
    OBESITY = "obesity"


RISK_FACTOR_LABELS: dict[RiskFactor, str] = {
    RiskFactor.SMOKING: "current smoking",
    RiskFactor.DIABETES: "diabetes",
    RiskFactor.HORMONAL_CONTRACEPTION: "hormonal contraception (the pill)",
    RiskFactor.PREGNANCY: "pregnancy",
    RiskFactor.OBESITY: "obesity",
}


@dataclass(frozen=True)
class CheckContext:
    """What the diary already holds that the check needs: recent immobility and risk factors."""

    recorded_immobility: tuple[str, ...] = ()
    """Context symptom keys (long travel, surgery, bed rest) reported in the last 14 days."""
    risk_factors: tuple[RiskFactor, ...] = ()


class Pattern(StrEnum):
    EMERGENCY = "emergency"
    CLOT = "clot"
    REST_PAIN = "rest-pain"
    CLAUDICATION = "claudication"
    MUSCLE_STRAIN = "muscle-strain"
    CRAMP = "cramp"
    SHORT_LIVED = "short-lived"
    UNCLEAR = "unclear"


PATTERN_TIERS: dict[Pattern, Tier | None] = {
    Pattern.EMERGENCY: Tier.EMERGENCY,
    Pattern.CLOT: Tier.SAME_DAY,
    Pattern.REST_PAIN: Tier.WITHIN_DAYS,
    Pattern.CLAUDICATION: None,
    Pattern.MUSCLE_STRAIN: None,
    Pattern.CRAMP: None,
    Pattern.SHORT_LIVED: None,
    Pattern.UNCLEAR: Tier.NEXT_APPOINTMENT,
}
"""None: no urgent sign. The tiers and their advice are those of the symptoms (§5)."""

HARMLESS_PATTERNS = frozenset({Pattern.MUSCLE_STRAIN, Pattern.CRAMP, Pattern.SHORT_LIVED})
"""Patterns the seed article calls harmless and self-limiting, said only without any red-flag
answer, immobility or risk factor."""


@dataclass(frozen=True)
class CheckResult:
    answers: dict[str, Answer]
    asked: tuple[str, ...]
    """The questions the decision needed, in order."""
    ecq: EcqScore
    pattern: Pattern
    tier: Tier | None
    signs: tuple[str, ...]
    """Symptom keys (docs/clinical.md §5) of the red-flag answers given."""
    clot_features: tuple[str, ...]
    immobility: tuple[str, ...]
    """Recent immobility recorded in the diary or answered here (context symptom keys)."""
    risk_factors: tuple[RiskFactor, ...]

    @property
    def is_red_flag(self) -> bool:
        return is_red_flag(self.tier)

    @property
    def harmless(self) -> bool:
        """ "Almost always harmless and self-limiting" holds only under exactly these conditions."""
        return (
            self.pattern in HARMLESS_PATTERNS
            and not self.signs
            and not self.immobility
            and not self.risk_factors
        )


def is_red_flag(tier: Tier | str | None) -> bool:
    """A check is a red flag exactly when a symptom of the same tier is (banner, dialog, report)."""
    return tier is not None and Tier(tier) is not Tier.CONTEXT


# --- parsing and validation ----------------------------------------------------------------
def _as_tuple(value: Answer | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


def _allowed(q: Question) -> str:
    extra = " (several allowed)" if q.multiple else ""
    return f"allowed: {', '.join(q.values)}{extra}"


def question_error(key: str, message: str) -> ValidationError:
    """An error naming the question, its text and the allowed answers."""
    q = QUESTIONS[key]
    return ValidationError(key, f"{q.text} – {message}; {_allowed(q)}")


def parse_answer(key: str, values: Iterable[object]) -> Answer:
    """One question's answer from raw values (case and spaces ignored, `_` read as `-`)."""
    q = QUESTIONS[key]
    chosen: list[str] = []
    for raw in values:
        text = str(raw).strip().lower()
        value = text if text in q.values else text.replace("_", "-")
        if value not in q.values:
            value = text.replace("-", "_")
        if value not in q.values:
            raise question_error(key, f"{text!r} is not an allowed answer")
        if value not in chosen:
            chosen.append(value)
    if not chosen:
        raise question_error(key, "no answer given")
    if not q.multiple:
        if len(chosen) > 1:
            raise question_error(key, f"one answer only, got {', '.join(chosen)}")
        return chosen[0]
    if NONE in chosen and len(chosen) > 1:
        raise question_error(key, f"{NONE!r} cannot go with other answers")
    return tuple(v for v in q.values if v in chosen)


def parse_answers(pairs: Iterable[tuple[str, object]]) -> dict[str, Answer]:
    """Answers from (question, value) pairs; a multiple-choice question may repeat. Every
    unknown question and every answer outside the options is reported at once."""
    grouped: dict[str, list[object]] = {}
    errors: list[ValidationError] = []
    for raw_key, value in pairs:
        key = str(raw_key).strip().lower()
        if key not in QUESTIONS:
            errors.append(
                ValidationError(
                    key or "question",
                    f"no such question; questions: {', '.join(QUESTIONS)}",
                )
            )
            continue
        grouped.setdefault(key, []).append(value)
    answers: dict[str, Answer] = {}
    for key in QUESTIONS:
        if key in grouped:
            try:
                answers[key] = parse_answer(key, grouped[key])
            except ValidationError as exc:
                errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    return answers


def parse_pairs(items: Iterable[str]) -> dict[str, Answer]:
    """`question=answer` strings (the CLI's repeatable --answer)."""
    pairs: list[tuple[str, object]] = []
    errors: list[ValidationError] = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            errors.append(
                ValidationError("answer", f"{item!r} is not question=answer, e.g. ecq1=yes")
            )
            continue
        pairs.append((key, value))
    try:
        answers = parse_answers(pairs)
    except ValidationErrors as exc:
        raise ValidationErrors(errors + exc.errors) from None
    if errors:
        raise ValidationErrors(errors)
    return answers


def answers_json(answers: Answers) -> str:
    """The stored form: a JSON object in question order, lists for multiple choice."""
    ordered = {
        k: list(v) if isinstance(v, tuple) else v for k in QUESTIONS if (v := answers.get(k))
    }
    return json.dumps(ordered, ensure_ascii=False)


def parse_stored_answers(text: str) -> dict[str, Answer]:
    """Answers as stored (or in a backup); raises ValidationErrors like any other answers."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        raise ValidationError("answers", "not a JSON object of answers") from None
    return answers_from_object(raw)


def answers_from_object(raw: object) -> dict[str, Answer]:
    if not isinstance(raw, dict):
        raise ValidationError("answers", "expected an object of question: answer")
    pairs: list[tuple[str, object]] = []
    for key, value in raw.items():
        values = value if isinstance(value, list) else [value]
        pairs.extend((str(key), v) for v in values)
    return parse_answers(pairs)


# --- the decision ----------------------------------------------------------------------------
class _Missing(Exception):
    def __init__(self, keys: list[str]) -> None:
        super().__init__(", ".join(keys))
        self.keys = keys


@dataclass
class _Asker:
    answers: Answers
    asked: list[str] = field(default_factory=list)

    def many(self, keys: Iterable[str]) -> list[Answer]:
        """Ask a block of questions that are all needed, so every missing one is named."""
        keys = list(keys)
        self.asked.extend(k for k in keys if k not in self.asked)
        missing = [k for k in keys if k not in self.answers]
        if missing:
            raise _Missing(missing)
        return [self.answers[k] for k in keys]

    def __call__(self, key: str) -> Answer:
        return self.many([key])[0]


@dataclass(frozen=True)
class _Outcome:
    pattern: Pattern
    clot_features: tuple[str, ...] = ()


def _decide(ask: _Asker, ctx: CheckContext) -> _Outcome:
    """The order of questions and the pattern they lead to; each question only when needed."""
    if ask("ecq1") == YES:
        ask.many(["ecq2", "ecq3", "ecq4", "ecq5", "ecq6"])
    ecq = score_ecq(ask.answers)
    if set(_as_tuple(ask("emergency"))) - {NONE}:
        return _Outcome(Pattern.EMERGENCY)  # emergency signs override every pattern
    if ask("swelling") == YES or ask("warm_red") == YES:
        return _Outcome(Pattern.CLOT)
    if not ecq.positive:
        features: list[str] = []
        for key in CLOT_FEATURES:
            if ask(key) == YES:
                features.append(key)
            if len(features) >= CLOT_FEATURES_FOR_PATTERN:
                return _Outcome(Pattern.CLOT, tuple(features))
        if features and (ctx.recorded_immobility or set(_as_tuple(ask("immobility"))) - {NONE}):
            return _Outcome(Pattern.CLOT, tuple(features))
    if (ask.answers.get("ecq1") != YES or ask.answers.get("ecq2") == YES) and ask(
        "rest_pain"
    ) == YES:
        return _Outcome(Pattern.REST_PAIN)
    if ecq.positive:
        return _Outcome(Pattern.CLAUDICATION)
    for key, pattern in (
        ("strain", Pattern.MUSCLE_STRAIN),
        ("cramp", Pattern.CRAMP),
        ("short_lived", Pattern.SHORT_LIVED),
    ):
        if ask(key) == YES:
            return _Outcome(pattern)
    return _Outcome(Pattern.UNCLEAR)


def next_question(answers: Answers, ctx: CheckContext) -> Question | None:
    """The next question the decision needs, or None when the answers decide the result."""
    try:
        _decide(_Asker(answers), ctx)
    except _Missing as missing:
        return QUESTIONS[missing.keys[0]]
    return None


def signs_in(answers: Answers) -> tuple[str, ...]:
    """The red-flag symptom keys (docs/clinical.md §5) among the answers, most urgent first."""
    keys = [k for k in _as_tuple(answers.get("emergency")) if k != NONE]
    for (question, value), key in SIGN_OF_ANSWER.items():
        if question == "ecq5" and answers.get("ecq1") != YES:
            continue  # how the walking pain eases only counts when there is one
        if answers.get(question) == value:
            keys.append(key)
    return tuple(sorted(keys, key=lambda k: urgency(SYMPTOMS[k].tier)))


def evaluate(answers: Answers, ctx: CheckContext) -> CheckResult:
    """The result of a complete check. Raises ValidationErrors naming each missing answer."""
    ask = _Asker(answers)
    try:
        outcome = _decide(ask, ctx)
    except _Missing as missing:
        raise ValidationErrors(
            [question_error(k, "no answer given") for k in missing.keys]
        ) from None
    signs = signs_in(answers)
    tiers = [PATTERN_TIERS[outcome.pattern], *(SYMPTOMS[s].tier for s in signs)]
    present = [t for t in tiers if t is not None]
    answered = tuple(k for k in _as_tuple(answers.get("immobility")) if k != NONE)
    immobility = tuple(k for k in CONTEXT_KEYS if k in ctx.recorded_immobility or k in answered)
    return CheckResult(
        answers=dict(answers),
        asked=tuple(ask.asked),
        ecq=score_ecq(answers),
        pattern=outcome.pattern,
        tier=min(present, key=urgency) if present else None,
        signs=signs,
        clot_features=outcome.clot_features,
        immobility=immobility,
        risk_factors=ctx.risk_factors,
    )


def run_interview(ask: Callable[[Question], Answer], ctx: CheckContext) -> CheckResult:
    """Ask question after question (a terminal prompt, a test) until the result is decided."""
    answers: dict[str, Answer] = {}
    while (q := next_question(answers, ctx)) is not None:
        answers[q.key] = ask(q)
    return evaluate(answers, ctx)


# --- a check as stored ------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckInput:
    """A check ready to store: every answer, the score and the result as shown (the sentences,
    one a line). `acknowledged_at` and `created_at` come only from an imported backup."""

    checked_at: datetime
    answers: str
    """JSON object (`answers_json`)."""
    context: str
    """Recent immobility and risk factors the result named (JSON)."""
    ecq_positive: bool
    ecq_grade: int | None
    ecq_kind: str | None
    pattern: str
    tier: str | None
    advice: str
    result: str
    acknowledged_at: datetime | None = None
    created_at: datetime | None = None


class StoredCheck(Protocol):
    """What wording, red flags and exports read from a stored check (the database row fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def checked_at(self) -> datetime: ...
    @property
    def answers(self) -> str: ...
    @property
    def context(self) -> str: ...
    @property
    def ecq_positive(self) -> bool: ...
    @property
    def ecq_grade(self) -> int | None: ...
    @property
    def ecq_kind(self) -> str | None: ...
    @property
    def pattern(self) -> str: ...
    @property
    def tier(self) -> str | None: ...
    @property
    def advice(self) -> str: ...
    @property
    def result(self) -> str: ...
    @property
    def acknowledged_at(self) -> datetime | None: ...
    @property
    def created_at(self) -> datetime: ...
